"""Hinton §3's bias correction for an omitted class: shifting one output's logit by a constant.

A row predicts digit d after the shift c iff c > m_i, with margin m_i = max_{j≠d} z_ij − z_id.
Sorting the margins therefore answers every "how many rows predict d / how many errors for
shift c" question exactly, without trying shifts on a grid.
"""

from __future__ import annotations

import numpy as np


def _digit_margins(logits: np.ndarray, digit: int) -> tuple[np.ndarray, np.ndarray]:
    """m_i = max_{j≠d} z_ij − z_id (the digit wins iff its shift c > m_i) and the best other class."""
    others = logits.copy()
    others[:, digit] = -np.inf
    best_other = np.argmax(others, axis=1)
    return others[np.arange(len(logits)), best_other] - logits[:, digit], best_other


def shift_matching_count(logits: np.ndarray, digit: int, target_count: int) -> float:
    """The bias shift c after which exactly `target_count` rows predict `digit`.

    Rows predict the digit iff c > m_i; c is the midpoint between the target_count-th and the
    next smallest margin (one unit beyond the ends when the count is 0 or every row).
    """
    margins = np.sort(_digit_margins(logits, digit)[0])
    if target_count <= 0:
        return float(margins[0] - 1.0)
    if target_count >= len(margins):
        return float(margins[-1] + 1.0)
    return float(0.5 * (margins[target_count - 1] + margins[target_count]))


def errors_with_shift(logits: np.ndarray, labels: np.ndarray, digit: int,
                      shifts: np.ndarray) -> np.ndarray:
    """Misclassification counts after adding each shift to the digit's logit (vectorized)."""
    margins, best_other = _digit_margins(logits, digit)
    predicts_digit = np.asarray(shifts)[:, None] > margins[None, :]
    wrong = np.where(predicts_digit, labels[None, :] != digit, labels[None, :] != best_other)
    return wrong.sum(axis=1)


def oracle_shift(logits: np.ndarray, labels: np.ndarray, digit: int) -> tuple[float, int]:
    """The shift with the fewest errors against `labels` (ties: smallest |shift|), and those errors.

    With test labels this is how Hinton et al. picked their +3.5: a reference, not a method.
    """
    margins = np.sort(_digit_margins(logits, digit)[0])
    candidates = np.concatenate([[0.0, margins[0] - 1.0, margins[-1] + 1.0], 0.5 * (margins[1:] + margins[:-1])])
    errors = errors_with_shift(logits, labels, digit, candidates)
    best = np.lexsort((np.abs(candidates), errors))[0]
    return float(candidates[best]), int(errors[best])
