"""Deployment savings and verdicts for the roofline explorer, all computed from science.hardware.

- Savings cards: before = the teacher at FP32 (or INT8 where the device runs only INT8), after =
  the student at INT8; each reduction is 1 − after / before. Accuracy compares the FP32 teacher with
  the INT8 student the cost cards assume (torchvision's quantized weights), then gives the FP32
  student (the smaller architecture alone) and the published KD results for the same student.
- Verdicts: for each workload, on which device and under which traffic model it is memory- or
  compute-bound (AI below or above the device's ridge point), grouped into sentences.
- Caveats: cases the roofline model makes explicit (a model on chip that is still link-bound),
  measured latencies beside modeled ones, and the precisions each device runs at another's peak.
"""

from __future__ import annotations

from kdsite.content.load import Content
from kdsite.charts import numbers as fmt
from kdsite.figures.hwshared import STUDENT, STUDENT_INT8, TEACHER, TEACHER_INT8, compare, reference_for, workload, workload_label
from kdsite.content.hardware_page import HardwarePage
from kdsite.science.precision import PRECISION_LABELS, PRECISIONS, bytes_per_element
from kdsite.science.roofline import TRAFFIC_MODEL_LABELS, TRAFFIC_MODELS
from kdsite.figures.common import Science


def _first_supported(science: Science, device: str, traffic_model: str, keys: tuple[str, ...]) -> str:
    return next(key for key in keys if science.hardware.point(device, traffic_model, key).supported)


def device_card_fields(content: Content, science: Science, device: str, traffic_model: str) -> dict[str, str]:
    """Latency and energy cards for one device × traffic model: teacher → student INT8, with reductions."""
    results = science.hardware
    before = _first_supported(science, device, traffic_model, (TEACHER, TEACHER_INT8))
    after = _first_supported(science, device, traffic_model, (STUDENT_INT8, STUDENT))
    first, last = results.point(device, traffic_model, before), results.point(device, traffic_model, after)
    name = content.hardware.devices[device].display_name
    latency = compare("Latency", first.roofline.latency_ms, last.roofline.latency_ms, fmt.milliseconds, bounds=True)
    energy = compare("Energy", first.energy.total_mj, last.energy.total_mj, fmt.millijoules)
    fields = {
        "card_pair": f"{workload_label(results, before)} → {workload_label(results, after)}",
        "card_setting": f"{name}, traffic model: {TRAFFIC_MODEL_LABELS[traffic_model]}",
        "card_traffic": TRAFFIC_MODEL_LABELS[traffic_model],
        "latency_before": latency.before_text, "latency_after": latency.after_text,
        "energy_before": energy.before_text, "energy_after": energy.after_text,
        "energy_reduction": energy.reduction_text, "energy_ratio": energy.ratio_text,
    }
    architecture_only = results.point(device, traffic_model, STUDENT)
    if before == TEACHER and architecture_only.supported:
        alone = compare("Latency", first.roofline.latency_ms, architecture_only.roofline.latency_ms, fmt.milliseconds,
                        bounds=True)  # two lower bounds: their times are shown, no saving
        alone_energy = compare("Energy", first.energy.total_mj, architecture_only.energy.total_mj, fmt.millijoules)
        fields["latency_architecture_only"] = (f"The smaller architecture alone ({workload_label(results, STUDENT)}): "
                                     f"{alone.after_text}")
        fields["energy_architecture_only"] = (f"The smaller architecture alone ({workload_label(results, STUDENT)}): "
                                    f"{alone_energy.after_text}, {alone_energy.reduction_text} less")
    else:
        why = first.note or results.point(device, traffic_model, TEACHER).note
        text = (f"{why[0].upper()}{why[1:]}: teacher and student both run as INT8, so this saving is the "
                "smaller architecture's alone")
        fields["latency_architecture_only"] = fields["energy_architecture_only"] = text
    return fields


