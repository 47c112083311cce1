"""Hardware-impact figures: accuracy vs model size (published results) and energy per inference.

Accuracy: from-scratch torchvision models (parameters counted from the architecture or, for
models the counter does not describe, as published), the papers' own baselines, and distilled
students from content/distillation_results.yaml. Energy: science.hardware.energy, i.e. MACs at
Horowitz's 45 nm energies plus every parameter read once from DRAM at 640 pJ per 32-bit word.
"""

from __future__ import annotations

from typing import Any

from kdsite.charts import accuracy as accuracy_charts
from kdsite.charts import hardware as charts
from kdsite.content.load import Content
from kdsite.charts import numbers as fmt
from kdsite.figures.common import Chart
from kdsite.figures.hwshared import STUDENT_INT8, TEACHER, compare, reference_for, workload, workload_label
from kdsite.content.hardware_page import HardwarePage
from kdsite.science.precision import PRECISION_LABELS, PRECISIONS
from kdsite.science.roofline import TRAFFIC_MODEL_LABELS
from kdsite.figures.tradeoff import ENERGY_TRAFFIC_MODEL
from kdsite.figures.common import Science

GROUPS = ("Teacher (ResNet-152)", "Trained from scratch", "Distilled with KD", "Distilled with a newer method")
SMALL_PARAMS = 1e7  # "small" models named in the text alternative
NUDGE = 1.04  # points of one student from different sources are spread by this factor per step


def _source(content: Content, reference: str, locator: str) -> str:
    ref = content.reference(reference)
    return f"{ref.title} ({ref.year}), {locator} [{ref.number}]"


def accuracy_points(content: Content, science: Science, page: HardwarePage) -> list[dict]:
    """One row per plotted point: group, model, exact params, top-1, teacher, method and source text."""
    results = science.hardware
    teacher_key = workload(results, TEACHER).model
    params = {key: float(model.params) for key, model in results.models.items()}
    params.update({key: model.params for key, model in page.reference_models.items()})
    names = {key: model.display_name for key, model in results.models.items()}
    names.update({key: model.display_name for key, model in page.reference_models.items()})
    steps = {}  # reference id -> nudge step, in order of first appearance
    for result in page.results:
        steps.setdefault(result.reference, (1, -1, 2, -2)[len(steps) % 4])
    rows: list[dict] = []

    def add(group: str, model: str, top1: float, source: str, step: int = 0, teacher: str = "—",
            method: str = "—", shown=fmt.top1) -> None:
        first = all(row["model"] != names[model] for row in rows)
        rows.append({"group": group, "model": names[model], "named": first, "params": params[model],
                     "x": params[model] * NUDGE ** step, "top1": round(top1, 2), "top1_text": shown(top1),
                     "params_text": fmt.count(params[model]), "teacher": teacher, "method": method,
                     "source": source,
                     "label": f"Model: {names[model]}; Group: {group}; Parameters: {fmt.count(params[model])}; "
                              f"Top-1: {shown(top1)}; Teacher: {teacher}; Method: {method}; Source: {source}"})

    for key, model in results.models.items():
        group = GROUPS[0] if key == teacher_key else GROUPS[1]
        add(group, key, model.top1_percent, _source(content, reference_for(model.source), "IMAGENET1K_V1 acc@1"))
    for key, model in page.reference_models.items():
        if model.top1_percent is not None:
            add(GROUPS[1], key, model.top1_percent, _source(content, model.reference, model.locator))
    for result in page.results:
        source, step = _source(content, result.reference, result.locator), steps[result.reference]
        teacher = result.teacher + (f" ({fmt.published_top1(result.teacher_top1_percent)})"
                                    if result.teacher_top1_percent is not None else "")
        paper = fmt.published_top1
        if result.baseline_percent is not None:
            add(GROUPS[1], result.student, result.baseline_percent, source, step, method="no teacher (paper baseline)",
                shown=paper)
        if result.kd_percent is not None:
            add(GROUPS[2], result.student, result.kd_percent, source, step, teacher, "KD (Hinton et al.)", paper)
        if result.better is not None:
            add(GROUPS[3], result.student, result.better.top1_percent, source, step, teacher, result.better.method,
                paper)
    return rows


