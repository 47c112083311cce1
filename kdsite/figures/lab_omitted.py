"""Hinton §3 on the lab's digits: a student that never saw one digit, before and after a bias shift."""

from __future__ import annotations

from typing import Any

import numpy as np

from kdsite.charts import lab as charts
from kdsite.charts.numbers import percent
from kdsite.content.load import Content
from kdsite.figures.common import Chart
from kdsite.figures.lab import count_text, number_text, signed
from kdsite.figures.lab_findings import mean_of, omitted_sentences
from kdsite.science.lab import LabResults, OmittedClassResult, OmittedClassRun
from kdsite.figures.common import Science

STAGES = ("before", "after")


def student_names(omitted: OmittedClassResult) -> dict[str, str]:
    """Display names of the two students, by OmittedClassResult attribute."""
    distilled = omitted.distilled
    return {"distilled": f"Distilled (T = {number_text(distilled.temperature)}, α = {number_text(distilled.alpha)})",
            "hard_labels": "Hard labels only"}


def condition_name(student: str, stage: str) -> str:
    """One row of the charts: student and before/after the bias shift."""
    return f"{student.split(' (')[0]}, {stage} shift"


def runs(omitted: OmittedClassResult) -> list[tuple[str, OmittedClassRun]]:
    """(display name, run) for the distilled and the hard-label student."""
    names = student_names(omitted)
    return [(names["distilled"], omitted.distilled), (names["hard_labels"], omitted.hard_labels)]


def chart_rows(omitted: OmittedClassResult) -> tuple[list[dict], list[dict]]:
    """Per-seed and mean rows: accuracy on the omitted digit and test errors, per student and stage."""
    digit, total = omitted.digit, omitted.test_digit_count
    seed_rows, mean_rows = [], []
    for student, run in runs(omitted):
        for stage in STAGES:
            condition = condition_name(student, stage)
            key = f"Student: {student}; Bias shift: {stage}"
            accuracy = getattr(run, f"digit_accuracy_{stage}")
            digit_errors = getattr(run, f"digit_errors_{stage}")
            errors = getattr(run, f"test_errors_{stage}")
            for seed, a, d, e in zip(omitted.seeds, accuracy, digit_errors, errors):
                seed_rows.append({
                    "condition": condition, "student": student, "digit_accuracy": round(float(a), 4),
                    "test_errors": int(e),
                    "accuracy_label": (f"{key}; Seed: {int(seed)}; {digit}s correct: {percent(a)} "
                                       f"({total - int(d)} of {total})"),
                    "errors_label": f"{key}; Seed: {int(seed)}; Test errors: {int(e)}"})
            mean_rows.append({
                "condition": condition, "digit_accuracy": round(float(accuracy.mean()), 4),
                "test_errors": round(float(errors.mean()), 2),
                "accuracy_shown": percent(accuracy.mean()), "errors_shown": mean_of(errors),
                "accuracy_label": f"{key}; Seed: mean; {digit}s correct: {percent(accuracy.mean())}",
                "errors_label": f"{key}; Seed: mean; Test errors: {mean_of(errors)}"})
    return seed_rows, mean_rows


def pick(rows: list[dict], field: str) -> list[dict]:
    """Rows with `<field>_label` and `<field>_shown` renamed to the chart's `label` and `shown`."""
    picked = []
    for row in rows:
        copy = {key: value for key, value in row.items() if not key.endswith(("_label", "_shown"))}
        copy["label"] = row[f"{field}_label"]
        if f"{field}_shown" in row:
            copy["shown"] = row[f"{field}_shown"]
        picked.append(copy)
    return picked


def table_rows(omitted: OmittedClassResult) -> list[dict[str, str]]:
    """The per-seed table: bias shift, omitted digit correct and test errors before → after, and the
    test-label (oracle) shift as a reference; then a mean row per student."""
    total = omitted.test_digit_count
    rows = []
    for student, run in runs(omitted):
        for k, seed in enumerate(omitted.seeds):
            rows.append({
                "student": student, "seed": str(int(seed)), "shift": signed(run.bias_shift[k], 2),
                "digit_before": f"{total - int(run.digit_errors_before[k])} of {total}",
                "digit_after": f"{total - int(run.digit_errors_after[k])} of {total}",
                "errors_before": str(int(run.test_errors_before[k])),
                "errors_after": str(int(run.test_errors_after[k])),
                "oracle": f"{signed(run.oracle_shift[k], 2)} → {int(run.oracle_test_errors[k])}",
                "is_mean": False})
        rows.append({
            "student": student, "seed": "mean", "shift": signed(run.bias_shift.mean(), 2),
            "digit_before": percent(run.digit_accuracy_before.mean()),
            "digit_after": percent(run.digit_accuracy_after.mean()),
            "errors_before": mean_of(run.test_errors_before), "errors_after": mean_of(run.test_errors_after),
            "oracle": f"{signed(run.oracle_shift.mean(), 2)} → {mean_of(run.oracle_test_errors)}",
            "is_mean": True})
    return rows


def lab_omitted_digit(content: Content, science: Science) -> dict[str, Any]:
    """Two charts (omitted digit correct, test errors; per seed and mean), the per-seed table and sentences."""
    lab: LabResults = science.lab
    omitted = lab.omitted_class
    names = list(student_names(omitted).values())
    conditions = [condition_name(student, stage) for student in names for stage in STAGES]
    seed_rows, mean_rows = chart_rows(omitted)
    sentences = omitted_sentences(lab)
    digit = omitted.digit
    accuracy_alt = (f"Dot chart of the share of the {omitted.test_digit_count} test {digit}s classified correctly, "
                    f"one point per seed and a tick at the mean, for each student before and after the bias shift. "
                    + " ".join(sentences[:2]))
    max_errors = float(max(row["test_errors"] for row in seed_rows))
    errors_alt = (f"Dot chart of test errors out of {count_text(omitted.test_count)}, per seed with a tick at "
                  f"the mean; a dashed line marks the teacher's {lab.teacher.test_errors}. " + " ".join(sentences[1:]))
    teacher = {"test_errors": lab.teacher.test_errors, "name": f"teacher: {lab.teacher.test_errors}",
               "label": f"Student: teacher (reference); Test errors: {lab.teacher.test_errors}"}
    return {
        "digit": digit,
        "rule": omitted.bias_rule,
        "teacher_count": omitted.teacher_predicted_count,
        "train_count": count_text(lab.train_count),
        "test_digit_count": omitted.test_digit_count,
        "teacher_digit_errors": omitted.teacher_digit_errors,
        "rows": table_rows(omitted),
        "charts": [
            Chart("lab-omitted-accuracy", charts.omitted_digit_chart(
                pick(seed_rows, "accuracy"), pick(mean_rows, "accuracy"), "digit_accuracy",
                f"Test {digit}s classified correctly", conditions, names, accuracy_alt, domain=[0, 1],
                percent_axis=True), accuracy_alt),
            Chart("lab-omitted-errors", charts.omitted_digit_chart(
                pick(seed_rows, "errors"), pick(mean_rows, "errors"), "test_errors",
                f"Test errors (of {count_text(omitted.test_count)})", conditions, names, errors_alt,
                reference=teacher, domain=[0, float(np.ceil(max_errors / 10) * 10)]), errors_alt),
        ],
    }
