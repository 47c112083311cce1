"""The temperature section in a real browser: the slider selects precomputed values that match numpy."""

import numpy as np
import pytest

from kdsite.charts.numbers import percent
from kdsite.content.load import load_content
from kdsite.science.softmax import entropy_bits, softmax_with_temperature
from tests.browser.conftest import wait_charts
from tests.helpers import FIXTURE_CONTENT

CONTENT = load_content(FIXTURE_CONTENT)
EXAMPLE = CONTENT.examples.by_id(CONTENT.temperature.example)


def expected(temperature: float) -> dict:
    p = softmax_with_temperature(np.array(EXAMPLE.logits), temperature)
    return {
        "bars": [f"Class: {name}; Probability: {percent(round(float(q), 4))}"
                 for name, q in zip(CONTENT.examples.classes, p)],
        "max_probability": percent(round(float(p.max()), 4)),
        "entropy": f"{entropy_bits(p):.2f} bits",
        "label": f"{temperature:.1f}",
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


def wait_rendered(page, temperature: float) -> None:
    value = repr(temperature).removesuffix(".0")  # as JavaScript's String(Number) prints it
    for chart in ("temperature-bars", "temperature-entropy"):
        page.locator(f"#{chart}").scroll_into_view_if_needed()
        page.wait_for_selector(f'#{chart}[data-rendered-value="{value}"]', timeout=10_000)


def test_section_and_labelled_slider_exist(open_page):
    page = open_page()
    assert page.locator("section#temperature").count() == 1
    slider = page.get_by_label("Temperature", exact=True)
    assert slider.get_attribute("type") == "range"
    assert (slider.get_attribute("min"), slider.get_attribute("max")) == ("0.1", "10.0")
    assert page.locator("#temperature math").count() == 1


def test_charts_render_as_svg(open_page):
    page = open_page()
    wait_charts(page, "temperature-bars", "temperature-entropy")
    for chart in ("temperature-bars", "temperature-entropy"):
        assert page.locator(f"#{chart} svg").count() == 1
    assert page.locator('#temperature-bars [aria-roledescription="bar"]').count() == len(EXAMPLE.logits)


@pytest.mark.http_smoke  # also over HTTP (tests/browser/conftest.py)
def test_default_shows_numpy_values_at_t_equals_1(open_page):
    page = open_page()
    wait_rendered(page, 1.0)
    assert shown(page) == expected(1.0)


def test_keyboard_moves_bars_and_readouts_to_numpy_values(open_page):
    page = open_page()  # one page, the keys in turn from the default T = 1
    slider = page.get_by_label("Temperature", exact=True)
    slider.focus()
    for key, presses, temperature in [("ArrowRight", 10, 2.0), ("ArrowLeft", 17, 0.3), ("End", 1, 10.0),
                                      ("Home", 1, 0.1)]:
        for _ in range(presses):
            page.keyboard.press(key)
        assert float(slider.input_value()) == temperature
        wait_rendered(page, temperature)
        assert shown(page) == expected(temperature), temperature
        assert slider.get_attribute("aria-valuetext") == f"T = {temperature:.1f}"


def test_entropy_curve_marks_the_current_temperature(open_page):
    page = open_page()
    slider = page.get_by_label("Temperature", exact=True)
    slider.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    wait_rendered(page, 3.0)
    marks = page.locator('#temperature-entropy [aria-roledescription="point"]')
    assert marks.count() == 1
    p = softmax_with_temperature(np.array(EXAMPLE.logits), 3.0)
    assert marks.first.get_attribute("aria-label") == f"Current T: 3; Entropy (bits): {entropy_bits(p):.3f}"
