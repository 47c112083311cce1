"""The phone profile: the built site served compressed over loopback, loaded by a throttled Chromium.

GitHub Pages sends html, js, css, json and svg with Content-Encoding: gzip; `GzipServer` does the
same from a thread of this process, so DevTools' network throttling (which works on HTTP, not on
file://) applies. Each load runs in a fresh context at a phone's viewport (375 x 740 CSS px, device
scale 2, touch), with the CPU slowed 4x (Emulation.setCPUThrottlingRate) and Lighthouse's slow-4G
profile as DevTools applies it (Network.emulateNetworkConditions: 562.5 ms latency a request,
1,474.56 kbit/s down, 675 kbit/s up), both sent over a CDP session to the page.

Measured per load: first contentful paint (the Paint Timing entry); navigation start -> the first
view's charts rendered (<html data-first-view-ready>) and -> every chart rendered (data-charts-ready);
the DOM's element count and the bytes transferred (transferSize: headers + gzip body) of what had
arrived by the first view; and the main thread's script time before the first view, from a trace of
the load: the union of its EvaluateScript, compile, FunctionCall and microtask slices (nested
slices counted once) up to the mark bench_browser.MARK_READY leaves at the first view.
"""

from __future__ import annotations

import gzip
import json
import statistics
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench_browser import MARK_READY

PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
CPU_SLOWDOWN = 4
# Lighthouse's mobile slow-4G with DevTools throttling (its "devtools" throttling method).
SLOW_4G = {"offline": False, "latency": 562.5, "downloadThroughput": 1474.56 * 1024 / 8,
           "uploadThroughput": 675 * 1024 / 8}
COMPRESSED = {".html", ".js", ".css", ".json", ".svg"}
TRACE_CATEGORIES = ["devtools.timeline", "v8.execute", "blink.user_timing", "__metadata"]
SCRIPT_SLICES = {"EvaluateScript", "v8.compile", "v8.compileModule", "v8.evaluateModule", "FunctionCall",
                 "RunMicrotasks", "V8.Execute"}
FIRST_VIEW_MARK = "kdsite-first-view"


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files; text types gzipped (level 6, as a web server would) when the client accepts it."""

    cache: dict[Path, bytes] = {}

    def log_message(self, *args):   # quiet: the benchmark prints its own report
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page closed while a response was on its way (a print copy fetched late): not a finding

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (path.suffix not in COMPRESSED or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
        return None


class GzipServer:
    """`with GzipServer(site) as base_url:` serves `site` on 127.0.0.1 from a background thread."""

    def __init__(self, site: Path):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        GzipHandler.cache.clear()


def script_ms_before(trace: dict, mark: str = FIRST_VIEW_MARK) -> float | None:
    """Main-thread script time (ms) before `mark`: the union of the script slices' intervals."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    marks = [e for e in events if e.get("name") == mark and e.get("cat", "").startswith("blink.user_timing")]
    if not marks:
        return None
    end, pid = marks[0]["ts"], marks[0]["pid"]
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
            and e["pid"] == pid}
    spans = sorted((e["ts"], min(e["ts"] + e.get("dur", 0), end)) for e in events
                   if e.get("ph") == "X" and e.get("name") in SCRIPT_SLICES and (e["pid"], e["tid"]) in main
                   and e["ts"] < end)
    total, reach = 0.0, float("-inf")
    for start, stop in spans:
        if stop > reach:
            total += stop - max(start, reach)
            reach = stop
    return total / 1000


def load_once(browser, url: str) -> dict:
    """One throttled phone load of `url` in a fresh context; its figures (ms, bytes, elements)."""
    context = browser.new_context(**PHONE)
    try:
        context.add_init_script(MARK_READY)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
        try:
            page.goto(url)
            page.wait_for_selector("html[data-charts-ready]", state="attached", timeout=180_000)
        finally:
            trace = json.loads(browser.stop_tracing())
        marks = page.evaluate("""[window.__benchFirstView, window.__benchReady, window.__benchElements,
            window.__benchBytes, (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
            window.__benchUnrendered]""")
        return {"fcp_ms": marks[4], "first_view_ms": marks[0], "all_ms": marks[1], "elements": marks[2],
                "bytes": marks[3], "script_ms": script_ms_before(trace), "unrendered": marks[5] or [],
                "errors": errors}
    finally:
        context.close()


def phone_loads(browser, site: Path, loads: int = 5, fragment: str = "") -> dict:
    """Medians over `loads` phone loads of index.html, served gzipped from `site`, with every run."""
    with GzipServer(site) as base:
        runs = [load_once(browser, base + "index.html" + fragment) for _ in range(loads)]
    keys = ("fcp_ms", "first_view_ms", "all_ms", "elements", "bytes", "script_ms")
    medians = {key: statistics.median(r[key] for r in runs if r[key] is not None)
               if any(r[key] is not None for r in runs) else None for key in keys}
    return {"median": medians, "runs": {key: [r[key] for r in runs] for key in keys},
            "unrendered": sorted({c for r in runs for c in r["unrendered"]}),
            "errors": sorted({e for r in runs for e in r["errors"]})}
