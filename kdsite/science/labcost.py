"""What the distillation lab will cost, from content/lab.yaml alone, before anything trains.

Cost model (seconds), summed over every training run of kdsite/science/lab.py:

  seconds = SECONDS_PER_MAC × MACs + SECONDS_PER_STEP × minibatch steps
  MACs    = epochs × examples × 3 × Σ fan_in·fan_out   (forward pass + two backward products)
            + for grid students, (epochs + 1) × (transfer + test examples) × Σ fan_in·fan_out
              (the per-epoch loss and accuracy records)
  steps   = epochs × ⌈examples / batch size⌉

The per-step term is numpy's fixed overhead per minibatch (Python loop, Adam over the flat
parameter vector), which dominates for the lab's small students; the per-MAC term dominates for
the teacher. Both constants were fitted on the build machine (2 shared cores, OpenBLAS with its
default threads) to the stage times of a cold lab run of the shipped content/lab.yaml: teacher
2.9 s, grid 11.0 s, size sweep 9.6 s, omitted class 1.4 s (24.9 s in all). Other machines differ
by a small factor; the estimate decides only whether a lab is far too long for a build.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kdsite.science.labconfig import CLASS_COUNT, LabConfig

DIGIT_COUNT = 1797
"""Images in scikit-learn's load_digits (kdsite/science/digits.py)."""
PIXELS = 64
"""Inputs per digit: 8×8 pixels."""

# Least-squares fit of the two constants to the four stage times above (MACs, steps per stage:
# teacher 6.8e9, 440; grid 8.6e9, 37,500; size sweep 8.8e9, 53,700; omitted 3.1e9, 6,840). The fit
# gives 3.4, 8.8, 11.0 and 2.4 s per stage and 25.7 s in all for the measured 24.9 s.
SECONDS_PER_MAC = 4.9e-10
"""Seconds per multiply-accumulate of training (about 2 GMAC/s: numpy float64 matmuls)."""
SECONDS_PER_STEP = 1.25e-4
"""Fixed seconds per minibatch step, whatever the network's size."""

LONG_LAB_SECONDS = 600.0
"""A lab estimated to train longer than this (10 minutes) is refused unless --allow-long-lab."""


@dataclass(frozen=True)
class LabCost:
    """Training runs (teacher included), their MACs and minibatch steps, and the estimated seconds."""

    runs: int
    macs: int
    steps: int

    @property
    def seconds(self) -> float:
        """SECONDS_PER_MAC × MACs + SECONDS_PER_STEP × steps."""
        return SECONDS_PER_MAC * self.macs + SECONDS_PER_STEP * self.steps

    def describe(self) -> str:
        """e.g. '166 training runs, about 25 s'."""
        return f"{self.runs} training runs, about {duration_text(self.seconds)}"


def duration_text(seconds: float) -> str:
    """Seconds as '25 s', '12 min' or '3.5 h'."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _forward_macs(hidden: tuple[int, ...]) -> int:
    widths = (PIXELS, *hidden, CLASS_COUNT)
    return sum(a * b for a, b in zip(widths[:-1], widths[1:]))


def _per_class_count(total: int, fraction: float) -> int:
    """Examples a stratified subset keeps: round(fraction × class size) per class, at least one."""
    per_class = total / CLASS_COUNT
    return CLASS_COUNT * max(1, int(round(fraction * per_class))) if fraction < 1 else total


def estimate_lab_cost(config: LabConfig) -> LabCost:
    """Runs, MACs and minibatch steps of run_lab(config), counted from the configuration (no data)."""
    test = _per_class_count(DIGIT_COUNT, config.data.test_fraction)
    train = DIGIT_COUNT - test
    seeds = len(config.seeds)
    student_batch = config.student_training.batch_size
    runs, macs, steps = 1, 0, 0

    def add(count: int, hidden: tuple[int, ...], examples: int, epochs: int, batch: int) -> None:
        nonlocal runs, macs, steps
        runs += count
        macs += count * epochs * examples * 3 * _forward_macs(hidden)
        steps += count * epochs * math.ceil(examples / batch)

    teacher = config.teacher
    runs -= 1
    add(1, teacher.hidden, train, teacher.epochs, teacher.batch_size)
    grid = config.grid
    grid_runs = len(grid.temperatures) * len(grid.alphas) * seeds
    transfer = _per_class_count(train, grid.transfer_fraction)
    add(grid_runs, grid.hidden, transfer, grid.epochs, student_batch)
    macs += grid_runs * (grid.epochs + 1) * (transfer + test) * _forward_macs(grid.hidden)
    sweep = config.size_sweep
    for transfer_set in sweep.transfer_sets:
        examples = _per_class_count(train, transfer_set.fraction)
        for width in sweep.widths:
            add(2 * seeds, (width,), examples, transfer_set.epochs, student_batch)
    omitted = config.omitted_class
    add(2 * seeds, omitted.hidden, train - train // CLASS_COUNT, omitted.epochs, student_batch)
    return LabCost(runs, macs, steps)
