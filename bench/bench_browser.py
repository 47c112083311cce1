"""In headless Chromium from file://: time to all charts rendered, and control-to-render latency.

Both are measured inside the page with performance.now(), so Playwright's round trips are not
counted: the load time is when a MutationObserver (installed before any page script) sees
<html data-charts-ready> appear, relative to navigation start; a control's latency runs from just
before its value is set to the MutationObserver callback that sees every chart of its figure carry
the new data-rendered-value.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
from pathlib import Path

import vl_convert

from kdsite.page.runtime import vegalite_version
from tests.chromium import CHROMIUM_ARGS, INSTALL_HINT, system_chromium

VIEWPORT = {"width": 1280, "height": 900}

# Records when <html> gets data-first-view-ready (every chart in the viewport rendered: the page is
# ready to read) and data-charts-ready (every chart rendered), and checks the first claim itself:
# how many charts a reader can see (intersecting the viewport, not in a closed block) lack data-rendered. At the first view it also
# counts the DOM's elements and the bytes transferred so far, and leaves a User Timing mark.
MARK_READY = """
(() => {
  const observer = new MutationObserver(() => {
    const root = document.documentElement;
    if (!root) return;
    if (root.hasAttribute("data-first-view-ready") && window.__benchFirstView === undefined) {
      window.__benchFirstView = performance.now();
      performance.mark("kdsite-first-view");   // for a trace (bench_phone.py)
      window.__benchElements = document.getElementsByTagName("*").length;
      // Bytes over the wire (headers + compressed body) of what has arrived by now; 0 from file://.
      window.__benchBytes = performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
        .filter((entry) => entry.responseEnd > 0 && entry.responseEnd <= window.__benchFirstView)
        .reduce((sum, entry) => sum + entry.transferSize, 0);
      // A chart inside a closed <details> is not shown, though Chromium gives it a box where it would be.
      const inView = Array.from(document.querySelectorAll("[data-chart]")).filter((chart) => {
        const box = chart.getBoundingClientRect();
        return box.bottom > 0 && box.top < innerHeight && box.height > 0 && !chart.closest("details:not([open])");
      });
      window.__benchInView = inView.length;
      window.__benchUnrendered = inView.filter((chart) => !chart.hasAttribute("data-rendered")).map((chart) => chart.id);
    }
    if (root.hasAttribute("data-charts-ready") && window.__benchReady === undefined) {
      window.__benchReady = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {attributes: true, subtree: true,
                              attributeFilter: ["data-first-view-ready", "data-charts-ready"]});
})();
"""

# One control, N changes; resolves to the list of latencies in ms (or throws with the reason).
CONTROL_LATENCY = """
async ([figureIndex, controlIndex, changes]) => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const figure = document.querySelectorAll("[data-figure]")[figureIndex];
  figure.scrollIntoView({block: "start", behavior: "instant"});   // where a reader using it would be
  await frame();
  await frame();
  const controls = Array.from(figure.querySelectorAll("[data-key]"));
  const control = controls[controlIndex];
  // A reader using a control inside a closed "Go deeper" block has opened it; a chart still in a
  // closed block has no width to draw at and waits until it opens: only the charts shown are waited for.
  for (let node = control.parentElement; node; node = node.parentElement) {
    if (node.tagName === "DETAILS") node.open = true;
  }
  await frame();
  const charts = (figure.getAttribute("data-charts") || "").split(" ").filter(Boolean)
    .map((id) => document.getElementById(id)).filter((chart) => !chart.closest("details:not([open])"));
  const valueOf = (c) => c.type === "range" ? String(Number(c.value)) : c.value;
  const stateOf = () => controls.map(valueOf).join("|");   // site.js's data-rendered-value
  let values;
  if (control.type === "range") {
    const min = Number(control.min), max = Number(control.max), step = Number(control.step) || 1;
    const count = Math.round((max - min) / step);
    values = Array.from({length: count + 1}, (_, i) => String(+(min + i * step).toFixed(10)));
  } else if (control.tagName === "SELECT") {
    values = Array.from(control.options).filter((o) => !o.disabled).map((o) => o.value);
  } else {
    throw new Error("unsupported control " + control.tagName);
  }
  if (values.length < 2) throw new Error("fewer than two values");
  const original = control.value;
  // Walk through the values back and forth from the current one: every change is a real change.
  let index = Math.max(0, values.findIndex((v) => Number(v) === Number(control.value) || v === control.value));
  let direction = index === values.length - 1 ? -1 : 1;
  const nextValue = () => {
    if (index + direction < 0 || index + direction >= values.length) direction = -direction;
    index += direction;
    return values[index];
  };
  const change = (value) => new Promise((resolve, reject) => {
    let began, expected;
    const done = () => charts.every((chart) => chart.getAttribute("data-rendered-value") === expected);
    const observer = new MutationObserver(() => {
      if (done()) { const ended = performance.now(); observer.disconnect(); clearTimeout(timer); resolve(ended - began); }
    });
    charts.forEach((chart) => observer.observe(chart, {attributes: true, attributeFilter: ["data-rendered-value"]}));
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error("no render within 5 s for " + value)); }, 5000);
    began = performance.now();
    control.value = value;
    expected = stateOf();
    control.dispatchEvent(new Event("input", {bubbles: true}));
    if (!charts.length) { observer.disconnect(); clearTimeout(timer); resolve(performance.now() - began); }
  });
  const times = [];
  for (let i = 0; i < changes; i += 1) {
    times.push(await change(nextValue()));
    await frame();   // one change per frame at most, as a user's input arrives
  }
  if (control.value !== original) await change(original);
  return times;
}
"""

BASELINE_SPEC = {
    "data": {"values": [{"k": "A", "v": 28}, {"k": "B", "v": 55}, {"k": "C", "v": 43}]},
    "mark": "bar",
    "encoding": {"x": {"field": "k", "type": "nominal"}, "y": {"field": "v", "type": "quantitative"}},
}

# Drawn the way the site draws (templates/static/site.js, draw()): a Vega spec compiled beforehand.
BASELINE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>baseline: one chart</title></head>
<body><div id="chart"></div>
<script src="{runtime}"></script>
<script>
new vega.View(vega.parse({spec}, null, {{ast: true}}), {{
  container: "#chart", renderer: "svg", expr: vegaExpressionInterpreter
}}).runAsync().then(function () {{
  document.documentElement.setAttribute("data-first-view-ready", "true");
  document.documentElement.setAttribute("data-charts-ready", "true");
}});
</script></body></html>
"""


