"""Lazy chart rendering: charts in view first, then those the reader nears or uses, the rest when idle."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OPEN_ANCESTORS, PageWatch, eventually, wait_charts

# Idle callbacks never come, so only charts in view, near it or used can render.


def rendered(page) -> set[str]:
    return set(page.evaluate("Array.from(document.querySelectorAll('[data-chart][data-rendered]'), c => c.id)"))


# Charts whose box meets the viewport. Chromium gives a chart inside a closed <details> a box where
# it would be, though a reader sees nothing of it: `folded=False` keeps the charts a reader can see.
BOXED_IN_VIEW = """(folded) => Array.from(document.querySelectorAll('[data-chart]')).filter((chart) => {
    const box = chart.getBoundingClientRect();
    return box.bottom > 0 && box.top < innerHeight && box.height > 0
        && Boolean(chart.closest('details:not([open])')) === folded; }).map((chart) => chart.id)"""


def in_view(page) -> set[str]:
    return set(page.evaluate(BOXED_IN_VIEW, False))


@pytest.fixture
def lazy_page(browser, base_url):
    """A page whose browser is never idle; yields an opener taking a #fragment."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, reduced_motion="reduce")
    watches: list[PageWatch] = []

    def open_(fragment: str = ""):
        page = context.new_page()
        watches.append(PageWatch(page, base_url))
        page.goto(base_url + "index.html" + fragment)
        page.wait_for_selector("html[data-first-view-ready]", state="attached", timeout=20_000)
        return page

    yield open_
    context.close()
    problems = [problem for watch in watches for problem in watch.problems]
    assert not problems, "\n".join(problems)


def wait_rendered(page, chart_ids: set[str], seconds: float = 10.0) -> set[str]:
    eventually(page, lambda: chart_ids <= rendered(page), seconds)
    return chart_ids - rendered(page)


def settle(page) -> None:
    """A barrier instead of a sleep: every chart in view has drawn and two more frames have passed,
    so anything the scroll or the first view scheduled has run before a "not drawn" assertion."""
    assert wait_rendered(page, in_view(page)) == set()
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_first_view_ready_means_every_chart_in_view_is_rendered(lazy_page):
    """Every chart a reader sees is drawn, and none in a closed block: at #hardware the closed block
    above it holds a chart whose box lies in the viewport (drawing it cost that link's first view
    a second chart no one sees)."""
    for fragment in ("", "#temperature", "#hardware", "#lab-soft-labels"):
        page = lazy_page(fragment)
        assert in_view(page) <= rendered(page), fragment
        folded = set(page.evaluate(BOXED_IN_VIEW, True))
        assert not folded & rendered(page), fragment
        if fragment == "#hardware":
            assert "gradient-scaling" in folded  # the case is there to test
        page.close()


def test_far_charts_wait_until_the_reader_comes_near(lazy_page):
    page = lazy_page("#temperature")
    settle(page)
    assert "lab-digit-5" not in rendered(page)
    assert not page.evaluate("document.documentElement.hasAttribute('data-charts-ready')")
    page.locator("#lab-digit-5").scroll_into_view_if_needed()
    assert wait_rendered(page, {"lab-digit-5"}) == set()


def test_using_a_control_renders_its_charts_and_shows_the_chosen_value(lazy_page):
    page = lazy_page()
    settle(page)
    assert "lab-grid" not in rendered(page)
    # Set through the DOM, as a reader's script or assistive technology may, without scrolling there.
    value = page.evaluate("""() => { const slider = document.getElementById('lab-alpha');
        slider.value = slider.min; slider.dispatchEvent(new Event('input', {bubbles: true}));
        return Number(slider.value); }""")
    assert wait_rendered(page, {"lab-losses", "lab-accuracy"}) == set()
    # The grid sits in a closed "Go deeper" block, with no width to draw at: it draws when the
    # block opens, at the value the control already holds.
    settle(page)
    assert "lab-grid" not in rendered(page)
    page.locator("#lab-grid").evaluate(OPEN_ANCESTORS)
    assert wait_rendered(page, {"lab-grid"}) == set()
    assert page.evaluate("window.kdsite.views['lab-grid'].then(v => v.signal('alpha'))") == value
    assert value != page.evaluate("Number(document.getElementById('lab-alpha').defaultValue)")


