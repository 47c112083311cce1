"""Accuracy against cost: each published student from scratch and distilled, at the same cost.

The x axis is the modeled energy of one inference (45 nm MACs plus every parameter read once from
DRAM: traffic model A), computed from each model's MACs and parameters: counted layer by layer
for the models in content/models/, as published otherwise (content/reference_models.yaml). A
distilled student has the same architecture, so the same x: distillation moves a point up or
down, never sideways. For comparison the precision lever is drawn too: the same student at FP32
and at INT8 (its published quantized top-1, at the energy model's INT8 cost), a move to the left.
"""

from __future__ import annotations

from typing import Any

from kdsite.charts import numbers as fmt
from kdsite.charts.tradeoff import tradeoff_chart
from kdsite.content.load import Content
from kdsite.figures.common import Chart, Science
from kdsite.figures.hwshared import STUDENT, STUDENT_INT8, reference_for, workload
from kdsite.science.energy import inference_energy
from kdsite.science.roofline import TRAFFIC_MODEL_LABELS

FP32_BYTES = 4
ENERGY_TRAFFIC_MODEL = "weights"  # the published models have no layer tables: parameters read once (A)
KINDS = ("From scratch", "Distilled (KD)", "Teacher", "FP32 → INT8 (same student)")


def model_cost(content: Content, science: Science, key: str) -> tuple[str, float, float] | None:
    """(display name, MACs, parameters) of a model key, or None when its MACs are not known."""
    counted = science.hardware.models.get(key)
    if counted is not None:
        return counted.display_name, counted.macs, counted.params
    published = content.hardware_page.reference_models.get(key)
    if published is not None and published.macs is not None:
        return published.display_name, published.macs, published.params
    return None


def energy_mj(content: Content, macs: float, params: float) -> float:
    """Modeled FP32 energy of one inference, traffic model A (weights read once from DRAM)."""
    return inference_energy(macs, "fp32", params * FP32_BYTES, content.hardware.energy).total_mj


def _teacher_key(content: Content, science: Science, name: str) -> str | None:
    return next((key for key, model in science.hardware.models.items() if model.display_name == name), None)


def axis_title(content: Content) -> str:
    """The x axis names the energy model and its traffic model, so the chart says what it assumes."""
    return (f"Modeled energy per inference, mJ, log scale ({content.hardware.energy.process}, "
            f"traffic model {TRAFFIC_MODEL_LABELS[ENERGY_TRAFFIC_MODEL]})")


def tradeoff_rows(content: Content, science: Science) -> list[dict]:
    """One row per plotted point, every shown string formatted here."""
    rows: list[dict] = []
    seen_teachers: set[str] = set()
    for result in content.hardware_page.results:
        cost = model_cost(content, science, result.student)
        if cost is None or result.baseline_percent is None or result.kd_percent is None:
            continue
        name, macs, params = cost
        energy = energy_mj(content, macs, params)
        pair = f"{result.paper}: {result.teacher} → {name}"
        for kind, top1 in ((KINDS[0], result.baseline_percent), (KINDS[1], result.kd_percent)):
            rows.append({"model": name, "kind": kind, "pair": pair, "energy": energy, "top1": top1,
                         "energy_text": fmt.millijoules(energy), "top1_text": fmt.published_top1(top1),
                         "source": result.paper,
                         "label": f"{name}, {kind}: {fmt.published_top1(top1)} at {fmt.millijoules(energy)}"})
        teacher = _teacher_key(content, science, result.teacher)
        if teacher is not None and result.teacher_top1_percent is not None and result.teacher not in seen_teachers:
            seen_teachers.add(result.teacher)
            model = science.hardware.models[teacher]
            t_energy = energy_mj(content, model.macs, model.params)
            rows.append({"model": result.teacher, "kind": KINDS[2], "pair": f"{result.teacher} (teacher)",
                         "energy": t_energy, "top1": result.teacher_top1_percent,
                         "energy_text": fmt.millijoules(t_energy),
                         "top1_text": fmt.published_top1(result.teacher_top1_percent), "source": result.paper,
                         "label": (f"Teacher {result.teacher}: {fmt.published_top1(result.teacher_top1_percent)} "
                                   f"at {fmt.millijoules(t_energy)}")})
    return rows + precision_rows(content, science)