def write_baseline(site: Path, folder: Path) -> Path:
    """A page holding only the site's Vega runtime and one 3-bar chart; returns its index.html."""
    runtime = next(iter(sorted((site / "assets").glob("vega-runtime-*.js"))))
    shutil.copy(runtime, folder / runtime.name)
    page = folder / "index.html"
    spec = vl_convert.vegalite_to_vega(BASELINE_SPEC, vl_version=vegalite_version())
    page.write_text(BASELINE_HTML.format(runtime=runtime.name, spec=json.dumps(spec)), "utf-8")
    return page


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def summary(runs: list[dict]) -> dict:
    """Medians of several loads of one address, with the first-view times of every load."""
    return {"first_view_median_ms": statistics.median(r["first_view_ms"] for r in runs),
            "all_median_ms": statistics.median(r["all_ms"] for r in runs),
            "interactive_median_ms": statistics.median(r["interactive_ms"] for r in runs),
            "dcl_median_ms": statistics.median(r["dcl_ms"] for r in runs),
            # after the parse: the deferred scripts (at a link to a section with a chart, the runtime and
            # the section's specs, written by the early loader, then site.js) and the charts in view
            # drawn, per load, then the median; not meaningful for the one-chart page, whose inline
            # script draws its chart while the page is parsed
            "after_parse_median_ms": statistics.median(r["first_view_ms"] - r["interactive_ms"] for r in runs),
            "in_view": max(r["in_view"] for r in runs),
            "first_view_runs_ms": [r["first_view_ms"] for r in runs],
            "unrendered": sorted({chart for r in runs for chart in r["unrendered"]}),
            "requests": runs[0]["requests"], "print_copies": runs[0].get("print_copies", []),
            "errors": sorted({e for r in runs for e in r["errors"]})}


