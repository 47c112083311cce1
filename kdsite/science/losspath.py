"""Loss along a straight path from an uninformed student to the teacher, and the T² demonstration.

The student's logits are z(s) = s·v for s from 0 (all zero: uniform guesses) to 1 (the teacher's
logits v). Along that path the distillation loss KL(p_T‖q_T) falls to 0 while the hard-label
loss CE(y, q_1) falls to the teacher's own cross-entropy. Pure numpy, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kdsite.science.losses import cross_entropy, kl_divergence_from_logits, soft_gradient_norm


@dataclass(frozen=True)
class LossPath:
    """Losses in nats along z(s) = s·v.

    kl[t, k] = KL(p_T ‖ q_T) at temperatures[t] and progress[k]; ce[k] = CE(y, q_1);
    combined[t, a, k] = α·T²·kl + (1 − α)·ce at alphas[a].
    """

    temperatures: np.ndarray
    alphas: np.ndarray
    progress: np.ndarray
    kl: np.ndarray
    ce: np.ndarray
    combined: np.ndarray


def loss_path(teacher_logits: np.ndarray, true_class: int, temperatures: np.ndarray,
              alphas: np.ndarray, progress: np.ndarray) -> LossPath:
    """KL, CE and the combined loss L = α·T²·KL + (1−α)·CE along z(s) = s·v (Hinton 2015 §2)."""
    v = np.asarray(teacher_logits, dtype=np.float64)
    students = progress[:, None] * v[None, :]
    kl = np.stack([kl_divergence_from_logits(v[None, :], students, float(t)) for t in temperatures])
    ce = cross_entropy(np.full(len(progress), true_class), students)
    t_squared = (temperatures ** 2)[:, None, None]
    combined = alphas[None, :, None] * t_squared * kl[:, None, :] + (1 - alphas)[None, :, None] * ce[None, None, :]
    return LossPath(temperatures, alphas, progress, kl, ce, combined)


@dataclass(frozen=True)
class GradientScaling:
    """‖∂KL/∂z‖ against T for an uninformed student, without and with the T² factor."""

    temperatures: np.ndarray
    plain: np.ndarray
    scaled: np.ndarray


def gradient_scaling(teacher_logits: np.ndarray, temperatures: np.ndarray) -> GradientScaling:
    """Soft-loss gradient norms from the closed form (1/T)(q − p) for student logits z = 0.

    Without T² the norm falls like 1/T² at large T; multiplied by T² it levels off.
    """
    v = np.asarray(teacher_logits, dtype=np.float64)
    zeros = np.zeros_like(v)
    return GradientScaling(temperatures,
                           soft_gradient_norm(v, zeros, temperatures, scale_by_t_squared=False),
                           soft_gradient_norm(v, zeros, temperatures, scale_by_t_squared=True))
