"""Page weight: the bytes index.html makes a browser with JavaScript load, raw and gzip -9."""

from __future__ import annotations

import fnmatch
import gzip
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

RUNTIME_PATTERN = "assets/vega-runtime-*.js"
NO_JS_PATTERN = "assets/charts/*.svg"
SPECS_PATTERN = "assets/specs/*.js"


class Loads(HTMLParser):
    """Collects <html data-runtime>, <script src>, <link rel=stylesheet|icon href> and the charts'
    data-chart (their sections' spec files), in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paths: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = set((attributes.get("rel") or "").lower().split())
        if tag == "html" and attributes.get("data-runtime"):   # site.js loads it when a chart first draws
            self.add(attributes["data-runtime"])
        elif attributes.get("data-chart"):   # a section's chart specs: loaded when one of them first draws
            self.add(attributes["data-chart"])
        elif tag == "script" and attributes.get("src"):
            self.add(attributes["src"])
        elif tag == "link" and attributes.get("href") and rel & {"stylesheet", "icon"}:
            self.add(attributes["href"])

    def add(self, reference: str):
        parts = urlsplit(reference)
        if parts.scheme or parts.netloc:     # leaves the site: not ours to weigh
            return
        path = unquote(parts.path)
        if path not in self.paths:
            self.paths.append(path)


def loaded_paths(site: Path) -> list[str]:
    parser = Loads()
    parser.feed((site / "index.html").read_text("utf-8"))
    return ["index.html", *parser.paths]


def weigh(data: bytes) -> dict[str, int]:
    return {"raw": len(data), "gzip": len(gzip.compress(data, compresslevel=9))}


def total(files: dict[str, dict[str, int]]) -> dict[str, int]:
    return {"raw": sum(f["raw"] for f in files.values()), "gzip": sum(f["gzip"] for f in files.values()),
            "files": len(files)}


def page_weight(site: Path) -> dict:
    """Per-file and per-group weights; each file gzipped on its own, as a server would send it."""
    files, missing = {}, []
    for path in loaded_paths(site):
        target = site / path
        if target.is_file():
            files[path] = weigh(target.read_bytes())
        else:
            missing.append(path)
    runtime = {p: w for p, w in files.items() if fnmatch.fnmatch(p, RUNTIME_PATTERN)}
    own = {p: w for p, w in files.items() if p not in runtime}
    no_js = {str(p.relative_to(site)): weigh(p.read_bytes()) for p in sorted(site.glob(NO_JS_PATTERN))}
    specs = {p: w for p, w in own.items() if fnmatch.fnmatch(p, SPECS_PATTERN)}
    return {"runtime": total(runtime), "site": total(own), "specs": total(specs), "no_js_svg": total(no_js),
            "files": files, "missing": missing}
