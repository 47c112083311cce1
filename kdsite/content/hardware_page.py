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
from kdsite.content import schema
from kdsite.content.fields import Reader
from kdsite.content.yamlload import Located, content_files, load_yaml
from kdsite.science.hardware import DEFAULT_WORKLOADS


@dataclass(frozen=True)
class ReferenceModel:
    """A model known by its published stats: parameter count and (optionally) top-1."""

    key: str
    display_name: str
    params: float  # as published (may be rounded, e.g. 4.23e6)
    top1_percent: float | None  # None when the source gives no from-scratch accuracy
    reference: str  # id in content/references.yaml
    locator: str  # where in the source, e.g. "EfficientNet_B0_Weights.IMAGENET1K_V1"
    macs: float | None = None  # per 224 × 224 image, as published
    macs_reference: str | None = None
    macs_locator: str | None = None


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
class MeasuredModel:
    """A model as a benchmark timed it."""

    model: str  # content/models stem of the architecture
    name: str  # as the source names it, e.g. "ResNet-152 V2"
    input: int  # input side in pixels
    latency_ms: float


@dataclass(frozen=True)
class MeasuredPair:
    """Teacher and student timed on the same hardware by one source."""

    setup: str
    device: str | None  # a modeled device with the same accelerator, if any
    teacher: MeasuredModel
    student: MeasuredModel
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
    measured_pairs: tuple[MeasuredPair, ...] = ()
    roofline_device: str | None = None  # where the roofline explorer starts; None: default_device

    @property
    def roofline_start(self) -> str:
        """The device the roofline explorer shows first."""
        return self.roofline_device or self.default_device


def _reference(reader: Reader, path: str, reference: str | None, references: set[str] | None) -> str | None:
    if reference is not None and references is not None and reference not in references:
        reader.fail(path, f"unknown reference id {reference!r}", "add it to content/references.yaml or fix the id")
        return None
    return reference


def _items(reader: Reader, values: dict | None, name: str, field: schema.Mapping) -> list:
    """The entries of the list `name`, each read on its own so one bad entry does not hide the others."""
    present, items = reader.value(name)
    if values is None or not present or not isinstance(items, list):
        return []
    return list(values[name]) if values[name] is not None else [
        None if reader.failed(f"{name}[{i}]") else field.fields[name].of.check(Reader(reader.located), f"{name}[{i}]", item)
        for i, item in enumerate(items)]


def _reference_models(located: Located, references: set[str] | None, warnings: list | None
                      ) -> tuple[dict, list[ContentError]]:
    reader = Reader(located, warnings=warnings)
    values = reader.read(schema.REFERENCE_MODELS)
    models: dict[str, ReferenceModel] = {}
    for index, item in enumerate(_items(reader, values, "models", schema.REFERENCE_MODELS)):
        path = f"models[{index}]"
        if item is None:
            continue
        reference = _reference(reader, f"{path}.reference", item["reference"], references)
        if item["macs"] is not None and (item["macs_reference"] is None or item["macs_locator"] is None):
            reader.fail(f"{path}.macs", "has no macs_reference and macs_locator",
                        "say where the MAC count is published")
            continue
        if item["macs_reference"] is not None:
            _reference(reader, f"{path}.macs_reference", item["macs_reference"], references)
        if item["key"] in models:
            reader.fail(f"{path}.key", f"duplicate model key {item['key']!r}", "keys must be unique")
        elif reference is not None:
            models[item["key"]] = ReferenceModel(**item)
    return models, reader.errors


def _failed(reader: Reader, *paths: str) -> bool:
    """Whether any of these fields (or a field inside one) already has an error, so a rule about them stays quiet."""
    return any(failed == path or failed.startswith(path + ".") or failed.startswith(path + "[")
               for failed in reader.failed_paths for path in paths)


def _results(located: Located, references: set[str] | None, model_keys: set[str], warnings: list | None
             ) -> tuple[tuple[DistillationResult, ...], list[ContentError]]:
    reader = Reader(located, warnings=warnings)
    values = reader.read(schema.DISTILLATION_RESULTS)
    results: list[DistillationResult] = []
    for index, item in enumerate(_items(reader, values, "results", schema.DISTILLATION_RESULTS)):
        path = f"results[{index}]"
        if item is None:
            continue
        reference = _reference(reader, f"{path}.reference", item["reference"], references)
        student = item["student"]
        if student not in model_keys:
            reader.fail(f"{path}.student", f"unknown model {student!r}",
                        "use a content/models/*.yaml stem or a key of content/reference_models.yaml")
            continue
        if item["kd_percent"] is None and item["better"] is None and not _failed(reader, f"{path}.kd_percent",
                                                                                  f"{path}.better"):
            reader.fail(path, "gives neither kd_percent nor better", "a result needs a distilled accuracy")
            continue
        better = None if item["better"] is None else BetterMethod(item["better"]["method"],
                                                                   item["better"]["top1_percent"])
        if any(r.id == item["id"] for r in results):
            reader.fail(f"{path}.id", f"duplicate result id {item['id']!r}", "ids must be unique")
        elif reference is not None:
            results.append(DistillationResult(item["id"], item["paper"], reference, item["locator"],
                                              item["teacher"]["name"], item["teacher"]["top1_percent"], student,
                                              item["baseline_percent"], item["kd_percent"], better, item["note"]))
    return tuple(results), reader.errors


