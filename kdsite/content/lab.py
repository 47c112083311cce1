"""Read content/lab.yaml into kdsite/science/labconfig.py's LabConfig.

Every value lives in the YAML file (kdsite/content/schema.py's LAB says which, with their ranges);
nothing has a default, so a number is typed once. Problems are reported with file, line and field
path, all of them in one pass: a single problem raises ContentError, several raise ContentErrors.
"""

from __future__ import annotations

from pathlib import Path

from kdsite.content import schema
from kdsite.content.fields import Reader
from kdsite.errors import ContentError
from kdsite.content.yamlload import Located, load_yaml
from kdsite.science.labconfig import (DataConfig, GridConfig, LabConfig, OmittedClassConfig, SizeSweepConfig,
                                      SoftLabelConfig, StudentTrainingConfig, TeacherConfig, TransferSetConfig)

_SECTIONS = {"data": DataConfig, "teacher": TeacherConfig, "student_training": StudentTrainingConfig,
             "grid": GridConfig, "omitted_class": OmittedClassConfig, "soft_labels": SoftLabelConfig}


def lab_config_from_located(located: Located, warnings: list[ContentError] | None = None) -> LabConfig:
    """Validate parsed YAML and build the LabConfig, or raise ContentError(s) naming each field.

    Unknown keys are appended to `warnings` (an error under --strict).
    """
    reader = Reader(located, warnings=warnings)
    values = reader.read(schema.LAB) or {}
    omitted = values.get("omitted_class")
    if omitted is not None:
        rule, shift = omitted["bias_rule"], omitted["bias_shift"]
        if shift is not None and rule == "match_teacher_frequency":
            reader.fail("omitted_class.bias_shift", "only used with bias_rule: fixed",
                        "remove bias_shift or set bias_rule: fixed")
        elif shift is None and rule == "fixed" and not reader.failed("omitted_class.bias_shift"):
            reader.fail("omitted_class.bias_shift", "is required but missing",
                        "bias_rule: fixed needs a line 'bias_shift: …' under omitted_class")
    reader.raise_if_errors()
    sections = {name: cls(**values[name]) for name, cls in _SECTIONS.items()}
    sweep = values["size_sweep"]
    sections["size_sweep"] = SizeSweepConfig(**dict(sweep, transfer_sets=tuple(
        TransferSetConfig(**item) for item in sweep["transfer_sets"])))
    return LabConfig(seeds=values["seeds"], **sections)


def load_lab_config(path: Path, file: str, warnings: list[ContentError] | None = None) -> LabConfig:
    """Read content/lab.yaml (`file` is the name shown in errors) into a validated LabConfig."""
    return lab_config_from_located(load_yaml(path, file), warnings)
