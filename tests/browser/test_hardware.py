"""The why and hardware sections in a real browser: choosers move the roofline points and update the
bound-by labels and savings cards to the model's values; scatter tooltips name their sources."""

from __future__ import annotations

import re

import pytest

from kdsite.content.load import load_content
from kdsite.charts import numbers as fmt
from kdsite.figures import roofline, savings, why
from kdsite.content.hardware_page import load_hardware_page
from kdsite.build.results import Science
from tests.browser.conftest import open_folds, wait_charts
from tests.browser.test_chart_text import measure
from tests.helpers import CACHE, FIXTURE_CONTENT

# The fixture's content; the hardware model is pure numpy (no lab), computed in milliseconds.
CONTENT = load_content(FIXTURE_CONTENT)
SCIENCE = Science(CONTENT, CACHE)
RESULTS = SCIENCE.hardware
PAGE = load_hardware_page(FIXTURE_CONTENT)
LABELS = {key: label for key, label in ((w.key, w.label) for w in RESULTS.workloads)}


def choose(page, device: str, traffic_model: str, layers: str = "none") -> None:
    page.locator("#roofline-device").select_option(device)
    page.locator("#roofline-traffic").select_option(traffic_model)
    page.locator("#roofline-layers").select_option(layers)
    page.wait_for_selector(f'#roofline-chart[data-rendered-value="{device}|{traffic_model}|{layers}"]',
                           timeout=10_000)


def shown_points(page) -> dict[str, str]:
    labels = page.locator('#roofline-chart path[aria-roledescription="point"]').evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('aria-label'))")
    return {label.split(";")[0].removeprefix("Workload: "): label for label in labels
            if label.startswith("Workload: ")}


def expected_point_label(device: str, traffic_model: str, key: str) -> str:
    point = RESULTS.point(device, traffic_model, key)
    roof = point.roofline
    return (f"Workload: {LABELS[key]}; Intensity: {fmt.ops_per_byte(roof.arithmetic_intensity)}; "
            f"Attainable: {fmt.giga_ops(roof.attainable_ops_per_s)}; Bound by: {roofline.bound_text(point)}; "
            f"Latency, lower bound at the peak: {fmt.milliseconds(roof.latency_ms)}")


def field(page, name: str) -> str:
    return page.locator(f'#roofline-explorer [data-field="{name}"]').first.inner_text()


def test_sections_and_labelled_choosers_exist(default_page):
    page = default_page
    assert page.locator("section#why").count() == 1 and page.locator("section#hardware").count() == 1
    for label in ("Device", "Traffic model", "Points"):
        assert page.get_by_label(label, exact=True).evaluate("n => n.tagName") == "SELECT"
    assert page.locator("#why .admonition").count() == 1 and page.locator("#hardware .admonition").count() == 1
    charts = ("cost-comparison-chart", "accuracy-vs-size-chart", "energy-chart", "roofline-chart")
    wait_charts(page, *charts)
    for chart in charts:
        assert page.locator(f"#{chart} svg").count() == 1


def test_model_cards_show_the_model_values(default_page):
    page = default_page
    cards = why.model_cards(CONTENT, SCIENCE)["cards"]
    for card in cards:
        article = page.locator(f".model-card-{card['role_key']}")
        for metric in ("params", "macs", "footprint", "latency"):
            assert article.locator(f'[data-metric="{metric}"]').inner_text() == card[metric]
        assert article.locator('[data-metric="top1"]').inner_text().startswith(card["top1"])
        assert "MODELED" in article.inner_text().upper()


CHOICES = [("raspberry_pi_4", "weights_activations"), ("jetson_orin_nano", "weights"), ("jetson_orin_nano", "on_chip"),
           ("coral_edge_tpu", "on_chip"), ("jetson_nano", "weights_activations")]


