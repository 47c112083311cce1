"""Navigation that tells the reader where they are: the contents mark the current section and the
progress, headings and figures link to themselves, a settings link lands on its figure, a figure's
view can be copied, citations open in a popover, and on a phone the bar covers no heading."""

from __future__ import annotations

import pytest

from kdsite.content.load import load_content
from tests.browser.conftest import PageWatch, eventually
from tests.helpers import FIXTURE_CONTENT, temperature_grid

SECTIONS = [section.id for section in load_content(FIXTURE_CONTENT).sections]  # in page order


def box(page, selector: str) -> dict:
    return page.eval_on_selector(selector, "node => node.getBoundingClientRect().toJSON()")


def wait_current(page, href: str) -> str:
    """Waits until the contents mark `href` as current; returns the bar's "n / N"."""
    current = "(document.querySelector('.toc a[aria-current=\"true\"]') || {}).hash"
    eventually(page, lambda: page.evaluate(current) == href, 3.0)  # IntersectionObserver: a frame or two later
    assert page.locator('.toc a[aria-current="true"]').get_attribute("href") == href
    return page.locator(".toc-count").text_content()


def test_the_contents_mark_the_section_scrolled_to_and_the_progress(open_page):
    page = open_page()
    assert wait_current(page, "#why") == f"1 / {len(SECTIONS)}"  # the first section starts under the header
    for number, section in ((3, "temperature"), (6, "lab"), (2, "labels")):
        page.evaluate(f"document.getElementById('{section}').scrollIntoView({{behavior: 'instant'}}); "
                      "window.scrollBy({top: 200, behavior: 'instant'})")
        assert wait_current(page, f"#{section}") == f"{number} / {len(SECTIONS)}"
        assert page.locator('.toc a[aria-current="true"]').count() == 1
        fill = page.eval_on_selector(".toc-progress-fill", "node => node.style.transform")
        assert fill.startswith("scaleX(") and float(fill[7:-1]) == pytest.approx(number / len(SECTIONS))
    # the current link looks different: bold, with the accent bar beside it on a wide screen
    weights = page.eval_on_selector_all(".toc a", "links => links.map(l => getComputedStyle(l).fontWeight)")
    assert weights[1] == "700" and set(weights[:1] + weights[2:]) == {"400"}


def test_the_contents_stay_beside_the_text_on_a_wide_screen_and_leave_print(open_page):
    page = open_page("#hardware")
    nav, main = box(page, ".toc-nav"), box(page, "main")
    assert nav["right"] <= main["left"] and nav["top"] >= 0 and nav["top"] < 50  # sticky, in view, beside
    assert page.locator(".toc-toggle").is_hidden()
    assert page.locator(".toc").is_visible()
    page.emulate_media(reduced_motion="reduce")
    assert page.eval_on_selector(".toc-progress-fill", "n => getComputedStyle(n).transitionDuration") == "0s"
    page.emulate_media(media="print")
    assert page.locator(".toc-nav").is_hidden() and page.locator(".figure-tools").first.is_hidden()
    assert page.locator(".heading-link").first.is_hidden()


def test_tab_reaches_a_headings_link_which_shows_on_focus(open_page):
    page = open_page("#temperature")
    heading = page.locator("#temperature-why-temperature-matters")
    assert heading.evaluate("h => h.tagName") == "H3"
    link = heading.locator("a.heading-link")
    assert link.get_attribute("href") == "#temperature-why-temperature-matters"
    assert link.get_attribute("aria-label") == "Link to this part: Why temperature matters"
    assert link.evaluate("a => getComputedStyle(a).opacity") == "0"  # hidden until hover or focus
    # Tab from the section's own heading link until focus reaches it
    page.locator("#temperature-title a").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('heading-link')"):
            break
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#temperature-why-temperature-matters"
    assert link.evaluate("a => getComputedStyle(a).opacity") == "1"
    size = box(page, "#temperature-why-temperature-matters a.heading-link")
    assert size["width"] >= 24 and size["height"] >= 24


