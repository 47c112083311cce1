"""Distillation losses and their exact gradients (pure numpy).

Convention used across the site (α weights the soft term; FACTS §7.13):

    L = α·T²·KL(p_T ‖ q_T) + (1 − α)·CE(y, q_1)

p_T = softmax(v/T) of the teacher logits v, q_T = softmax(z/T) of the student logits z, and the
hard-label cross-entropy uses the student at T = 1. Hinton, Vinyals & Dean 2015 (§2) write the
soft term as a cross-entropy with the soft targets; it differs from the KL only by the teacher's
entropy, a constant in z, so the gradient is the same.

Arrays are batched over leading axes; the last axis is the classes. Losses are in nats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kdsite.science.softmax import log_softmax_with_temperature


def kl_divergence(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """KL(p ‖ q) = Σ_i p_i (log p_i − log q_i) in nats along the last axis.

    Terms with p_i = 0 count as 0 (0·log 0 = 0). Where q_i = 0 but p_i > 0 the result is +inf.
    For distributions that come from logits prefer `kl_divergence_from_logits`, which never
    leaves log-space and stays exact for extreme logits. The result is ≥ 0 and 0 iff p = q
    (Gibbs' inequality); tiny negative rounding is clipped to 0.
    """
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - np.log(q)), 0.0)
    return np.maximum(terms.sum(axis=-1), 0.0)


def _kl_from_log_probabilities(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """Σ_i exp(log p_i)(log p_i − log q_i); both inputs are finite log-softmax outputs."""
    return np.maximum((np.exp(log_p) * (log_p - log_q)).sum(axis=-1), 0.0)


def kl_divergence_from_logits(teacher_logits: np.ndarray, student_logits: np.ndarray,
                              temperature: float) -> np.ndarray:
    """KL(p_T ‖ q_T) in nats with p_T = softmax(v/T), q_T = softmax(z/T), via log-softmax.

    Stable for logits of ±1e4 at T = 0.1: log-softmax subtracts the row maximum, so no exp()
    overflows and every log-probability stays finite.
    """
    log_p = log_softmax_with_temperature(teacher_logits, temperature)
    log_q = log_softmax_with_temperature(student_logits, temperature)
    return _kl_from_log_probabilities(log_p, log_q)


def _as_target_distribution(labels_or_onehot: np.ndarray, num_classes: int,
                            batch_shape: tuple[int, ...]) -> np.ndarray:
    """Integer class labels of shape `batch_shape` → one-hot rows; distributions pass through."""
    targets = np.asarray(labels_or_onehot)
    if targets.shape == batch_shape and np.issubdtype(targets.dtype, np.integer):
        if targets.size and (targets.min() < 0 or targets.max() >= num_classes):
            raise ValueError(f"labels must lie in [0, {num_classes}), got {targets.min()}..{targets.max()}")
        return np.eye(num_classes)[targets]
    if targets.shape == batch_shape + (num_classes,):
        return targets.astype(np.float64)
    raise ValueError(f"labels of shape {targets.shape} fit neither {batch_shape} (integer class "
                     f"indices) nor {batch_shape + (num_classes,)} (one-hot or soft targets)")


def cross_entropy(labels_or_onehot: np.ndarray, student_logits: np.ndarray) -> np.ndarray:
    """CE(y, q_1) = −Σ_i y_i log q_i in nats, with q = softmax(z) at T = 1, per example.

    `labels_or_onehot` is either integer class indices (shape = logits.shape[:-1]) or target
    rows (shape = logits.shape) such as one-hot vectors. Computed from log-softmax, so it is
    finite for any finite logits (−log q_y = logsumexp(z) − z_y).
    """
    logits = np.asarray(student_logits, dtype=np.float64)
    targets = _as_target_distribution(labels_or_onehot, logits.shape[-1], logits.shape[:-1])
    return -(targets * log_softmax_with_temperature(logits, 1.0)).sum(axis=-1)


def _check_hyperparameters(temperature: float, alpha: float) -> None:
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1], got {alpha}")


@dataclass(frozen=True)
class KDLoss:
    """The combined loss of a batch and its two parts, each a mean over examples, in nats.

    total = alpha·T²·kl + (1 − alpha)·ce. `kl` and `ce` are the unweighted parts; the
    weighted contributions are `soft_term` and `hard_term`.
    """

    total: float
    kl: float
    ce: float
    temperature: float
    alpha: float

    @property
    def soft_term(self) -> float:
        """α·T²·KL, the soft-target contribution to `total` (nats)."""
        return self.alpha * self.temperature**2 * self.kl

    @property
    def hard_term(self) -> float:
        """(1 − α)·CE, the hard-label contribution to `total` (nats)."""
        return (1.0 - self.alpha) * self.ce


def kd_loss(student_logits: np.ndarray, teacher_logits: np.ndarray, labels: np.ndarray,
            temperature: float, alpha: float) -> KDLoss:
    """L = α·T²·KL(p_T ‖ q_T) + (1 − α)·CE(y, q_1), averaged over all leading (batch) axes.

    Hinton, Vinyals & Dean 2015 §2: the soft term is multiplied by T² so that its gradient
    keeps the same size when T changes. `labels` are class indices or one-hot rows.
    """
    _check_hyperparameters(temperature, alpha)
    kl = float(np.mean(kl_divergence_from_logits(teacher_logits, student_logits, temperature)))
    ce = float(np.mean(cross_entropy(labels, student_logits)))
    total = alpha * temperature**2 * kl + (1.0 - alpha) * ce
    return KDLoss(total=total, kl=kl, ce=ce, temperature=float(temperature), alpha=float(alpha))


def kd_loss_gradient(student_logits: np.ndarray, teacher_logits: np.ndarray, labels: np.ndarray,
                     temperature: float, alpha: float) -> np.ndarray:
    """∂L/∂z of `kd_loss` (the batch mean), same shape as the student logits.

    Per example: α·T²·(1/T)(q_T − p_T) + (1 − α)(q_1 − y) = α·T·(q_T − p_T) + (1 − α)(q_1 − y),
    divided by the number of examples because the loss is a batch mean (Hinton 2015 §2.1).
    """
    _check_hyperparameters(temperature, alpha)
    logits = np.asarray(student_logits, dtype=np.float64)
    targets = _as_target_distribution(labels, logits.shape[-1], logits.shape[:-1])
    q_1 = np.exp(log_softmax_with_temperature(logits, 1.0))
    per_example = (1.0 - alpha) * (q_1 - targets)
    if alpha > 0:  # skipping the soft term at α = 0 also skips the teacher's softmax
        q_t = q_1 if temperature == 1.0 else np.exp(log_softmax_with_temperature(logits, temperature))
        p_t = np.exp(log_softmax_with_temperature(teacher_logits, temperature))
        per_example += alpha * temperature * (q_t - p_t)
    examples = int(np.prod(logits.shape[:-1], dtype=np.int64))
    return per_example / max(examples, 1)


def soft_gradient(teacher_logits: np.ndarray, student_logits: np.ndarray,
                  temperature: float) -> np.ndarray:
    """∂KL(p_T ‖ q_T)/∂z_i = (1/T)(q_i − p_i), per example (Hinton 2015 §2.1, closed form).

    At high T with zero-mean logits this tends to (z_i − v_i)/(N·T²): the 1/T² fall-off that
    the T² factor in `kd_loss` undoes.
    """
    q_t = np.exp(log_softmax_with_temperature(student_logits, temperature))
    p_t = np.exp(log_softmax_with_temperature(teacher_logits, temperature))
    return (q_t - p_t) / temperature


def soft_gradient_norm(teacher_logits: np.ndarray, student_logits: np.ndarray,
                       temperatures: np.ndarray, scale_by_t_squared: bool) -> np.ndarray:
    """L2 norm of ∂KL(p_T ‖ q_T)/∂z for each temperature; optionally multiplied by T².

    For batched logits the per-example norms are averaged over the leading axes. Returns an
    array with the shape of `temperatures`. Without the T² factor the norm falls like 1/T² at
    large T (for zero-mean logits); with it, the norm levels off at ‖z − v‖/N.
    """
    temps = np.asarray(temperatures, dtype=np.float64)
    norms = np.empty(temps.shape, dtype=np.float64)
    for index, temperature in np.ndenumerate(temps):
        if not temperature > 0:
            raise ValueError(f"temperatures must be > 0, got {temperature}")
        gradient = soft_gradient(teacher_logits, student_logits, float(temperature))
        norm = float(np.mean(np.linalg.norm(gradient, axis=-1)))
        norms[index] = norm * temperature**2 if scale_by_t_squared else norm
    return norms