def _int8_accuracy(content: Content, science: Science, teacher_top1: float, student_top1: float) -> dict | None:
    """The INT8 student's published top-1 (the latency and energy cards cost the INT8 student),
    with its change from the FP32 teacher and from the same student at FP32, in points."""
    int8 = content.hardware.models[workload(science.hardware, STUDENT_INT8).model].int8_top1
    if int8 is None:
        return None
    return {"top1": fmt.top1(int8.percent), "method": int8.method, "reference": int8.reference,
            "locator": int8.locator, "change": fmt.points_between(teacher_top1, int8.percent),
            "precision_change": fmt.points_between(student_top1, int8.percent)}


def static_cards(content: Content, science: Science, page: HardwarePage) -> dict:
    """Parameters, MACs, footprint and accuracy cards (device-independent)."""
    results = science.hardware
    teacher = results.models[workload(results, TEACHER).model]
    student = results.models[workload(results, STUDENT).model]
    footprint = compare("Weight memory", teacher.footprint_mb["fp32"], student.footprint_mb["int8"], fmt.megabytes)
    footprint_fp32 = compare("Weight memory", teacher.footprint_mb["fp32"], student.footprint_mb["fp32"],
                             fmt.megabytes)
    published = []
    for result in page.results:
        if result.student != student.key:
            continue
        line = {"paper": result.paper, "teacher": result.teacher, "reference": result.reference,
                "locator": result.locator, "kd": None, "better": None,
                "baseline": fmt.published_top1(result.baseline_percent) if result.baseline_percent is not None else "not given"}
        if result.kd_percent is not None:
            line["kd"] = f"KD {fmt.published_top1(result.kd_percent)} ({fmt.points(result.kd_effect_points)})"
        if result.better is not None:
            line["better"] = f"{result.better.method} {fmt.published_top1(result.better.top1_percent)}" + (
                f" ({fmt.points(result.better.top1_percent - result.baseline_percent)})"
                if result.baseline_percent is not None else "")
        published.append(line)
    return {
        "params": compare("Parameters", teacher.params, student.params, fmt.count),
        "macs": compare("MACs per inference", teacher.macs, student.macs, fmt.count),
        "footprint": footprint,
        "footprint_fp32": footprint_fp32,
        "accuracy_before": fmt.top1(teacher.top1_percent),
        "accuracy_after": fmt.top1(student.top1_percent),
        "accuracy_change": fmt.points_between(teacher.top1_percent, student.top1_percent),
        "accuracy_reference": reference_for(student.source),
        "accuracy_int8": _int8_accuracy(content, science, teacher.top1_percent, student.top1_percent),
        "teacher": teacher.display_name,
        "student": student.display_name,
        "published": published,
    }


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def verdicts(content: Content, science: Science, shown: tuple[str, ...]) -> list[dict]:
    """Per workload, one sentence saying where it is memory- or compute-bound (computed, not typed)."""
    results = science.hardware
    sentences = []
    for key in shown:
        groups: dict[str, list[str]] = {}
        mixed: list[str] = []
        for device, spec in sorted(content.hardware.devices.items(), key=lambda item: item[1].display_name):
            points = [results.point(device, t, key) for t in TRAFFIC_MODELS]
            if not points[0].supported:
                groups.setdefault("cannot run on {}", []).append(spec.display_name)
                continue
            bounds = [p.roofline.bound_by for p in points]
            if len(set(bounds)) == 1:
                groups.setdefault(f"{bounds[0]}-bound on {{}} under all three traffic models", []).append(
                    spec.display_name)
                continue
            parts = [f"{bound}-bound with {_join([TRAFFIC_MODEL_LABELS[t] for t, b in zip(TRAFFIC_MODELS, bounds) if b == bound])}"
                     for bound in ("memory", "compute") if bound in bounds]
            mixed.append(f"on {spec.display_name} {' but '.join(parts)}")
        clauses = [pattern.format(_join(names)) for pattern, names in groups.items()] + mixed
        sentences.append({"workload": workload_label(results, key), "text": "; ".join(clauses) + "."})
    return sentences


