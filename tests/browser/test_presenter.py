"""Presenter mode (templates/static/presenter.js): every scene and every figure stepped through by
keyboard, the controls and charts at each scene's values, chart text of at least 20 px, QR codes a
decoder reads back, a reload that stays on its step, axe in light and dark, and the zip."""

from __future__ import annotations

import shutil
import zipfile

import numpy as np
import pytest
import zxingcpp

from kdsite.content.scenes import scene_url
from kdsite.science.softmax import softmax_with_temperature
from tests.browser.conftest import PageWatch
from tests.browser.test_reader import _axe_violations, chart_text_contrast
from tests.helpers import PROJECT, build, png_gray, temperature_grid

PROJECTOR = {"width": 1280, "height": 800}
# The smallest text of every chart in the shown figure, in screen pixels: font size times the scale
# from the text's coordinates to the screen (its CTM), which includes any zoom or viewBox scaling.
SMALLEST_CHART_TEXT = """panel => Math.min(...Array.from(panel.querySelectorAll('[data-chart] svg text'))
    .filter(t => t.textContent.trim())
    .map(t => { const m = t.getScreenCTM(); return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); }))"""
SHOWN = """panel => ({
    panels: Array.from(document.querySelectorAll('main .figure-panel')).filter(p => p.getClientRects().length).map(p => p.id),
    heading: panel.closest('section').querySelector('h2').getBoundingClientRect().top,
    insight: Array.from(panel.closest('section').querySelectorAll(':scope > .admonition.insight')).map(n => n.getClientRects().length > 0),
    prose: Array.from(panel.closest('section').querySelectorAll(':scope > p')).filter(p => p.getClientRects().length).length,
    header: document.querySelector('.site-header').getBoundingClientRect().width })"""


def expected_controls(scene) -> dict[str, str]:
    """The input values the scene's controls must take: a temperature slider's grid position, else the value."""
    grid = temperature_grid()
    return {s.control: str(grid.index(float(s.value))) if s.control == "temperature-slider" else s.value
            for s in scene.settings}


def chart_states(page, panel_id: str) -> None:
    """Wait until every chart the figure's controls drive (and a reader sees) has drawn at their current values."""
    state = "|".join(page.eval_on_selector_all(
        f"#{panel_id} [data-key]", "nodes => nodes.map(n => String(n.type === 'range' ? Number(n.value) : n.value))"))
    driven = page.locator(f"#{panel_id}").evaluate(
        "n => (n.getAttribute('data-charts') || '').split(' ').filter(id => id && !document.getElementById(id)"
        ".closest('details:not([open])'))")  # a chart folded in a "Go deeper" block waits until opened
    for chart in driven:
        page.wait_for_selector(f'#{chart}[data-rendered-value="{state}"]', state="attached", timeout=10_000)


def decoded_qr(page, index: int) -> str:
    code = page.locator(f"#presenter-qr-{index} svg")
    assert code.is_visible() and code.bounding_box()["width"] >= 200  # readable across a room
    [result] = zxingcpp.read_barcodes(png_gray(code.screenshot()))
    return result.text


def presenter_page(browser, url: str, scheme: str = "light"):
    # Reduced motion: scrolling is instant, so a test sees where a step or leaving really lands.
    context = browser.new_context(viewport=PROJECTOR, color_scheme=scheme, reduced_motion="reduce")
    page = context.new_page()
    page.watch = PageWatch(page, url.split("index.html")[0])
    page.goto(url)
    page.wait_for_selector("html[data-laid-out]", state="attached", timeout=20_000)
    return context, page


def step_text(page) -> str:
    return page.locator(".presenter-count").text_content()


