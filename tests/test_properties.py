"""Property-based tests of the numeric core: softmax, entropy, the KD loss and its gradients.

Hypothesis draws logits (2–20 classes, values up to ±1e4, including the extremes) and
temperatures in [0.05, 100]. Runs are derandomized, so CI sees the same examples every time.
The gradient checks compare with central finite differences on moderate logits (|z| ≤ 20).
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kdsite.science.losses import kd_loss, kd_loss_gradient, kl_divergence_from_logits, soft_gradient
from kdsite.science.softmax import entropy_bits, softmax_with_temperature

CHECKS = settings(max_examples=150, deadline=None, derandomize=True, database=None)
temperatures = st.floats(0.05, 100.0)
alphas = st.floats(0.0, 1.0)


def logits(rows: int | None, bound: float, classes=st.integers(2, 20)):
    """A strategy for logit arrays of shape (classes,), or (rows, classes) when `rows` is given."""
    elements = st.floats(-bound, bound, allow_nan=False, allow_infinity=False)
    shapes = classes.map(lambda n: (n,)) if rows is None else st.tuples(st.integers(1, rows), classes)
    return shapes.flatmap(lambda shape: arrays(np.float64, shape, elements=elements))


@st.composite
def teacher_student_labels(draw, bound: float):
    """Teacher logits, student logits of the same shape (a batch of 1–3), and integer labels."""
    student = draw(logits(rows=3, bound=bound))
    teacher = draw(arrays(np.float64, student.shape, elements=st.floats(-bound, bound)))
    labels = draw(arrays(np.int64, student.shape[:1], elements=st.integers(0, student.shape[1] - 1)))
    return teacher, student, labels


def central_difference(function, point: np.ndarray, step: float) -> np.ndarray:
    """∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h for every element of `point`."""
    gradient = np.empty_like(point)
    for index in np.ndindex(point.shape):
        up, down = point.copy(), point.copy()
        up[index] += step
        down[index] -= step
        gradient[index] = (function(up) - function(down)) / (2 * step)
    return gradient


@CHECKS
@given(logits(rows=None, bound=1e4), temperatures)
def test_softmax_is_a_finite_distribution(z, temperature):
    q = softmax_with_temperature(z, temperature)
    assert np.all(np.isfinite(q)) and np.all(q >= 0) and np.all(q <= 1)
    assert math.isclose(q.sum(), 1.0, abs_tol=1e-12)
    assert q[z.argmax()] == q.max()  # temperature never changes the winner


@CHECKS
@given(logits(rows=None, bound=1e4), temperatures)
def test_entropy_is_finite_and_at_most_log2_of_the_class_count(z, temperature):
    entropy = entropy_bits(softmax_with_temperature(z, temperature))
    assert np.isfinite(entropy)
    assert -1e-12 <= entropy <= math.log2(len(z)) + 1e-9


@CHECKS
@given(teacher_student_labels(bound=1e4), temperatures)
def test_kl_is_finite_and_not_negative(batch, temperature):
    teacher, student, _ = batch
    kl = kl_divergence_from_logits(teacher, student, temperature)
    assert np.all(np.isfinite(kl)) and np.all(kl >= 0)
    assert np.allclose(kl_divergence_from_logits(teacher, teacher + 3.0, temperature), 0.0, atol=1e-9)


@CHECKS
@given(teacher_student_labels(bound=1e4), temperatures, alphas)
def test_kd_loss_is_finite_and_weights_its_two_terms(batch, temperature, alpha):
    teacher, student, labels = batch
    loss = kd_loss(student, teacher, labels, temperature, alpha)
    assert all(math.isfinite(value) for value in (loss.total, loss.kl, loss.ce))
    assert loss.total >= 0
    assert math.isclose(loss.total, loss.soft_term + loss.hard_term, rel_tol=1e-12, abs_tol=1e-12)


@CHECKS
@given(teacher_student_labels(bound=20.0), temperatures, alphas)
def test_kd_loss_gradient_matches_finite_differences(batch, temperature, alpha):
    teacher, student, labels = batch
    # The soft term varies on the scale of T (it depends on z/T), the hard term on the scale of 1:
    # a step of 1e-5·T keeps the truncation error (∝ h²) and the rounding error (∝ 1/h) both small.
    numeric = central_difference(lambda z: kd_loss(z, teacher, labels, temperature, alpha).total,
                                 student, 1e-5 * temperature)
    exact = kd_loss_gradient(student, teacher, labels, temperature, alpha)
    np.testing.assert_allclose(numeric, exact, rtol=1e-5, atol=1e-6)


@CHECKS
@given(teacher_student_labels(bound=20.0), temperatures)
def test_soft_gradient_matches_finite_differences_of_the_kl(batch, temperature):
    teacher, student, _ = batch
    teacher, student = teacher[0], student[0]  # soft_gradient is per example; the KL of one row
    numeric = central_difference(lambda z: float(kl_divergence_from_logits(teacher, z, temperature)),
                                 student, 1e-5 * temperature)
    # Compare T·∂KL/∂z = q − p, which is O(1) at every temperature.
    exact = soft_gradient(teacher, student, temperature)
    np.testing.assert_allclose(temperature * numeric, temperature * exact, rtol=1e-5, atol=1e-7)