# The page's last chart brought to the bottom of the viewport: the charts in view and those near it
# above the view are promoted together (by the IntersectionObserver, in page order). As the first
# of them is drawn, the reader leaves for the top of the page. Returns the charts that were in view
# and near, and the first drawn; the page goes on recording what it draws in window.__drawn.
JUMP_TO_THE_END_AND_BACK = """async () => {
  const charts = Array.from(document.querySelectorAll('[data-chart]'));
  const last = charts[charts.length - 1];
  const visible = chart => { const b = chart.getBoundingClientRect(); return b.bottom > 0 && b.top < innerHeight; };
  window.scrollTo(0, scrollY + last.getBoundingClientRect().bottom - innerHeight);
  const waiting = charts.filter(chart => !chart.hasAttribute('data-rendered') && !chart.closest('details:not([open])'));
  const inView = waiting.filter(visible).map(chart => chart.id);
  const near = waiting.filter(chart => !visible(chart) && chart.getBoundingClientRect().bottom > -innerHeight)
                      .map(chart => chart.id);
  window.__drawn = [];
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('nothing drawn after the jump')), 10000);
    new MutationObserver(records => records.forEach(record => {
      if (!record.target.hasAttribute('data-rendered')) return;
      window.__drawn.push(record.target.id);
      if (window.__drawn.length === 1) {
        window.scrollTo(0, 0);
        clearTimeout(timer);
        resolve({inView, near, first: record.target.id});
      }
    })).observe(document.body, {attributes: true, attributeFilter: ['data-rendered'], subtree: true});
  });
}"""


def test_charts_in_view_draw_first_and_charts_scrolled_past_wait(lazy_page):
    """Charts promoted together draw those in the viewport first; charts promoted near the view but
    left before their turn wait (for idle time, or the reader's return) instead of delaying the
    charts where the reader is now. Under a plain queue a smooth scroll to a far section drew every
    chart it passed before the section's own."""
    page = lazy_page("#temperature")
    settle(page)
    jump = page.evaluate(JUMP_TO_THE_END_AND_BACK)
    assert len(jump["inView"]) >= 2 and jump["near"], jump  # the case is there to test
    assert jump["first"] in jump["inView"], jump
    left = set(jump["inView"] + jump["near"]) - {jump["first"]}
    settle(page)  # at the top: its charts in view drawn, then two more frames
    drawn_since = page.evaluate("window.__drawn")[1:]
    assert in_view(page) <= rendered(page)
    # At most the two already on their way (the next turn is taken on a timer, which may run before
    # the observer reports the charts out of range): not the rest.
    assert len(left) >= 5 and len(left & set(drawn_since)) <= 2, (sorted(left), drawn_since)


def test_without_idle_time_charts_still_all_render_once_each_is_scrolled_to(lazy_page):
    page = lazy_page()
    for chart in page.evaluate("Array.from(document.querySelectorAll('[data-chart]'), c => c.id)"):
        page.locator(f"#{chart}").evaluate(OPEN_ANCESTORS)
        page.locator(f"#{chart}").scroll_into_view_if_needed()
    page.wait_for_selector("html[data-charts-ready]", state="attached", timeout=20_000)
    assert page.evaluate("document.querySelectorAll('[data-chart]:not([data-rendered])').length") == 0


TABLE_ROWS = """(chartId) => Array.from(
    document.querySelectorAll(`table[data-table-for="${chartId}"] tbody tr`),
    (row) => Array.from(row.cells, (cell) => cell.textContent))"""
STATIC_ROWS = """(chartId) => { const holder = document.createElement('div');
    holder.innerHTML = document.querySelector(`#${chartId}`).closest('figure')
        .querySelector('details.data-table noscript').textContent;
    return Array.from(holder.querySelectorAll('tbody tr'), (row) => Array.from(row.cells, (cell) => cell.textContent)); }"""


def test_data_tables_enter_the_page_only_when_opened(lazy_page):
    """The static tables wait in <noscript> (no cells in the DOM); opened, a drawn chart's table lists
    its marks (at the chart's defaults, the build's static rows) and an undrawn chart's shows the static rows."""
    page = lazy_page("#temperature")
    settle(page)
    assert page.evaluate("document.querySelectorAll('details.data-table td').length") == 0
    drawn, far = "temperature-bars", "lab-digit-5"
    assert drawn in rendered(page) and far not in rendered(page)
    static = page.evaluate(STATIC_ROWS, drawn)
    assert len(static) >= 3
    page.locator(f"#{drawn}").evaluate("(c) => c.closest('figure').querySelector('details.data-table summary').click()")
    assert page.evaluate(TABLE_ROWS, drawn) == static
    far_static = page.evaluate(STATIC_ROWS, far)
    page.locator(f"#{far}").evaluate("(c) => c.closest('figure').querySelector('details.data-table').open = true")
    page.wait_for_selector(f'table[data-table-for="{far}"]', state="attached")
    assert far not in rendered(page)
    assert page.evaluate(TABLE_ROWS, far) == far_static and len(far_static) >= 3


