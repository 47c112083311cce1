"""The page script survives what readers and browsers throw at it: any address, a chart that
cannot be drawn, and the system switching between light and dark while the page is open."""

from __future__ import annotations

import re
import shutil

import pytest
import vl_convert

from tests.browser.conftest import PageWatch, draw_every_chart, wait_charts
from tests.helpers import SPEC_FILE, embedded_specs, temperature_grid

DARK_AXIS_LABEL = "#e6e8eb"  # charts.common.DARK_THEME["config"]["axis"]["labelColor"]


def open_watched(browser, url: str, base: str, idle: bool = True, **context_options):
    """The page once every chart has drawn in idle time (data-charts-ready); with `idle=False`, a
    page whose browser is never idle, once its first view has drawn and the page is laid out
    (data-laid-out): only the charts the test brings into view draw, and none draws behind its back."""
    context = browser.new_context(idle=idle, **context_options)
    page = context.new_page()
    watch = PageWatch(page, base)
    page.goto(url)
    page.wait_for_selector("html[data-charts-ready]" if idle else "html[data-laid-out]",
                           state="attached", timeout=30_000)
    return context, page, watch


@pytest.mark.parametrize("fragment", ["#temperature?temperature-slider=%", "#%E0%A4%A", "#%", "#?%zz=1&=&&x",
                                      "#labels?label-example=%ZZ&temperature-slider=4"])
