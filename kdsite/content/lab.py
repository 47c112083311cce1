"""Read content/lab.yaml into kdsite/science/labconfig.py's LabConfig.

Every value lives in the YAML file; nothing has a default, so a number is typed once. Problems are
reported with file, line and field path, all of them in one pass: a single problem raises
ContentError, several raise ContentErrors.
"""

from __future__ import annotations
import math
from pathlib import Path
from typing import Any
from kdsite.content import limits
from kdsite.errors import ContentError, ContentErrors
from kdsite.content.yamlload import Located, load_yaml
from kdsite.science.labconfig import BIAS_RULES, CLASS_COUNT, DataConfig, GridConfig, LabConfig, OmittedClassConfig, SOFT_LABEL_RULES, SizeSweepConfig, SoftLabelConfig, StudentTrainingConfig, TeacherConfig, TransferSetConfig


class _Reader:
    """Checks values against the schema and collects every problem with its line."""

    def __init__(self, located: Located) -> None:
        self.located = located
        self.errors: list[ContentError] = []

    def fail(self, path: str, message: str, hint: str = "") -> None:
        self.errors.append(self.located.error(path, message, hint))

    def mapping(self, path: str, value: Any, required: tuple[str, ...],
                optional: tuple[str, ...] = ()) -> dict[str, Any] | None:
        """The mapping at `path` if it is one and has every required key, else None.

        Unknown keys are reported but do not stop the known ones from being checked.
        """
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping with keys {', '.join(required)}, got {_kind(value)}",
                      "write one 'key: value' per line, indented under the section name")
            return None
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                self.fail(_join(path, key), "unknown key", f"allowed keys here: {allowed}")
        ok = True
        for key in required:
            if key not in value:
                self.fail(path, f"missing key '{key}'",
                          f"add a line '{key}: …'" + (f" under {path}" if path else ""))
                ok = False
        return value if ok else None

    def integer(self, path: str, value: Any, minimum: int, maximum: int | None = None,
                hint: str = "") -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"expected an integer, got {_kind(value)} {value!r}",
                      "write a whole number such as 32, without quotes or a decimal point")
            return None
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"≥ {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
            self.fail(path, f"must be {bound}, got {value}", hint or "counts, sizes and seeds cannot be smaller")
            return None
        return value

    def number(self, path: str, value: Any, minimum: float, maximum: float | None = None,
               exclusive_minimum: bool = False, hint: str = "") -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, f"expected a number, got {_kind(value)} {value!r}", _number_hint(value))
            return None
        if not math.isfinite(value):  # YAML's .nan and .inf are floats
            self.fail(path, f"must be a finite number, got {value}",
                      hint or "write the value itself, not .nan or .inf")
            return None
        low_ok = value > minimum if exclusive_minimum else value >= minimum
        if not low_ok or (maximum is not None and value > maximum):
            low = f"> {minimum:g}" if exclusive_minimum else f"≥ {minimum:g}"
            bound = low if maximum is None else f"{low} and ≤ {maximum:g}"
            self.fail(path, f"must be {bound}, got {value}",
                      hint or "see the comment beside it in content/lab.yaml")
            return None
        return float(value)

    def items(self, path: str, value: Any, most: int | None = None) -> list[Any] | None:
        if not isinstance(value, list) or not value:
            self.fail(path, f"expected a non-empty list, got {_kind(value) if value != [] else 'an empty list'}",
                      "write [a, b, c] or one '- item' per line")
            return None
        if most is not None and len(value) > most:
            self.fail(path, f"has {len(value)} entries, more than {most}", f"list 1 to {most} entries")
            return None
        return value

    def integers(self, path: str, value: Any, minimum: int, allow_empty: bool = False,
                 maximum: int | None = None, most: int | None = None, hint: str = "") -> tuple[int, ...] | None:
        """A list of integers in [minimum, maximum], of at most `most` entries."""
        if allow_empty and value == []:
            return ()
        values = self.items(path, value, most)
        if values is None:
            return None
        checked = [self.integer(f"{path}[{i}]", v, minimum, maximum, hint) for i, v in enumerate(values)]
        return None if any(v is None for v in checked) else tuple(checked)  # type: ignore[arg-type]

    def numbers(self, path: str, value: Any, minimum: float, maximum: float | None = None,
                exclusive_minimum: bool = False, hint: str = "", most: int | None = None
                ) -> tuple[float, ...] | None:
        values = self.items(path, value, most)
        if values is None:
            return None
        checked = [self.number(f"{path}[{i}]", v, minimum, maximum, exclusive_minimum, hint)
                   for i, v in enumerate(values)]
        return None if any(v is None for v in checked) else tuple(checked)  # type: ignore[arg-type]

    def temperature(self, path: str, value: Any) -> float | None:
        """A temperature: > 0, and within [TEMPERATURE_MIN, TEMPERATURE_MAX]."""
        number = self.number(path, value, 0, None, True, _TEMPERATURE_HINT)
        if number is not None and not limits.TEMPERATURE_MIN <= number <= limits.TEMPERATURE_MAX:
            self.fail(path, f"must be between {limits.TEMPERATURE_MIN:g} and {limits.TEMPERATURE_MAX:g}, "
                      f"got {number:g}", _TEMPERATURE_RANGE_HINT)
            return None
        return number

    def temperatures(self, path: str, value: Any) -> tuple[float, ...] | None:
        values = self.items(path, value, limits.MAX_GRID_TEMPERATURES)
        if values is None:
            return None
        checked = [self.temperature(f"{path}[{i}]", v) for i, v in enumerate(values)]
        return None if any(v is None for v in checked) else tuple(checked)  # type: ignore[arg-type]

    def choice(self, path: str, value: Any, choices: tuple[str, ...]) -> str | None:
        if value not in choices:
            self.fail(path, f"expected one of {', '.join(choices)}, got {value!r}",
                      "copy one of the listed names")
            return None
        return value


