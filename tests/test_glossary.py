"""Glossary terms marked at their first use in each section (kdsite/page/glossary.py, content/glossary.yaml)."""

from __future__ import annotations

import re

import pytest

from kdsite.content.load import GlossaryTerm
from kdsite.errors import ContentErrors
from kdsite.page.glossary import mark_terms, term_popovers
from tests.helpers import build, copy_project

KL = GlossaryTerm("kl", "KL divergence", ("KL",), "How far q is from p.", "hinton2015")
MAC = GlossaryTerm("mac", "MAC", ("MACs",), "A multiply-accumulate <b>&</b>.")


def cite(reference_id: str) -> str:
    return f'<a class="cite" href="#ref-{reference_id}">[1]</a>'


def marked(markup: str, *terms: GlossaryTerm) -> str:
    """The section's markup with its buttons, then the popovers they open."""
    html = mark_terms(markup, terms)
    return html + term_popovers(terms, html, cite)


def buttons(markup: str) -> list[str]:
    return re.findall(r'<button type="button" class="term" popovertarget="([^"]+)">([^<]*)</button>', markup)


def test_only_the_first_use_in_a_section_is_marked_with_its_definition_and_source():
    html = marked("<p>The KL term. Then KL again, and the KL divergence.</p>", KL)
    assert buttons(html) == [("term-kl", "KL")]
    assert ('<span class="term-popover" popover id="term-kl" role="note"><strong>KL divergence</strong>: '
            'How far q is from p. <a class="cite" href="#ref-hinton2015">[1]</a></span>') in html
    assert " term. Then KL again, and the KL divergence.</p>" in html


def test_the_longest_form_wins_and_only_whole_words_match():
    assert buttons(marked("<p>KLD, BKL and the KL divergence</p>", KL)) == [("term-kl", "KL divergence")]
    assert buttons(marked("<p>24 MACs-ish, then MACs.</p>", MAC)) == [("term-mac", "MACs")]


@pytest.mark.parametrize("skipped", ["<h3>KL</h3>", '<a href="#x">KL</a>', "<code>KL</code>",
                                     "<summary>Go deeper: KL</summary>", "<pre><code>KL</code></pre>",
                                     "<sub>KL</sub>", '<button type="button">KL</button>'])
def test_headings_links_code_and_controls_are_left_alone(skipped):
    html = marked(f"{skipped}<p>then KL</p>", KL)
    assert skipped in html and buttons(html) == [("term-kl", "KL")]


def test_several_terms_in_one_paragraph_each_get_their_first_use():
    html = marked("<p>MACs and <strong>KL</strong> and MAC and KL</p>", KL, MAC)
    assert buttons(html) == [("term-mac", "MACs"), ("term-kl", "KL")]


def test_a_definition_is_text():
    assert "A multiply-accumulate &lt;b&gt;&amp;&lt;/b&gt;." in marked("<p>MAC</p>", MAC)


def test_a_term_has_one_popover_on_the_page_that_each_sections_first_use_opens(site_dir):
    """A term used in four sections once carried four copies of its definition."""
    page = (site_dir / "index.html").read_text(encoding="utf-8")
    sections = re.findall(r'<section id="([^"]+)".*?</section>', page, re.S)
    bodies = re.findall(r'<section id="[^"]+".*?</section>', page, re.S)
    per_section = {name: [target for target, _ in buttons(body)] for name, body in zip(sections, bodies)}
    assert all(len(targets) == len(set(targets)) for targets in per_section.values())  # first use only
    used = [target for targets in per_section.values() for target in targets]
    assert len(used) > len(set(used))  # some term is marked in more than one section
    for target in set(used):
        assert page.count(f'popover id="{target}"') == 1
    assert page.count('class="term-popover" popover') == len(set(used))  # no popover no button opens


@pytest.mark.parametrize("replace, field, message", [
    ("  - id: kl\n", "terms[1].id", "'KL' is not a valid id"),
    ("  - id: mac\n", "terms[2].id", "duplicate term id 'kl'"),
    ("    source: hinton2015\n", "terms[1].source", "unknown reference id 'nobody2099'"),
])
def test_glossary_mistakes_are_one_line_errors_with_the_field(tmp_path, replace, field, message):
    project = copy_project(tmp_path / "project")
    path = project / "content/glossary.yaml"
    new = {"terms[1].id": "  - id: KL\n", "terms[2].id": "  - id: kl\n",
           "terms[1].source": "    source: nobody2099\n"}[field]
    path.write_text(path.read_text().replace(replace, new, 1))
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "site")
    [error] = caught.value.errors
    assert (error.file, error.field) == ("content/glossary.yaml", field)
    lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if new.strip() in line]
    assert error.message == message and error.line == lines[-1]  # the duplicate, not the first


def test_a_term_is_marked_where_a_reader_with_every_fold_closed_meets_it():
    """Its first use in a closed "Go deeper" fold used to take the definition, out of sight."""
    html = marked('<details class="deeper"><summary>Go deeper</summary><p>the KL here</p></details>'
                  "<p>then KL in the text</p>", KL)
    assert buttons(html) == [("term-kl", "KL")]
    assert '<p>then <button type="button" class="term" popovertarget="term-kl">KL</button> in the text</p>' in html
    only_folded = marked('<details class="deeper"><summary>More</summary><p>the KL here</p></details>', KL)
    assert '<p>the <button type="button" class="term" popovertarget="term-kl">KL</button> here</p>' in only_folded