def accuracy_alt_text(rows: list[dict], page: HardwarePage, names: dict[str, str]) -> str:
    """The scatter's takeaway with its numbers: the teacher, small models, and the spread of KD effects."""
    teacher = next(row for row in rows if row["group"] == GROUPS[0])
    effects = sorted((r for r in page.results if r.kd_effect_points is not None), key=lambda r: r.kd_effect_points)
    better = [r.better.top1_percent - r.baseline_percent for r in page.results
              if r.better is not None and r.baseline_percent is not None]

    def describe(result) -> str:
        return f"{result.teacher} → {names[result.student]}, {result.paper}"

    small = ", ".join(f"{row['model']} {row['top1_text']} ({row['params_text']})"
                      for row in sorted(rows, key=lambda r: r["params"])
                      if row["group"] == GROUPS[1] and row["method"] == "—" and row["params"] < SMALL_PARAMS)
    return (f"Scatter plot of ImageNet top-1 accuracy against parameter count (log scale), {len(rows)} points "
            f"in four groups told apart by colour and shape. The teacher {teacher['model']} has "
            f"{teacher['params_text']} parameters and {teacher['top1_text']} top-1. Trained from scratch, the "
            f"torchvision models under {fmt.count(SMALL_PARAMS, 2)} parameters reach {small}. In the published results, "
            f"plain KD changes a student's top-1 by {fmt.points(effects[0].kd_effect_points)} ({describe(effects[0])}) "
            f"to {fmt.points(effects[-1].kd_effect_points)} ({describe(effects[-1])}); newer methods add "
            f"{fmt.points(min(better))} to {fmt.points(max(better))} over the paper's own baseline.")


def result_rows(page: HardwarePage, science: Science) -> list[dict]:
    """The published results as printed in the table under the scatter."""
    names = {key: model.display_name for key, model in science.hardware.models.items()}
    names.update({key: model.display_name for key, model in page.reference_models.items()})
    missing = "—"
    return [{
        "teacher": result.teacher + (f" ({fmt.published_top1(result.teacher_top1_percent)})"
                                     if result.teacher_top1_percent is not None else ""),
        "student": names[result.student],
        "baseline": fmt.published_top1(result.baseline_percent) if result.baseline_percent is not None else missing,
        "kd": (fmt.published_top1(result.kd_percent) + (f" ({fmt.points(result.kd_effect_points)})"
                                              if result.kd_effect_points is not None else ""))
              if result.kd_percent is not None else missing,
        "better": (f"{result.better.method} {fmt.published_top1(result.better.top1_percent)}"
                   + (f" ({fmt.points(result.better.top1_percent - result.baseline_percent)})"
                      if result.baseline_percent is not None else "")) if result.better else missing,
        "paper": result.paper, "locator": result.locator, "reference": result.reference, "note": result.note,
    } for result in page.results]


def accuracy_vs_size(content: Content, science: Science) -> dict[str, Any]:
    """The accuracy-vs-parameters scatter with source-naming tooltips."""
    page = content.hardware_page
    rows = accuracy_points(content, science, page)
    names = {key: model.display_name for key, model in science.hardware.models.items()}
    names.update({key: model.display_name for key, model in page.reference_models.items()})
    alt_text = accuracy_alt_text(rows, page, names)
    return {
        "groups": GROUPS,
        "rows": rows,
        "results": result_rows(page, science),
        "charts": [Chart("accuracy-vs-size-chart", accuracy_charts.accuracy_scatter(rows, GROUPS, alt_text),
                         alt_text)],
    }


def energy_rows(science: Science) -> list[dict]:
    """Per workload: compute, DRAM (low and high end) and total energy in mJ, with printed strings."""
    results = science.hardware
    baseline = results.energy[STUDENT_INT8].total_mj
    rows = []
    for item in results.workloads:
        energy = results.energy[item.key]
        high_total = energy.compute_mj + energy.dram_high_pj * 1e-9
        rows.append({
            "key": item.key, "label": item.label, "compute_mj": energy.compute_mj, "dram_mj": energy.dram_mj,
            "total_mj": energy.total_mj, "compute": fmt.millijoules(energy.compute_mj),
            "dram": fmt.millijoules(energy.dram_mj), "total": fmt.millijoules(energy.total_mj),
            "total_high": fmt.millijoules(high_total),
            "dram_share": fmt.percent(energy.dram_mj / energy.total_mj),
            "versus_student_int8": fmt.ratio(energy.total_mj, baseline),
        })
    return rows


