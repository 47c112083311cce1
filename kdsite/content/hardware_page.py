"""Published numbers the hardware pages set beside the model, and the pages' starting choices.

Three content files, loaded and validated together by `load_hardware_page(content_dir)`:

- content/reference_models.yaml: models the architecture counter does not describe (e.g.
  EfficientNet-B0), known only by their published parameter count and top-1.
- content/distillation_results.yaml: published ImageNet distillation results, each with its
  teacher, student, from-scratch baseline, plain-KD and better-method top-1, paper and table.
- content/hardware_page.yaml: the device and traffic model the figures start on, and measured
  latencies (from a cited source) to compare with the modeled ones.

Every number carries a reference id from content/references.yaml and a locator (table, README
section). Top-1 values are ImageNet validation accuracy in percent. Mistakes are reported all at
once as ContentErrors with file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kdsite.errors import ContentError, ContentErrors, relative_name
from kdsite.content.fieldreader import FieldReader
from kdsite.science.precision import PRECISIONS
from kdsite.science.roofline import TRAFFIC_MODELS
from kdsite.content.yamlload import Located, load_yaml


@dataclass(frozen=True)
class ReferenceModel:
    """A model known by its published stats: parameter count and (optionally) top-1."""

    key: str
    display_name: str
    params: float  # as published (may be rounded, e.g. 4.23e6)
    top1_percent: float | None  # None when the source gives no from-scratch accuracy
    reference: str  # id in content/references.yaml
    locator: str  # where in the source, e.g. "EfficientNet_B0_Weights.IMAGENET1K_V1"


@dataclass(frozen=True)
class BetterMethod:
    """A newer distillation method's result reported beside plain KD (e.g. DKD, DIST, OFD)."""

    method: str
    top1_percent: float


@dataclass(frozen=True)
class DistillationResult:
    """One published teacher → student result on ImageNet (top-1 in percent)."""

    id: str
    paper: str  # e.g. "DIST (Huang et al., NeurIPS 2022)"
    reference: str  # id in content/references.yaml
    locator: str  # table or README section
    teacher: str  # display name, e.g. "ResNet-50-SB"
    teacher_top1_percent: float | None
    student: str  # model key: content/models/*.yaml stem or a reference model key
    baseline_percent: float | None  # the same student trained without a teacher, in the same source
    kd_percent: float | None  # Hinton's KD loss
    better: BetterMethod | None
    note: str

    @property
    def kd_effect_points(self) -> float | None:
        """KD − baseline in percentage points, when the source gives both."""
        if self.kd_percent is None or self.baseline_percent is None:
            return None
        return self.kd_percent - self.baseline_percent


@dataclass(frozen=True)
class MeasuredLatency:
    """A latency someone measured on real hardware, to set beside the modeled one."""

    device: str  # key in content/devices
    model: str  # model key
    precision: str
    latency_ms: float
    setup: str  # what was measured, e.g. "USB Accelerator on USB 3.0 with a desktop CPU"
    reference: str
    locator: str


@dataclass(frozen=True)
class HardwarePage:
    """Everything the hardware pages read from content/ besides the hardware model itself."""

    default_device: str
    default_traffic_model: str
    reference_models: dict[str, ReferenceModel]
    results: tuple[DistillationResult, ...]
    measured_latency: tuple[MeasuredLatency, ...]


def _top1(reader: FieldReader, path: str, required: bool = True) -> float | None:
    if not required and (not reader.has(path) or reader.get(path) is None):
        return None
    return reader.number(path, minimum=0.0, maximum=100.0, label="top-1 in percent")


def _reference(reader: FieldReader, path: str, references: set[str] | None) -> str | None:
    reference = reader.text(path)
    if reference is not None and references is not None and reference not in references:
        reader.fail(path, f"unknown reference id {reference!r}", "add it to content/references.yaml or fix the id")
        return None
    return reference


def _reference_models(located: Located, references: set[str] | None) -> tuple[dict, list[ContentError]]:
    reader = FieldReader(located)
    models: dict[str, ReferenceModel] = {}
    if reader.mapping("", allowed=("models",)) is not None:
        for index in reader.items("models"):
            path = f"models[{index}]"
            if reader.mapping(path, allowed=("key", "display_name", "params", "top1_percent", "reference",
                                             "locator")) is None:
                continue
            key, name = reader.text(f"{path}.key"), reader.text(f"{path}.display_name")
            params = reader.number(f"{path}.params", minimum=0.0)
            top1 = _top1(reader, f"{path}.top1_percent", required=False)
            reference = _reference(reader, f"{path}.reference", references)
            locator = reader.text(f"{path}.locator")
            if key in models:
                reader.fail(f"{path}.key", f"duplicate model key {key!r}", "keys must be unique")
            elif None not in (key, name, params, reference, locator):
                models[key] = ReferenceModel(key, name, params, top1, reference, locator)
    return models, reader.errors


