"""Headings and figure panels get stable ids and named "#" links (kdsite/page/navigation.py)."""

from __future__ import annotations

import re

from kdsite.page.navigation import link_headings_and_figures, plain_text, slug


def test_slug_keeps_the_first_ascii_words():
    assert slug("Loss weighting: control α") == "loss-weighting-control"
    assert slug('What is "dark knowledge"?') == "what-is-dark-knowledge"
    assert slug("Énergie par inférence") == "energie-par-inference"
    assert slug("one two three four five six seven") == "one-two-three-four-five-six"
    assert slug("α β") == "part"


def test_plain_text_drops_tags_entities_and_mark_badges():
    text = ('Energy <em>per</em> inference <button type="button" class="mark mark-modeled" '
            'popovertarget="mark-key-modeled" title="x">modeled</button>: A &amp; B')
    assert plain_text(text) == "Energy per inference: A & B"


def test_a_markdown_heading_gets_a_section_scoped_id_and_a_named_link():
    html = str(link_headings_and_figures("<h3>Why <em>temperature</em> matters</h3>", "temperature"))
    assert html == ('<h3 id="temperature-why-temperature-matters">Why <em>temperature</em> matters '
                    '<a class="heading-link" href="#temperature-why-temperature-matters" '
                    'aria-label="Link to this part: Why temperature matters"><span aria-hidden="true">#</span></a></h3>')


def test_ids_never_repeat_one_already_on_the_page():
    html = str(link_headings_and_figures(
        '<h3>Curves</h3><h3>Curves</h3><div class="figure-panel" id="lab-curves"><h3 class="chart-title">x</h3></div>',
        "lab"))
    assert re.findall(r'<h3 id="([^"]+)"', html) == ["lab-curves-2", "lab-curves-3"]
    assert html.count('id="lab-curves"') == 1


def test_a_panel_keeps_its_id_and_a_panel_without_one_is_named_from_its_title():
    html = str(link_headings_and_figures(
        '<div class="figure-panel" id="roofline-explorer" data-figure="roofline">'
        '<div><h3 class="chart-title">Roofline at batch 1 <button type="button" class="mark mark-modeled">modeled</button></h3></div></div>'
        '<figure class="figure-panel diagram"><svg><title id="t">Knowledge flow &amp; more</title></svg></figure>'
        '<div class="figure-panel" id="lab-setup"><p>text</p></div><h3>After</h3>', "why"))
    tools = re.findall(r'<div class="figure-tools">(.*?)</div>', html)
    assert 'href="#roofline-explorer" aria-label="Link to this figure: Roofline at batch 1"' in tools[0]
    # no row of controls to join: the copy button goes with the "#" link
    assert '<button type="button" class="copy-link js-only">Copy link<span class="visually-hidden"> to this view' \
           '</span></button>' in tools[0]
    assert '<figure class="figure-panel diagram" id="knowledge-flow-more">' in html
    assert 'aria-label="Link to this figure: Knowledge flow &amp; more"' in tools[1] and "copy-link" not in tools[1]
    # nothing inside the panel: its id read as words, not the heading after it
    assert 'aria-label="Link to this figure: lab setup"' in tools[2]


def test_the_copy_button_closes_the_figures_first_row_of_controls():
    html = str(link_headings_and_figures(
        '<div class="figure-panel" id="lab-curves" data-figure="lab">'
        '<div class="side-by-side control-pair js-only"><div class="lab-slider"><label>T</label></div></div>'
        '<div class="control-row"><label>second row</label></div></div>'
        '<div class="figure-panel" id="temperature-explorer" data-figure="temperature">'
        '<div class="control-row js-only"><label>T</label><input></div><p>after</p></div>', "lab"))
    button = '<button type="button" class="copy-link js-only">Copy link'
    assert html.count(button) == 2
    assert ('<div class="lab-slider"><label>T</label></div>' + button) in html  # the pair's last child
    assert ('<label>T</label><input>' + button) in html
    assert button not in "".join(re.findall(r'<div class="figure-tools">(.*?)</div>', html))


def test_the_built_page_links_every_heading_and_figure(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h3\b[^>]*>", html)
    assert "<h3>" not in headings  # every Markdown subsection heading has its id
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    panels = re.findall(r'<(?:div|figure) class="figure-panel[^"]*"[^>]*\bid="([^"]+)"[^>]*><div class="figure-tools">'
                        r'<a class="figure-link" href="#([^"]+)"', html)
    assert len(panels) == html.count('class="figure-panel') and all(a == b for a, b in panels)
    assert html.count('class="copy-link js-only"') == html.count("data-figure=")
