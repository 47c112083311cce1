"""Numeric precisions: bytes per element, and weight/activation bytes per layer (pure numpy).

Every stored value (weight, BN parameter, bias, activation) is counted at the workload's width:
an INT8 model is 1 byte per parameter. Real INT8 deployments keep biases in 32 bits and fold BN
into the convs; that changes totals by well under 1 % and is left out so that footprints read
simply as params × bytes (FACTS §7.10: MobileNetV2 14.0 MB FP32, 3.5 MB INT8).
Megabytes are decimal: 1 MB = 1e6 bytes.
"""

from __future__ import annotations

import numpy as np

from kdsite.science.architecture import LayerTable

BYTES_PER_ELEMENT = {"fp32": 4, "fp16": 2, "int8": 1}
PRECISIONS = tuple(BYTES_PER_ELEMENT)  # ("fp32", "fp16", "int8")
PRECISION_LABELS = {"fp32": "FP32", "fp16": "FP16", "int8": "INT8"}
BYTES_PER_MB = 1e6


def bytes_per_element(precision: str) -> int:
    """Bytes per stored number: fp32 4, fp16 2, int8 1."""
    try:
        return BYTES_PER_ELEMENT[precision]
    except KeyError:
        raise ValueError(f"unknown precision {precision!r}; known: {', '.join(PRECISIONS)}") from None


def weight_bytes(table: LayerTable, precision: str) -> np.ndarray:
    """Per-layer parameter bytes = params (weights + BN γ,β + bias) × bytes per element."""
    return table.params * bytes_per_element(precision)


def input_activation_bytes(table: LayerTable, precision: str) -> np.ndarray:
    """Per-layer input activation bytes = C_in·H_in·W_in × bytes per element (batch 1)."""
    return table.input_elements * bytes_per_element(precision)


def output_activation_bytes(table: LayerTable, precision: str) -> np.ndarray:
    """Per-layer output activation bytes = C_out·H_out·W_out × bytes per element (batch 1)."""
    return table.output_elements * bytes_per_element(precision)


def footprint_mb(params: int, precision: str) -> float:
    """Weight memory footprint in decimal MB = params × bytes per element / 1e6."""
    return params * bytes_per_element(precision) / BYTES_PER_MB


def footprints_mb(params: int) -> dict[str, float]:
    """footprint_mb for every precision, keyed by precision."""
    return {precision: footprint_mb(params, precision) for precision in PRECISIONS}
