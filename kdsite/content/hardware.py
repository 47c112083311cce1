"""Load the hardware model's inputs: content/models/*.yaml, content/devices/*.yaml and content/energy.yaml.

`load_hardware(content_dir)` reports all content mistakes at once and returns the HardwareData
that kdsite/science/hardware.py computes from.
"""

from __future__ import annotations

import re
from pathlib import Path

from kdsite.content.models import load_model
from kdsite.content.devices import parse_device
from kdsite.content.energy import parse_energy
from kdsite.errors import ContentError, ContentErrors, relative_name
from kdsite.content.yamlload import content_files, load_yaml
from kdsite.science.hardware import DEFAULT_WORKLOADS, HardwareData, Workload


FILE_KEY = re.compile(r"^[a-z0-9][a-z0-9_]*$")


def _load_all(folder: Path, content_dir: Path, parse, warnings: list[ContentError] | None
              ) -> tuple[dict, list[ContentError]]:
    loaded, errors = {}, []
    for path in content_files(folder, ".yaml", warnings):
        if not FILE_KEY.match(path.stem):  # the stem is the key settings links and other files use
            suggested = re.sub(r"[^a-z0-9_]+", "_", path.stem.lower()).strip("_") or "new"
            errors.append(ContentError(relative_name(path, content_dir), None, "", f"'{path.name}' is not a usable "
                                       "file name, since its name is the key links and other files use",
                                       f"rename it with lowercase letters, digits and _ only, e.g. {suggested}.yaml"))
            continue
        try:
            loaded[path.stem] = parse(load_yaml(path, relative_name(path, content_dir)), path.stem, warnings)
        except ContentError as error:
            errors.append(error)
        except ContentErrors as several:
            errors.extend(several.errors)
    if not loaded and not errors:
        errors.append(ContentError(relative_name(folder, content_dir), None, "", "no *.yaml files",
                                   "add at least one file"))
    return loaded, errors


def load_hardware(content_dir: Path, workloads: tuple[Workload, ...] = DEFAULT_WORKLOADS,
                  warnings: list[ContentError] | None = None) -> HardwareData:
    """Load content/models, content/devices and content/energy.yaml; raise ContentErrors for all mistakes.

    Unknown keys are appended to `warnings` (an error under --strict).
    """
    models, errors = _load_all(content_dir / "models", content_dir, load_model, warnings)
    devices, device_errors = _load_all(content_dir / "devices", content_dir, parse_device, warnings)
    errors += device_errors
    named: dict[str, str] = {}  # display name -> the file that has it: a chooser cannot show two alike
    for key, device in devices.items():
        file = relative_name(content_dir / "devices" / f"{key}.yaml", content_dir)
        if device.display_name in named:
            located = load_yaml(content_dir / "devices" / f"{key}.yaml", file)
            errors.append(located.error("display_name", f"'{device.display_name}' is also the display name of "
                                        f"{named[device.display_name]}", "give each device its own name: the "
                                        "device chooser would show two alike"))
        named.setdefault(device.display_name, file)
    energy = None
    energy_path = content_dir / "energy.yaml"
    try:
        energy = parse_energy(load_yaml(energy_path, relative_name(energy_path, content_dir)), warnings)
    except ContentError as error:
        errors.append(error)
    except ContentErrors as several:
        errors.extend(several.errors)
    for workload in workloads:
        if workload.model not in models and not any(e.file.endswith(f"{workload.model}.yaml") for e in errors):
            errors.append(ContentError(relative_name(content_dir / "models" / f"{workload.model}.yaml",
                                                     content_dir), None, "",
                                       f"model needed by workload {workload.key!r} is missing",
                                       "restore the file"))
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ContentErrors(errors)
    return HardwareData({key: spec for key, (spec, _) in models.items()},
                        {key: table for key, (_, table) in models.items()}, devices, energy)
