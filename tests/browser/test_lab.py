"""The lab section in a real browser: keyboard-driven controls select the cached runs' numbers.

The expected values are recomputed from the fixture lab's results the build used (read back from
the test cache by the session's `science` fixture, never at import) and from their raw per-seed
arrays, then compared with what the page's readouts and the charts'
marks (their ARIA labels) show.
"""

import numpy as np
import pytest

from kdsite.charts.lab import LOSS_COLORS
from kdsite.charts.numbers import percent
from kdsite.content.lab import load_lab_config
from kdsite.science.softmax import softmax_with_temperature
from tests.browser.conftest import OPEN_ANCESTORS, wait_charts
from tests.helpers import FIXTURE_CONTENT

# The grid's shape comes from the configuration (read, not trained) so tests can be parametrized.
CONFIG = load_lab_config(FIXTURE_CONTENT / "lab.yaml", "content/lab.yaml")
TEMPERATURES = [float(t) for t in CONFIG.grid.temperatures]
ALPHAS = [float(a) for a in CONFIG.grid.alphas]
DEFAULT_INDEX = TEMPERATURES.index(float(CONFIG.size_sweep.temperature))
DEFAULT_ALPHA = float(CONFIG.size_sweep.alpha)


@pytest.fixture(scope="module")
def lab(science):
    return science.lab


def mean_std(values) -> str:
    values = np.asarray(values, dtype=np.float64)
    return f"{100 * values.mean():.1f}% ± {100 * values.std(ddof=1):.1f}"


def js_number(value: float) -> str:
    """A number as JavaScript's String(Number) prints it (0.75, 1, 0)."""
    return f"{value:g}"


def expected_run(lab, index: int, alpha: float) -> dict:
    GRID = lab.grid  # noqa: N806 - the grid, as in the expected values below
    j = ALPHAS.index(alpha)
    final = GRID.test_accuracy[index, j, :, -1]
    t = js_number(TEMPERATURES[index])
    return {
        "temperature_label": t,
        "alpha_label": js_number(alpha),
        "final_accuracy": mean_std(final),
        "accuracy_point": (f"Run: T = {t}, α = {js_number(alpha)}; Epoch: {int(GRID.epochs[-1])}; "
                           f"Test accuracy: {percent(final.mean())}"),
        "total_loss": f"Value (nats): {GRID.total[index, j, :, -1].mean():.4g}",
        "cell": f"T: {t}; α: {js_number(alpha)}; Final test accuracy: {mean_std(final)}; Selected: yes",
    }


def shown_run(page) -> dict:
    figure = page.locator("#lab-curves")
    labels = "nodes => nodes.map(n => n.getAttribute('aria-label'))"
    accuracy_points = page.locator('#lab-accuracy [aria-roledescription="point"]').evaluate_all(labels)
    loss_points = page.locator('#lab-losses [aria-roledescription="point"]').evaluate_all(labels)
    cells = page.locator('#lab-grid [aria-roledescription="rect mark"]').evaluate_all(labels)
    return {
        "temperature_label": figure.locator('[data-field="temperature_label"]').inner_text(),
        "alpha_label": figure.locator('[data-field="alpha_label"]').inner_text(),
        "final_accuracy": figure.locator('[data-field="final_accuracy"]').inner_text(),
        "accuracy_point": next(label for label in accuracy_points if label.startswith("Run: T =")),
        "total_loss": next(label for label in loss_points if label.startswith("Loss: Total")),
        "cell": next(label for label in cells if label.endswith("Selected: yes")),
    }


def wait_rendered(page, index: int, alpha: float) -> None:
    state = f"{index}|{js_number(alpha)}"
    for chart in ("lab-losses", "lab-accuracy", "lab-grid"):
        page.locator(f"#{chart}").evaluate(OPEN_ANCESTORS)  # the grid sits in a "Go deeper" block
        page.locator(f"#{chart}").scroll_into_view_if_needed()
        page.wait_for_selector(f'#{chart}[data-rendered-value="{state}"]', timeout=10_000)


def matches(shown: dict, expected: dict) -> None:
    assert shown["temperature_label"] == expected["temperature_label"]
    assert shown["alpha_label"] == expected["alpha_label"]
    assert shown["final_accuracy"] == expected["final_accuracy"]
    assert shown["accuracy_point"].startswith(expected["accuracy_point"])
    assert shown["total_loss"].endswith(expected["total_loss"])
    assert shown["cell"] == expected["cell"]