def precision_rows(content: Content, science: Science) -> list[dict]:
    """The precision lever: the student's published FP32 and INT8 top-1 at the energy model's FP32
    and INT8 costs (traffic model A), or no rows when its INT8 top-1 is not published."""
    results = science.hardware
    model = results.models[workload(results, STUDENT).model]
    int8 = content.hardware.models[workload(results, STUDENT_INT8).model].int8_top1
    if int8 is None:
        return []
    pair = f"{model.display_name}, FP32 → INT8"
    rows = []
    for key, top1, precision in ((STUDENT, model.top1_percent, "FP32"), (STUDENT_INT8, int8.percent, "INT8")):
        energy = results.energy[key].total_mj
        rows.append({"model": f"{model.display_name}, {precision}", "kind": KINDS[3], "pair": pair,
                     "energy": energy, "top1": top1, "energy_text": fmt.millijoules(energy),
                     "top1_text": fmt.top1(top1), "source": "torchvision",
                     "label": f"{model.display_name} at {precision}: {fmt.top1(top1)} at {fmt.millijoules(energy)}"})
    return rows


def accuracy_vs_cost(content: Content, science: Science) -> dict[str, Any]:
    """The chart, its table of pairs and a text alternative with every move."""
    rows = tradeoff_rows(content, science)
    pairs = {}
    for row in rows:
        if row["kind"] in KINDS[:2]:
            pairs.setdefault(row["pair"], {})[row["kind"]] = row
    quantized = [row for row in rows if row["kind"] == KINDS[3]]
    precision = None
    if quantized:
        fp32, int8 = quantized
        precision = {"pair": fp32["pair"], "before": fp32["top1_text"], "after": int8["top1_text"],
                     "energy_before": fp32["energy_text"], "energy_after": int8["energy_text"],
                     "change": fmt.points_between(fp32["top1"], int8["top1"]),
                     "reference": reference_for(science.hardware.models[workload(science.hardware, STUDENT).model].source)}
    moves = [{"pair": pair, "energy": kinds[KINDS[0]]["energy_text"], "scratch": kinds[KINDS[0]]["top1_text"],
              "distilled": kinds[KINDS[1]]["top1_text"],
              "change": fmt.points(kinds[KINDS[1]]["top1"] - kinds[KINDS[0]]["top1"])}
             for pair, kinds in pairs.items()]
    alt_text = ("Scatter of ImageNet top-1 against modeled energy per inference. Each student appears twice at "
                "the same energy, from scratch and distilled with KD: "
                + "; ".join(f"{m['pair']}, {m['scratch']} → {m['distilled']} ({m['change']}) at {m['energy']}"
                            for m in moves) + ". Distillation moves points up or down, never sideways."
                + (f" For comparison, quantizing {precision['pair'].split(',')[0]} from FP32 to INT8 moves it left, "
                   f"{precision['energy_before']} → {precision['energy_after']}, at {precision['before']} → "
                   f"{precision['after']} top-1." if precision else ""))
    return {
        "moves": moves,
        "precision": precision,
        "traffic": TRAFFIC_MODEL_LABELS[ENERGY_TRAFFIC_MODEL],
        # The page's other energies (three levers, savings cards) use the page's traffic model: when
        # it is not this chart's, a line under the chart says so, outside the fold.
        "page_traffic": (TRAFFIC_MODEL_LABELS[content.hardware_page.default_traffic_model]
                         if content.hardware_page.default_traffic_model != ENERGY_TRAFFIC_MODEL else None),
        # the same student under both, so the line shows what the difference amounts to
        "student": science.hardware.models[workload(science.hardware, STUDENT).model].display_name,
        "student_here": fmt.millijoules(science.hardware.energy[STUDENT].total_mj),
        "student_levers": fmt.millijoules(science.hardware.point(
            content.hardware_page.default_device, content.hardware_page.default_traffic_model,
            STUDENT).energy.total_mj),
        "charts": [Chart("accuracy-vs-cost-chart",
                         tradeoff_chart(rows, KINDS, axis_title(content), alt_text), alt_text)],
    }