def _results(located: Located, references: set[str] | None, model_keys: set[str]
             ) -> tuple[tuple[DistillationResult, ...], list[ContentError]]:
    reader = FieldReader(located)
    results: list[DistillationResult] = []
    fields = ("id", "paper", "reference", "locator", "teacher", "student", "baseline_percent", "kd_percent",
              "better", "note")
    if reader.mapping("", allowed=("results",)) is not None:
        for index in reader.items("results"):
            path = f"results[{index}]"
            if reader.mapping(path, allowed=fields) is None:
                continue
            result_id, paper = reader.text(f"{path}.id"), reader.text(f"{path}.paper")
            reference = _reference(reader, f"{path}.reference", references)
            locator = reader.text(f"{path}.locator")
            teacher_name = teacher_top1 = None
            if reader.mapping(f"{path}.teacher", allowed=("name", "top1_percent")) is not None:
                teacher_name = reader.text(f"{path}.teacher.name")
                teacher_top1 = _top1(reader, f"{path}.teacher.top1_percent", required=False)
            student = reader.text(f"{path}.student")
            if student is not None and student not in model_keys:
                reader.fail(f"{path}.student", f"unknown model {student!r}",
                            "use a content/models/*.yaml stem or a key of content/reference_models.yaml")
                student = None
            baseline = _top1(reader, f"{path}.baseline_percent", required=False)
            kd = _top1(reader, f"{path}.kd_percent", required=False)
            better = None
            if reader.has(f"{path}.better") and reader.get(f"{path}.better") is not None:
                if reader.mapping(f"{path}.better", allowed=("method", "top1_percent")) is not None:
                    method = reader.text(f"{path}.better.method")
                    value = _top1(reader, f"{path}.better.top1_percent")
                    better = None if None in (method, value) else BetterMethod(method, value)
            if not reader.has(f"{path}.kd_percent") and not reader.has(f"{path}.better"):
                reader.fail(path, "gives neither kd_percent nor better", "a result needs a distilled accuracy")
                continue
            note = reader.text(f"{path}.note", default="")
            if any(r.id == result_id for r in results):
                reader.fail(f"{path}.id", f"duplicate result id {result_id!r}", "ids must be unique")
            elif None not in (result_id, paper, reference, locator, teacher_name, student):
                results.append(DistillationResult(result_id, paper, reference, locator, teacher_name, teacher_top1,
                                                  student, baseline, kd, better, note))
    return tuple(results), reader.errors


def _page(located: Located, references: set[str] | None, devices: set[str], model_keys: set[str]
          ) -> tuple[tuple | None, list[ContentError]]:
    reader = FieldReader(located)
    if reader.mapping("", allowed=("default_device", "default_traffic_model", "measured_latency")) is None:
        return None, reader.errors
    device = reader.text("default_device", choices=tuple(sorted(devices)))
    traffic = reader.text("default_traffic_model", choices=TRAFFIC_MODELS)
    measured: list[MeasuredLatency] = []
    for index in reader.items("measured_latency", required=False):
        path = f"measured_latency[{index}]"
        if reader.mapping(path, allowed=("device", "model", "precision", "latency_ms", "setup", "reference",
                                         "locator")) is None:
            continue
        item = (reader.text(f"{path}.device", choices=tuple(sorted(devices))),
                reader.text(f"{path}.model", choices=tuple(sorted(model_keys))),
                reader.text(f"{path}.precision", choices=PRECISIONS),
                reader.number(f"{path}.latency_ms"), reader.text(f"{path}.setup"),
                _reference(reader, f"{path}.reference", references), reader.text(f"{path}.locator"))
        if None not in item:
            measured.append(MeasuredLatency(*item))
    return (device, traffic, tuple(measured)), reader.errors


def _reference_ids(content_dir: Path) -> set[str] | None:
    """Reference ids as written in content/references.yaml (None if unreadable: content.py reports that)."""
    try:
        data = load_yaml(content_dir / "references.yaml", "content/references.yaml").data
    except ContentError:
        return None
    items = data.get("references") if isinstance(data, dict) else None
    return {str(item["id"]) for item in items or [] if isinstance(item, dict) and "id" in item}


def load_hardware_page(content_dir: Path) -> HardwarePage:
    """Load reference_models.yaml, distillation_results.yaml and hardware_page.yaml; raise ContentErrors."""
    errors: list[ContentError] = []
    references = _reference_ids(content_dir)
    devices = {path.stem for path in (content_dir / "devices").glob("*.yaml")}
    counted = {path.stem for path in (content_dir / "models").glob("*.yaml")}

    def located(name: str) -> Located | None:
        path = content_dir / name
        try:
            return load_yaml(path, relative_name(path, content_dir))
        except ContentError as error:
            errors.append(error)
            return None

    reference_models: dict[str, ReferenceModel] = {}
    declared: set[str] = set()  # keys as written, so one bad model does not also break results naming it
    if (file := located("reference_models.yaml")) is not None:
        reference_models, found = _reference_models(file, references)
        errors += found
        items = file.data.get("models") if isinstance(file.data, dict) else None
        declared = {str(item["key"]) for item in items or [] if isinstance(item, dict) and "key" in item}
    model_keys = counted | declared
    results: tuple[DistillationResult, ...] = ()
    if (file := located("distillation_results.yaml")) is not None:
        results, found = _results(file, references, model_keys)
        errors += found
    page = None
    if (file := located("hardware_page.yaml")) is not None:
        page, found = _page(file, references, devices, model_keys)
        errors += found
    if errors:
        raise ContentErrors(errors)
    device, traffic, measured = page  # type: ignore[misc]
    return HardwarePage(device, traffic, reference_models, results, measured)