def test_the_runtime_loads_only_when_a_chart_is_about_to_be_drawn(browser, site_dir):
    """Above the charts (the top of the page on a phone) the first view neither fetches nor runs Vega;
    scrolling to a chart fetches it once and draws."""
    base = site_dir.as_uri() + "/"
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  reduced_motion="reduce")
    page = context.new_page()
    watch = PageWatch(page, base)
    page.goto(base + "index.html")
    page.wait_for_selector("html[data-first-view-ready]", state="attached", timeout=20_000)
    assert in_view(page) == set()
    settle(page)
    runtime = [url for url in watch.requests if "vega-runtime" in url]
    assert runtime == [] and page.evaluate("typeof window.vega") == "undefined"
    page.locator("#temperature-bars").scroll_into_view_if_needed()
    assert wait_rendered(page, {"temperature-bars"}) == set()
    assert len([url for url in watch.requests if "vega-runtime" in url]) == 1
    assert page.evaluate("window.vega.version") == page.evaluate(
        "document.documentElement.getAttribute('data-runtime')").split("-vega")[-1].removesuffix(".js")
    context.close()
    assert watch.problems == []


SPEC_FILES = "(ids) => ids.map((id) => document.getElementById(id).getAttribute('data-chart'))"
# At the first view: the spec files the page has asked for so far and the charts drawn (after it,
# charts near the view start to draw, and ask for theirs).
AT_FIRST_VIEW = """new MutationObserver((changes, observer) => {
  if (!document.documentElement.hasAttribute("data-first-view-ready")) return;
  observer.disconnect();
  window.__atFirstView = {
    requested: Array.from(document.querySelectorAll("script[src]"), (script) => script.getAttribute("src"))
      .filter((source) => source.startsWith("assets/specs/") || source.includes("vega-runtime")),
    drawn: Array.from(document.querySelectorAll("[data-chart][data-rendered]"), (chart) => chart.id)};
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-first-view-ready"]});"""


def open_never_idle(browser, site_dir, fragment: str, watcher: str, width: int = 1100):
    """(context, page, watch) for a link to `fragment` at its first view, in a browser that is never
    idle, with the init script `watcher` recording what the test reads."""
    base = site_dir.as_uri() + "/"
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    context.add_init_script(watcher)
    page = context.new_page()
    watch = PageWatch(page, base)
    page.goto(base + "index.html" + fragment)
    page.wait_for_selector("html[data-first-view-ready]", state="attached", timeout=20_000)
    return context, page, watch


def open_at_first_view(browser, site_dir, fragment: str):
    """(context, page, watch, what the page had asked for and drawn at its first view) for a link to
    `fragment`, in a browser that is never idle."""
    context, page, watch = open_never_idle(browser, site_dir, fragment, AT_FIRST_VIEW)
    return context, page, watch, page.evaluate("window.__atFirstView")


def test_a_first_view_loads_only_the_spec_files_of_the_charts_it_draws(browser, site_dir):
    """The page holds no chart's spec: a link into a section fetches that section's spec file (one
    file for all its charts) and no other; a chart of another section fetches its own when drawn."""
    context, page, watch, first = open_at_first_view(browser, site_dir, "#temperature")
    assert "temperature-bars" in first["drawn"]
    temperature_file = page.evaluate(SPEC_FILES, ["temperature-bars"])[0]
    assert sorted(set(page.evaluate(SPEC_FILES, first["drawn"]))) == [temperature_file]
    assert [source for source in first["requested"] if "vega-runtime" not in source] == [temperature_file]
    every_file = set(page.evaluate(SPEC_FILES, page.evaluate(
        "Array.from(document.querySelectorAll('[data-chart]'), c => c.id)")))
    assert len(every_file) >= 5
    # The page itself carries no compiled spec, only the tables its controls read.
    assert page.evaluate("document.querySelectorAll('script[type=\"application/json\"][id$=\"-spec\"]').length") == 0

    def fetched(source: str) -> int:
        return watch.requests.count(site_dir.as_uri() + "/" + source)

    settle(page)
    wait_charts(page, "lab-losses")
    lab_file = page.evaluate(SPEC_FILES, ["lab-losses"])[0]
    assert fetched(lab_file) == 1 and fetched(temperature_file) == 1
    # its section's other charts are then drawn from the file already loaded
    wait_charts(page, "lab-grid")
    assert page.evaluate(SPEC_FILES, ["lab-grid"]) == [lab_file] and fetched(lab_file) == 1
    context.close()
    assert watch.problems == []