def test_every_scene_by_keyboard_with_its_settings_charts_and_qr_code(browser, base_url, content):
    scenes = content.scenes
    steps = None
    context, page = presenter_page(browser, base_url + "index.html?present")
    keys = ["ArrowRight", "PageDown", " ", "ArrowDown"]  # what a keyboard and a clicker send
    example = content.examples.by_id(content.temperature.example)
    for index, scene in enumerate(scenes):
        if index:
            page.keyboard.press(keys[index % len(keys)])
        if steps is None:
            steps = page.evaluate("JSON.parse(document.getElementById('presenter-steps').textContent)")
            assert len(steps) == len(scenes)
        step = steps[index]
        assert step_text(page) == f"{index + 1} / {len(scenes)}"
        assert page.locator(".presenter-title").text_content() == (scene.title or "")
        assert page.url.endswith("index.html?present#" + step["address"])
        panel = page.locator(f"#{step['panel']}")
        shown = panel.evaluate(SHOWN)
        # only this figure, its section's title (at the top) and key insight; no prose, no header
        assert shown["panels"] == [step["panel"]] and shown["prose"] == 0 and shown["header"] <= 1
        assert 0 <= shown["heading"] < 100 and all(shown["insight"])
        for control, value in expected_controls(scene).items():
            assert page.locator(f"#{control}").input_value() == value, (index, control)
        for control in page.eval_on_selector_all(f"#{step['panel']} [data-key]", "ns => ns.map(n => n.id)"):
            if control not in expected_controls(scene):  # controls a scene does not name are at their defaults
                assert panel.locator(f"#{control}").evaluate(
                    "n => n.type === 'range' ? n.value === n.defaultValue : "
                    "n.value === (Array.from(n.options).find(o => o.defaultSelected) || n.options[0]).value"), control
        chart_states(page, step["panel"])
        if scene.figure == "temperature-explorer":
            temperature = float(scene.settings[0].value)
            top = softmax_with_temperature(np.array(example.logits), temperature).max() * 100
            readout = page.locator("#temperature-explorer [data-field=max_probability]").text_content()
            bars = page.eval_on_selector_all('#temperature-bars [aria-roledescription="bar"]',
                                             "ns => ns.map(n => n.getAttribute('aria-label'))")
            shown_top = max(float(label.split("Probability: ")[1].rstrip("%")) for label in bars)
            assert abs(float(readout.rstrip("%")) - top) < 0.06 and abs(shown_top - top) < 0.06, temperature
        if page.locator(f"#{step['panel']} [data-chart]").count():
            assert panel.evaluate(SMALLEST_CHART_TEXT) >= 19.99
        assert decoded_qr(page, index) == scene_url(content.site.base_url, step["address"])
        assert page.locator(".presenter-qr:not([hidden])").count() == 1
    page.keyboard.press("ArrowRight")  # past the last scene: it stays
    assert step_text(page) == f"{len(scenes)} / {len(scenes)}"
    page.keyboard.press("PageUp")
    back = steps[len(scenes) - 2]
    page.reload()
    page.wait_for_selector("html[data-laid-out]", state="attached")
    assert step_text(page) == f"{len(scenes) - 1} / {len(scenes)}"
    assert page.url.endswith("#" + back["address"])
    chart_states(page, back["panel"])
    # a slider under focus keeps its arrow keys; the clicker's Page Down still steps
    slider = page.locator(f"#{back['panel']} input[type=range]").first
    slider.focus()
    before = slider.input_value()
    page.keyboard.press("ArrowRight")
    assert slider.input_value() != before and step_text(page) == f"{len(scenes) - 1} / {len(scenes)}"
    page.keyboard.press("PageDown")
    assert step_text(page) == f"{len(scenes)} / {len(scenes)}"
    page.keyboard.press("Escape")
    assert not page.evaluate("document.documentElement.classList.contains('presenting')")
    assert "present" not in page.evaluate("location.search")
    # the reader stays at the last step's figure, and so does the keyboard
    assert page.evaluate("document.activeElement.id") == steps[-1]["panel"]
    assert -2 <= page.locator(f"#{steps[-1]['panel']}").evaluate("n => n.getBoundingClientRect().top") < 100
    assert page.locator("#presenter").is_hidden()
    context.close()
    assert page.watch.problems == []


def test_axe_finds_no_violations_in_presenter_mode(browser, site_dir):
    """Light, then the system theme switches to dark on the same step and axe runs again."""
    context, page = presenter_page(browser, site_dir.as_uri() + "/index.html?present#training?alpha-slider=0.25"
                                            "&training-example=fox", "light")
    chart_states(page, "loss-weighting")
    assert page.locator(".presenter-qr:not([hidden])").is_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for chart in page.eval_on_selector_all("#loss-weighting [data-chart]",
                                               "ns => ns.filter(n => !n.closest('details:not([open])')).map(n => n.id)"):
            page.wait_for_selector(f'#{chart}[data-theme="{scheme}"]', state="attached")
        assert _axe_violations(page, scheme) == [], scheme
        assert chart_text_contrast(page) == [], scheme
    context.close()
    assert page.watch.problems == []


@pytest.fixture(scope="module")
def unzipped_without_scenes(tmp_path_factory, built_site):
    """The fixture without scenes.yaml and base_url, built with --zip (warm cache), unzipped."""
    root = tmp_path_factory.mktemp("no-scenes")
    project = root / "project"
    shutil.copytree(PROJECT, project)
    (project / "content" / "scenes.yaml").unlink()
    site_yaml = project / "content" / "site.yaml"
    site_yaml.write_text("".join(line for line in site_yaml.read_text().splitlines(True) if "base_url" not in line))
    build(project, root / "site", zip=True)
    with zipfile.ZipFile(root / "site.zip") as archive:
        archive.extractall(root / "unzipped")
    return root / "unzipped" / "kd-explainer"


def test_every_figure_by_keyboard_from_the_zip_without_scenes(browser, unzipped_without_scenes):
    context, page = presenter_page(browser, unzipped_without_scenes.as_uri() + "/index.html")
    panels = page.eval_on_selector_all("main .figure-panel", "ns => ns.map(n => n.id)")
    page.locator(".present-toggle").focus()
    page.keyboard.press("Enter")  # the toggle, by keyboard, opens at the figure in view: the first
    assert page.locator("#presenter-steps").evaluate("n => JSON.parse(n.textContent).length") == len(panels)
    for index, panel_id in enumerate(panels):
        if index:
            page.keyboard.press("ArrowRight" if index % 2 else "PageDown")
        assert step_text(page) == f"{index + 1} / {len(panels)}"
        assert page.url.endswith("?present#" + panel_id)  # a figure's id while its controls are at defaults
        assert page.locator(f"#{panel_id}").evaluate(SHOWN)["panels"] == [panel_id]
        charts = page.eval_on_selector_all(f"#{panel_id} [data-chart]",
                                           "ns => ns.filter(n => !n.closest('details:not([open])')).map(n => n.id)")
        for chart in charts:
            page.wait_for_selector(f"#{chart}[data-rendered]", state="attached", timeout=10_000)
        if charts:
            assert page.locator(f"#{panel_id}").evaluate(SMALLEST_CHART_TEXT) >= 19.99, panel_id
    assert page.locator(".presenter-qr").count() == 0  # no base_url, no QR code
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == panels[-2]  # focus was on the toggle: keyboard goes on here
    assert -2 <= page.locator(f"#{panels[-2]}").evaluate("n => n.getBoundingClientRect().top") < 100
    context.close()
    assert page.watch.problems == []