class Browser:
    """A launched Chromium; `with Browser() as b:` raises RuntimeError with a clear message if none."""

    def __enter__(self):
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError:
            raise RuntimeError("Playwright is not installed (`pip install playwright`); " + INSTALL_HINT)
        self._manager = sync_playwright()
        playwright = self._manager.__enter__()
        try:
            self.browser = playwright.chromium.launch(executable_path=system_chromium(headless_shell=False),
                                                        args=CHROMIUM_ARGS)
        except Error as error:
            self._manager.__exit__(None, None, None)
            raise RuntimeError(f"{INSTALL_HINT} (launch failed: {str(error).splitlines()[0]})")
        self.version = self.browser.version
        return self

    def __exit__(self, *exc):
        self.browser.close()
        self._manager.__exit__(*exc)

    def load_once(self, page_file: Path, fragment: str = "") -> dict:
        """One load in a fresh context: ms from navigation start to the first view and to every chart."""
        context = self.browser.new_context(viewport=VIEWPORT)
        try:
            context.add_init_script(MARK_READY)
            page = context.new_page()
            requests, errors = [], []
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri() + fragment)
            page.wait_for_selector("html[data-charts-ready]", state="attached", timeout=60_000)
            marks = page.evaluate("[window.__benchFirstView, window.__benchReady, window.__benchUnrendered,"
                                  " window.__benchInView]")
            timing = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                                   " return [n.domInteractive, n.domContentLoadedEventEnd]; })()")
            # The print copies site.js fetches once every shown chart is drawn: those of the charts
            # not drawn (in closed blocks), so that printing offline shows them (fetchWaitingPrintCopies).
            print_copies = page.evaluate("Array.from(document.querySelectorAll("
                                         "'[data-chart]:not([data-rendered]) + img.print-copy'), i => i.src)")
            return {"first_view_ms": marks[0], "all_ms": marks[1], "unrendered": marks[2] or [],
                    "in_view": marks[3],
                    "interactive_ms": timing[0], "dcl_ms": timing[1], "requests": requests, "errors": errors,
                    "print_copies": print_copies}
        finally:
            context.close()

    def load_times(self, targets: dict[str, tuple[Path, str]], loads: int = 7) -> dict[str, dict]:
        """Medians over `loads` loads of each target (name -> (page file, #fragment)).

        The targets take turns, one load each per round, so a change in the machine's load during
        the run (this is a shared 2-core machine) falls on all of them alike, baseline included.
        """
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        for _ in range(loads):
            for name, (page_file, fragment) in targets.items():
                runs[name].append(self.load_once(page_file, fragment))
        return {name: summary(rows) for name, rows in runs.items()}

    def control_latency(self, page_file: Path, changes: int = 50) -> list[dict]:
        """p50/p95/max per control, all controls measured in one page opened once."""
        context = self.browser.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            page.goto(page_file.as_uri())
            page.wait_for_selector("html[data-charts-ready]", state="attached", timeout=60_000)
            layout = page.evaluate("""Array.from(document.querySelectorAll("[data-figure]")).map((f) => ({
                figure: f.getAttribute("data-figure"),
                controls: Array.from(f.querySelectorAll("[data-key]")).map((c) => c.id || c.getAttribute("data-key")),
                charts: (f.getAttribute("data-charts") || "").split(" ").filter(Boolean).length}))""")
            results = []
            for figure_index, figure in enumerate(layout):
                for control_index, control in enumerate(figure["controls"]):
                    row = {"figure": figure["figure"], "control": control, "charts": figure["charts"]}
                    try:
                        times = page.evaluate(CONTROL_LATENCY, [figure_index, control_index, changes])
                        row.update(n=len(times), p50_ms=percentile(times, 0.5), p95_ms=percentile(times, 0.95),
                                   max_ms=max(times), first_ms=times[0], rest_max_ms=max(times[1:], default=times[0]))
                    except Exception as error:   # noqa: BLE001 - reported, the others still run
                        row["error"] = str(error).splitlines()[0]
                    results.append(row)
            return results
        finally:
            context.close()


SECTION = re.compile(r'<section id="([^"]+)"')


def chart_sections(page_file: Path) -> list[str]:
    """Ids of the page's sections that hold at least one chart, in page order."""
    html = page_file.read_text(encoding="utf-8")
    starts = [(m.start(), m.group(1)) for m in SECTION.finditer(html)] + [(len(html), "")]
    return [name for (begin, name), (end, _) in zip(starts, starts[1:]) if "data-chart=" in html[begin:end]]
