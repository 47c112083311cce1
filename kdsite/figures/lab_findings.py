"""The lab's key findings as sentences computed from its results, including where KD does not help.

Each sentence reads its numbers from LabResults, and the words that judge them ("helps",
"hurts", "no gain") are chosen from the sign and size of those numbers, so a rerun with other
results cannot leave a stale claim on the page.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kdsite.charts.numbers import percent
from kdsite.content.load import Content
from kdsite.charts.numbers import points
from kdsite.figures.lab import (count_text, mean_std_text, number_text, points_span, seed_count, shown_differences, signed,
                               span_text, widths_text)
from kdsite.science.lab import LabResults, OmittedClassRun
from kdsite.figures.common import Science

STRONG_TEMPERATURE = 4.0
"""Lower edge of the grid region summarized as "T ≥ 4 and α ≥ 0.5" (grid values, not fitted)."""
STRONG_ALPHA = 0.5
NEGLIGIBLE = 0.01
"""A difference under one percentage point is reported as no gain."""


def layers_phrase(widths) -> str:
    """What an architecture name such as 64-256-256-10 means, for its first use on the page."""
    hidden = [int(w) for w in widths[1:-1]]
    layers = ("no hidden layer" if not hidden else f"{hidden[0]} hidden units" if len(hidden) == 1
              else f"{len(hidden)} hidden layers of {hidden[0]}" if len(set(hidden)) == 1
              else f"{', '.join(map(str, hidden[:-1]))} and {hidden[-1]} hidden units")
    return f"{int(widths[0])} pixels in, {layers}, {int(widths[-1])} classes out"


def teacher_sentence(lab: LabResults) -> str:
    """The teacher's size and test accuracy; its name's notation explained (the students use it too)."""
    teacher = lab.teacher
    return (f"The teacher ({widths_text(teacher.widths)}: {layers_phrase(teacher.widths)}; "
            f"{count_text(teacher.parameter_count)} parameters), trained with the labels of all "
            f"{count_text(lab.train_count)} training digits, classifies {percent(teacher.test_accuracy)} of the {count_text(lab.test_count)} test digits "
            f"correctly ({teacher.test_errors} errors).")


def grid_sentence(lab: LabResults) -> str:
    """The hard-label baseline of the grid student, what soft targets at T ≥ 4, α ≥ 0.5 give, and
    the best setting."""
    return grid_headline(lab) + " " + best_setting_text(lab)


def grid_headline(lab: LabResults) -> str:
    """The hard-label baseline of the grid student and what soft targets at T ≥ 4, α ≥ 0.5 give."""
    grid = lab.grid
    final = grid.final_test_accuracy
    baseline, baseline_std = float(final.mean[0, 0]), float(final.std[0, 0])
    region = np.ix_(grid.temperatures >= STRONG_TEMPERATURE, grid.alphas >= STRONG_ALPHA)
    means = final.mean[region]
    gains = shown_differences(baseline, means)
    few = "only " if grid.transfer_count < lab.train_count else ""
    return (f"Each student learns from {few}{count_text(grid.transfer_count)} of them, its transfer set: with "
            f"hard labels only (α = 0), the "
            f"{widths_text(grid.widths)} student reaches {mean_std_text(baseline, baseline_std)} (mean ± "
            f"standard deviation over {seed_count(lab)} seeds). With T ≥ {number_text(STRONG_TEMPERATURE)} and "
            f"α ≥ {number_text(STRONG_ALPHA)} it reaches {span_text(means.min(), means.max())}, "
            f"{points_span(gains)} {'above' if gains.min() > 0 else 'relative to'} it.")


def tied_with_best(lab: LabResults) -> list[tuple[int, int]]:
    """Grid cells whose mean final accuracy is within one standard deviation (theirs or the best
    cell's, whichever is larger) of the best mean: cells the seeds cannot tell apart from the best."""
    final = lab.grid.final_test_accuracy
    best = np.unravel_index(int(np.argmax(final.mean)), final.mean.shape)
    tolerance = np.maximum(final.std, final.std[best])
    cells = np.argwhere(final.mean[best] - final.mean <= tolerance)
    return [(int(i), int(j)) for i, j in cells]


def best_setting_text(lab: LabResults) -> str:
    """The best grid cell, or the cells tied with it within one standard deviation."""
    grid = lab.grid
    final = grid.final_test_accuracy
    tied = tied_with_best(lab)

    def cell(i: int, j: int) -> str:
        return f"T = {number_text(grid.temperatures[i])}, α = {number_text(grid.alphas[j])}"

    if len(tied) == 1:
        i, j = tied[0]
        return f"The best setting ({cell(i, j)}) gives {mean_std_text(final.mean[i, j], final.std[i, j])}."
    means = np.array([final.mean[i, j] for i, j in tied])
    text = (f"No single setting is best: the mean of each of {len(tied)} settings "
            f"({'; '.join(cell(i, j) for i, j in tied)}; {span_text(means.min(), means.max())}) is at most one "
            f"standard deviation over the {seed_count(lab)} seeds (its own or the best setting's, whichever is "
            f"larger) below the best mean, so the seeds cannot tell these settings apart.")
    left_out = left_out_within(lab, tied)
    return text + (" " + left_out_sentence(lab, left_out) if left_out else "")


def left_out_within(lab: LabResults, tied: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cells not tied with the best whose mean still lies inside the tied cells' span: the rule
    leaves them out because their seeds (and the best setting's) agree more closely than the gap."""
    final = lab.grid.final_test_accuracy
    means = np.array([final.mean[i, j] for i, j in tied])
    return [(int(i), int(j)) for i, j in np.argwhere((final.mean >= means.min()) & (final.mean <= means.max()))
            if (int(i), int(j)) not in tied]


def left_out_sentence(lab: LabResults, cells: list[tuple[int, int]]) -> str:
    """Why the cells inside the tied span are not tied: their gaps to the best against the spreads."""
    grid = lab.grid
    final = grid.final_test_accuracy
    best = np.unravel_index(int(np.argmax(final.mean)), final.mean.shape)
    names = [f"T = {number_text(grid.temperatures[i])}, α = {number_text(grid.alphas[j])} "
             f"({mean_std_text(final.mean[i, j], final.std[i, j])})" for i, j in cells]
    gaps = [f"{100 * float(final.mean[best] - final.mean[i, j]):.1f}" for i, j in cells]
    best_std = f"± {100 * float(final.std[best]):.1f}"
    if len(cells) == 1:
        return (f"{names[0]} is left out although its mean lies in that span: its seeds agree so closely that "
                f"its gap to the best, {gaps[0]} points, is larger than its standard deviation and the best "
                f"setting's ({best_std}).")
    return (f"{', '.join(names[:-1])} and {names[-1]} are left out although their means lie in that span: their "
            f"seeds agree so closely that their gaps to the best ({', '.join(gaps[:-1])} and {gaps[-1]} points) "
            f"are larger than their standard deviations and the best setting's ({best_std}).")


def low_temperature_sentence(lab: LabResults) -> str:
    """What soft targets at the lowest temperature add over hard labels."""
    grid = lab.grid
    final = grid.final_test_accuracy.mean
    differences = final[0, 1:] - final[0, 0]
    t = number_text(grid.temperatures[0])
    if np.abs(differences).max() < NEGLIGIBLE:
        return (f"At T = {t} the soft targets add almost nothing: α > 0 changes the final accuracy by "
                f"{points_span(differences)}. At this temperature the teacher's small probabilities for the "
                f"wrong classes barely move the loss.")
    return f"At T = {t}, α > 0 changes the final accuracy by {points_span(differences)}."


def width_list(widths, differences) -> str:
    """Per-width differences: width 4 −3.6, width 8 +4.7, … points."""
    return ", ".join(f"width {int(w)}: {points(100 * d, unit=False)}" for w, d in zip(widths, differences)) + " points"


def sweep_sentence(lab: LabResults, index: int) -> str:
    """One transfer set: distilled − scratch per student width, and which widths it helps or hurts."""
    sweep = lab.size_sweep
    count = sweep.transfer_counts[index]
    differences = sweep.distilled.mean[index] - sweep.scratch.mean[index]
    shown = shown_differences(sweep.scratch.mean[index], sweep.distilled.mean[index])
    where = "all" if count == lab.train_count else "only"
    sentence = (f"With {where} {count_text(count)} training digits, distillation "
                f"(T = {number_text(sweep.temperature)}, α = {number_text(sweep.alpha)}) changes the test accuracy of "
                f"each width{' (hidden units)' if index == 0 else ''}: {width_list(sweep.widths, shown)}")
    helped = [int(w) for w, d in zip(sweep.widths, differences) if d >= NEGLIGIBLE]
    hurt = [(int(w), int(p)) for w, p, d in zip(sweep.widths, sweep.parameter_counts, differences)
            if d <= -NEGLIGIBLE]
    if not helped:
        largest = int(np.argmax(np.abs(differences)))
        digits = abs(float(differences[largest])) * lab.test_count
        return (sentence + f": no student width gains even one point (the largest change, "
                f"{points(100 * shown[largest])} at width {int(sweep.widths[largest])}, is about "
                f"{digits:.0f} of the {count_text(lab.test_count)} test digits).")
    verdict = f"it helps width{'s' if len(helped) > 1 else ''} {', '.join(map(str, helped))}"
    if hurt:
        verdict += " but hurts " + ", ".join(f"the width-{w} student ({count_text(p)} parameters)" for w, p in hurt)
    return sentence + ": " + verdict + "."


def paired_differences(lab: LabResults, index: int) -> np.ndarray:
    """Distilled minus scratch test accuracy for each width and seed: [width, seed]. The two runs of a
    seed share the transfer subset and the initial weights, so the difference is paired."""
    sweep = lab.size_sweep
    return sweep.distilled_accuracy[index] - sweep.scratch_accuracy[index]


def paired_sentence(lab: LabResults, index: int) -> str:
    """Per width: the mean ± standard deviation of the paired differences and how many seeds gained."""
    sweep = lab.size_sweep
    differences = paired_differences(lab, index)
    seeds = differences.shape[1]
    parts = []
    # The mean of the paired differences is the difference of the means, printed as the sentence
    # above prints it (from the two accuracies as shown), so the two sentences agree to the digit.
    centres = shown_differences(sweep.scratch.mean[index], sweep.distilled.mean[index])
    for width, row, centre in zip(sweep.widths, differences, centres):
        spread = f" ± {100 * row.std(ddof=1):.1f}" if seeds > 1 else ""
        parts.append(f"width {int(width)}: {points(100 * centre, unit=False)}{spread} "
                     f"({int((row > 0).sum())} of {seeds} seeds gain)")
    return (f"Seed by seed (each seed's distilled and from-scratch student share their digits and starting "
            f"weights), distilled minus scratch with {count_text(sweep.transfer_counts[index])} digits is "
            + "; ".join(parts) + " points (mean ± standard deviation over seeds).")


def teacher_margin_sentence(lab: LabResults) -> str:
    """Whether the teacher beats the students it teaches with every label, and why that matters."""
    sweep = lab.size_sweep
    full = int(np.argmax(sweep.transfer_counts))
    best = float(sweep.scratch.mean[full].max())
    margin = float(lab.teacher.test_accuracy) - best
    if margin < NEGLIGIBLE:
        return (f"With every label, the best student trained from scratch reaches {percent(best)}, "
                f"{'as good as' if abs(margin) < NEGLIGIBLE else 'better than'} its teacher "
                f"({percent(lab.teacher.test_accuracy)}): a teacher no more accurate than its student has "
                f"little to pass on beyond the labels, so the full-data result says little about "
                f"distilling from a much stronger teacher.")
    return (f"With every label the teacher ({percent(lab.teacher.test_accuracy)}) is "
            f"{points(100 * margin)} ahead of the best student trained from scratch ({percent(best)}).")


def sweep_sentences(lab: LabResults) -> list[str]:
    """One sentence per transfer set of the size sweep, its paired differences, and the teacher's margin."""
    sentences = []
    for index in range(len(lab.size_sweep.transfer_counts)):
        sentences += [sweep_sentence(lab, index), paired_sentence(lab, index)]
    return sentences + [teacher_margin_sentence(lab)]


def seed_range(values) -> tuple[float, float]:
    """The lowest and highest per-seed value."""
    return float(np.min(values)), float(np.max(values))


def mean_of(values) -> str:
    """A per-seed count averaged, one decimal: 22.3."""
    return f"{float(np.mean(values)):.1f}"


def change_verb(before, after) -> str:
    """'cuts' or 'raises' (or 'leaves') for a change in mean test errors."""
    difference = float(np.mean(after) - np.mean(before))
    return "cuts" if difference < 0 else "raises" if difference > 0 else "leaves"


def shift_span(run: OmittedClassRun) -> str:
    """The per-seed bias shifts: +3.0 to +3.3."""
    low, high = signed(run.bias_shift.min()), signed(run.bias_shift.max())
    return low if low == high else f"{low} to {high}"


def omitted_sentences(lab: LabResults) -> list[str]:
    """Hinton §3 on digits: accuracy on the omitted digit from soft targets alone, then after the bias shift."""
    omitted = lab.omitted_class
    distilled, hard = omitted.distilled, omitted.hard_labels
    digit = omitted.digit
    return [
        (f"Without a single {digit} among its {count_text(omitted.transfer_count)} transfer digits, the distilled "
         f"student (T = {number_text(distilled.temperature)}, α = {number_text(distilled.alpha)}) still classifies "
         f"{percent(distilled.digit_accuracy_before.mean())} of the {omitted.test_digit_count} test {digit}s "
         f"correctly (seeds: {span_text(*seed_range(distilled.digit_accuracy_before))}), "
         f"from the teacher's soft targets alone. The hard-label student gets "
         f"{percent(hard.digit_accuracy_before.mean())}."),
        (f"Raising the {digit}'s bias by {shift_span(distilled)} (chosen without labels) lifts the distilled student "
         f"to {percent(distilled.digit_accuracy_after.mean())} of {digit}s and "
         f"{change_verb(distilled.test_errors_before, distilled.test_errors_after)} its test errors from "
         f"{mean_of(distilled.test_errors_before)} to {mean_of(distilled.test_errors_after)} of "
         f"{count_text(omitted.test_count)} (the teacher makes {lab.teacher.test_errors})."),
        hard_label_shift_sentence(lab),
    ]


def hard_label_shift_sentence(lab: LabResults) -> str:
    """What the same bias rule does for the hard-label student, and where its errors go."""
    omitted = lab.omitted_class
    hard, digit = omitted.hard_labels, omitted.digit
    others_before = hard.test_errors_before - hard.digit_errors_before
    others_after = hard.test_errors_after - hard.digit_errors_after
    sentence = (f"The same rule shifts the hard-label student's bias by {shift_span(hard)} and gets it "
                f"{percent(hard.digit_accuracy_after.mean())} of {digit}s, but "
                f"{change_verb(hard.test_errors_before, hard.test_errors_after)} its test errors from "
                f"{mean_of(hard.test_errors_before)} to {mean_of(hard.test_errors_after)}")
    if np.mean(others_after) > np.mean(others_before):
        sentence += (f": errors on the other digits grow from {mean_of(others_before)} to "
                     f"{mean_of(others_after)}, because without soft targets its logits do not separate "
                     f"{digit}s from the rest")
    return sentence + "."


def findings(lab: LabResults) -> list[str]:
    """Every key finding of the lab, in the order the section discusses them."""
    return [teacher_sentence(lab), grid_sentence(lab), low_temperature_sentence(lab),
            *sweep_sentences(lab), *omitted_sentences(lab)]


def lab_findings(content: Content, science: Science) -> dict[str, Any]:
    """The key findings, computed from the lab's results: the headline (the teacher, the grid, each
    transfer set's comparison) and the rest (the best setting, low T, seed by seed, the teacher's
    margin, the omitted digit), which the page folds."""
    lab = science.lab
    sweeps = range(len(lab.size_sweep.transfer_counts))
    return {"headline": [teacher_sentence(lab), grid_headline(lab), *(sweep_sentence(lab, i) for i in sweeps)],
            "more": [best_setting_text(lab), low_temperature_sentence(lab), *(paired_sentence(lab, i) for i in sweeps),
                     teacher_margin_sentence(lab), *omitted_sentences(lab)]}
