"""Tests for kdsite.losses: KL, cross-entropy, the combined KD loss and its exact gradient."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kdsite.science.losses import cross_entropy, kd_loss, kd_loss_gradient, kl_divergence, kl_divergence_from_logits, soft_gradient, soft_gradient_norm
from kdsite.science.softmax import softmax_with_temperature


def test_kl_is_zero_for_equal_distributions_and_positive_otherwise():
    rng = np.random.default_rng(0)
    p = softmax_with_temperature(rng.normal(size=(50, 7)), 1.0)
    q = softmax_with_temperature(rng.normal(size=(50, 7)), 1.0)
    assert np.allclose(kl_divergence(p, p), 0.0, atol=1e-15)
    assert np.all(kl_divergence(p, q) > 1e-6)
    assert kl_divergence(np.array([0.5, 0.5]), np.array([0.25, 0.75])) == pytest.approx(
        0.5 * math.log(2.0) + 0.5 * math.log(0.5 / 0.75))


def test_kl_handles_zeros_in_p_and_q():
    assert kl_divergence(np.array([1.0, 0.0]), np.array([0.5, 0.5])) == pytest.approx(math.log(2.0))
    assert kl_divergence(np.array([0.5, 0.5]), np.array([1.0, 0.0])) == np.inf


def test_kl_from_logits_matches_probability_form_and_is_shift_invariant():
    rng = np.random.default_rng(1)
    v, z = rng.normal(size=(2, 20, 10)) * 3
    for temperature in (0.5, 1.0, 4.0):
        expected = kl_divergence(softmax_with_temperature(v, temperature),
                                 softmax_with_temperature(z, temperature))
        got = kl_divergence_from_logits(v, z, temperature)
        assert np.allclose(got, expected, rtol=1e-10, atol=1e-14)
    assert np.allclose(kl_divergence_from_logits(v, v + 5.0, 2.0), 0.0, atol=1e-14)


def test_cross_entropy_hand_computed():
    # logits (1, 2, 3): log-sum-exp = 3 + log(1 + e^-1 + e^-2) = 3.40760596...; label 0 → 2.40760596
    logits = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    got = cross_entropy(np.array([0, 2]), logits)
    assert got[0] == pytest.approx(2.4076059644443806, rel=1e-12)
    assert got[1] == pytest.approx(math.log(3.0), rel=1e-12)
    onehot = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    assert np.allclose(cross_entropy(onehot, logits), got)


def test_cross_entropy_rejects_wrong_label_shapes():
    with pytest.raises(ValueError):
        cross_entropy(np.array([0, 1, 2]), np.zeros((2, 3)))
    with pytest.raises(ValueError):
        cross_entropy(np.array([0, 3]), np.zeros((2, 3)))


def test_kd_loss_parts_combine_with_t_squared():
    rng = np.random.default_rng(2)
    z, v = rng.normal(size=(2, 8, 5))
    labels = rng.integers(0, 5, size=8)
    loss = kd_loss(z, v, labels, temperature=3.0, alpha=0.4)
    assert loss.kl == pytest.approx(float(np.mean(kl_divergence_from_logits(v, z, 3.0))))
    assert loss.ce == pytest.approx(float(np.mean(cross_entropy(labels, z))))
    assert loss.total == pytest.approx(0.4 * 9.0 * loss.kl + 0.6 * loss.ce)
    assert loss.soft_term + loss.hard_term == pytest.approx(loss.total)


@pytest.mark.parametrize("bad", [dict(temperature=0.0, alpha=0.5), dict(temperature=1.0, alpha=1.5),
                                 dict(temperature=-2.0, alpha=0.5), dict(temperature=1.0, alpha=-0.1)])
def test_kd_loss_rejects_bad_hyperparameters(bad):
    with pytest.raises(ValueError):
        kd_loss(np.zeros((1, 3)), np.zeros((1, 3)), np.array([0]), **bad)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0, 4.0, 10.0])
@pytest.mark.parametrize("alpha", [0.0, 0.3, 0.7, 1.0])
def test_kd_gradient_matches_central_finite_differences(temperature, alpha):
    rng = np.random.default_rng(int(temperature * 10) + int(alpha * 100))
    z = rng.normal(size=(4, 6)) * 2
    v = rng.normal(size=(4, 6)) * 2
    labels = rng.integers(0, 6, size=4)
    analytic = kd_loss_gradient(z, v, labels, temperature, alpha)
    numeric = np.zeros_like(z)
    step = 1e-5
    for index in np.ndindex(z.shape):
        plus, minus = z.copy(), z.copy()
        plus[index] += step
        minus[index] -= step
        numeric[index] = (kd_loss(plus, v, labels, temperature, alpha).total
                          - kd_loss(minus, v, labels, temperature, alpha).total) / (2 * step)
    assert np.allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def test_soft_gradient_is_closed_form():
    rng = np.random.default_rng(3)
    z, v = rng.normal(size=(2, 9))
    q, p = softmax_with_temperature(z, 2.0), softmax_with_temperature(v, 2.0)
    assert np.allclose(soft_gradient(v, z, 2.0), (q - p) / 2.0)
    # It is also the α = 1 KD gradient divided by T² (single example, so no batch mean).
    assert np.allclose(kd_loss_gradient(z[None], v[None], np.array([0]), 2.0, 1.0)[0],
                       4.0 * soft_gradient(v, z, 2.0))


def _zero_mean_logits(classes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    v, z = rng.normal(scale=2.0, size=(2, classes))
    return v - v.mean(), z - z.mean()


def test_soft_gradient_falls_like_one_over_t_squared_without_the_factor():
    v, z = _zero_mean_logits(1000, seed=0)
    norms = soft_gradient_norm(v, z, [50.0, 100.0, 200.0], scale_by_t_squared=False)
    assert norms[0] / norms[1] == pytest.approx(4.0, rel=0.02)
    assert norms[1] / norms[2] == pytest.approx(4.0, rel=0.01)
    # High-T limit (z − v)/(N·T²) of Hinton §2.1.
    assert norms[2] == pytest.approx(np.linalg.norm(z - v) / (1000 * 200.0**2), rel=0.01)
    assert np.all(np.diff(soft_gradient_norm(v, z, [1, 2, 4, 8, 20, 50], False)) < 0)


def test_soft_gradient_is_flat_with_the_t_squared_factor():
    v, z = _zero_mean_logits(1000, seed=0)
    scaled = soft_gradient_norm(v, z, [20.0, 50.0, 100.0, 200.0], scale_by_t_squared=True)
    assert scaled.max() / scaled.min() == pytest.approx(1.0, abs=0.02)
    assert scaled[-1] == pytest.approx(np.linalg.norm(z - v) / 1000, rel=0.01)


def test_soft_gradient_norm_keeps_the_shape_of_temperatures_and_averages_batches():
    v, z = np.random.default_rng(4).normal(size=(2, 3, 5))
    norms = soft_gradient_norm(v, z, np.array([[1.0, 2.0]]), scale_by_t_squared=False)
    assert norms.shape == (1, 2)
    expected = np.mean(np.linalg.norm(soft_gradient(v, z, 2.0), axis=-1))
    assert norms[0, 1] == pytest.approx(expected)


def test_extreme_logits_stay_finite():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
    v = np.array([[-1e4, 1e4, 0.0], [1e4, -1e4, 0.0]])
    labels = np.array([1, 0])
    loss = kd_loss(z, v, labels, temperature=0.1, alpha=0.5)
    assert all(math.isfinite(x) for x in (loss.total, loss.kl, loss.ce))
    assert loss.kl > 1e4  # the distributions disagree completely: KL ≈ 2e4/T per example
    assert np.all(np.isfinite(kd_loss_gradient(z, v, labels, 0.1, 0.5)))
    assert np.all(np.isfinite(soft_gradient_norm(v, z, [0.1, 1.0], True)))
    assert np.all(np.isfinite(cross_entropy(labels, z)))
    assert kl_divergence_from_logits(z, z, 0.1)[0] == 0.0
