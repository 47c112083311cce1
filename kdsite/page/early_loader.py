"""The early loader: a link into a section that shows a chart starts loading the Vega runtime and
that section's spec file while the page is still being parsed.

site.js runs after the whole page is parsed (it is deferred), and the first view of a link waited
for the runtime it then asked for: most of the gap between a link's first view and the one-chart
page (bench/run.py; docs/performance.md). A small inline script at the very top of the head reads
the address and, when it names a section listed here, writes the two scripts into the head as
deferred scripts (`document.write`, the one way to add a script the parser runs in order with the
page's own), so they are read and compiled while the page parses and lays out, and run as soon as it
is parsed, just before site.js. It loads nothing for any other address (the top of the page, a
figure's id, a section whose charts are all in closed blocks), and nothing in the single file, which
carries the runtime inline (no `data-runtime` there). `window.kdsiteEarly` records each file written
and whether it failed to load, which site.js reads (loadScript), so nothing loads twice.

Deferred, not inserted as an async script (as it was until 2026-12-05): an async script ran whenever
the browser got to it, which was after the page's first paint, the end of the parse, site.js and a
second paint, so the charts waited up to 54 ms more (measured in the page) than for a runtime run
before site.js. Alternating loads, 9, 15 and 11 rounds: #labels 370 -> 323, 368 -> 341 and 365 ->
339 ms, #temperature 353 -> 323, 372 -> 354 and 364 -> 314 ms, #hardware 364 -> 347, 357 -> 338 and
378 -> 314 ms (docs/performance.md). The price: at such a link site.js waits for the runtime's
download before it wires the page, which on a slow network leaves the page's controls inert until
the runtime has come (they have no chart to drive before it anyway). On Lighthouse's slow-4G profile
at desktop width, gzip over loopback, 3 loads each at #hardware: the first paint 1.33 s and the
first view 2.60 s either way; site.js began at 2.63 s instead of 1.89 s.

It also writes a style that leaves the sections above the linked one out of the layout
(`content-visibility: hidden`) until the first view is painted. style.css leaves every section but
the linked one to the browser (`content-visibility: auto`), but the browser makes its first layout
at the top of the page, before it scrolls to the link, and laid out the sections there, which a link
below them never shows. A section counts as above the link until the link's own section has been
parsed. Alternating 15 rounds against the page without it, twice: #labels 335 -> 294 and
334 -> 304 ms, #hardware 332 -> 279 and 317 -> 302 ms, #temperature 311 -> 301 and 313 -> 314 ms.

Not on narrow screens (under 48em): on a phone a section's first chart starts below its first screen,
and the runtime's 209 KB gzip, asked for at once, took a slow network from what the first view needs
(bench_phone at #labels: the first view 1.7-1.8 s -> 2.15 s, every chart 5.3-5.8 s -> 4.3 s).

It precedes the stylesheet links because an inline script waits for the stylesheets above it: after
them it held up the parsing of the page on a slow phone network by about 500 ms. It is allowed by its
hash in the page's Content-Security-Policy, so the policy still allows no other inline script.

It first switches the page to its JavaScript layout (<html class="js">: controls shown, the
contents bar), so the first paint is the page's final layout. site.js, which switched it once the
page was parsed, moved the page under the reader after it had been painted: a layout shift (CLS) of
0.13 at the top and 0.19 at #labels on a phone, 0.08 at #labels on a wide screen; none now. Should
site.js fail to load, the page goes back to the no-JavaScript layout, as it stayed before. The single
file keeps that switch alone (SWITCH), allowed by its hash.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

from kdsite.figures.common import script_json

MARKER = "<!-- kdsite:early-loader -->"  # where templates/page.html wants the script
POLICY = "script-src 'self'"

# The JavaScript layout from the first paint (the module's docstring).
SWITCH = 'document.documentElement.className = document.documentElement.className.replace(/\\bno-js\\b/, "js");'

CODE = """(function () {
  var root = document.documentElement;
  """ + SWITCH.replace("%", "%%") + """
  var early = window.kdsiteEarly = {};  /* each file written below: true, false once it failed to load */
  window.addEventListener("error", function (event) {
    var target = event.target;
    var source = target && target.nodeName === "SCRIPT" ? target.getAttribute("src") || "" : "";
    if (/(^|\\/)site\\.\\w+\\.js$/.test(source)) {  /* site.js did not load: no controls work */
      root.className = root.className.replace(/\\bjs\\b/, "no-js");
    } else if (Object.prototype.hasOwnProperty.call(early, source)) {
      early[source] = false;  /* site.js reports it, when a chart needs it */
    }
  }, true);
  var sections = %s;
  var runtime = root.getAttribute("data-runtime");
  var raw = location.hash.replace(/^#/, "");
  var cut = raw.indexOf("?");
  var id = cut < 0 ? raw : raw.slice(0, cut);
  try {
    id = decodeURIComponent(id);
  } catch (error) {
    return;  /* site.js reads the address again, and says nothing either */
  }
  if (!runtime || window.vega || !Object.prototype.hasOwnProperty.call(sections, id)
      || !(window.matchMedia && window.matchMedia("(min-width: 48em)").matches)) {
    return;  /* on a phone the section's charts start below its first screen: site.js loads them */
  }
  [runtime, sections[id]].forEach(function (source) {
    if (/^[\\w.\\/-]+$/.test(source)) {  /* the build's file names; never markup */
      early[source] = true;
      document.write("\\x3cscript defer src=\\"" + source + "\\">\\x3c/script>");  /* "<" escaped: no tag in this one */
    }
  });
  if (/^[\\w-]+$/.test(id)) {  /* the sections above the link, left out of its first layout */
    document.write("\\x3cstyle>.js:not([data-laid-out]) main > section:not(#" + id + "):not(#" + id
                   + " ~ section) { content-visibility: hidden; }\\x3c/style>");
  }
}());"""


class _ShownCharts(HTMLParser):
    """Each section's spec file, for the sections with a chart outside closed <details> blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.section: str | None = None
        self.details: list[bool] = []  # each enclosing <details>: whether it is closed
        self.files: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section" and attributes.get("id"):
            self.section = attributes["id"]
        elif tag == "details":
            self.details.append("open" not in attributes)
        elif attributes.get("data-chart") and self.section and not any(self.details):
            self.files.setdefault(self.section, attributes["data-chart"])

    def handle_endtag(self, tag):
        if tag == "details" and self.details:
            self.details.pop()
        elif tag == "section":
            self.section = None


def shown_chart_files(html: str) -> dict[str, str]:
    """Section id -> the spec file of its charts, for each section showing a chart when loaded."""
    parser = _ShownCharts()
    parser.feed(html)
    parser.close()
    return parser.files


def script_hash(code: str) -> str:
    """The CSP source that allows exactly this inline script: 'sha256-…' of its UTF-8 text."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(code.encode('utf-8')).digest()).decode()}'"


START = "<script>(function () {\n  var root = document.documentElement;\n"
END = "}());</script>"


def without_early_loader(html: str) -> str:
    """The page with SWITCH in place of the early loader, and neither's hash in the policy (the
    single file: nothing there to load; it allows its inline scripts, SWITCH among them, itself)."""
    start = html.find(START)
    if start < 0:
        return html
    end = html.index(END, start) + len(END)
    code = html[start + len("<script>"):end - len("</script>")]
    html = html[:start] + f"<script>{SWITCH}</script>" + html[end:]
    return html.replace(f"{POLICY} {script_hash(code)}", POLICY, 1)


def with_early_loader(html: str) -> str:
    """The page with the early loader at MARKER (there must be one) and its hash in the policy."""
    if html.count(MARKER) != 1 or html.count(POLICY) != 1:
        raise ValueError("page.html: expected one early-loader marker and one script-src 'self'")
    code = CODE % script_json(shown_chart_files(html))
    html = html.replace(MARKER, f"<script>{code}</script>", 1)
    return html.replace(POLICY, f"{POLICY} {script_hash(code)}", 1)
