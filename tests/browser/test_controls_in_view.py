"""A figure's controls stay in view beside its main chart: with the chart's bottom at the bottom of
the window, every control of the figure is on screen (the control rows are sticky) and none covers
the chart's top, on a laptop and on a 375 × 667 phone, so moving a control and seeing its effect
never needs scrolling. On the phone a figure's sticky rows take at most 30 % of the window (its
controls in a line each, label beside control), so its chart keeps the rest."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PageWatch

# For each figure with controls: its first chart a reader can see (not in a closed fold) scrolled
# so its bottom meets the window's, then every visible control's box measured against the window.
OUT_OF_VIEW = """() => { const out = []; let figures = 0; const STICKY_SHARE = 0.3;
  for (const panel of document.querySelectorAll('.figure-panel[data-figure]')) {
    const visible = node => !node.closest('details:not([open])');
    const controls = Array.from(panel.querySelectorAll('[data-key]')).filter(visible);
    const chart = Array.from(panel.querySelectorAll('[data-chart]')).find(visible);
    if (!controls.length || !chart) continue;
    figures += 1;
    chart.scrollIntoView({block: 'end', behavior: 'instant'});
    for (const control of controls) {
      const box = control.getBoundingClientRect();
      if (box.top < 0 || box.bottom > innerHeight) out.push(`${panel.id}: ${control.id} at ${Math.round(box.top)}`);
    }
    // and nothing sticky (the contents bar, the figure's control rows) covers the chart's top
    const stuck = Array.from(document.querySelectorAll('.toc-nav, .figure-panel > *'))
      .filter(node => getComputedStyle(node).position === 'sticky' && node.closest('.figure-panel, .toc-nav'))
      .map(node => node.getBoundingClientRect()).filter(box => box.height && box.top < innerHeight / 2);
    const covered = Math.max(0, ...stuck.map(box => box.bottom));
    // on a phone, a figure's sticky rows leave most of the window to its chart
    const rows = Array.from(panel.children).filter(node => getComputedStyle(node).position === 'sticky')
      .reduce((sum, node) => sum + node.getBoundingClientRect().height, 0);
    if (innerWidth < 480 && rows > STICKY_SHARE * innerHeight)
      out.push(`${panel.id}: its sticky rows take ${Math.round(rows)} px of ${innerHeight}`);
    const top = chart.getBoundingClientRect().top;
    if (top < covered - 1) out.push(`${panel.id}: ${chart.id}'s top at ${Math.round(top)} under sticky rows to ${Math.round(covered)}`);
  }
  return [figures, out]; }"""


@pytest.mark.parametrize("width, height", [(1280, 800), (375, 667)])
def test_every_control_is_in_view_with_the_bottom_of_its_main_chart(browser, site_dir, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, reduced_motion="reduce")
    page = context.new_page()
    watch = PageWatch(page, site_dir.as_uri() + "/")
    page.goto(site_dir.as_uri() + "/index.html")
    page.wait_for_selector("html[data-laid-out]", state="attached")
    figures, out_of_view = page.evaluate(OUT_OF_VIEW)
    context.close()
    assert figures >= 6
    assert out_of_view == []
    assert watch.problems == []
