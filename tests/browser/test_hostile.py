"""Hostile text in a real browser: nothing an author writes runs, navigates away or breaks a chart.

Two attacks, each checked in the built page and in the single-file hand-out (the unzipped archive
holds the same page byte for byte, checked below; tests/browser/test_distribution.py opens the
archive, and the page over HTTP is tests/browser/conftest.py's smoke set):
- YAML strings holding `</script>`, `<!--`, `<script`, `&amp;` and quotes (a class name, a device
  name, a reference title) must show as text while every chart still renders (U+2028, which would
  stop Vega's expression parser, is refused by the YAML loader: tests/test_yamlload.py);
- a script that got into the page past the Markdown sanitizer (simulated by editing the built
  page, since the build refuses every known way in) must be blocked by the page's policy.
"""

from __future__ import annotations

import shutil
import zipfile

import pytest

from kdsite.build.package import single_file_html
from kdsite.build.pipeline import BuildOptions, build_site
from tests.browser.conftest import PageWatch, draw_every_chart, open_folds, wait_charts
from tests.helpers import CACHE, copy_project, edit

PAYLOAD = "</script><script>window.__pwned=1</script><!--<script>&amp;\"'"
YAML_PAYLOAD = '"</script><script>window.__pwned=1</script><!--<script>&amp;\\"\'"'
INJECTIONS = ('<script>window.__pwned = 2</script>',
              '<img src="#" onerror="window.__pwned = 3">',
              '<svg><script>window.__pwned = 4</script></svg>',
              '<div onmouseover="window.__pwned = 5" style="position:fixed;inset:0"></div>')


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Sites built from content with hostile YAML strings, and copies with a script injected."""
    folder = tmp_path_factory.mktemp("hostile")
    project = copy_project(folder / "project")
    content = project / "content"
    edit(content / "examples.yaml", "classes: [cat, dog, fox, car, plane]",
         f"classes: [cat, dog, fox, car, {YAML_PAYLOAD}]")
    edit(content / "examples.yaml", "true_class: plane", f"true_class: {YAML_PAYLOAD}")
    edit(content / "devices/jetson_nano.yaml", "display_name: Jetson Nano", f"display_name: {YAML_PAYLOAD}")
    edit(content / "references.yaml", "title: Distilling the Knowledge in a Neural Network",
         f"title: {YAML_PAYLOAD}")
    build_site(BuildOptions(project, folder / "site", cache_dir=CACHE, zip=True), report=lambda line: None)
    build_site(BuildOptions(project, folder / "single", cache_dir=CACHE, single_file=True),
               report=lambda line: None)
    with zipfile.ZipFile(folder / "site.zip") as bundle:
        bundle.extractall(folder / "unzipped")
    # The same site with scripts written into the page after the build, and the single file and
    # the zip made from that page.
    injected = folder / "injected"
    with zipfile.ZipFile(folder / "site.zip") as bundle:
        bundle.extractall(injected)
    injected_site = injected / "kd-explainer"
    index = injected_site / "index.html"
    page = index.read_text(encoding="utf-8")
    page = page.replace("<main", "".join(INJECTIONS) + "<main", 1)
    index.write_text(page, encoding="utf-8")
    # One file carries one page: without the footer's link to the instructor notes, as the build's own
    # single file is.
    alone = folder / "injected-alone"
    shutil.copytree(injected_site, alone)
    (alone / "index.html").write_text(page.replace('<a href="instructor-notes.html">', "<a>", 1), encoding="utf-8")
    (folder / "injected-single.html").write_text(single_file_html(alone), encoding="utf-8")
    return folder


def open_and_check(browser, url: str, base: str, expect_blocked: bool = False):
    context = browser.new_context(idle=not expect_blocked, offline=url.startswith("file:"))
    page = context.new_page()
    watch = PageWatch(page, base)
    page.goto(url)
    # A blocked script is seen at parse time; hostile strings in chart data need every chart drawn.
    ready = "html[data-first-view-ready]" if expect_blocked else "html[data-charts-ready]"
    page.wait_for_selector(ready, state="attached", timeout=30_000)
    page.mouse.move(200, 200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.url == url
    charts = page.locator(".chart")
    assert charts.count() >= 7
    if not expect_blocked:
        draw_every_chart(page)
        assert page.locator(".chart[data-rendered] svg").count() == charts.count()
    context.close()
    blocked = [p for p in watch.problems if "Content Security Policy" in p or "Content-Security-Policy" in p]
    others = [p for p in watch.problems if p not in blocked]
    assert others == []
    assert bool(blocked) == expect_blocked, watch.problems
    return page


def test_the_archive_holds_the_hostile_page_byte_for_byte(hostile):
    folder = hostile
    site, unzipped = folder / "site", folder / "unzipped/kd-explainer"
    assert (unzipped / "index.html").read_bytes() == (site / "index.html").read_bytes()
    assert sorted(p.name for p in (unzipped / "assets").iterdir()) == sorted(p.name for p in (site / "assets").iterdir())


@pytest.mark.parametrize("where", ["site", "single"])
def test_hostile_yaml_strings_show_as_text_and_every_chart_renders(browser, hostile, where):
    folder = hostile
    url, base = {
        "site": ((folder / "site/index.html").as_uri(), (folder / "site").as_uri() + "/"),
        "single": ((folder / "single/index.html").as_uri(), (folder / "single/index.html").as_uri()),
    }[where]
    open_and_check(browser, url, base)


def test_hostile_text_is_visible_as_text(browser, hostile):
    folder = hostile
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto((folder / "site/index.html").as_uri())
    page.wait_for_selector("html[data-laid-out]", state="attached", timeout=30_000)
    open_folds(page)  # the reference list is folded
    assert PAYLOAD in page.locator("#references").inner_text()
    options = page.locator("option").all_text_contents()
    assert any(PAYLOAD in option for option in options)
    context.close()


@pytest.mark.parametrize("where", ["zip-file", "single"])
def test_a_script_that_got_into_the_page_is_blocked(browser, hostile, where):
    folder = hostile
    url, base = {
        "zip-file": ((folder / "injected/kd-explainer/index.html").as_uri(),
                     (folder / "injected/kd-explainer").as_uri() + "/"),
        "single": ((folder / "injected-single.html").as_uri(), (folder / "injected-single.html").as_uri()),
    }[where]
    open_and_check(browser, url, base, expect_blocked=True)


# Whether any string inside a chart's registered spec holds the payload whole.
SPEC_HOLDS = """([chartId, payload]) => {
  const strings = [];
  JSON.parse(window.kdsiteSpecs[chartId], (key, value) => { if (typeof value === "string") strings.push(value); return value; });
  return strings.some((text) => text.includes(payload));
}"""


@pytest.mark.parametrize("where", ["site", "single"])
def test_hostile_strings_stay_inside_the_chart_spec_scripts(browser, hostile, where):
    """A spec file holds the class names as data: with no raw `<`, `>`, `&`, U+2028 or U+2029 in it
    (the single file inlines it in a <script> element), and the browser reads the payload back whole."""
    folder = hostile
    for spec_file in (folder / "site/assets/specs").iterdir():
        text = spec_file.read_text(encoding="utf-8")
        assert not set("<>&\u2028\u2029") & set(text), spec_file.name
    page_file = folder / ("site/index.html" if where == "site" else "single/index.html")
    context = browser.new_context(offline=True)
    page = context.new_page()
    watch = PageWatch(page, page_file.parent.as_uri() + "/" if where == "site" else page_file.as_uri())
    page.goto(page_file.as_uri() + "#labels")
    page.wait_for_selector("html[data-laid-out]", state="attached", timeout=30_000)
    wait_charts(page, "label-logits")  # in the first view, or near it if the hostile names push it down
    assert page.locator("#label-logits[data-rendered='true'] svg").count() == 1
    assert page.evaluate(SPEC_HOLDS, ["label-logits", PAYLOAD])
    assert page.evaluate("typeof window.__pwned") == "undefined"
    context.close()
    assert watch.problems == []
