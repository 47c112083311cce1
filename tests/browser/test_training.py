"""The training section: the α slider sets the weights and formula; the curves match numpy."""

import numpy as np
import pytest

from kdsite.charts.training import COLOURS
from kdsite.content.load import load_content
from kdsite.science.grids import log_grid
from kdsite.science.losspath import loss_path
from tests.browser.conftest import OPEN_ANCESTORS, PageWatch
from tests.helpers import FIXTURE_CONTENT

CONTENT = load_content(FIXTURE_CONTENT)
SETTINGS = CONTENT.training
GRID = log_grid(SETTINGS.temperature_minimum, SETTINGS.temperature_maximum, SETTINGS.temperature_points_per_decade)
DEFAULT = int(np.flatnonzero(GRID == SETTINGS.temperature_default)[0])  # the T slider's starting position


def field(page, name: str) -> str:
    return page.locator(f"#loss-weighting [data-field='{name}']").first.text_content().strip()


def wait_state(page, example: str, position: int, alpha: float) -> None:
    state = f"{alpha:g}|{example}|{position}"  # controls in document order: α, example, T's grid position
    for chart in ("loss-curves", "gradient-scaling"):
        page.locator(f"#{chart}").evaluate(OPEN_ANCESTORS)  # the gradient chart is folded
        page.locator(f"#{chart}").scroll_into_view_if_needed()
        page.wait_for_selector(f'#{chart}[data-rendered-value="{state}"]', timeout=10_000)


def curve_points(page, series: str) -> dict[float, float]:
    labels = page.locator('#loss-curves [aria-roledescription="point"]').evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('aria-label'))")
    points = {}
    for label in labels:
        parts = dict(part.split(": ", 1) for part in label.split("; "))
        if parts["Series"] == series:
            points[float(parts["s"])] = float(parts["Loss (nats)"])
    return points


def test_section_and_default_weights(default_page):
    page = default_page
    assert page.locator("section#training").count() == 1
    assert page.locator("section#training svg[role='img']:visible title").text_content().startswith("Knowledge-flow")
    assert (field(page, "soft_weight"), field(page, "hard_weight")) == ("α = 0.70", "1 − α = 0.30")
    assert (field(page, "alpha_coefficient"), field(page, "hard_coefficient")) == ("0.70", "0.30")


def test_alpha_slider_updates_weights_and_coefficients(open_page):
    page = open_page()  # one page, the keys in turn from the default α = 0.7
    slider = page.locator("#training").get_by_label("α (soft-loss weight)", exact=True)
    slider.focus()
    t = SETTINGS.temperature_default
    for key, presses, alpha in [("ArrowLeft", 14, 0.0), ("ArrowRight", 20, 1.0), ("ArrowLeft", 10, 0.5),
                                ("ArrowRight", 5, 0.75)]:
        for _ in range(presses):
            page.keyboard.press(key)
        assert float(slider.input_value()) == alpha
        assert field(page, "soft_weight") == f"α = {alpha:.2f}"
        assert field(page, "hard_weight") == f"1 − α = {1 - alpha:.2f}"
        assert field(page, "alpha_coefficient") == f"{alpha:.2f}"
        assert field(page, "hard_coefficient") == f"{1 - alpha:.2f}"
        assert field(page, "soft_multiplier") == f"{alpha:.2f} × {t:g}² = {alpha * t * t:.4g}"
        wait_state(page, SETTINGS.default_example, DEFAULT, alpha)
        path = _path(SETTINGS.default_example, t, alpha)
        combined = curve_points(page, "Combined loss L")
        for k, s in enumerate(path.progress):
            assert combined[round(float(s), 1)] == pytest.approx(path.combined[0, 0, k], abs=5e-4), alpha
        if alpha == 0.0:  # L equals CE: CE's line is drawn over L's wider one, not hidden under it
            lines = page.locator("#loss-curves path[aria-roledescription='line mark']").evaluate_all(
                "nodes => nodes.map(n => [n.getAttribute('stroke'), Number(n.getAttribute('stroke-width'))])")
            order = [stroke for stroke, _ in lines]
            widths = dict(lines)
            assert order.index(COLOURS[2]) > order.index(COLOURS[0]) and widths[COLOURS[0]] > widths[COLOURS[2]]


