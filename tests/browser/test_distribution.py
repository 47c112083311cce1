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


def check_offline_page(browser, path, allowed_prefix: str) -> PageWatch:
    context = browser.new_context(offline=True)
    page = context.new_page()
    watch = PageWatch(page, allowed_prefix)
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-charts-ready]", timeout=30_000)
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
    watch = check_offline_page(browser, index, index.parent.as_uri() + "/")
    assert watch.problems == []


def test_single_file_alone_makes_no_requests_at_all(browser, handouts):
    _, lone = handouts
    watch = check_offline_page(browser, lone, lone.as_uri())
    assert watch.problems == []
    assert watch.requests == [lone.as_uri()]
