"""Build timings: one child process per measure, wall time around it, peak RSS from wait4."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR_IMPORTS = "import numpy, altair, jinja2, markdown, yaml, vl_convert"
STAGE_LINE = re.compile(r"^\s+(\S+)\s+(\d+\.\d+) s\b")


@dataclass
class Run:
    wall: float            # seconds, measured around the child process
    max_rss_mb: float      # peak resident set of the child (and its reaped children), MB = 10^6 B
    returncode: int
    output: str
    stages: dict[str, float] = field(default_factory=dict)   # the build's own stage lines

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def child_env(**extra: str) -> dict[str, str]:
    """This environment as a default Python install has it: PYTHONDONTWRITEBYTECODE (set on some CI
    machines) is dropped, so that, as on an instructor's laptop, a warm build reuses the compiled
    bytecode of kdsite's modules instead of compiling them again (~0.2 s here)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def run_timed(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run `python ARGS` in the project root; its output goes to a file, so no pipe can stall it."""
    env = env if env is not None else child_env()
    with tempfile.TemporaryFile() as log:
        began = time.perf_counter()
        child = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env,
                                 stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)   # this child's own rusage, not the running max
        wall = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    stages = {m.group(1): float(m.group(2)) for m in map(STAGE_LINE.match, text.splitlines()) if m}
    return Run(wall, usage.ru_maxrss * 1024 / 1e6, child.returncode, text, stages)


def build(cache: Path, out: Path) -> Run:
    """`python build.py --out OUT` with KDSITE_CACHE=CACHE."""
    return run_timed(["build.py", "--out", str(out)], child_env(KDSITE_CACHE=str(cache)))


def floor(runs: int = 3) -> list[Run]:
    """The interpreter plus the build's heavy imports: no build can be faster than this."""
    return [run_timed(["-c", FLOOR_IMPORTS]) for _ in range(runs)]


def project_cache() -> Path:
    return Path(os.environ.get("KDSITE_CACHE") or ROOT / ".kdsite-cache")


def seed_cache(cache: Path) -> bool:
    """Copy the project's existing cache into CACHE (so the project's own is never touched)."""
    source = project_cache()
    if not source.is_dir():
        return False
    shutil.copytree(source, cache)
    return True


def median_run(runs: list[Run]) -> Run:
    """The run with the median wall time (odd counts), else the lower middle."""
    ordered = sorted(runs, key=lambda r: r.wall)
    return ordered[(len(ordered) - 1) // 2]


def median(values: list[float]) -> float:
    return statistics.median(values)


def failure_lines(run: Run, limit: int = 6) -> list[str]:
    lines = [line for line in run.output.splitlines() if line.strip()]
    return lines[-limit:]
