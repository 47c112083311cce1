"""The lab in a build: its cost checked first, its results from the disk cache when unchanged.
"""

from __future__ import annotations
from pathlib import Path
from kdsite.errors import ContentError, ContentErrors
from kdsite.build.labcache import run_cached
from kdsite.science.labcost import LONG_LAB_SECONDS, LabCost, duration_text, estimate_lab_cost
from kdsite.science.labconfig import LabConfig
from kdsite.science.lab import LabResults, Progress, _report, run_lab


def check_lab_cost(config: LabConfig, allow_long: bool = False, progress: Progress | None = None,
                   file: str = "content/lab.yaml") -> LabCost:
    """Report the lab's training runs and estimated time; refuse an estimate over LONG_LAB_SECONDS.

    Counted from the configuration alone (kdsite/science/labcost.py), so a lab that would train for hours
    fails before it starts, and fails the same way when its results are cached.
    """
    cost = estimate_lab_cost(config)
    _report(progress, f"lab: {cost.describe()} (estimate)")
    if cost.seconds > LONG_LAB_SECONDS and not allow_long:
        # ContentErrors, not the frozen ContentError: it is raised inside a Jinja render, and Jinja
        # rewrites the traceback of what passes through it.
        raise ContentErrors([ContentError(
            file, None, "", f"the lab would take about {duration_text(cost.seconds)} to train "
            f"({cost.runs} training runs), more than the {LONG_LAB_SECONDS / 60:.0f}-minute limit",
            "reduce seeds, grid temperatures or alphas, epochs, hidden sizes or widths, or pass --allow-long-lab")])
    return cost


def run_lab_cached(config: LabConfig, cache_dir: Path, use_cache: bool = True,
                   progress: Progress | None = None, allow_long: bool = False) -> tuple[LabResults, bool]:
    """`run_lab(config)`, or its stored results from cache_dir; returns (results, hit).

    Keyed by the configuration and the training code's source (kdsite/build/labcache.py). The cost check
    (check_lab_cost) runs first, cached or not.
    """
    check_lab_cost(config, allow_long, progress)
    return run_cached(config, cache_dir, use_cache, progress,
                      run=lambda cfg, report: run_lab(cfg, progress=report),
                      load=LabResults.from_json_dict)