def test_a_link_to_a_section_showing_a_chart_loads_the_runtime_and_its_specs_ahead(browser, site_dir):
    """A link into a section holding a chart outside closed blocks starts loading the runtime and the
    section's spec file before the page's first layout, whether or not the chart lands in view: at
    #lab none is in view at the first view, yet both have been asked for."""
    context, page, watch, first = open_at_first_view(browser, site_dir, "#lab")
    assert first["drawn"] == []
    runtime = page.evaluate("document.documentElement.getAttribute('data-runtime')")
    section_file = page.evaluate("document.querySelector('#lab [data-chart]').getAttribute('data-chart')")
    assert first["requested"] == [runtime, section_file]
    context.close()
    assert watch.problems == []


# Each script element added to the page, with the document's readyState at that moment and whether
# it is deferred; and whether the runtime had run when DOMContentLoaded began (before site.js's handler).
SCRIPTS_ADDED = """window.__added = [];
new MutationObserver((records) => records.forEach((record) => record.addedNodes.forEach((node) => {
  if (node.tagName === 'SCRIPT' && node.getAttribute('src')) {
    window.__added.push([node.getAttribute('src'), document.readyState, node.defer]);
  }
}))).observe(document, {childList: true, subtree: true});
document.addEventListener('DOMContentLoaded', () => { window.__vegaAtDcl = !!window.vega; }, {capture: true});"""


@pytest.mark.parametrize("fragment, early, width", [
    ("#temperature", True, 1100), ("#temperature?temperature-slider=4", True, 800), ("#lab", True, 1100),
    ("#temperature", False, 375),  # a phone: its charts start below the first screen
    ("", False, 1100), ("#temperature-explorer", False, 1100),  # the top; a figure's id (site.js's loadAhead)
    ("#__proto__", False, 1100), ("#constructor", False, 1100), ("#%", False, 1100), ("#hasOwnProperty", False, 1100)])
def test_a_link_to_a_section_asks_for_the_runtime_while_the_page_is_still_parsed(browser, site_dir, fragment,
                                                                                   early, width):
    """The early loader at the top of the head (kdsite/page/early_loader.py) asks for the runtime and
    the section's spec file before the page is parsed, for an address naming a section that shows a
    chart on a screen at least 48em wide, and for nothing else (addresses that name an object's own
    properties included); either way each file is asked for once, and the page complains of nothing.
    They are deferred scripts, so the runtime has run when the page is parsed, before site.js starts."""
    context, page, watch = open_never_idle(browser, site_dir, fragment, SCRIPTS_ADDED, width)
    runtime = page.evaluate("document.documentElement.getAttribute('data-runtime')")
    added = [entry for entry in page.evaluate("window.__added")
             if entry[0] == runtime or entry[0].startswith("assets/specs/")]
    while_parsing = [(source, deferred) for source, state, deferred in added if state == "loading"]
    if early:
        section = fragment[1:].split("?")[0]
        section_file = page.evaluate(f"document.querySelector('#{section} [data-chart]').getAttribute('data-chart')")
        assert while_parsing == [(runtime, True), (section_file, True)]
    else:
        assert while_parsing == []
    assert page.evaluate("window.__vegaAtDcl") is early
    sources = [source for source, _, _ in added]
    assert len(sources) == len(set(sources))  # site.js did not ask again for what the early loader wrote
    context.close()
    assert watch.problems == []


