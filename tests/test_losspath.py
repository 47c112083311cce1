import numpy as np
import pytest

from kdsite.science.grids import decimal_grid
from kdsite.science.losses import cross_entropy, kl_divergence_from_logits
from kdsite.science.losspath import gradient_scaling, loss_path

TEACHER = np.array([6.8, 5.7, 2.7, 1.6, 0.2])
TEMPERATURES = np.arange(1.0, 11.0)
ALPHAS = decimal_grid(0, 1, 0.05)
PROGRESS = np.linspace(0, 1, 11)


@pytest.fixture(scope="module")
def path():
    return loss_path(TEACHER, 0, TEMPERATURES, ALPHAS, PROGRESS)


def test_uninformed_student_has_ce_of_log_n_and_matching_student_has_zero_kl(path):
    assert path.ce[0] == pytest.approx(np.log(5))
    np.testing.assert_allclose(path.kl[:, -1], 0.0, atol=1e-12)
    assert path.ce[-1] == pytest.approx(float(cross_entropy(np.array([0]), TEACHER[None, :])[0]))


def test_kl_is_nonnegative_and_falls_along_the_path(path):
    assert np.all(path.kl >= 0)
    assert np.all(np.diff(path.kl, axis=1) <= 1e-12)


def test_combined_is_the_weighted_sum(path):
    t, a, k = 3, 14, 4  # T = 4, α = 0.7, s = 0.4
    expected = 0.7 * 16 * path.kl[t, k] + 0.3 * path.ce[k]
    assert path.combined[t, a, k] == pytest.approx(expected)
    kl = float(kl_divergence_from_logits(TEACHER[None, :], 0.4 * TEACHER[None, :], 4.0)[0])
    assert path.kl[t, k] == pytest.approx(kl)


def test_alpha_endpoints_pick_one_term(path):
    np.testing.assert_allclose(path.combined[:, 0, :], np.broadcast_to(path.ce, path.combined[:, 0, :].shape))
    np.testing.assert_allclose(path.combined[:, -1, :], (TEMPERATURES ** 2)[:, None] * path.kl)


def test_gradient_without_t_squared_falls_like_one_over_t_squared():
    scaling = gradient_scaling(TEACHER, np.array([50.0, 100.0, 200.0]))
    assert scaling.plain[0] / scaling.plain[1] == pytest.approx(4.0, rel=0.02)
    assert scaling.plain[1] / scaling.plain[2] == pytest.approx(4.0, rel=0.01)
    assert scaling.scaled[1] / scaling.scaled[0] == pytest.approx(1.0, rel=0.02)


def test_scaled_gradient_levels_off_at_the_high_temperature_limit():
    # Hinton §2.1: at high T the gradient tends to (z_i − v_i)/(N·T²); times T² that is ‖v − mean(v)‖/N.
    limit = np.linalg.norm(TEACHER - TEACHER.mean()) / len(TEACHER)
    assert gradient_scaling(TEACHER, np.array([1000.0])).scaled[0] == pytest.approx(limit, rel=1e-3)
