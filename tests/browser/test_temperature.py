"""The temperature section in a real browser: the slider steps along the log grid of T and selects
precomputed values that match numpy."""

import numpy as np
import pytest

from kdsite.charts.numbers import percent
from kdsite.content.load import load_content
from kdsite.science.grids import log_grid
from kdsite.science.softmax import entropy_bits, softmax_with_temperature
from tests.browser.conftest import wait_charts
from tests.helpers import FIXTURE_CONTENT

CONTENT = load_content(FIXTURE_CONTENT)
EXAMPLE = CONTENT.examples.by_id(CONTENT.temperature.example)
GRID = log_grid(CONTENT.temperature.minimum, CONTENT.temperature.maximum, CONTENT.temperature.points_per_decade)
ONE = int(np.flatnonzero(GRID == 1.0)[0])  # the slider's position of T = 1


def expected(temperature: float) -> dict:
    p = softmax_with_temperature(np.array(EXAMPLE.logits), temperature)
    return {
        "bars": [f"Class: {name}; Probability: {percent(round(float(q), 4))}"
                 for name, q in zip(CONTENT.examples.classes, p)],
        "max_probability": percent(round(float(p.max()), 4)),
        "entropy": f"{entropy_bits(p):.2f} bits",
        "label": f"{temperature:g}",
    }


def shown(page) -> dict:
    readout = '#temperature-explorer [data-field="{}"]'
    return {
        "bars": page.locator('#temperature-bars [aria-roledescription="bar"]').evaluate_all(
            "nodes => nodes.map(n => n.getAttribute('aria-label'))"),
        "max_probability": page.locator(readout.format("max_probability")).inner_text(),
        "entropy": page.locator(readout.format("entropy")).inner_text(),
        "label": page.locator(readout.format("temperature_label")).inner_text(),
    }


def wait_rendered(page, position: int) -> None:
    """Wait until both charts show the grid point at this slider position."""
    for chart in ("temperature-bars", "temperature-entropy"):
        page.locator(f"#{chart}").scroll_into_view_if_needed()
        page.wait_for_selector(f'#{chart}[data-rendered-value="{position}"]', timeout=10_000)


def test_section_and_labelled_slider_exist(default_page):
    page = default_page
    assert page.locator("section#temperature").count() == 1
    slider = page.get_by_label("Temperature", exact=True)
    assert slider.get_attribute("type") == "range"
    assert (slider.get_attribute("min"), slider.get_attribute("max"), slider.get_attribute("step")) == \
        ("0", str(len(GRID) - 1), "1")
    assert page.locator("#temperature math").count() == 1


def test_charts_render_as_svg(default_page):
    page = default_page
    wait_charts(page, "temperature-bars", "temperature-entropy")
    for chart in ("temperature-bars", "temperature-entropy"):
        assert page.locator(f"#{chart} svg").count() == 1
    assert page.locator('#temperature-bars [aria-roledescription="bar"]').count() == len(EXAMPLE.logits)


def test_t_equals_1_sits_in_the_middle_of_the_track(default_page):
    page = default_page
    slider = page.get_by_label("Temperature", exact=True)
    low, high = float(slider.get_attribute("min")), float(slider.get_attribute("max"))
    assert (ONE - low) / (high - low) == 0.5
    assert float(slider.input_value()) == ONE and GRID[ONE] == CONTENT.temperature.default == 1.0
    # evenly spaced in log T: every step multiplies T by about the same factor
    assert np.allclose(np.diff(np.log10(GRID)), 1 / CONTENT.temperature.points_per_decade, rtol=0.2)


@pytest.mark.http_smoke  # also over HTTP (tests/browser/conftest.py)
def test_default_shows_numpy_values_at_t_equals_1(open_page):
    page = open_page()
    wait_rendered(page, ONE)
    assert shown(page) == expected(1.0)
    assert page.get_by_label("Temperature", exact=True).get_attribute("aria-valuetext") == "T = 1"


def test_keyboard_steps_along_the_log_grid_to_numpy_values(open_page):
    page = open_page()  # one page, the keys in turn from the default T = 1
    slider = page.get_by_label("Temperature", exact=True)
    slider.focus()
    for key, presses, position in [("ArrowRight", 4, ONE + 4), ("ArrowLeft", 9, ONE - 5), ("End", 1, len(GRID) - 1),
                                   ("Home", 1, 0)]:
        for _ in range(presses):
            page.keyboard.press(key)
        temperature = float(GRID[position])
        assert int(slider.input_value()) == position
        wait_rendered(page, position)
        assert shown(page) == expected(temperature), temperature
        assert slider.get_attribute("aria-valuetext") == f"T = {temperature:g}"


def test_entropy_curve_marks_the_current_temperature(open_page):
    page = open_page()
    slider = page.get_by_label("Temperature", exact=True)
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_rendered(page, ONE + 5)
    marks = page.locator('#temperature-entropy [aria-roledescription="point"]')
    assert marks.count() == 1
    temperature = float(GRID[ONE + 5])
    p = softmax_with_temperature(np.array(EXAMPLE.logits), temperature)
    assert marks.first.get_attribute("aria-label") == \
        f"Current T: {temperature:g}; Entropy (bits): {entropy_bits(p):.3f}"
