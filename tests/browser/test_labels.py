"""The label section: the input chooser selects each example's charts and readouts, equal to numpy's."""

import numpy as np
import pytest

from kdsite.charts.numbers import percent
from kdsite.content.load import load_content
from kdsite.science.softmax import entropy_bits, softmax_with_temperature
from tests.browser.conftest import wait_charts
from tests.helpers import FIXTURE_CONTENT

CONTENT = load_content(FIXTURE_CONTENT)
CLASSES = CONTENT.examples.classes


def expected(example_id: str) -> dict:
    example = CONTENT.examples.by_id(example_id)
    soft = softmax_with_temperature(np.array(example.logits), CONTENT.labels.soft_temperature)
    hard = [1 if name == example.true_class else 0 for name in CLASSES]
    return {
        "logits": [f"Class: {name}; Logit: {z:g}" for name, z in zip(CLASSES, example.logits)],
        "hard": [f"Class: {name}; Hard target: {h}" for name, h in zip(CLASSES, hard)],
        "soft": [f"Class: {name}; Soft target: {percent(p)}" for name, p in zip(CLASSES, soft)],
        "soft_vector": "[" + ", ".join(f"{p:.2f}" for p in soft) + "]",
        "hard_vector": "[" + ", ".join(str(h) for h in hard) + "]",
        "soft_entropy": f"{entropy_bits(soft):.2f} bits",
        "hard_entropy": "0.00 bits",
    }


def shown(page) -> dict:
    def bars(chart):
        return page.locator(f'#{chart} [aria-roledescription="bar"]').evaluate_all(
            "nodes => nodes.map(n => n.getAttribute('aria-label'))")
    field = "#label-explorer [data-field='{}']"
    return {
        "logits": bars("label-logits"), "hard": bars("label-hard"), "soft": bars("label-soft"),
        **{name: page.locator(field.format(name)).inner_text()
           for name in ("soft_vector", "hard_vector", "soft_entropy", "hard_entropy")},
    }


def test_course_page_soft_label_for_the_cat(default_page):
    page = default_page
    wait_charts(page, "label-logits", "label-hard", "label-soft")
    page.wait_for_selector('#label-soft[data-rendered-value="cat"]')
    assert page.locator("#label-explorer [data-field='soft_vector']").inner_text() == "[0.55, 0.32, 0.07, 0.04, 0.02]"
    assert shown(page) == expected("cat")


def test_chooser_selects_each_example(open_page):
    """Each example's bars, and a text alternative that says when it describes another setting: it
    was written for the cat photo, with its numbers, and stayed so for every other photo."""
    page = open_page()  # one page, every example in turn, back to the first
    chart = page.locator("#label-logits")
    caption = page.locator("#label-logits ~ figcaption")
    starting = chart.get_attribute("aria-label")
    assert "cat photo" in starting and caption.text_content() == starting
    for example_id in ["dog", "fox", "car", "plane", "cat"]:
        page.get_by_label("Input image").select_option(example_id)
        for name in ("label-logits", "label-hard", "label-soft"):
            page.wait_for_selector(f'#{name}[data-rendered-value="{example_id}"]')
        assert shown(page) == expected(example_id), example_id
        label = page.locator("#label-example option:checked").text_content()
        now = chart.get_attribute("aria-label")
        if example_id == "cat":
            assert now == starting
        else:
            assert now == (f"{starting} (That describes the starting setting. Shown now: {label}; "
                           "the data table lists the values shown.)")
        assert caption.text_content() == now


def test_chooser_works_from_the_keyboard(open_page):
    page = open_page()
    chooser = page.get_by_label("Input image")
    chooser.focus()
    page.keyboard.press("ArrowDown")
    assert chooser.input_value() == "dog"
    page.wait_for_selector('#label-soft[data-rendered-value="dog"]')
    assert shown(page) == expected("dog")