def _number_hint(value: Any) -> str:
    """PyYAML reads 1e-3 as a string (YAML 1.1 wants a dot in the mantissa): say so."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            pass
        else:
            return "YAML reads this as text: write 0.001 or 1.0e-3, with a dot"
    return "write a plain number such as 0.5, without quotes or units"


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean",
            type(None): "nothing"}.get(type(value), type(value).__name__)


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


_TEMPERATURE_HINT = "temperatures divide the logits: use a value > 0"


_TEMPERATURE_RANGE_HINT = (f"temperatures are {limits.TEMPERATURE_MIN:g} to {limits.TEMPERATURE_MAX:g}: "
                           "outside, softmax saturates or T² overflows")


_EPOCHS_HINT = f"epochs are 1 to {limits.MAX_LAB_EPOCHS}"


_BATCH_HINT = f"batch sizes are 1 to {limits.MAX_BATCH_SIZE}"


_HIDDEN_HINT = f"hidden layers have 1 to {limits.MAX_HIDDEN_UNITS} units"


_SEED_HINT = f"seeds are whole numbers from 0 to {limits.MAX_SEED}"


_ALPHA_HINT = "alpha weights the soft term: 0 is hard labels only, 1 soft targets only"


_LEARNING_RATE_HINT = "Adam's step size, e.g. 0.001"


_DECAY_HINT = "weight decay is a penalty weight: 0 turns it off"


def _build(cls: type, required: dict[str, Any], **optional: Any) -> Any:
    """`cls(**required, **optional)`, or None if a required field failed validation (is None)."""
    return None if any(v is None for v in required.values()) else cls(**required, **optional)


def lab_config_from_located(located: Located) -> LabConfig:
    """Validate parsed YAML and build the LabConfig, or raise ContentError(s) naming each field."""
    r = _Reader(located)
    r.mapping("", located.data, ("data", "seeds", "teacher", "student_training", "grid",
                                 "size_sweep", "omitted_class", "soft_labels"))
    top = located.data if isinstance(located.data, dict) else {}  # check the sections that are there
    sections: dict[str, Any] = {}

    def section(name: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
        return (r.mapping(name, top[name], required, optional) or {}) if name in top else {}

    def hidden(path: str, value: Any) -> tuple[int, ...] | None:
        return r.integers(path, value, 1, allow_empty=True, maximum=limits.MAX_HIDDEN_UNITS,
                          most=limits.MAX_HIDDEN_LAYERS, hint=_HIDDEN_HINT)

    data = section("data", ("split_seed", "test_fraction"))
    if data:
        sections["data"] = _build(DataConfig, dict(
            split_seed=r.integer("data.split_seed", data["split_seed"], 0, limits.MAX_SEED, _SEED_HINT),
            test_fraction=r.number("data.test_fraction", data["test_fraction"], 0.05, 0.5)))
    if "seeds" in top:
        sections["seeds"] = r.integers("seeds", top["seeds"], 0, maximum=limits.MAX_SEED,
                                       most=limits.MAX_SEEDS, hint=_SEED_HINT)
        if sections["seeds"] is not None and len(set(sections["seeds"])) < len(sections["seeds"]):
            r.fail("seeds", "seeds must be distinct", "a repeated seed repeats the same run")
    teacher = section("teacher", ("hidden", "epochs", "batch_size", "learning_rate", "weight_decay",
                                  "input_noise"))
    if teacher:
        sections["teacher"] = _build(TeacherConfig, dict(
            hidden=hidden("teacher.hidden", teacher["hidden"]),
            epochs=r.integer("teacher.epochs", teacher["epochs"], 1, limits.MAX_LAB_EPOCHS, _EPOCHS_HINT),
            batch_size=r.integer("teacher.batch_size", teacher["batch_size"], 1, limits.MAX_BATCH_SIZE, _BATCH_HINT),
            learning_rate=r.number("teacher.learning_rate", teacher["learning_rate"], 0, limits.MAX_LEARNING_RATE,
                                   exclusive_minimum=True, hint=_LEARNING_RATE_HINT),
            weight_decay=r.number("teacher.weight_decay", teacher["weight_decay"], 0, limits.MAX_WEIGHT_DECAY,
                                  hint=_DECAY_HINT),
            input_noise=r.number("teacher.input_noise", teacher["input_noise"], 0, limits.MAX_INPUT_NOISE,
                                 hint=f"noise is 0 to {limits.MAX_INPUT_NOISE:g} pixel standard deviations")))
    training = section("student_training", ("batch_size", "learning_rate", "weight_decay"))
    if training:
        sections["student_training"] = _build(StudentTrainingConfig, dict(
            batch_size=r.integer("student_training.batch_size", training["batch_size"], 1, limits.MAX_BATCH_SIZE,
                                 _BATCH_HINT),
            learning_rate=r.number("student_training.learning_rate", training["learning_rate"], 0,
                                   limits.MAX_LEARNING_RATE, exclusive_minimum=True, hint=_LEARNING_RATE_HINT),
            weight_decay=r.number("student_training.weight_decay", training["weight_decay"], 0,
                                  limits.MAX_WEIGHT_DECAY, hint=_DECAY_HINT)))
    grid = section("grid", ("hidden", "transfer_fraction", "epochs", "temperatures", "alphas"))
    if grid:
        sections["grid"] = _build(GridConfig, dict(
            hidden=hidden("grid.hidden", grid["hidden"]),
            transfer_fraction=r.number("grid.transfer_fraction", grid["transfer_fraction"], 0, 1,
                                       exclusive_minimum=True),
            epochs=r.integer("grid.epochs", grid["epochs"], 1, limits.MAX_LAB_EPOCHS, _EPOCHS_HINT),
            temperatures=r.temperatures("grid.temperatures", grid["temperatures"]),
            alphas=r.numbers("grid.alphas", grid["alphas"], 0, 1, hint=_ALPHA_HINT, most=limits.MAX_GRID_ALPHAS)))
    sweep = section("size_sweep", ("widths", "temperature", "alpha", "transfer_sets"))
    if sweep:
        transfer_sets = r.items("size_sweep.transfer_sets", sweep["transfer_sets"], limits.MAX_TRANSFER_SETS)
        built_sets: list[TransferSetConfig | None] = []
        for i, item in enumerate(transfer_sets or []):
            path = f"size_sweep.transfer_sets[{i}]"
            entry = r.mapping(path, item, ("fraction", "epochs"))
            built_sets.append(None if entry is None else _build(TransferSetConfig, dict(
                fraction=r.number(f"{path}.fraction", entry["fraction"], 0, 1, exclusive_minimum=True),
                epochs=r.integer(f"{path}.epochs", entry["epochs"], 1, limits.MAX_LAB_EPOCHS, _EPOCHS_HINT))))
        sets_ok = transfer_sets is not None and all(s is not None for s in built_sets)
        sections["size_sweep"] = _build(SizeSweepConfig, dict(
            widths=r.integers("size_sweep.widths", sweep["widths"], 1, maximum=limits.MAX_HIDDEN_UNITS,
                              most=limits.MAX_SWEEP_WIDTHS, hint=_HIDDEN_HINT),
            temperature=r.temperature("size_sweep.temperature", sweep["temperature"]),
            alpha=r.number("size_sweep.alpha", sweep["alpha"], 0, 1, hint=_ALPHA_HINT),
            transfer_sets=tuple(built_sets) if sets_ok else None))
    omitted = section("omitted_class", ("digit", "hidden", "epochs", "temperature", "alpha", "bias_rule"),
                      ("bias_shift",))
    if omitted:
        rule = r.choice("omitted_class.bias_rule", omitted["bias_rule"], BIAS_RULES)
        shift = None
        if "bias_shift" in omitted:
            shift = r.number("omitted_class.bias_shift", omitted["bias_shift"], -1e3, 1e3)
            if rule == "match_teacher_frequency":
                r.fail("omitted_class.bias_shift", "only used with bias_rule: fixed",
                       "remove bias_shift or set bias_rule: fixed")
        elif rule == "fixed":
            r.fail("omitted_class", "missing key 'bias_shift'", "bias_rule: fixed needs a bias_shift")
        sections["omitted_class"] = _build(OmittedClassConfig, dict(
            digit=r.integer("omitted_class.digit", omitted["digit"], 0, CLASS_COUNT - 1,
                            "the digits are 0 to 9"),
            hidden=hidden("omitted_class.hidden", omitted["hidden"]),
            epochs=r.integer("omitted_class.epochs", omitted["epochs"], 1, limits.MAX_LAB_EPOCHS, _EPOCHS_HINT),
            temperature=r.temperature("omitted_class.temperature", omitted["temperature"]),
            alpha=r.number("omitted_class.alpha", omitted["alpha"], 0, 1, hint=_ALPHA_HINT),
            bias_rule=rule), bias_shift=shift)
    soft = section("soft_labels", ("count", "rule"))
    if soft:
        sections["soft_labels"] = _build(SoftLabelConfig, dict(
            count=r.integer("soft_labels.count", soft["count"], 1, 50, "how many test digits to show"),
            rule=r.choice("soft_labels.rule", soft["rule"], SOFT_LABEL_RULES)))
    if r.errors:
        raise r.errors[0] if len(r.errors) == 1 else ContentErrors(r.errors)
    return LabConfig(**sections)


def load_lab_config(path: Path, file: str) -> LabConfig:
    """Read content/lab.yaml (`file` is the name shown in errors) into a validated LabConfig."""
    return lab_config_from_located(load_yaml(path, file))