def _page(located: Located, references: set[str] | None, devices: set[str], model_keys: set[str],
          warnings: list | None, counted: set[str] = frozenset()) -> tuple[tuple | None, list[ContentError]]:
    reader = Reader(located, warnings=warnings)
    values = reader.read(schema.HARDWARE_PAGE)
    if values is None:
        return None, reader.errors
    device = values["default_device"]
    if device is not None:
        device = reader.choose("default_device", device, sorted(devices))
    roofline = values["roofline_device"]
    if roofline is not None:
        roofline = reader.choose("roofline_device", roofline, sorted(devices))
    measured: list[MeasuredLatency] = []
    for index, item in enumerate(_items(reader, values, "measured_latency", schema.HARDWARE_PAGE)):
        path = f"measured_latency[{index}]"
        if item is None:
            continue
        checked = (reader.choose(f"{path}.device", item["device"], sorted(devices)),
                   reader.choose(f"{path}.model", item["model"], sorted(model_keys)),
                   _reference(reader, f"{path}.reference", item["reference"], references))
        if None not in checked:
            measured.append(MeasuredLatency(**item))
    pairs: list[MeasuredPair] = []
    for index, item in enumerate(_items(reader, values, "measured_pairs", schema.HARDWARE_PAGE)):
        path = f"measured_pairs[{index}]"
        if item is None:
            continue
        checked = [_reference(reader, f"{path}.reference", item["reference"], references)]
        if item["device"] is not None:
            checked.append(reader.choose(f"{path}.device", item["device"], sorted(devices)))
        for role in ("teacher", "student"):
            checked.append(reader.choose(f"{path}.{role}.model", item[role]["model"], sorted(counted)))
        if None not in checked:
            pairs.append(MeasuredPair(item["setup"], item["device"], MeasuredModel(**item["teacher"]),
                                      MeasuredModel(**item["student"]), item["reference"], item["locator"]))
    return (device, values["default_traffic_model"], tuple(measured), tuple(pairs), roofline), reader.errors


def _reference_ids(content_dir: Path) -> set[str] | None:
    """Reference ids as written in content/references.yaml (None if unreadable: content.py reports that)."""
    try:
        data = load_yaml(content_dir / "references.yaml", "content/references.yaml").data
    except ContentError:
        return None
    items = data.get("references") if isinstance(data, dict) else None
    return {str(item["id"]) for item in items or [] if isinstance(item, dict) and "id" in item}


def load_hardware_page(content_dir: Path, warnings: list[ContentError] | None = None) -> HardwarePage:
    """Load reference_models.yaml, distillation_results.yaml and hardware_page.yaml; raise ContentErrors.

    Unknown keys are appended to `warnings` (an error under --strict).
    """
    errors: list[ContentError] = []
    references = _reference_ids(content_dir)
    devices = {path.stem for path in content_files(content_dir / "devices", ".yaml")}
    counted = {path.stem for path in content_files(content_dir / "models", ".yaml")}

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
        reference_models, found = _reference_models(file, references, warnings)
        errors += found
        items = file.data.get("models") if isinstance(file.data, dict) else None
        declared = {str(item["key"]) for item in items or [] if isinstance(item, dict) and "key" in item}
        for index, item in enumerate(items or []):  # one model, two definitions: which one wins is a guess
            if isinstance(item, dict) and str(item.get("key")) in counted:
                warnings.append(file.error(f"models[{index}].key", f"model '{item['key']}' is also defined in "
                                           f"content/models/{item['key']}.yaml",
                                           "define each model once: remove one of the two"))
    model_keys = counted | declared
    results: tuple[DistillationResult, ...] = ()
    if (file := located("distillation_results.yaml")) is not None:
        results, found = _results(file, references, model_keys, warnings)
        errors += found
    page = None
    if (file := located("hardware_page.yaml")) is not None:
        # a workload's missing model file is reported once, by the hardware loader, not at every mention
        needed = counted | {workload.model for workload in DEFAULT_WORKLOADS}
        page, found = _page(file, references, devices, model_keys, warnings, needed)
        errors += found
    if errors:
        raise ContentErrors(errors)
    device, traffic, measured, pairs, roofline = page  # type: ignore[misc]
    return HardwarePage(device, traffic, reference_models, results, measured, pairs, roofline)
