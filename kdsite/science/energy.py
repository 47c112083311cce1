"""Energy per inference from per-operation energies (Horowitz ISSCC 2014, 45 nm; pure numpy).

  E_compute = MACs × (E_multiply + E_add) at the workload's precision
  E_dram    = DRAM bytes / 4 × E_dram per 32-bit word (640 pJ, Han 2015; 1300 pJ at the high end)
  E_sram    = on-chip parameter bytes / 4 × E_sram(1 MB) per 32-bit word (on_chip model only)

The constants live in content/energy.yaml, each with its unit and source. Pooling, BN, activation
functions, caches between DRAM and the MAC units and static power are not counted: these are
lower bounds that compare workloads, not board measurements.
"""

from __future__ import annotations
from dataclasses import dataclass


MEMORY_KINDS = ("dram", "dram_high", "sram", "sram_1mb")


BYTES_PER_WORD = 4  # the memory energies are per 32-bit word


@dataclass(frozen=True)
class EnergyConstant:
    """One energy per operation in picojoules, with its unit text and source."""

    value_pj: float
    unit: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class EnergyConstants:
    """content/energy.yaml, typed."""

    process: str
    source: str
    multiply: dict[str, EnergyConstant]  # precision -> multiply energy
    add: dict[str, EnergyConstant]  # precision -> accumulate-add energy
    memory: dict[str, EnergyConstant]  # "dram", "dram_high", "sram", "sram_1mb"

    def mac_pj(self, precision: str) -> float:
        """Energy of one multiply-accumulate = E_multiply + E_add (pJ); FP32 4.6, FP16 1.5, INT8 0.3."""
        return self.multiply[precision].value_pj + self.add[precision].value_pj


def compute_energy_pj(macs: float, mac_pj: float) -> float:
    """E_compute = MACs × energy per MAC (pJ)."""
    return float(macs) * mac_pj


def memory_energy_pj(bytes_moved: float, pj_per_word: float) -> float:
    """E = bytes / 4 × energy per 32-bit word (pJ)."""
    return float(bytes_moved) / BYTES_PER_WORD * pj_per_word


@dataclass(frozen=True)
class EnergyBreakdown:
    """Energy of one inference in picojoules, split by where it is spent."""

    compute_pj: float  # MACs
    dram_pj: float  # bytes over the memory link at 640 pJ / 32 bit
    dram_high_pj: float  # the same bytes at the high end of Horowitz's range (1300 pJ / 32 bit)
    sram_pj: float  # resident parameters read on chip (on_chip model), 1 MB-array figure

    @property
    def total_pj(self) -> float:
        """compute + DRAM (low end) + SRAM."""
        return self.compute_pj + self.dram_pj + self.sram_pj

    @property
    def compute_mj(self) -> float:
        return self.compute_pj * 1e-9

    @property
    def dram_mj(self) -> float:
        return self.dram_pj * 1e-9

    @property
    def sram_mj(self) -> float:
        return self.sram_pj * 1e-9

    @property
    def total_mj(self) -> float:
        return self.total_pj * 1e-9


def inference_energy(macs: float, precision: str, dram_bytes: float, constants: EnergyConstants,
                     resident_weight_bytes: float = 0.0) -> EnergyBreakdown:
    """Energy of one inference: MACs at `precision`, `dram_bytes` over the link, resident reads on chip."""
    return EnergyBreakdown(
        compute_pj=compute_energy_pj(macs, constants.mac_pj(precision)),
        dram_pj=memory_energy_pj(dram_bytes, constants.memory["dram"].value_pj),
        dram_high_pj=memory_energy_pj(dram_bytes, constants.memory["dram_high"].value_pj),
        sram_pj=memory_energy_pj(resident_weight_bytes, constants.memory["sram_1mb"].value_pj),
    )