def test_every_figure_panel_has_an_id_and_a_named_link_to_itself(default_page):
    page = default_page
    panels = page.eval_on_selector_all(".figure-panel", """panels => panels.map(p => ({
        id: p.id, href: p.querySelector(':scope > .figure-tools > .figure-link').getAttribute('href'),
        name: p.querySelector(':scope > .figure-tools > .figure-link').getAttribute('aria-label')}))""")
    assert len(panels) >= 15
    for panel in panels:
        assert panel["id"] and panel["href"] == "#" + panel["id"]
        assert panel["name"].startswith("Link to this figure: ") and len(panel["name"]) > len("Link to this figure: ")
    page.locator("#roofline-explorer").hover()
    assert page.locator("#roofline-explorer > .figure-tools > .figure-link").evaluate(
        "a => getComputedStyle(a).opacity") == "1"


def test_a_settings_link_lands_on_the_figure_not_the_section_top(open_page):
    page = open_page("#hardware?roofline-device=jetson_orin_nano")
    assert page.locator("#roofline-device").input_value() == "jetson_orin_nano"
    figure, section = box(page, "#roofline-explorer"), box(page, "#hardware")
    assert -2 <= figure["top"] <= 50
    assert section["top"] < -1000  # the section's top is far above: the figure is well into it
    # the same after a hash change on the open page
    page.evaluate("location.hash = '#training?alpha-slider=0.25'")
    eventually(page, lambda: -2 <= box(page, "#loss-weighting")["top"] <= 50)
    assert -2 <= box(page, "#loss-weighting")["top"] <= 50
    assert box(page, "#training")["top"] < -200


def test_copy_link_puts_the_figures_view_on_the_clipboard(browser, site_dir, http_base):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, reduced_motion="reduce",
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    watch = PageWatch(page, http_base)
    page.goto(http_base + "index.html#temperature")
    page.wait_for_selector("html[data-laid-out]", state="attached")
    page.locator("#temperature-slider").fill(str(temperature_grid().index(4.0)))  # the link carries T, not the position
    page.locator("#temperature-slider").dispatch_event("input")
    page.locator("#temperature-explorer .copy-link").click()
    expected = http_base + "index.html#temperature?temperature-slider=4"
    eventually(page, lambda: page.locator("#nav-status").text_content() == "Link copied", 2.0)
    assert page.locator("#nav-status").text_content() == "Link copied"
    assert page.evaluate("navigator.clipboard.readText()") == expected
    # a figure at its defaults copies its own anchor
    page.locator("#label-explorer .copy-link").click()
    anchor = http_base + "index.html#label-explorer"
    eventually(page, lambda: page.evaluate("navigator.clipboard.readText()") == anchor)
    assert page.evaluate("navigator.clipboard.readText()") == anchor
    context.close()
    assert not watch.problems, watch.problems


# For each figure with controls a reader sees: its copy button against its first row of controls,
# whether it covers one of the row's labels (their text, not their box) or controls or the panel's
# "#" link, whether it shares a line with one of them (so it costs no row of its own), and whether it
# stays inside its panel.
COPY_LINK_PLACES = """() => Array.from(document.querySelectorAll('.figure-panel[data-figure]'))
  .filter(panel => panel.checkVisibility() && !panel.closest('details:not([open])'))
  .map(panel => {
    const rect = node => { if (node.tagName !== 'LABEL') return node.getBoundingClientRect();
      const range = document.createRange(); range.selectNodeContents(node); return range.getBoundingClientRect(); };
    const across = (r, s) => Math.min(r.right, s.right) - Math.max(r.left, s.left);
    const down = (r, s) => Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
    const button = panel.querySelector('.copy-link'), row = button.parentElement, b = rect(button);
    const parts = Array.from(row.querySelectorAll('label, input, select, output, .mark, .lab-ticks'));
    const corner = panel.querySelector(':scope > .figure-tools > .figure-link');
    return {figure: panel.id, row: row.className,
            covers: parts.concat([corner]).filter(node => across(rect(node), b) > 0 && down(rect(node), b) > 0)
              .map(node => `${node.tagName.toLowerCase()}#${node.id}`),
            level: parts.some(node => down(rect(node), b) > 0),
            inside: b.left >= rect(panel).left && b.right <= rect(panel).right};
  })"""


