"""Browser fixtures: the fixture site (built once per session, tests/conftest.py), opened in Chromium.

Every browser test runs over file:// (how students open the zip); tests marked `http_smoke` also
run over a loopback HTTP server (how GitHub Pages serves it), a short smoke set.

Every page is watched: any console error, uncaught exception or request that leaves the site
fails the test. The system Chromium (Debian's `chromium` package) is used when present, else
Playwright's own browser; with neither the run fails and says how to install one.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tests.chromium import CHROMIUM_ARGS, INSTALL_HINT, system_chromium


def pytest_configure(config):
    config.addinivalue_line("markers", "http_smoke: also run this browser test over HTTP, not only file://")


def pytest_generate_tests(metafunc):
    if "base_url" in metafunc.fixturenames:
        schemes = ["file", "http"] if metafunc.definition.get_closest_marker("http_smoke") else ["file"]
        metafunc.parametrize("base_url", schemes, indirect=True)


# Stubs out idle callbacks: the page never finds the browser idle.
NEVER_IDLE = "window.requestIdleCallback = function () { return 0; };"


class QuietBrowser:
    """The launched Chromium, whose new contexts' pages never find the browser idle unless a test
    asks for idle time (`new_context(idle=True, ...)`): a page then draws its first view, the charts a
    test brings into view and those whose controls it moves, not every other chart behind the test's
    back. Idle drawing in the tests that did not need it cost 7.7 s of the browser tests' 67.6 s of
    renderer CPU (measured over tests/browser on two cores), and a test could pass whether or not
    it waited for its chart. The tests of idle drawing (tests/browser/test_lazy.py)
    and of pages that wait for every chart (data-charts-ready) ask for it."""

    def __init__(self, launched):
        self.launched = launched

    def new_context(self, idle: bool = False, **options):
        context = self.launched.new_context(**options)
        if not idle:
            context.add_init_script(NEVER_IDLE)
        return context

    def __getattr__(self, name):
        return getattr(self.launched, name)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        executable = system_chromium()
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            pytest.fail(f"{INSTALL_HINT}\n(launch failed: {str(error).splitlines()[0]})", pytrace=False)
        yield QuietBrowser(launched)
        launched.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def http_base(site_dir):
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def base_url(request, site_dir) -> str:
    if request.param == "file":
        return site_dir.as_uri() + "/"
    return request.getfixturevalue("http_base")


class PageWatch:
    """Problems seen on a page: console errors, uncaught exceptions, requests leaving the site."""

    def __init__(self, page, base: str):
        self.problems: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("request", self.on_request)
        self.base = base

    def on_request(self, request):
        self.requests.append(request.url)
        if not request.url.startswith(self.base):
            self.problems.append(f"request outside the site: {request.url}")


OPEN_ANCESTORS = """element => { for (let node = element.parentElement; node; node = node.parentElement) {
    if (node.tagName === 'DETAILS' && !node.open) { node.open = true; } } }"""


# For each chart in turn: open the folded blocks it sits in, scroll it into view if it is not (as
# Playwright's scroll_into_view_if_needed does), and wait until the page marks it drawn. One call
# into the page for all of them: a round trip from Python per step (open, scroll, wait) cost more
# than the drawing itself (draw_every_chart: 2.0 s -> 0.9 s a page).
WAIT_CHARTS = """async ([ids, timeout]) => {
  for (const id of ids) {
    const chart = document.getElementById(id);
    if (!chart) throw new Error(`no chart #${id} on the page`);
    for (let node = chart.parentElement; node; node = node.parentElement) {
      if (node.tagName === 'DETAILS' && !node.open) node.open = true;
    }
    // At once, as a link or a reduced-motion reader would arrive: a smooth scroll (style.css) would
    // draw the charts it passes on the way and take up to a second a chart.
    const box = chart.getBoundingClientRect();
    if (box.bottom <= 0 || box.top >= innerHeight) chart.scrollIntoView({block: 'center', behavior: 'instant'});
    await new Promise((resolve, reject) => {
      if (chart.hasAttribute('data-rendered')) { resolve(); return; }
      const observer = new MutationObserver(() => {
        if (chart.hasAttribute('data-rendered')) { observer.disconnect(); clearTimeout(timer); resolve(); }
      });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error(`chart #${id} was not drawn within ${timeout} ms of coming into view`));
      }, timeout);
      observer.observe(chart, {attributes: true, attributeFilter: ['data-rendered']});
    });
  }
}"""


def wait_charts(page, *chart_ids: str, timeout: int = 10_000) -> None:
    """Bring each chart into view (charts render lazily), opening the folded blocks it sits in as a
    reader would, and wait until it has drawn."""
    page.evaluate(WAIT_CHARTS, [list(chart_ids), timeout])


def eventually(page, check, seconds: float = 5.0) -> bool:
    """Polls check() every 50 ms until it is true, for what the page does a task or a frame later (a
    hash change, a scroll, the clipboard); the caller then asserts, with its own message. (The
    page's CSP forbids wait_for_function's eval.)"""
    for _ in range(int(seconds / 0.05)):
        if check():
            return True
        page.wait_for_timeout(50)
    return check()


def open_folds(page) -> None:
    """Open every "Go deeper" block, as a reader clicking each one would."""
    page.evaluate("document.querySelectorAll('details.deeper').forEach(d => { d.open = true; })")


def draw_every_chart(page, timeout: int = 10_000) -> None:
    """Open every folded block and bring every chart into view until it has drawn."""
    open_folds(page)
    wait_charts(page, *page.evaluate("Array.from(document.querySelectorAll('[data-chart]'), c => c.id)"),
                timeout=timeout)


@pytest.fixture(scope="session")
def reader_context(browser):
    """One browser context for every `open_page` test: each test gets its own pages, closed when it
    ends; the page keeps no state outside itself (no storage, cookies or permissions), so sharing
    the context only saves starting one per test."""
    # Reduced motion: the page scrolls instantly (style.css), so a test reads where a link or a
    # control really lands, not a point along a smooth scroll.
    # No idle time (QuietBrowser): a page renders the first view, then only the charts a test brings
    # into view or whose controls it moves.
    context = browser.new_context(viewport={"width": 1100, "height": 900}, reduced_motion="reduce")
    yield context
    context.close()


@pytest.fixture
def open_page(reader_context, base_url):
    """Open the built page (optionally with a #fragment) and wait until the charts of the first view
    have rendered and the whole page is laid out (data-laid-out: before it, text out of view has no
    innerText). Charts further down render when near the view: `wait_charts` brings one there and
    waits for it."""
    pages: list = []

    def open_(fragment: str = ""):
        page = reader_context.new_page()
        page.watch = PageWatch(page, base_url)
        pages.append(page)
        page.goto(base_url + "index.html" + fragment)
        page.wait_for_selector("html[data-laid-out]", state="attached", timeout=20_000)
        return page

    yield open_
    for page in pages:
        page.close()
    problems = [problem for page in pages for problem in page.watch.problems]
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def default_page(reader_context, site_dir):
    """The page as loaded, over file://, shared by the tests that only read it (they may bring
    charts into view, open folds or point at a chart, never move a control or navigate): one load
    per test process instead of one per test. A test that changes what the page shows, or needs
    the view as loaded, opens its own with `open_page`."""
    base = site_dir.as_uri() + "/"
    page = reader_context.new_page()
    page.watch = PageWatch(page, base)
    page.goto(base + "index.html")
    page.wait_for_selector("html[data-laid-out]", state="attached", timeout=20_000)
    yield page
    page.close()
    assert not page.watch.problems, "\n".join(page.watch.problems)