def test_choosers_move_points_and_update_bound_labels_and_cards(open_page):
    page = open_page()  # one page, the choices in turn
    open_folds(page)  # the numbers sit in "Go deeper" blocks
    for device, traffic_model in CHOICES:
        choose(page, device, traffic_model)
        supported = [key for key in roofline.SHOWN if RESULTS.point(device, traffic_model, key).supported]
        assert shown_points(page) == {LABELS[key]: expected_point_label(device, traffic_model, key) for key in supported}
        for key in roofline.SHOWN:
            point = RESULTS.point(device, traffic_model, key)
            assert field(page, f"{key}_bound") == roofline.bound_text(point)
            if point.supported:
                assert field(page, f"{key}_ai") == fmt.ops_per_byte(point.roofline.arithmetic_intensity)
                assert field(page, f"{key}_ridge") == fmt.ops_per_byte(point.roofline.ridge_point)
                assert field(page, f"{key}_latency") == fmt.milliseconds(point.roofline.latency_ms)
                refined = CONTENT.hardware.devices[device].has_layer_model
                assert field(page, f"{key}_layer_model") == (
                    fmt.milliseconds(point.roofline.layer_model_ms) if refined else "—")
        assert field(page, "device_layer_model") == roofline.layer_model_text(CONTENT, device)
        cards = savings.device_card_fields(CONTENT, SCIENCE, device, traffic_model)
        before = "teacher_fp32" if RESULTS.point(device, traffic_model, "teacher_fp32").supported else "teacher_int8"
        teacher = RESULTS.point(device, traffic_model, before).roofline.latency_ms
        student = RESULTS.point(device, traffic_model, "student_int8").roofline.latency_ms
        assert field(page, "latency_before") == fmt.milliseconds(teacher)
        assert field(page, "latency_after") == fmt.milliseconds(student)
        assert "latency_reduction" not in cards
        assert field(page, "energy_reduction") == cards["energy_reduction"]
        # Two lower bounds make no speed-up factor and no percentage saving: the card says why.
        latency_card = " ".join(page.locator('#roofline-explorer [data-card="latency"]').text_content().split())
        assert "Two lower bounds do not give the speed-up to expect" in latency_card and "no ratio given" in latency_card
        assert "×" not in latency_card and "%" not in latency_card, latency_card
        ridge_labels = page.locator('#roofline-chart path[aria-roledescription="point"]').evaluate_all(
            "nodes => nodes.map(n => n.getAttribute('aria-label')).filter(l => l.startsWith('Ridge point'))")
        ridges = {fmt.ops_per_byte(RESULTS.point(device, traffic_model, key).roofline.ridge_point) for key in supported}
        assert {label.split(";")[0].removeprefix("Ridge point: ") for label in ridge_labels} == ridges


def test_layer_points_appear_only_when_chosen(open_page):
    page = open_page()
    layer_points = '#roofline-chart path[aria-roledescription="point"][aria-label^="Layer:"]'
    choose(page, "jetson_orin_nano", "weights_activations")
    assert page.locator(layer_points).count() == 0
    assert chart_texts(page).count(roofline.LAYER_KEY[0]) == 0
    choose(page, "jetson_orin_nano", "weights_activations", "student_int8")
    expected = [row for row in roofline.layer_rows(CONTENT, SCIENCE)
                if (row["device"], row["traffic_model"]) == ("jetson_orin_nano", "weights_activations")]
    assert page.locator(layer_points).count() == len(expected) == len(CONTENT.hardware.layers["mobilenet_v2"])
    # The legend names whole networks only: the chart keys the small circles itself.
    assert chart_texts(page).count(roofline.LAYER_KEY[0]) == 1 and roofline.LAYER_KEY[1] in chart_texts(page)


def chart_texts(page) -> list[str]:
    """The roofline's shown text, a line each (Vega draws a text of several lines as tspans)."""
    return page.locator("#roofline-chart svg text").evaluate_all(
        "nodes => nodes.filter(n => getComputedStyle(n).opacity !== '0' && n.getAttribute('opacity') !== '0')"
        ".flatMap(n => n.querySelector('tspan') ? Array.from(n.querySelectorAll('tspan'), t => t.textContent)"
        " : [n.textContent])")


