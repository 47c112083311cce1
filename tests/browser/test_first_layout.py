"""The first layout: what a reader cannot see waits until the first view is painted, and a link's
target stays where the link put it while the page settles around it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PageWatch

# Recorded when data-first-view-ready appears (before the first view is painted): each section's id
# and whether its heading is left out of the layout, whether vega-tooltip's stylesheet is in the
# page, and whether the page is laid out.
AT_FIRST_VIEW = """new MutationObserver((changes, observer) => {
  const root = document.documentElement;
  if (!root.hasAttribute("data-first-view-ready")) return;
  observer.disconnect();
  const skipped = (node) => Boolean(node) && !node.checkVisibility({contentVisibilityAuto: true});
  window.__firstLayout = {
    sections: Array.from(document.querySelectorAll("main > section"), (s) => [s.id, skipped(s.firstElementChild)]),
    tooltipStyle: Boolean(document.getElementById("vega-tooltip-style")),
    laidOut: root.hasAttribute("data-laid-out"),
  };
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-first-view-ready"]});"""

# Where the element a link names is, from the top of the viewport, once the first view is ready.
TARGET_TOP = """new MutationObserver((changes, observer) => {
  if (!document.documentElement.hasAttribute("data-first-view-ready")) return;
  observer.disconnect();
  window.__targetTop = document.getElementById(window.__target).getBoundingClientRect().top;
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-first-view-ready"]});"""

# The sections whose heading is left out of the layout now.
SKIPPED_NOW = """() => Array.from(document.querySelectorAll("main > section"))
    .filter((section) => !section.firstElementChild.checkVisibility({contentVisibilityAuto: true}))
    .map((section) => section.id)"""


def open_link(browser, site_dir, fragment: str, script: str, idle: bool, target: str = ""):
    """(context, page, watch) at `fragment`'s first view, with the init script `script` recording what
    the test reads (`window.__target` names the element `target`)."""
    base = site_dir.as_uri() + "/"
    context = browser.new_context(idle=idle, viewport={"width": 1100, "height": 900}, reduced_motion="reduce")
    context.add_init_script(f"window.__target = {target!r};\n{script}")
    page = context.new_page()
    watch = PageWatch(page, base)
    page.goto(base + "index.html" + fragment)
    page.wait_for_selector("html[data-first-view-ready]", state="attached", timeout=20_000)
    return context, page, watch


def test_until_the_first_view_is_painted_only_what_the_reader_sees_is_laid_out(browser, site_dir):
    """At a link into a section, the sections away from it are left out of the layout until the first
    view has been painted (style.css); then the whole page is laid out, and nothing is left out.
    vega-tooltip's handler adds no stylesheet, which would restyle the whole page (site.js,
    tooltipHandler)."""
    context, page, watch = open_link(browser, site_dir, "#hardware", AT_FIRST_VIEW, idle=False)
    first = page.evaluate("window.__firstLayout")
    sections = dict(first["sections"])
    ids = list(sections)
    linked = ids.index("hardware")
    # Every section above the link (the early loader's style: the browser's first layout, at the top
    # of the page, laid out the first two), and those below but the linked one's neighbour, which the
    # browser may lay out as near the view.
    far = ids[:linked] + ids[linked + 2:]
    assert not sections["hardware"] and len(far) >= 6 and all(sections[section] for section in far), first["sections"]
    assert not first["laidOut"]

    page.wait_for_selector("html[data-laid-out]", state="attached", timeout=5_000)
    assert page.evaluate(SKIPPED_NOW) == []
    # vega-tooltip adds no stylesheet of its own, before the first view or after (style.css has its style)
    assert not first["tooltipStyle"] and not page.evaluate("document.getElementById('vega-tooltip-style')")
    context.close()
    assert watch.problems == []


@pytest.mark.parametrize("fragment, target", [("#lab", "lab"), ("#hardware?roofline-device=jetson_nano",
                                                                  "roofline-explorer")])
def test_a_link_keeps_its_place_while_the_charts_above_it_draw(browser, site_dir, fragment, target):
    """The section (or, at a link with settings, the figure) a link names stays where the link put it
    while the page lays out and every chart above it draws at its own height. The browser's scroll
    anchoring alone let the lab's heading slide 255 px down (site.js, keepPlace)."""
    context, page, watch = open_link(browser, site_dir, fragment, TARGET_TOP, idle=True, target=target)
    page.wait_for_selector("html[data-charts-ready]", state="attached", timeout=30_000)
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    at_first_view = page.evaluate("window.__targetTop")
    now = page.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top", target)
    assert abs(at_first_view) < 2 and abs(now - at_first_view) < 2, (at_first_view, now)
    context.close()
    assert watch.problems == []


def test_a_link_lets_go_once_the_page_is_scrolled(browser, site_dir):
    """Scrolled by anything else (the reader, a script, assistive technology moving focus), the page
    stays where it was scrolled to while the charts above go on drawing."""
    context, page, watch = open_link(browser, site_dir, "#lab", TARGET_TOP, idle=True, target="lab")
    page.evaluate("window.scrollBy({left: 0, top: -1200, behavior: 'instant'})")
    top = "document.getElementById('lab').getBoundingClientRect().top"
    page.wait_for_selector("html[data-charts-ready]", state="attached", timeout=30_000)
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.evaluate(top) > 1000
    context.close()
    assert watch.problems == []
