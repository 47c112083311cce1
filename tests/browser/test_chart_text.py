"""Chart text is legible at every width: at least 12 px, inside its chart and clear of other labels.

Every chart on the page is drawn (folds opened) at a desktop, a tablet and a phone width; each SVG
text element's font size, its box against its SVG's box, and its box against every other label of
the same chart are measured. The training diagram's text is measured as drawn (the SVG scales to its
box), and the layout shown must fit the window: one column on a phone.
"""

from __future__ import annotations

import pytest

from kdsite.charts.common import MIN_FONT_PX
from tests.browser.conftest import PageWatch, draw_every_chart, wait_charts

MEASURE = """(ids) => { const found = {small: [], outside: [], overlapping: []};
  const charts = ids ? ids.map(id => document.getElementById(id)).filter(c => c.hasAttribute('data-rendered'))
                     : Array.from(document.querySelectorAll('.chart[data-rendered]'));
  for (const chart of charts) {
    const svg = chart.querySelector('svg');
    const box = svg.getBoundingClientRect();
    const texts = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim()
        && getComputedStyle(t).opacity !== '0' && t.getAttribute('opacity') !== '0');
    const boxes = texts.map(t => t.getBoundingClientRect());
    const points = Array.from(svg.querySelectorAll('.role-mark.mark-symbol path')).filter(point =>
      getComputedStyle(point).opacity !== '0' && point.getAttribute('opacity') !== '0' && point.getBoundingClientRect().width);
    // Tick labels of one axis must also keep apart: touching, "10" and "20" read as "1020", and a
    // category's lines run into the next category's.
    const axis = texts.map(t => t.closest('.role-axis-label') ? t.closest('.role-axis') : null);
    texts.forEach((t, i) => {
      const size = parseFloat(getComputedStyle(t).fontSize), r = boxes[i];
      if (size < MIN) found.small.push(`${chart.id}: "${t.textContent}" ${size}px`);
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        found.outside.push(`${chart.id}: "${t.textContent}"`);
      // a label drawn on the chart (a text mark) keeps clear of every point (a symbol mark)
      if (t.closest('.role-mark.mark-text'))
        for (const point of points) {
          const p = point.getBoundingClientRect();
          if (Math.min(r.right, p.right) - Math.max(r.left, p.left) > 1 && Math.min(r.bottom, p.bottom) - Math.max(r.top, p.top) > 1)
            found.overlapping.push(`${chart.id}: "${t.textContent}" / a point`);
        }
      for (let j = i + 1; j < texts.length; j++) {
        const s = boxes[j];
        const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
        const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
        if ((h > 2 && w > 2) || (axis[i] && axis[i] === axis[j] && w > -2 && h > -2))
          found.overlapping.push(`${chart.id}: "${t.textContent}" / "${texts[j].textContent}"`);
      }
    });
  }
  // The training diagram (an SVG of our own, scaled to its box): the layout shown at this width,
  // its text at least MIN px as drawn (font size times the SVG's scale), each text inside its box,
  // and the diagram inside the window.
  const diagrams = ids ? [] : Array.from(document.querySelectorAll('.flow-svg')).filter(s => s.getClientRects().length);
  if (!ids && diagrams.length !== 1) found.outside.push(`${diagrams.length} training diagrams shown`);
  for (const svg of diagrams) {
    const scale = svg.getScreenCTM().a, box = svg.getBoundingClientRect();
    if (box.left < 0 || box.right > document.documentElement.clientWidth)
      found.outside.push(`diagram: ${box.left}-${box.right} px in a ${document.documentElement.clientWidth} px window`);
    for (const t of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      const r = t.getBoundingClientRect(), s = t.parentNode.querySelector('rect').getBoundingClientRect();
      if (size < MIN) found.small.push(`diagram: "${t.textContent}" ${size.toFixed(1)}px`);
      if (r.left < s.left || r.right > s.right || r.top < s.top || r.bottom > s.bottom)
        found.outside.push(`diagram: "${t.textContent}"`);
    }
  }
  return found; }""".replace("MIN", str(MIN_FONT_PX))


