"""Temperature softmax and entropy: the numeric core of the temperature section (pure numpy).

Hinton, Vinyals & Dean 2015, §2: q_i = exp(z_i/T) / Σ_j exp(z_j/T).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def log_softmax_with_temperature(logits: np.ndarray, temperature: float | np.ndarray) -> np.ndarray:
    """log q_i = z_i/T − logsumexp(z/T) along the last axis, computed stably.

    Subtracting the maximum first keeps exp() from overflowing for logits of ±1e4 at T = 0.1.
    `temperature` is a scalar or an array that broadcasts against ``logits[..., :1]``.
    """
    scaled = np.asarray(logits, dtype=np.float64) / np.asarray(temperature, dtype=np.float64)
    shifted = scaled - scaled.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax_with_temperature(logits: np.ndarray, temperature: float | np.ndarray) -> np.ndarray:
    """q_i = exp(z_i/T) / Σ_j exp(z_j/T) along the last axis; rows sum to 1."""
    return np.exp(log_softmax_with_temperature(logits, temperature))


def entropy_bits(probabilities: np.ndarray) -> np.ndarray:
    """Shannon entropy H = −Σ p_i log2 p_i in bits along the last axis (0·log 0 taken as 0)."""
    p = np.asarray(probabilities, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(np.where(p > 0, p, 1.0)), 0.0)
    return terms.sum(axis=-1)


@dataclass(frozen=True)
class TemperatureSweep:
    """Softmax of one logit vector at every grid temperature.

    probabilities[t, i] is class i's probability at temperatures[t]; entropy in bits.
    """

    temperatures: np.ndarray
    probabilities: np.ndarray
    entropy_bits: np.ndarray
    max_probability: np.ndarray


def temperature_sweep(logits: np.ndarray, temperatures: np.ndarray) -> TemperatureSweep:
    """Precompute q(T) = softmax(z/T) for each T in `temperatures` (one row per temperature)."""
    temperatures = np.asarray(temperatures, dtype=np.float64)
    probabilities = softmax_with_temperature(np.asarray(logits, dtype=np.float64)[None, :],
                                             temperatures[:, None])
    return TemperatureSweep(temperatures, probabilities, entropy_bits(probabilities),
                            probabilities.max(axis=-1))
