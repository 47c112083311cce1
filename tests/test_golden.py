"""The golden site: the fixture project's build compared with the checked-in copy in tests/golden/.

Any change to the generated HTML shows up as a readable diff. index.html is split into the part
before the first section (`index/00-head.html`), one file per `<section>` (`index/NN-<id>.html`) and
the rest (`index/99-tail.html`); each inline JSON block (readout tables, presenter steps) is cut out
and replaced by a `<!-- golden: json ID -->` line, and compared in `manifest.json` by size and hash,
as are the assets (Vega runtime, styles, scripts, the charts' spec files, static SVGs). 404.html is
kept whole.

After an intended change to the page, regenerate and review the diff:

    python3 -m pytest tests/test_golden.py --update-golden && git diff tests/golden

The build is deterministic (two builds are byte-identical) and machine-independent (the lab runs on
one BLAS thread), so the golden copy holds on every machine.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
JSON_BLOCK = re.compile(r'(<script type="application/json" id="([^"]+)">)(.*?)(</script>)', re.DOTALL)
SECTION = re.compile(r'^\s*<section id="([^"]+)"', re.MULTILINE)


def digest(data: bytes) -> dict:
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def split_page(html: str) -> tuple[dict[str, str], dict[str, dict]]:
    """index.html as readable parts, and its inline JSON blocks by id (size and hash)."""
    blocks: dict[str, dict] = {}

    def cut(match: re.Match) -> str:
        blocks[match.group(2)] = digest(match.group(3).encode("utf-8"))
        return f"{match.group(1)}<!-- golden: json {match.group(2)} -->{match.group(4)}"

    html = JSON_BLOCK.sub(cut, html)
    starts = [match.start() for match in SECTION.finditer(html)]
    ids = [match.group(1) for match in SECTION.finditer(html)]
    if not starts:
        return {"index/00-head.html": html}, blocks
    # each section runs to the line after its closing tag; the last one's tail is the page's end
    parts = {"index/00-head.html": html[:starts[0]]}
    bounds = starts + [len(html)]
    for number, (section_id, start, end) in enumerate(zip(ids, bounds, bounds[1:]), 1):
        text = html[start:end]
        if number == len(ids):
            close = text.rfind("</section>") + len("</section>\n")
            text, parts["index/99-tail.html"] = text[:close], text[close:]
        parts[f"index/{number:02d}-{section_id}.html"] = text
    return parts, blocks


def golden_files(site: Path) -> dict[str, str]:
    """What tests/golden/ should hold for the built `site`, by relative path."""
    parts, blocks = split_page((site / "index.html").read_text(encoding="utf-8"))
    files = dict(parts)
    files["404.html"] = (site / "404.html").read_text(encoding="utf-8")
    assets = {p.relative_to(site).as_posix(): digest(p.read_bytes()) for p in sorted(site.rglob("*"))
              if p.is_file() and p.name not in ("index.html", "404.html")}
    files["manifest.json"] = json.dumps({"files": assets, "inline_json": blocks}, indent=1, sort_keys=True) + "\n"
    return files


def test_the_fixture_site_matches_the_golden_copy(site_dir, request):
    expected_files = golden_files(site_dir)
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for relative, text in expected_files.items():
            (GOLDEN / relative).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / relative).write_text(text, encoding="utf-8")
        return
    stored = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
              for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    hint = "\n(if the change is intended: python3 -m pytest tests/test_golden.py --update-golden)"
    assert sorted(expected_files) == sorted(stored), f"golden files differ in name{hint}"
    diffs = []
    for relative, text in expected_files.items():
        if text != stored[relative]:
            diffs.extend(difflib.unified_diff(stored[relative].splitlines(), text.splitlines(),
                                              f"golden/{relative}", f"built/{relative}", lineterm="", n=2))
    assert not diffs, "the built site differs from tests/golden/:\n" + "\n".join(diffs[:200]) + hint


def test_the_split_keeps_every_line():
    html = ('<head></head>\n<script type="application/json" id="a">{"x": 1}</script>\n'
            '  <section id="one">1</section>\n  <section id="two">2</section>\n</body>\n')
    parts, blocks = split_page(html)
    assert list(parts) == ["index/00-head.html", "index/01-one.html", "index/99-tail.html", "index/02-two.html"]
    assert "".join(parts[name] for name in sorted(parts)).replace("<!-- golden: json a -->", '{"x": 1}') == html
    assert blocks == {"a": digest(b'{"x": 1}')}