def measure(page, charts: list[str] | None = None) -> dict[str, list[str]]:
    """MEASURE of `charts` (ids; the drawn ones; default: every drawn chart and the training
    diagram)."""
    return page.evaluate(MEASURE, charts)


def drawn_page(browser, site_dir, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    page.watch = PageWatch(page, site_dir.as_uri() + "/")
    page.goto(site_dir.as_uri() + "/index.html")
    page.wait_for_selector("html[data-laid-out]", state="attached")
    draw_every_chart(page)
    return context, page


# 320 px: the narrowest phones, and WCAG's reflow width (a 360 px phone zoomed to 112%). 360 px,
# the commonest Android width: the every-setting test below, with every chart as loaded.
@pytest.mark.parametrize("width", [1280, 768, 320])
def test_chart_text_is_legible_inside_its_chart_and_clear_of_other_labels(browser, site_dir, width):
    """Every chart drawn, every fold open: each text at least MIN_FONT_PX, inside its chart, clear of
    the other texts and (a label drawn on the plot) of every point."""
    phone = {"device_scale_factor": 2, "is_mobile": True, "has_touch": True} if width < 500 else {}
    context, page = drawn_page(browser, site_dir, width, **phone)
    assert page.locator(".chart[data-rendered] svg text").count() > 100
    found = measure(page)
    # nothing scrolls sideways at this width either, every fold open and every chart drawn
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
    assert found == {"small": [], "outside": [], "overlapping": []}, width
    assert page.watch.problems == []


# Each chart's legend: how many lines its entries lie on (labels whose tops are within 3 px share one).
LEGEND_LINES = """(ids) => Object.fromEntries(ids.map(id => {
  const tops = Array.from(document.querySelectorAll(`#${id} svg .role-legend-label text`),
                          text => text.getBoundingClientRect().top).sort((a, b) => a - b);
  return [id, tops.filter((top, i) => i === 0 || top - tops[i - 1] > 3).length];
}))"""


def test_legends_under_or_over_a_wide_chart_take_fewer_lines_and_follow_a_resize(browser, site_dir):
    """Issue 16: a legend lays its entries side by side where its chart is wide (kdsite/charts/common.py
    columns_by_width) and one or two a line on a phone, and follows the window when it is resized."""
    charts = ["roofline-chart", "accuracy-vs-cost-chart", "loss-curves"]
    context, page = drawn_page(browser, site_dir, 1280)
    wide = page.evaluate(LEGEND_LINES, charts)
    page.set_viewport_size({"width": 375, "height": 900})
    page.wait_for_function(f"({LEGEND_LINES})({charts})['roofline-chart'] === 4", timeout=5_000)
    narrow = page.evaluate(LEGEND_LINES, charts)
    context.close()
    assert wide == {"roofline-chart": 2, "accuracy-vs-cost-chart": 1, "loss-curves": 1}
    # the accuracy chart's four entries one a line: two columns left "FP32 → INT8 (same student)"
    # past the chart on a 360 px screen
    assert narrow == {"roofline-chart": 4, "accuracy-vs-cost-chart": 4, "loss-curves": 2}
    assert page.watch.problems == []


# Every figure's controls and the values to try: each select's options; each slider's every position
# when it has at most 8, else its ends and middle.
CONTROL_VALUES = """() => Array.from(document.querySelectorAll('[data-figure][data-charts]')).map(figure => ({
  charts: figure.getAttribute('data-charts').split(' ').filter(Boolean),
  controls: Array.from(figure.querySelectorAll('[data-key]')).map(control => {
    if (control.tagName === 'SELECT') return {id: control.id, values: Array.from(control.options, o => o.value)};
    const low = Number(control.min), step = Number(control.step), count = Math.round((control.max - low) / step);
    const positions = count <= 8 ? Array.from({length: count + 1}, (_, i) => i) : [0, Math.round(count / 2), count];
    return {id: control.id, values: positions.map(i => String(+(low + i * step).toFixed(10)))};
  })})).filter(figure => figure.controls.length)"""

# After a resize: wait until the accuracy scatter's plot width (its x axis line, px) has held for
# three frames, then give it and the names shown.
SCATTER_SETTLED = """async () => {
  const chart = document.getElementById('accuracy-vs-size-chart');
  const plot = () => Math.max(0, ...Array.from(chart.querySelectorAll('.role-axis-domain line'),
                                               line => Number(line.getAttribute('x2'))));
  for (let last = -1, same = 0; same < 3; ) {
    await new Promise(resolve => requestAnimationFrame(resolve));
    const now = plot();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return {plot: plot(), shown: Array.from(chart.querySelectorAll('.role-mark.mark-text text'))
                                     .filter(t => t.getAttribute('opacity') !== '0').length};
}"""


def test_scatter_names_keep_clear_of_points_at_every_width(open_page):
    """The accuracy scatter's model names (kdsite/charts/accuracy.py place_names) at window widths
    from a phone's to a laptop's, across every band of plot widths: no name on a point, on another
    name or outside the chart; none on a plot under 500 px; every name on one of 600 px or more."""
    page = open_page("#hardware")
    wait_charts(page, "accuracy-vs-size-chart")
    problems, seen = [], []
    for width in (560, 600, 640, 660, 700, 740, 760, 800, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        seen.append(page.evaluate(SCATTER_SETTLED))
        found = measure(page, ["accuracy-vs-size-chart"])
        problems += [f"{width} px: {item}" for kind in found for item in found[kind]]
    assert problems == []
    assert min(s["plot"] for s in seen) < 500 < 600 < max(s["plot"] for s in seen), seen
    assert all(s["shown"] == 0 for s in seen if s["plot"] < 500), seen
    assert {s["shown"] for s in seen if s["plot"] >= 600} == {max(s["shown"] for s in seen)}, seen


# Set one control and wait until every chart of its figure shows the new setting (site.js marks each
# chart with its controls' values, data-rendered-value): no sleep, the page says when it is drawn.
SET_AND_WAIT = """async ([id, value, charts]) => {
  const control = document.getElementById(id);
  control.value = value;
  control.dispatchEvent(new Event('input', {bubbles: true}));
  const figure = control.closest('[data-figure]');
  const state = Array.from(figure.querySelectorAll('[data-key]'),
                           c => c.type === 'range' ? String(Number(c.value)) : c.value).join('|');
  const drawn = () => charts.every(chart => document.getElementById(chart).getAttribute('data-rendered-value') === state);
  for (let waited = 0; !drawn(); waited += 20) {
    if (waited > 5000) throw new Error(`#${id} = ${value}: not drawn within 5 s`);
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }
}"""


@pytest.mark.parametrize("width", [360, 320])
def test_chart_text_stays_legible_at_every_control_setting(browser, site_dir, width):
    """At a phone's width, every chart as loaded, then each control of each figure moved through its
    values (a select's every option; a slider's every position, or its ends and middle if it has
    more than 8), one at a time from the defaults: no chart text of that
    figure overlaps another, leaves its chart or is under 12 px at any of them (a full bar's printed
    value at the lowest T, the lab digits' two printed values when their bars are close)."""
    context, page = drawn_page(browser, site_dir, width, device_scale_factor=2, is_mobile=True, has_touch=True)
    loaded = measure(page)
    problems, settings = [f"as loaded: {item}" for kind in loaded for item in loaded[kind]], 0
    for figure in page.evaluate(CONTROL_VALUES):
        for control in figure["controls"]:
            original = page.evaluate("id => document.getElementById(id).value", control["id"])
            for value in control["values"] + [original]:
                page.evaluate(SET_AND_WAIT, [control["id"], value, figure["charts"]])
                settings += 1
                found = measure(page, figure["charts"])  # the charts this control can change
                problems += [f"#{control['id']} = {value}: {item}" for kind in found for item in found[kind]]
    context.close()
    assert settings > 40 and problems == []
    assert page.watch.problems == []