def test_any_address_draws_the_charts_in_view_and_the_last_chart(browser, site_dir, fragment):
    """The first view draws, and the lazy path still works: the page's last chart draws once scrolled
    to (the browser is never idle, so it cannot have drawn in idle time instead)."""
    base = site_dir.as_uri() + "/"
    # Reduced motion: scrolled to at once, not along a one-second smooth scroll
    context = browser.new_context(viewport={"width": 1100, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    watch = PageWatch(page, base)
    page.goto(base + "index.html" + fragment)
    page.wait_for_selector("html[data-laid-out]", state="attached", timeout=30_000)
    in_view = page.evaluate("""Array.from(document.querySelectorAll('.chart')).filter((chart) => {
        const box = chart.getBoundingClientRect();   // a chart in a closed block is not seen, though it has a box
        return box.bottom > 0 && box.top < innerHeight && box.height > 0
            && !chart.closest('details:not([open])'); }).map((chart) => chart.id)""")
    assert all(page.locator(f'#{chart}[data-rendered="true"] svg').count() == 1 for chart in in_view)
    wait_charts(page, page.locator(".chart").last.get_attribute("id"))
    assert page.locator('.chart[data-rendered="true"]').last.get_attribute("id") == page.locator(
        ".chart").last.get_attribute("id")
    if "temperature-slider=4" in fragment:  # the valid setting (T = 4) beside the broken one still applies
        assert page.locator("#temperature-slider").input_value() == str(temperature_grid().index(4.0))
    context.close()
    assert watch.problems == []


def test_a_chart_that_cannot_be_drawn_shows_its_static_copy_and_says_so(browser, site_dir, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(site_dir, broken)
    spec_file = broken / page_spec_file(broken, "temperature-bars")
    script = spec_file.read_text(encoding="utf-8")
    # Valid JSON, impossible Vega: a transform that does not exist.
    script, count = re.subn(r"""(specs\["temperature-bars"\] = ').*?(';)""",
                            r'\1{"dark":[],"vega":{"data":[{"name":"a","transform":[{"type":"no-such-transform"}]}]}}\2',
                            script)
    assert count == 1
    spec_file.write_text(script, encoding="utf-8")
    base = broken.as_uri() + "/"
    context, page, watch = open_watched(browser, base + "index.html#temperature", base)
    chart = page.locator("#temperature-bars")
    assert chart.get_attribute("data-rendered") == "fallback"
    assert chart.locator(".chart-fallback img").count() == 1
    assert chart.locator(".chart-fallback img").evaluate("image => image.complete && image.naturalWidth > 0")
    assert "could not be drawn" in chart.locator(".chart-fallback-note").inner_text()
    # the other charts still draw, and the slider still drives them and the readouts
    draw_every_chart(page)
    others = page.locator('.chart[data-rendered="true"] svg')
    assert others.count() == page.locator(".chart").count() - 1
    page.locator("#temperature-slider").fill("4")  # the grid's fifth point
    page.wait_for_selector('#temperature-entropy[data-rendered-value="4"]')
    assert page.locator("#temperature-explorer [data-field='temperature_label']").text_content() == \
        f"{temperature_grid()[4]:g}"
    context.close()
    assert watch.problems == []


def page_spec_file(site, chart_id: str) -> str:
    """The spec file the page names for `chart_id` (its data-chart)."""
    html = (site / "index.html").read_text(encoding="utf-8")
    return SPEC_FILE.search(html, html.index(f'id="{chart_id}"')).group(1)


def test_charts_whose_spec_file_is_missing_show_their_static_copies_and_say_so(browser, site_dir, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(site_dir, broken)
    missing = page_spec_file(broken, "temperature-bars")
    assert missing == page_spec_file(broken, "temperature-entropy")  # one file a section
    (broken / missing).unlink()
    base = broken.as_uri() + "/"
    context, page, watch = open_watched(browser, base + "index.html#temperature", base)
    for chart_id in ("temperature-bars", "temperature-entropy"):
        chart = page.locator(f"#{chart_id}")
        assert chart.get_attribute("data-rendered") == "fallback"
        assert chart.locator(".chart-fallback img").evaluate("image => image.complete && image.naturalWidth > 0")
        assert "could not be drawn" in chart.locator(".chart-fallback-note").inner_text()
    # the charts of the other sections still draw, and the slider still drives the readouts
    draw_every_chart(page)
    assert page.locator('.chart[data-rendered="true"] svg').count() == page.locator(".chart").count() - 2
    page.locator("#temperature-slider").fill("4")
    page.wait_for_selector('#temperature-entropy[data-rendered-value="4"]')
    assert page.locator("#temperature-explorer [data-field='temperature_label']").text_content() == \
        f"{temperature_grid()[4]:g}"
    context.close()
    # the file was asked for once, and its failure is the page's only complaint
    assert [url for url in watch.requests if url.endswith(missing)] == [base + missing]
    assert watch.problems == ["console error: Failed to load resource: net::ERR_FILE_NOT_FOUND"]


def test_a_link_whose_runtime_is_missing_shows_the_static_copies_and_asks_once(browser, site_dir, tmp_path):
    """At a link into a section with a chart, the early loader writes the runtime in as a deferred
    script (kdsite/page/early_loader.py); when it does not load, site.js is told so and asks for it
    no second time: the charts in view show their static copies and say so, the controls still move
    the readouts, and the missing file is the page's only complaint."""
    broken = tmp_path / "site"
    shutil.copytree(site_dir, broken)
    runtime = next((broken / "assets").glob("vega-runtime-*.js"))
    runtime.unlink()
    base = broken.as_uri() + "/"
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    watch = PageWatch(page, base)
    warnings: list[str] = []
    page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    page.goto(base + "index.html#temperature")
    page.wait_for_selector("html[data-laid-out]", state="attached", timeout=30_000)
    for chart_id in ("temperature-bars", "temperature-entropy"):
        chart = page.locator(f"#{chart_id}")
        assert chart.get_attribute("data-rendered") == "fallback"
        assert "could not be drawn" in chart.locator(".chart-fallback-note").inner_text()
    # the reason is the one site.js was told, not a later failure for want of the runtime
    assert any("the chart runtime did not load" in warning for warning in warnings), warnings
    page.locator("#temperature-slider").fill("4")
    assert page.locator("#temperature-explorer [data-field='temperature_label']").text_content() == \
        f"{temperature_grid()[4]:g}"
    context.close()
    assert [url for url in watch.requests if url.endswith(runtime.name)] == [base + f"assets/{runtime.name}"]
    assert watch.problems == ["console error: Failed to load resource: net::ERR_FILE_NOT_FOUND"]


def test_switching_the_system_theme_recolours_drawn_charts(browser, site_dir):
    base = site_dir.as_uri() + "/"
    context, page, watch = open_watched(browser, base + "index.html#temperature", base, idle=False, color_scheme="light")
    # It may lie just below the first view (Playwright's 1280x720): then it draws as a chart near view, a moment later
    wait_charts(page, "temperature-bars")
    chart = page.locator("#temperature-bars")
    assert chart.get_attribute("data-theme") == "light"
    label = chart.locator("svg .role-axis-label text").first
    light_fill = label.get_attribute("fill")
    page.emulate_media(color_scheme="dark")
    page.wait_for_selector('#temperature-bars[data-theme="dark"]')
    assert chart.locator("svg .role-axis-label text").first.get_attribute("fill").lower() == DARK_AXIS_LABEL
    assert light_fill.lower() != DARK_AXIS_LABEL
    # the redrawn chart still follows its control
    page.locator("#temperature-slider").fill("2")
    page.wait_for_selector('#temperature-bars[data-rendered-value="2"]')
    page.emulate_media(color_scheme="light")
    page.wait_for_selector('#temperature-bars[data-theme="light"]')
    context.close()
    assert watch.problems == []


def test_a_chart_in_a_closed_block_takes_the_new_theme_when_the_block_opens(browser, site_dir):
    """Redrawn while its block is closed, it would have no width: it is redrawn, at its width, in
    the theme of the moment, when the block opens again."""
    base = site_dir.as_uri() + "/"
    context, page, watch = open_watched(browser, base + "index.html#lab", base, idle=False, color_scheme="light")
    wait_charts(page, "lab-grid")
    width = page.evaluate("document.querySelector('#lab-grid svg').getBoundingClientRect().width")
    page.evaluate("document.getElementById('lab-grid').closest('details').open = false")
    page.emulate_media(color_scheme="dark")
    page.wait_for_selector('#temperature-bars[data-theme="dark"], #lab-accuracy[data-theme="dark"]', state="attached")
    assert page.locator("#lab-grid").get_attribute("data-theme") == "light"  # not redrawn while hidden
    page.evaluate("document.getElementById('lab-grid').closest('details').open = true")
    page.wait_for_selector('#lab-grid[data-theme="dark"]', state="attached")
    assert page.evaluate("document.querySelector('#lab-grid svg').getBoundingClientRect().width") == width > 100
    context.close()
    assert watch.problems == []


def test_the_page_loads_vega_alone_at_the_version_the_specs_were_compiled_for(browser, site_dir):
    """No Vega-Lite compiler or Vega-Embed ships (charts are compiled at build time); the Vega that
    draws is the Vega vl-convert compiled for (kdsite/page/runtime.py)."""
    base = site_dir.as_uri() + "/"
    context, page, watch = open_watched(browser, base + "index.html", base)
    loaded = page.evaluate("""() => ({vega: window.vega && window.vega.version,
        vegaLite: typeof window.vegaLite, vegaEmbed: typeof window.vegaEmbed,
        interpreter: typeof window.vegaExpressionInterpreter})""")
    assert loaded == {"vega": vl_convert.get_vega_version(), "vegaLite": "undefined", "vegaEmbed": "undefined",
                      "interpreter": "object"}
    schemas = {compiled["vega"]["$schema"] for compiled in embedded_specs(site_dir).values()}
    assert schemas == {f"https://vega.github.io/schema/vega/v{loaded['vega'].split('.')[0]}.json"}
    # Every chart a reader can see is drawn: the static copies of the charts still waiting (in closed
    # folds) are fetched now, ready to print in place of their charts; no drawn chart's copy is.
    waiting = page.evaluate("Array.from(document.querySelectorAll('[data-chart]:not([data-rendered])'), c => c.id)")
    assert waiting
    page.evaluate("Promise.all(Array.from(document.querySelectorAll('img.print-copy'))"
                  ".filter(image => image.loading === 'eager').map(image => image.decode()))")
    fetched = {re.sub(r"\.[0-9a-f]+\.svg$", "", url.rsplit("/", 1)[1]) for url in watch.requests if "/assets/charts/" in url}
    assert fetched == set(waiting)
    context.close()
    assert watch.problems == []


# The layout shifts (CLS entries) the page has made so far, none caused by input.
LAYOUT_SHIFTS = """() => new Promise(resolve => {
  const shifts = [];
  const observer = new PerformanceObserver(list => list.getEntries().forEach(entry => {
    if (!entry.hadRecentInput) shifts.push(+entry.value.toFixed(4)); }));
  observer.observe({type: 'layout-shift', buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => { observer.disconnect(); resolve(shifts); }, 0)));
})"""


@pytest.mark.parametrize("width, fragment", [(375, ""), (375, "#labels"), (1280, "#labels")])
def test_the_first_paint_has_the_final_layout(browser, site_dir, width, fragment):
    """The JavaScript layout (controls shown, the contents bar) is in place at the first paint
    (kdsite/page/early_loader.py), so nothing moves once site.js runs. Switched by site.js, after the
    first paint, the fixture's page shifted 0.13 at a phone's top and 0.19 at #labels, 0.08 at
    #labels on a wide screen (a good CLS is under 0.1)."""
    base = site_dir.as_uri() + "/"
    context = browser.new_context(viewport={"width": width, "height": 740 if width < 600 else 800},
                                  reduced_motion="reduce")
    page = context.new_page()
    watch = PageWatch(page, base)
    page.goto(base + "index.html" + fragment)
    page.wait_for_selector("html[data-laid-out]", state="attached", timeout=30_000)
    shifts = page.evaluate(LAYOUT_SHIFTS)
    assert sum(shifts) < 0.01, shifts
    context.close()
    assert watch.problems == []


def test_a_page_whose_script_did_not_load_keeps_the_no_javascript_layout(browser, site_dir, tmp_path):
    """The layout is switched before site.js has run; should it not load, the page goes back to the
    no-JavaScript layout rather than show controls that do nothing."""
    broken = tmp_path / "site"
    shutil.copytree(site_dir, broken)
    scripts = list((broken / "assets").glob("site.*.js"))
    assert len(scripts) == 1
    scripts[0].unlink()
    base = broken.as_uri() + "/"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watch = PageWatch(page, base)
    page.goto(base + "index.html#labels")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.className") == "no-js"
    assert page.locator("#temperature-slider").is_hidden()
    context.close()
    assert watch.problems == ["console error: Failed to load resource: net::ERR_FILE_NOT_FOUND"]