def course_claim(content: Content, science: Science) -> str:
    """How often the course page's picture (FP32 teacher memory-bound, INT8 student compute-bound) holds."""
    results = science.hardware
    combos = [(d, t) for d in content.hardware.devices for t in TRAFFIC_MODELS]
    teacher = [results.point(d, t, TEACHER) for d, t in combos]
    student = [results.point(d, t, STUDENT_INT8) for d, t in combos]
    teacher_memory = sum(p.supported and p.roofline.bound_by == "memory" for p in teacher)
    teacher_runs = sum(p.supported for p in teacher)
    student_compute = sum(p.supported and p.roofline.bound_by == "compute" for p in student)
    both = sum(a.supported and b.supported and a.roofline.bound_by == "memory" and b.roofline.bound_by == "compute"
               for a, b in zip(teacher, student))
    together = "none of them" if both == 0 else f"{both} of {len(combos)}"
    return (f"Is the FP32 teacher memory-bound and the INT8 student compute-bound? Of the {len(combos)} device "
            f"× traffic-model combinations, the FP32 teacher is memory-bound in {teacher_memory} of the "
            f"{teacher_runs} where it can run, and the INT8 student is compute-bound in {student_compute} of "
            f"{len(combos)}; both hold at once, on the same device under the same traffic model, in {together}.")


def caveats(content: Content, science: Science, page: HardwarePage) -> list[dict]:
    """Computed caveats: on-chip yet link-bound, measured vs modeled latency, precision fallbacks."""
    results = science.hardware
    items: list[dict] = []
    for device, spec in content.hardware.devices.items():
        for item in results.workloads:
            point = results.point(device, "on_chip", item.key)
            roof = point.roofline
            if point.supported and roof.weights_fit_on_chip and roof.bound_by == "memory":
                model, table = results.models[item.model], content.hardware.layers[item.model]
                width = bytes_per_element(item.precision)
                bandwidth = spec.dram_bandwidth_bytes_per_s
                link_rate = f"{fmt.significant(bandwidth.value / 1e9)} GB/s" + (
                    f"; {bandwidth.note[0].lower()}{bandwidth.note[1:]}" if bandwidth.note else "")
                image_kb = table.input_elements[0] * width / 1e3
                output_kb = table.output_elements[-1] * width / 1e3
                items.append({"text": (
                    f"On the {spec.display_name}, the {PRECISION_LABELS[item.precision]} {item.label.split()[0].lower()} "
                    f"({model.display_name}) keeps all {fmt.megabytes(model.footprint_mb[item.precision])} "
                    f"of its parameters in the {fmt.memory_size(spec.on_chip_memory_bytes.value)} on-chip memory and "
                    f"is still memory-bound: its {fmt.significant(image_kb, 4)} kB input image (and "
                    f"{fmt.significant(output_kb, 2)} kB output) take at least {fmt.milliseconds(roof.memory_only_ms)} "
                    f"to cross the {spec.memory_link} (at {link_rate}), longer than the "
                    f"{fmt.milliseconds(roof.compute_only_ms)} of compute at {fmt.giga_ops(point.peak_ops_per_s)}."),
                    "reference": None, "locator": ""})
    for measured in page.measured_latency:
        key = next(w.key for w in results.workloads if (w.model, w.precision) == (measured.model, measured.precision))
        modeled = {t: results.point(measured.device, t, key).roofline.latency_ms for t in TRAFFIC_MODELS}
        spec = content.hardware.devices[measured.device]
        items.append({"text": (
            f"Peaks are theoretical, and no network reaches them. Measured on the {spec.display_name}: "
            f"{measured.setup}, {measured.latency_ms:g} ms. The model gives "
            + ", ".join(f"{fmt.milliseconds(ms)} ({TRAFFIC_MODEL_LABELS[t]})" for t, ms in modeled.items())
            + f": the measurement is {fmt.ratio(measured.latency_ms, min(modeled.values()))} the modeled best case."),
            "reference": measured.reference, "locator": measured.locator})
    fallbacks = [note for spec in sorted(content.hardware.devices.values(), key=lambda d: d.display_name)
                 for note in (spec.peak_for(p).note for p in PRECISIONS) if note]
    if fallbacks:
        items.append({"text": "Precisions without a peak of their own: " + "; ".join(fallbacks) + ".",
                      "reference": None, "locator": ""})
    return items
