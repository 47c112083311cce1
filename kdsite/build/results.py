"""The numeric results a build needs, each computed once, on first use, from validated content."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Callable

from kdsite.content.load import Content
from kdsite.science.hardware import HardwareResults, compute_hardware
from kdsite.science.lab import LabResults
from kdsite.build.lab import run_lab_cached


class Science:
    """Lazily computed results of the numeric core, shared by every figure of one build.

    The lab trains real networks (tens of seconds), so its results are cached in `cache_dir`
    unless `use_cache` is False; `report` receives its progress lines. A lab estimated to train
    longer than 10 minutes is a ContentError unless `allow_long_lab` (--allow-long-lab).
    """

    def __init__(self, content: Content, cache_dir: Path, use_cache: bool = True,
                 report: Callable[[str], None] = print, allow_long_lab: bool = False):
        self.content = content
        self.cache_dir = cache_dir
        self.use_cache = use_cache
        self.report = report
        self.allow_long_lab = allow_long_lab
        self.lab_cache_hit: bool | None = None

    @cached_property
    def hardware(self) -> HardwareResults:
        """Per-model totals, rooflines and energies of the hardware model."""
        return compute_hardware(self.content.hardware)

    @cached_property
    def lab(self) -> LabResults:
        """The distillation lab's results (kdsite/science/lab.py), from the cache when unchanged."""
        results, self.lab_cache_hit = run_lab_cached(self.content.lab, self.cache_dir / "lab",
                                                     self.use_cache, progress=self.report,
                                                     allow_long=self.allow_long_lab)
        return results
