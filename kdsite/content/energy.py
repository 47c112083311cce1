"""Read content/energy.yaml into kdsite/science/energy.py's EnergyConstants, each with its unit and source.
"""

from __future__ import annotations
from kdsite.content import limits
from kdsite.content.fieldreader import FieldReader
from kdsite.science.precision import PRECISIONS
from kdsite.content.yamlload import Located
from kdsite.science.energy import EnergyConstant, EnergyConstants, MEMORY_KINDS


def _constant(reader: FieldReader, path: str) -> EnergyConstant | None:
    if reader.mapping(path, allowed=("value", "unit", "source", "note")) is None:
        return None
    value = reader.number(f"{path}.value", maximum=limits.MAX_ENERGY_PJ,
                          hint=f"energies are > 0 and ≤ {limits.MAX_ENERGY_PJ:g} pJ per operation or 32-bit word")
    unit, source = reader.text(f"{path}.unit"), reader.text(f"{path}.source")
    note = reader.text(f"{path}.note", default="")
    return None if value is None else EnergyConstant(value, unit, source, note)


def parse_energy(located: Located) -> EnergyConstants:
    """Typed constants from content/energy.yaml; every precision and memory kind must be present."""
    reader = FieldReader(located)
    if reader.mapping("", allowed=("process", "source", "mac_pj", "memory_pj")) is None:
        reader.raise_if_errors()
    process, source = reader.text("process"), reader.text("source")
    multiply: dict[str, EnergyConstant] = {}
    add: dict[str, EnergyConstant] = {}
    if reader.mapping("mac_pj", allowed=PRECISIONS) is not None:
        for precision in PRECISIONS:
            if reader.mapping(f"mac_pj.{precision}", allowed=("multiply", "add")) is not None:
                multiply[precision] = _constant(reader, f"mac_pj.{precision}.multiply")
                add[precision] = _constant(reader, f"mac_pj.{precision}.add")
    memory: dict[str, EnergyConstant] = {}
    if reader.mapping("memory_pj", allowed=MEMORY_KINDS) is not None:
        memory = {kind: _constant(reader, f"memory_pj.{kind}") for kind in MEMORY_KINDS}
    reader.raise_if_errors()
    return EnergyConstants(process, source, multiply, add, memory)