def test_section_and_labelled_controls_exist(default_page):
    page = default_page
    section = page.locator("section#lab")
    assert section.count() == 1
    assert section.locator("h2").inner_text() == "KD lab: a real distillation run"
    curves = page.locator("#lab-curves")
    temperature = curves.get_by_label("Temperature T", exact=True)
    assert temperature.get_attribute("type") == "range"
    assert (temperature.get_attribute("min"), temperature.get_attribute("max")) == ("0", str(len(TEMPERATURES) - 1))
    alpha = curves.get_by_label("α (soft-loss weight)", exact=True)
    assert (alpha.get_attribute("min"), alpha.get_attribute("max")) == ("0", "1")
    charts = ("lab-losses", "lab-accuracy", "lab-grid", "lab-size-sweep-chart", "lab-omitted-accuracy",
              "lab-omitted-errors", "lab-digit-0")
    wait_charts(page, *charts)
    for chart in charts:
        assert page.locator(f"#{chart} svg").count() == 1, chart


@pytest.mark.http_smoke  # also over HTTP (tests/browser/conftest.py)
def test_default_run_shows_the_cached_numbers(open_page, lab):
    page = open_page()
    wait_rendered(page, DEFAULT_INDEX, DEFAULT_ALPHA)
    matches(shown_run(page), expected_run(lab, DEFAULT_INDEX, DEFAULT_ALPHA))


def test_the_total_loss_is_drawn_under_its_parts(default_page):
    """Where the total equals a part (at T = 1 the three curves coincide), the part's line shows on
    top of the total's wider one instead of hiding it."""
    wait_charts(default_page, "lab-losses")
    lines = default_page.locator("#lab-losses path[aria-roledescription='line mark']").evaluate_all(
        "nodes => nodes.map(n => [n.getAttribute('stroke'), Number(n.getAttribute('stroke-width'))])")
    order = [stroke for stroke, _ in lines]
    widths = dict(lines)
    assert all(order.index(LOSS_COLORS[0]) < order.index(colour) for colour in LOSS_COLORS[1:])
    assert all(widths[LOSS_COLORS[0]] > widths[colour] for colour in LOSS_COLORS[1:])


def test_keyboard_selects_the_run_whose_numbers_the_cache_holds(open_page, lab):
    page = open_page()  # one page, the moves in turn from the default run
    last = len(TEMPERATURES) - 1
    for control, key, presses, index, alpha in [
            ("Temperature T", "ArrowLeft", DEFAULT_INDEX, 0, DEFAULT_ALPHA),
            ("Temperature T", "End", 1, last, DEFAULT_ALPHA),
            ("α (soft-loss weight)", "Home", 1, last, ALPHAS[0]),
            ("α (soft-loss weight)", "ArrowRight", 1, last, ALPHAS[1]),
            ("Temperature T", "Home", 1, 0, ALPHAS[1])]:
        slider = page.locator("#lab-curves").get_by_label(control, exact=True)
        slider.focus()
        for _ in range(presses):
            page.keyboard.press(key)
        wait_rendered(page, index, alpha)
        matches(shown_run(page), expected_run(lab, index, alpha))
        temperature = page.locator("#lab-curves").get_by_label("Temperature T", exact=True)
        assert temperature.get_attribute("aria-valuetext") == f"T = {js_number(TEMPERATURES[index])}"
        alpha_slider = page.locator("#lab-curves").get_by_label("α (soft-loss weight)", exact=True)
        assert alpha_slider.get_attribute("aria-valuetext") == f"α = {js_number(alpha)}"


def test_both_sliders_together(open_page, lab):
    page = open_page()
    curves = page.locator("#lab-curves")
    curves.get_by_label("Temperature T", exact=True).focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    curves.get_by_label("α (soft-loss weight)", exact=True).focus()
    page.keyboard.press("End")
    wait_rendered(page, 1, 1.0)
    matches(shown_run(page), expected_run(lab, 1, 1.0))


def test_size_sweep_select_shows_each_transfer_sets_points(open_page, lab):
    page = open_page()
    sweep = lab.size_sweep
    select = page.locator("#lab-size-sweep").get_by_label("Transfer set", exact=True)
    for f, count in enumerate(sweep.transfer_counts):
        select.focus()
        select.select_option(str(count))
        page.wait_for_selector(f'#lab-size-sweep-chart[data-rendered-value="{count}"]', timeout=10_000)
        labels = page.locator('#lab-size-sweep-chart [aria-roledescription="point"]').evaluate_all(
            "nodes => nodes.map(n => n.getAttribute('aria-label'))")
        assert len(labels) == 2 * len(sweep.widths)
        expected = {f"Width: {int(w)}; Parameters: {int(p):,}; Transfer set: {int(count):,} digits; "
                    f"Test accuracy: {mean_std(per_seed[f, k])}"
                    for per_seed in (sweep.scratch_accuracy, sweep.distilled_accuracy)
                    for k, (w, p) in enumerate(zip(sweep.widths, sweep.parameter_counts))}
        found = {label.split("; ", 1)[1].rsplit("; Seeds", 1)[0] for label in labels}
        assert found == expected


