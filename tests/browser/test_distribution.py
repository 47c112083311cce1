"""The hand-outs in a real browser: the unzipped archive and the lone single-file page, offline."""

import zipfile

import pytest

from tests.browser.conftest import PageWatch, draw_every_chart
from tests.helpers import CACHE, PROJECT, temperature_grid
from kdsite.build.pipeline import BuildOptions, build_site


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handouts")
    build_site(BuildOptions(PROJECT, folder / "site", cache_dir=CACHE, zip=True), report=lambda line: None)
    with zipfile.ZipFile(folder / "site.zip") as bundle:
        bundle.extractall(folder / "unzipped")
    build_site(BuildOptions(PROJECT, folder / "single", cache_dir=CACHE, single_file=True), report=lambda line: None)
    alone = folder / "alone"
    alone.mkdir()
    (alone / "explainer.html").write_bytes((folder / "single" / "index.html").read_bytes())
    return folder / "unzipped" / "kd-explainer" / "index.html", alone / "explainer.html"


def check_offline_page(browser, path, allowed_prefix: str, copy_tag: str) -> PageWatch:
    context = browser.new_context(idle=True, offline=True)  # every chart draws, in idle time
    page = context.new_page()
    watch = PageWatch(page, allowed_prefix)
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-charts-ready]", timeout=30_000)
    # Printed now, each chart still waiting in a closed fold prints its static copy: a file in the
    # archive, inline SVG in the single file (whose page may fetch nothing, not even to print).
    undrawn = page.eval_on_selector_all("[data-chart]:not([data-rendered])", "ns => ns.map(n => n.id)")
    assert undrawn
    page.wait_for_function("""() => Array.from(document.querySelectorAll('[data-chart]:not([data-rendered]) + img.print-copy'))
        .every(image => image.complete && image.naturalWidth > 0)""")
    page.emulate_media(media="print")
    copies = page.evaluate("""(ids) => { dispatchEvent(new Event('beforeprint'));  // laid out at once, as for print
        return ids.map(id => { const copy = document.querySelector(`#${id} + .print-copy`);
          const box = copy ? copy.getBoundingClientRect() : {width: 0, height: 0};
          const tag = !copy ? null : copy.tagName === 'IMG' ? 'img' : copy.querySelector('svg') ? 'svg' : copy.tagName;
          return {id, tag, width: box.width, height: box.height}; }); }""",
                           undrawn)
    assert {copy["tag"] for copy in copies} == {copy_tag}
    assert all(copy["width"] > 100 and copy["height"] > 100 for copy in copies), copies
    page.emulate_media(media="screen")
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    draw_every_chart(page)
    charts = page.locator(".chart")
    assert charts.count() >= 7
    assert page.locator(".chart[data-rendered] svg").count() == charts.count()
    slider = page.locator("#temperature-slider")
    slider.focus()
    page.keyboard.press("End")
    grid = temperature_grid()
    page.wait_for_selector(f'#temperature-bars[data-rendered-value="{len(grid) - 1}"]')
    assert page.locator("#temperature-explorer [data-field='temperature_label']").text_content() == f"{grid[-1]:g}"
    context.close()
    return watch


def test_unzipped_archive_works_from_file_offline(browser, handouts):
    index, _ = handouts
    watch = check_offline_page(browser, index, index.parent.as_uri() + "/", "img")
    assert watch.problems == []


def test_single_file_alone_makes_no_requests_at_all(browser, handouts):
    _, lone = handouts
    watch = check_offline_page(browser, lone, lone.as_uri(), "svg")
    assert watch.problems == []
    assert watch.requests == [lone.as_uri()]