def workload_top1(content: Content, science: Science, key: str) -> tuple[str, str | None]:
    """The published ImageNet top-1 of a workload at its own precision, and its reference id; FP32
    from the model YAML, INT8 from its int8_top1 when published, else said to be unpublished."""
    item = next(w for w in science.hardware.workloads if w.key == key)
    spec = content.hardware.models[item.model]
    if item.precision == "fp32":
        return fmt.top1(spec.top1_percent), reference_for(spec.source)
    if item.precision == "int8" and spec.int8_top1 is not None:
        return f"{fmt.top1(spec.int8_top1.percent)} (QAT)", spec.int8_top1.reference
    return f"no {PRECISION_LABELS[item.precision]} top-1 in the sources used here", None


def energy_constants(content: Content) -> list[dict]:
    """The energies per operation the model uses, with unit, note and reference id."""
    constants = content.hardware.energy
    rows = [{"what": f"{PRECISION_LABELS[p]} multiply-accumulate",
             "value": f"{constants.mac_pj(p):g} pJ",
             "unit": (f"per MAC: {constants.multiply[p].value_pj:g} ({constants.multiply[p].unit}) + "
                      f"{constants.add[p].value_pj:g} ({constants.add[p].unit})"),
             "note": constants.add[p].note, "reference": reference_for(constants.multiply[p].source)}
            for p in PRECISIONS]
    labels = {"dram": "DRAM read", "dram_high": "DRAM read, high end", "sram": "SRAM read, 8 KB array",
              "sram_1mb": "SRAM read, 1 MB array"}
    for kind, label in labels.items():
        item = constants.memory[kind]
        rows.append({"what": label, "value": f"{item.value_pj:g} pJ", "unit": item.unit,
                     "note": item.note, "reference": reference_for(item.source)})
    return rows


def energy_per_inference(content: Content, science: Science) -> dict[str, Any]:
    """Stacked compute + DRAM energy per inference for each workload, the constants, and the headline."""
    rows = energy_rows(science)
    for row in rows:
        row["top1"], row["top1_reference"] = workload_top1(content, science, row["key"])
    memory = content.hardware.energy.memory
    headline = compare("Energy per inference", science.hardware.energy[TEACHER].total_mj,
                       science.hardware.energy[STUDENT_INT8].total_mj, fmt.millijoules)
    bars = [{"workload": row["label"], "component": component, "mj": row[key],
             "tip": f"{row['label']}: {name} {row[text]} of {row['total']}",
             "aria": f"Workload: {row['label']}; Part: {component}; Energy: {row[text]}; Total: {row['total']}"}
            for row in rows
            for component, key, text, name in (("Compute (MACs)", "compute_mj", "compute", "compute"),
                                               ("DRAM traffic", "dram_mj", "dram", "DRAM"))]
    totals = [{"workload": row["label"], "mj": row["total_mj"], "label": row["total"]} for row in rows]
    first, last = rows[0], rows[-1]
    alt_text = (f"Stacked bar chart of modeled energy per inference, compute plus DRAM, 45 nm. "
                f"{first['label']}: {first['total']} ({first['compute']} compute, {first['dram']} DRAM). "
                f"{last['label']}: {last['total']} ({last['compute']} compute, {last['dram']} DRAM), "
                f"{headline.ratio_text} less than the FP32 teacher. DRAM is {first['dram_share']} of the teacher's "
                f"energy and {last['dram_share']} of the INT8 student's.")
    # The same pair under the traffic model the page's cards start from, so its two headlines meet.
    page = content.hardware_page
    default = None
    if page.default_traffic_model != ENERGY_TRAFFIC_MODEL:
        default = compare("Energy per inference",
                          science.hardware.point(page.default_device, page.default_traffic_model, TEACHER).energy.total_mj,
                          science.hardware.point(page.default_device, page.default_traffic_model,
                                                 STUDENT_INT8).energy.total_mj, fmt.millijoules)
    return {
        "rows": rows,
        "default_headline": default,
        "default_traffic": TRAFFIC_MODEL_LABELS[page.default_traffic_model],
        "constants": energy_constants(content),
        "process": content.hardware.energy.process,
        "headline": headline,
        "teacher_label": workload_label(science.hardware, TEACHER),
        "student_label": workload_label(science.hardware, STUDENT_INT8),
        "dram_over_sram": f"{memory['dram'].value_pj / memory['sram'].value_pj:g}×",
        "sram_1mb_over_8kb": f"{memory['sram_1mb'].value_pj / memory['sram'].value_pj:g}×",
        "charts": [Chart("energy-chart", charts.energy_chart(bars, totals, alt_text), alt_text)],
    }