@pytest.mark.parametrize("width", [360, 1280])
def test_every_device_says_which_points_it_cannot_run_and_its_labels_stay_legible(browser, site_dir, width):
    """A device that cannot run a precision says so inside the chart (its legend still lists every
    workload); at a phone's and a laptop's width no label of any device's roofline, with or without
    the layer points, overlaps another or leaves the chart."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_dir.as_uri() + "/index.html#roofline-explorer")
    page.wait_for_selector("html[data-laid-out]", state="attached", timeout=20_000)
    notes = {row["device"]: row["lines"] for row in roofline.absent_notes(CONTENT, SCIENCE)}
    assert notes, "the fixture has a device that cannot run a precision"
    problems = []
    for device in CONTENT.hardware.devices:
        cannot = [key for key in roofline.SHOWN if not RESULTS.point(device, "weights", key).supported]
        for layers in roofline.LAYER_CHOICES:
            choose(page, device, "weights", layers)
            texts = chart_texts(page)
            assert all(line in texts for line in notes.get(device, [])), (device, texts)
            assert bool(cannot) == (device in notes) and (not cannot or LABELS[cannot[0]].split(", ")[-1]
                                                         in notes[device][0])
            found = measure(page, ["roofline-chart"])
            problems += [f"{device}, {layers}: {item}" for kind in ("outside", "overlapping") for item in found[kind]]
    context.close()
    assert problems == []


def test_scatter_tooltip_names_the_source(default_page):
    page = default_page
    wait_charts(page, "accuracy-vs-size-chart")
    points = page.locator('#accuracy-vs-size-chart path[aria-roledescription="point"]')
    labels = points.evaluate_all("nodes => nodes.map(n => n.getAttribute('aria-label'))")
    index = next(i for i, label in enumerate(labels) if "Method: KD (Hinton et al.)" in label
                 and "RangeAugment" in label)
    points.nth(index).scroll_into_view_if_needed()
    points.nth(index).hover(force=True)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    reference = CONTENT.reference("apple_rangeaugment")
    assert "MobileNetV2" in text and "73.4%" in text and "Distilled with KD" in text
    assert reference.title in text and f"[{reference.number}]" in text


def test_every_percentage_shown_is_computed_from_the_data(default_page):
    page = default_page
    open_folds(page)  # the numbers sit in "Go deeper" blocks
    comparisons = why.why_comparisons(CONTENT, SCIENCE, PAGE.default_device, PAGE.default_traffic_model)
    why_shown = page.locator("#cost-comparison .reduction").all_inner_texts()
    assert why_shown == [f"{100 * (1 - c.after / c.before):.1f}%" for c in comparisons if not c.bounds]
    # the latency row's two lower bounds give none (the levers' rule)
    assert [c.label.split(",")[0] for c in comparisons if c.bounds] == ["Latency"]
    assert "none: both are lower bounds" in page.locator("#cost-comparison table").inner_text()
    bar_labels = page.locator('#cost-comparison-chart [aria-roledescription="bar"]').evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('aria-label'))")
    assert [re.search(r"Reduction: ([\d.]+%)", label).group(1) for label in bar_labels if "Student" in label] == why_shown
    cards = savings.static_cards(CONTENT, SCIENCE, PAGE)
    teacher, student = RESULTS.models["resnet152"], RESULTS.models["mobilenet_v2"]
    expected = {
        "params": f"{100 * (1 - student.params / teacher.params):.1f}%",
        "macs": f"{100 * (1 - student.macs / teacher.macs):.1f}%",
        "footprint": f"{100 * (1 - student.footprint_mb['int8'] / teacher.footprint_mb['fp32']):.1f}%",
    }
    for card, value in expected.items():
        assert page.locator(f'[data-card="{card}"] .reduction').inner_text() == value == getattr(
            cards[card], "reduction_text")
    energy = RESULTS.energy
    assert page.locator('[data-energy="reduction"]').inner_text() == \
        f"{100 * (1 - energy['student_int8'].total_mj / energy['teacher_fp32'].total_mj):.1f}%"
    accuracy = page.locator('[data-card="accuracy"]').inner_text()
    assert fmt.points(student.top1_percent - teacher.top1_percent) in accuracy
    int8 = CONTENT.hardware.models["mobilenet_v2"].int8_top1.percent  # the cost cards cost the INT8 student
    assert page.locator('[data-card="accuracy"] .after').inner_text() == fmt.top1(int8)
    for line in cards["published"]:
        assert line["baseline"] in accuracy and (line["kd"] or "") in accuracy
    assert "74.7" not in page.locator("#hardware").inner_text().replace('"74.7%"', "")
