"""Read content/energy.yaml into kdsite/science/energy.py's EnergyConstants, each with its unit and source.
"""

from __future__ import annotations

from kdsite.content import schema
from kdsite.content.fields import Reader
from kdsite.content.yamlload import Located
from kdsite.errors import ContentError
from kdsite.science.energy import EnergyConstant, EnergyConstants


def parse_energy(located: Located, warnings: list[ContentError] | None = None) -> EnergyConstants:
    """Typed constants from content/energy.yaml; every precision and memory kind must be present.

    Unknown keys are appended to `warnings` (an error under --strict).
    """
    reader = Reader(located, warnings=warnings)
    values = reader.read(schema.ENERGY)
    reader.raise_if_errors()

    def constant(entry: dict) -> EnergyConstant:
        return EnergyConstant(entry["value"], entry["unit"], entry["source"], entry["note"])

    mac = values["mac_pj"]
    return EnergyConstants(values["process"], values["source"],
                           {precision: constant(pair["multiply"]) for precision, pair in mac.items()},
                           {precision: constant(pair["add"]) for precision, pair in mac.items()},
                           {kind: constant(entry) for kind, entry in values["memory_pj"].items()})