# Idle callbacks wait in window.__idle until the test runs them.
IDLE_BY_HAND = """window.__idle = [];
window.requestIdleCallback = function (callback) { window.__idle.push(callback); return window.__idle.length; };"""
RUN_IDLE = """() => {
  const queued = window.__idle.splice(0);
  queued.forEach((callback) => callback({didTimeout: false, timeRemaining: () => 50}));
  const asked = Array.from(document.querySelectorAll("script[src]"), (script) => script.getAttribute("src"))
    .filter((source) => source.startsWith("assets/specs/"));
  const shown = Array.from(document.querySelectorAll("[data-chart]"))
    .filter((chart) => !chart.closest("details:not([open])")).map((chart) => chart.getAttribute("data-chart"));
  return {asked: asked.sort(), shown: Array.from(new Set(shown)).sort(), charts: shown.length,
          drawn: document.querySelectorAll("[data-chart][data-rendered]").length};
}"""


def test_once_idle_the_spec_files_of_every_waiting_chart_are_asked_for_at_once(browser, site_dir):
    """The first idle moment asks for every spec file a waiting chart (outside closed blocks) needs,
    before those charts draw one at a time, so no section's file waits for the previous chart."""
    base = site_dir.as_uri() + "/"
    context = browser.new_context(idle=True, viewport={"width": 1100, "height": 900}, reduced_motion="reduce")
    context.add_init_script(IDLE_BY_HAND)
    page = context.new_page()
    watch = PageWatch(page, base)
    page.goto(base + "index.html")
    page.wait_for_selector("html[data-first-view-ready]", state="attached", timeout=20_000)
    settle(page)  # the charts near the view (promoted, not idle) have drawn and asked for their files
    idle = page.evaluate(RUN_IDLE)
    assert len(idle["shown"]) >= 5 and idle["asked"] == idle["shown"]
    assert idle["drawn"] <= 2 < idle["charts"]
    page.wait_for_function(f"() => document.querySelectorAll('[data-chart][data-rendered]').length > {idle['drawn']}")
    context.close()
    assert watch.problems == []


# Open the block holding `id`, so the page takes the chart in hand (a task after the toggle); with
# `close`, close it again at once, before the chart's files have loaded, as printing does (it opens
# every block, then closes them). Resolves once the runtime and the chart's spec have loaded, and a
# frame later.
# The charts within a screen of the first view render one at a time once it is ready; the next
# chart promoted (a block opening) waits for the one being drawn. A test that opens and closes a
# block to catch its chart loading first waits for them, or the chart's turn could come only after
# the block closed again (it is then rightly never loaded).
NEAR_CHARTS_DRAWN = """async () => {
  const near = [...document.querySelectorAll('[data-chart]')].filter(chart =>
    !chart.closest('details:not([open])') && chart.getBoundingClientRect().top < 2 * innerHeight);
  for (let waited = 0; near.some(chart => !chart.hasAttribute('data-rendered')); waited += 10) {
    if (waited > 10000) throw new Error('the charts near the first view were not drawn');
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  await new Promise(resolve => setTimeout(resolve, 0));
}"""

OPEN_AND_LOAD = """async ([id, close]) => {
  const chart = document.getElementById(id), block = chart.closest('details');
  const toggled = new Promise(resolve => block.addEventListener('toggle', resolve, {once: true}));
  block.open = true;
  await toggled;
  await new Promise(resolve => setTimeout(resolve, 0));
  if (close) block.open = false;
  const loaded = () => window.vega && (window.kdsiteSpecs || {})[id] !== undefined;
  for (let waited = 0; !loaded(); waited += 10) {
    if (waited > 10000) throw new Error(`the runtime or the spec of #${id} did not load`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 50)));
}"""


@pytest.mark.parametrize("hidden_by", ["its block closing", "printing"])
def test_a_chart_hidden_while_it_loads_is_drawn_when_shown_again(lazy_page, hidden_by):
    """Not drawn while its block is closed or the page prints (where a chart not drawn is hidden for
    its static copy): it would have no width. Shown again, it is drawn at its full width."""
    page = lazy_page()
    assert page.evaluate("Boolean(document.getElementById('lab-grid').closest('details:not([open])'))")
    page.evaluate(NEAR_CHARTS_DRAWN)
    if hidden_by == "printing":
        page.emulate_media(media="print")
    page.evaluate(OPEN_AND_LOAD, ["lab-grid", hidden_by == "its block closing"])
    assert "lab-grid" not in rendered(page)
    page.emulate_media(media="screen")
    wait_charts(page, "lab-grid")
    width = page.evaluate("document.querySelector('#lab-grid svg').getBoundingClientRect().width")
    assert width > 0.8 * page.evaluate("document.getElementById('lab-grid').clientWidth") > 100