def test_t_equals_1_sits_in_the_middle_of_the_track(default_page):
    page = default_page
    slider = page.locator("#training-temperature")
    low, high = float(slider.get_attribute("min")), float(slider.get_attribute("max"))
    one = int(np.flatnonzero(GRID == 1.0)[0])
    assert (one - low) / (high - low) == 0.5 and high == len(GRID) - 1
    assert int(slider.input_value()) == DEFAULT and slider.get_attribute("aria-valuetext") == f"T = {GRID[DEFAULT]:g}"


def test_example_and_temperature_select_the_curves(open_page):
    page = open_page()
    page.locator("#training-example").select_option("fox")
    slider = page.locator("#training-temperature")
    slider.focus()
    below_one = len(GRID) // 2 + 2  # presses from the top that land two grid points below T = 1
    for key, presses, position in [("End", 1, len(GRID) - 1), ("ArrowLeft", below_one, len(GRID) - 1 - below_one)]:
        for _ in range(presses):
            page.keyboard.press(key)
        t = float(GRID[position])
        assert int(slider.input_value()) == position
        wait_state(page, "fox", position, SETTINGS.alpha_default)
        path = _path("fox", t, SETTINGS.alpha_default)
        kl = curve_points(page, "Soft: T²·KL(p_T‖q_T)")
        ce = curve_points(page, "Hard: CE(y, q₁)")
        for k, s in enumerate(path.progress):
            assert kl[round(float(s), 1)] == pytest.approx(t * t * path.kl[0, k], rel=5e-4, abs=5e-4), t
            assert ce[round(float(s), 1)] == pytest.approx(path.ce[k], abs=5e-4), t
        assert slider.get_attribute("aria-valuetext") == f"T = {t:g}"
        alpha = SETTINGS.alpha_default
        assert field(page, "soft_multiplier") == f"{alpha:.2f} × {t:g}² = {alpha * t * t:.4g}"


def _path(example_id: str, temperature: float, alpha: float):
    example = CONTENT.examples.by_id(example_id)
    return loss_path(np.array(example.logits), CONTENT.examples.classes.index(example.true_class),
                     np.array([temperature]), np.array([alpha]), np.linspace(0, 1, SETTINGS.progress_points))


FORMULA = """() => { const box = document.querySelector('#loss-weighting .formula');
  const parts = Array.from(box.querySelectorAll('math'), math => math.getBoundingClientRect());
  // the second part starts a line of its own when it begins below the first's bottom (on one line
  // their tops differ: the first has a superscript)
  return {overflow: box.scrollWidth - box.clientWidth, lines: parts[1].top >= parts[0].bottom - 1 ? 2 : 1,
          inside: parts.every(r => r.left >= box.getBoundingClientRect().left - 1
                                   && r.right <= box.getBoundingClientRect().right + 1)}; }"""


@pytest.mark.parametrize("width, lines", [(1280, 1), (320, 2)])
def test_the_loss_formula_is_whole_on_a_phone(browser, site_dir, width, lines):
    """One line on a laptop; on a phone too narrow for it, two lines broken before the "+", nothing
    cut off or hidden behind a scroll (a review found "... + 0.30 · CE" with (y, q₁) cut off at 360 px)."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    watch = PageWatch(page, site_dir.as_uri() + "/")
    page.goto(site_dir.as_uri() + "/index.html")
    page.wait_for_selector("html[data-laid-out]", state="attached")
    found = page.evaluate(FORMULA)
    context.close()
    assert found == {"overflow": 0, "lines": lines, "inside": True}
    assert watch.problems == []