def test_omitted_digit_points_are_the_per_seed_results(default_page, lab):
    page = default_page
    omitted = lab.omitted_class
    wait_charts(page, "lab-omitted-errors", "lab-omitted-accuracy")
    labels = page.locator('#lab-omitted-errors [aria-roledescription="point"]').evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('aria-label'))")
    distilled_after = sorted(int(label.rsplit(": ", 1)[1]) for label in labels
                             if label.startswith("Student: Distilled") and "Bias shift: after" in label)
    assert distilled_after == sorted(int(e) for e in omitted.distilled.test_errors_after)
    hard_before = [label for label in page.locator('#lab-omitted-accuracy [aria-roledescription="point"]').evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('aria-label'))") if label.startswith("Student: Hard labels only")
        and "Bias shift: before" in label]
    assert len(hard_before) == len(omitted.seeds)
    assert all(f"{omitted.digit}s correct: {percent(0.0)}" in label for label in hard_before)


def expected_digit(lab, k: int, index: int) -> tuple[str, list[str]]:
    examples = lab.soft_labels
    p = softmax_with_temperature(np.asarray(examples.teacher_logits[k], dtype=float), TEMPERATURES[index])
    first, second = np.argsort(-p, kind="stable")[:2]
    alt = (f"8×8 image of a handwritten {int(examples.labels[k])} (scikit-learn digit "
           f"{int(examples.dataset_indices[k])}). Teacher's top two at T = {js_number(TEMPERATURES[index])}: "
           f"{first} ({percent(p[first])}), {second} ({percent(p[second])}).")
    bars = [f"Digit: {d}; Role: {'true digit' if d == int(examples.labels[k]) else 'other digit'}; "
            f"Probability: {percent(p[d])}" for d in range(10)]
    return alt, bars


def test_soft_label_images_have_alt_text_that_follows_the_temperature(open_page, lab):
    page = open_page()
    figure = page.locator("#lab-soft-labels")
    images = figure.locator("svg.lab-digit-image[role='img']")
    count = len(lab.soft_labels.labels)
    assert images.count() == count
    assert images.first.locator("rect").count() == 1 + int(np.count_nonzero(lab.soft_labels.images[0]))
    for k in range(count):
        alt, _ = expected_digit(lab, k, 0)
        assert figure.get_by_role("img", name=alt, exact=True).count() == 1
    slider = figure.get_by_label("Temperature T", exact=True)
    slider.focus()
    page.keyboard.press("End")
    last = len(TEMPERATURES) - 1
    for k in range(count):
        page.wait_for_selector(f'#lab-digit-{k}[data-rendered-value="{last}"]', timeout=10_000)
    assert slider.get_attribute("aria-valuetext") == f"T = {js_number(TEMPERATURES[last])}"
    for k in range(count):
        alt, bars = expected_digit(lab, k, last)
        assert figure.get_by_role("img", name=alt, exact=True).count() == 1
        shown = page.locator(f'#lab-digit-{k} [aria-roledescription="bar"]').evaluate_all(
            "nodes => nodes.map(n => n.getAttribute('aria-label'))")
        assert shown == bars


def test_the_lab_sliders_links_carry_t_not_a_position(open_page):
    """A link says lab-temperature=8 (T), and loading it selects the position of T = 8; a T
    between grid points lands on the nearest (the same rule as the temperature explorer's)."""
    from tests.browser.test_reader import settled_hash

    temperatures = list(CONFIG.grid.temperatures)
    page = open_page("#lab")
    page.locator("#lab-temperature").focus()
    page.keyboard.press("End")
    assert settled_hash(page, lambda h: f"lab-temperature={js_number(temperatures[-1])}" in h)
    for asked, landed in ((temperatures[-1], len(temperatures) - 1), (temperatures[1] + 0.1, 1)):
        page = open_page(f"#lab?lab-temperature={js_number(asked)}&lab-digit-temperature={js_number(asked)}")
        assert page.locator("#lab-temperature").input_value() == str(landed)
        assert page.locator("#lab-digit-temperature").input_value() == str(landed)
