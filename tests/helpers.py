"""Shared test helpers: the fixture project, a throwaway copy of it to break content in, a build
runner, and the test run's own cache.

Tests build the frozen fixture project (tests/fixture/content with the repository's templates/),
not the shipped content: its lab is tiny (a cold lab trains in about a second), so no test depends
on the course's current text or numbers. Each test process gets a fresh cache folder under the
system temp folder (never the repository's .kdsite-cache/); it is removed when the process exits.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from kdsite.build.pipeline import BuildOptions, build_site

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixture"
FIXTURE_CONTENT = FIXTURE / "content"

_SCRATCH = Path(tempfile.mkdtemp(prefix="kdsite-tests-"))
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)
# A test run started by a test (tests/test_figure_scaffold.py) may be handed its parent's cache, so
# it does not retrain the fixture's lab and recompile its charts.
CACHE = Path(os.environ["KDSITE_TEST_CACHE"]) if os.environ.get("KDSITE_TEST_CACHE") else _SCRATCH / "cache"


def temperature_grid(content: Path = FIXTURE_CONTENT) -> list[float]:
    """The temperature explorer's log grid as the build computes it: slider position i shows T = grid[i]."""
    from kdsite.content.load import load_content
    from kdsite.science.grids import log_grid

    settings = load_content(content).temperature
    return [float(t) for t in log_grid(settings.minimum, settings.maximum, settings.points_per_decade)]


def copy_project(destination: Path, content: Path = FIXTURE_CONTENT) -> Path:
    """Copy `content` (the fixture's, unless told) as content/ and the repository's templates/ into
    `destination` (a project root of its own) and return it."""
    shutil.copytree(content, destination / "content")
    shutil.copytree(ROOT / "templates", destination / "templates")
    return destination


def copy_real_project(destination: Path) -> Path:
    """Copy the shipped content/ and templates/ into `destination` and return it."""
    return copy_project(destination, ROOT / "content")


# The fixture as a project of its own: file copies only, nothing is built or trained here.
PROJECT = copy_project(_SCRATCH / "project")


def build(project: Path, out: Path, lines: list[str] | None = None, **flags) -> float:
    """Build `project` into `out` with the test cache; progress lines go to `lines`."""
    sink = lines if lines is not None else []
    return build_site(BuildOptions(project, out, cache_dir=CACHE, **flags), report=sink.append)


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a `python -m kdsite` child: this source tree and the test cache."""
    return dict(os.environ, PYTHONPATH=str(ROOT), KDSITE_CACHE=str(CACHE), **extra)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, for byte-for-byte comparisons."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a content file with `new`; `old` must be there."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of `path` containing `text`."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def signal_on_schedule(runs: list[tuple[list[str], float]], sig: int, **popen) -> list[subprocess.Popen]:
    """Start every (command, delay) at once and send `sig` to each `delay` seconds after the start.

    The runs overlap, so a schedule costs its longest delay rather than the sum of them; a signal to
    a run that already finished is a no-op. The caller waits for the returned processes."""
    start = time.monotonic()
    processes = [subprocess.Popen(command, **popen) for command, _ in runs]
    for process, delay in sorted(zip(processes, (delay for _, delay in runs)), key=lambda pair: pair[1]):
        time.sleep(max(0.0, start + delay - time.monotonic()))
        process.send_signal(sig)
    return processes


def png_gray(data: bytes) -> "np.ndarray":
    """The gray levels (0-255, rows × columns) of an 8-bit RGB or RGBA PNG such as a Playwright
    screenshot, for a barcode decoder: zlib and the five PNG row filters, no image library."""
    import struct
    import zlib

    import numpy as np

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), dtype=np.uint8).reshape(height, stride + 1)
    pixels = np.zeros((height, stride), dtype=np.int32)
    for row in range(height):
        kind, line = raw[row, 0], raw[row, 1:].astype(np.int32)
        above = pixels[row - 1] if row else np.zeros(stride, dtype=np.int32)
        if kind in (0, 2):
            pixels[row] = (line + (above if kind == 2 else 0)) % 256
            continue
        out = np.zeros(stride, dtype=np.int32)
        for i in range(stride):
            left = out[i - channels] if i >= channels else 0
            upper_left = above[i - channels] if i >= channels else 0
            if kind == 1:
                predictor = left
            elif kind == 3:
                predictor = (left + above[i]) // 2
            else:  # Paeth
                estimate = left + above[i] - upper_left
                a, b, c = abs(estimate - left), abs(estimate - above[i]), abs(estimate - upper_left)
                predictor = left if a <= b and a <= c else above[i] if b <= c else upper_left
            out[i] = (line[i] + predictor) % 256
        pixels[row] = out
    rgb = pixels.reshape(height, width, channels)[:, :, :3]
    return rgb.mean(axis=2).astype(np.uint8)


SPEC_FILE = re.compile(r' data-chart="([^"]+)"')
# One registered spec in a spec file (kdsite/page/spec_files.py): specs["ID"] = 'JSON TEXT';
SPEC_ENTRY = re.compile(r"^  specs\[(\"[^\"]*\")\] = '((?:[^'\\]|\\.)*)';$", re.MULTILINE)


def spec_texts(script: str) -> dict[str, str]:
    """The JSON text a spec file registers for each chart id, read back from its string literals
    (whose only escapes are `\\\\` and `\\'`)."""
    return {json.loads(key): re.sub(r"\\(.)", r"\1", text) for key, text in SPEC_ENTRY.findall(script)}


def embedded_specs(site: Path) -> dict[str, dict]:
    """What the built site ships for each chart (`{"vega": ..., "dark": ...}`), by chart id: read from
    the spec files its charts' data-chart attributes name."""
    html = (site / "index.html").read_text(encoding="utf-8")
    specs: dict[str, dict] = {}
    for source in dict.fromkeys(SPEC_FILE.findall(html)):
        specs.update({chart_id: json.loads(text)
                      for chart_id, text in spec_texts((site / source).read_text(encoding="utf-8")).items()})
    return specs


CHILD_PYTEST = ("-m", "pytest", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:benchmark",
                "-p", "no:xdist")
"""A pytest a test runs as a child process: without the plugins no test of those runs uses, whose
loading cost about 0.7 s a child (its cache too: a child writes nothing into the checkout)."""
