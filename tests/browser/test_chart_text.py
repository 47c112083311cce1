"""Chart text is legible at every width: at least 12 px, inside its chart and clear of other labels.

Every chart on the page is drawn (folds opened) at a desktop, a tablet and a phone width; each SVG
text element's font size, its box against its SVG's box, and its box against every other label of
the same chart are measured. The training diagram's text is measured as drawn (the SVG scales to its
box), and the layout shown must fit the window: one column on a phone.
"""

from __future__ import annotations

import pytest

from kdsite.charts.common import MIN_FONT_PX
from tests.browser.conftest import PageWatch, draw_every_chart

MEASURE = """() => { const found = {small: [], outside: [], overlapping: []};
  for (const chart of document.querySelectorAll('.chart[data-rendered]')) {
    const svg = chart.querySelector('svg');
    const box = svg.getBoundingClientRect();
    const texts = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim()
        && getComputedStyle(t).opacity !== '0' && t.getAttribute('opacity') !== '0');
    const boxes = texts.map(t => t.getBoundingClientRect());
    texts.forEach((t, i) => {
      const size = parseFloat(getComputedStyle(t).fontSize), r = boxes[i];
      if (size < MIN) found.small.push(`${chart.id}: "${t.textContent}" ${size}px`);
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        found.outside.push(`${chart.id}: "${t.textContent}"`);
      for (let j = i + 1; j < texts.length; j++) {
        const s = boxes[j];
        const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
        const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
        if (w > 2 && h > 2) found.overlapping.push(`${chart.id}: "${t.textContent}" / "${texts[j].textContent}"`);
      }
    });
  }
  // The training diagram (an SVG of our own, scaled to its box): the layout shown at this width,
  // its text at least MIN px as drawn (font size times the SVG's scale), each text inside its box,
  // and the diagram inside the window.
  const diagrams = Array.from(document.querySelectorAll('.flow-svg')).filter(s => s.getClientRects().length);
  if (diagrams.length !== 1) found.outside.push(`${diagrams.length} training diagrams shown`);
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


def drawn_page(browser, site_dir, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    page.watch = PageWatch(page, site_dir.as_uri() + "/")
    page.goto(site_dir.as_uri() + "/index.html")
    page.wait_for_selector("html[data-first-view-ready]", state="attached")
    draw_every_chart(page)
    return context, page


@pytest.mark.parametrize("width", [1280, 768, 375])
def test_chart_text_is_legible_inside_its_chart_and_clear_of_other_labels(browser, site_dir, width):
    phone = {"device_scale_factor": 2, "is_mobile": True, "has_touch": True} if width < 500 else {}
    context, page = drawn_page(browser, site_dir, width, **phone)
    assert page.locator(".chart[data-rendered] svg text").count() > 100
    found = page.evaluate(MEASURE)
    # nothing scrolls sideways at this width either, every fold open and every chart drawn
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
    assert found == {"small": [], "outside": [], "overlapping": []}, width
    assert page.watch.problems == []