@pytest.mark.parametrize("width", [1280, 768, 320])
def test_copy_link_shares_its_figures_first_row_of_controls(browser, site_dir, width):
    """Issue 16: the button closes the figure's first row of controls instead of taking a row of its
    own; on a laptop and a tablet it shares a line with the row's labels or controls, at every width
    it covers none of them nor the "#" link, and stays inside its panel."""
    context = browser.new_context(viewport={"width": width, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    watch = PageWatch(page, site_dir.as_uri() + "/")
    page.goto(site_dir.as_uri() + "/index.html")
    page.wait_for_selector("html[data-laid-out]", state="attached")
    places = page.evaluate(COPY_LINK_PLACES)
    context.close()
    assert {place["figure"] for place in places} >= {"temperature-explorer", "label-explorer", "loss-weighting",
                                                       "roofline-explorer", "lab-curves"}
    for place in places:
        assert "figure-tools" not in place["row"], place  # inside the row of controls, not the tools' row
        assert place["covers"] == [] and place["inside"], place
        if width >= 768:
            assert place["level"], place
    assert watch.problems == []


def test_copy_link_falls_back_to_a_selected_field_where_the_clipboard_is_refused(open_page):
    page = open_page("#labels?label-example=car")
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('refused')); }")
    page.locator("#label-explorer .copy-link").click()
    field = page.locator("#label-explorer .copy-fallback")
    field.wait_for()
    assert field.input_value().endswith("/index.html#labels?label-example=car")
    assert field.input_value().startswith("file://")
    assert field.get_attribute("readonly") is not None
    assert page.evaluate("document.activeElement.classList.contains('copy-fallback')")
    assert page.evaluate("[document.activeElement.selectionStart, document.activeElement.selectionEnd]") == \
        [0, len(field.input_value())]


def test_a_citation_opens_its_reference_by_keyboard_and_escape_closes_it(open_page):
    page = open_page("#why")
    cite = page.locator("main a.cite").first
    reference_id = cite.get_attribute("href")[1:]
    hash_before = page.evaluate("location.hash")
    cite.focus()
    page.keyboard.press("Enter")
    popover = page.locator("#cite-popover")
    popover.wait_for(state="visible")
    assert page.evaluate("document.getElementById('cite-popover').matches(':popover-open')")
    # The list itself is folded, so compare the text, not what is rendered of it.
    words = "n => n.textContent.replace(/\\s+/g, ' ').trim()"
    reference_text = page.locator(f"#{reference_id}").evaluate(words)
    assert popover.locator(".cite-popover-text").evaluate(words) == reference_text
    assert popover.locator("a", has_text="In the reference list").get_attribute("href") == f"#{reference_id}"
    assert page.evaluate("document.activeElement.textContent") == "Back to the text"
    assert page.evaluate("location.hash") == hash_before  # the reader stays where they were
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"#{reference_id}"
    citation = box(page, "main a.cite")
    assert citation["width"] >= 24 and citation["height"] >= 24
    # "Back to the text" closes it too, by touch or click
    cite.click()
    popover.wait_for(state="visible")
    popover.get_by_role("button", name="Back to the text").click()
    popover.wait_for(state="hidden")


def test_on_a_phone_the_bar_covers_no_heading_after_navigating_to_it(browser, base_url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True,
                                  reduced_motion="reduce")
    page = context.new_page()
    watch = PageWatch(page, base_url)
    page.goto(base_url + "index.html")
    page.wait_for_selector("html[data-laid-out]", state="attached")
    assert page.locator(".toc").is_hidden()  # folded into the bar
    toggle = page.get_by_role("button", name="Contents")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.locator(".toc a[href='#training']").click()
    assert page.locator(".toc").is_hidden() and toggle.get_attribute("aria-expanded") == "false"
    eventually(page, lambda: box(page, ".toc-nav")["bottom"] <= box(page, "#training-title")["top"] < 200)
    bar, heading = box(page, ".toc-nav"), box(page, "#training-title")
    assert bar["top"] == 0 and bar["height"] < 70  # a slim bar at the top
    assert heading["top"] >= bar["bottom"]
    assert heading["top"] < 200
    # a subsection's heading too, and its "#" link is always shown where there is no hover
    page.evaluate("location.hash = '#lab-what-the-runs-show'")
    eventually(page, lambda: box(page, "#lab-what-the-runs-show")["top"] >= box(page, ".toc-nav")["bottom"])
    assert box(page, "#lab-what-the-runs-show")["top"] >= box(page, ".toc-nav")["bottom"]
    assert page.locator("#lab-what-the-runs-show .heading-link").evaluate("a => getComputedStyle(a).opacity") == "1"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
    assert not watch.problems, watch.problems
