"""Tests for the distillation lab: MLP backprop, training, determinism, cache and config errors.

All lab runs use a tiny configuration (few epochs, one or two seeds), so each test takes well
under a second; the real content/lab.yaml is only loaded and validated, not run.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kdsite.errors import ContentError, ContentErrors
from kdsite.content.lab import load_lab_config
from kdsite.science import digits as digits_module
from kdsite.science.biasshift import errors_with_shift, shift_matching_count
from kdsite.science.lab import LabResults, run_lab
from kdsite.build.lab import run_lab_cached
from kdsite.build.labcache import TRAINING_MODULES, cache_key
from kdsite.science.losses import kd_loss, kd_loss_gradient
from kdsite.science.mlp import Adam, backward, forward, init_mlp, predict_logits, train_mlp
from kdsite.science.softmax import entropy_bits, softmax_with_temperature

from tests.helpers import FIXTURE_CONTENT, ROOT

TINY_LAB = """\
data:
  split_seed: 0
  test_fraction: 0.25
seeds: [0, 1]
teacher:
  hidden: [16]
  epochs: 3
  batch_size: 64
  learning_rate: 0.003
  weight_decay: 0.0
  input_noise: 0.3
student_training:
  batch_size: 32
  learning_rate: 0.003
  weight_decay: 0.0
grid:
  hidden: [4]
  transfer_fraction: 0.1
  epochs: 3
  temperatures: [1, 4]
  alphas: [0, 0.5]
size_sweep:
  widths: [2, 4]
  temperature: 4
  alpha: 0.5
  transfer_sets:
    - fraction: 0.1
      epochs: 2
omitted_class:
  digit: 3
  hidden: [4]
  epochs: 1
  temperature: 4
  alpha: 0.75
  bias_rule: match_teacher_frequency
soft_labels:
  count: 3
  rule: most_ambiguous_correct
"""


def write_config(tmp_path: Path, text: str = TINY_LAB, name: str = "lab.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny_config(tmp_path):
    return load_lab_config(write_config(tmp_path), "content/lab.yaml")


def without_timing(results: LabResults) -> dict:
    data = results.to_json_dict()
    data.pop("seconds")
    return data


# --- the MLP and the KD gradient --------------------------------------------------------------

@pytest.mark.parametrize("temperature", [0.5, 1.0, 3.0, 10.0])
@pytest.mark.parametrize("alpha", [0.0, 0.4, 1.0])
def test_kd_gradient_through_mlp_matches_finite_differences(temperature, alpha):
    rng = np.random.default_rng(7)
    mlp = init_mlp([5, 6, 4, 3], rng)
    mlp.parameters += rng.normal(scale=0.1, size=mlp.parameters.shape)  # nonzero biases too
    x = rng.normal(size=(8, 5))
    teacher_logits = rng.normal(size=(8, 3)) * 2
    labels = rng.integers(0, 3, size=8)

    def loss() -> float:
        return kd_loss(predict_logits(mlp, x), teacher_logits, labels, temperature, alpha).total

    logits, layer_inputs = forward(mlp, x)
    analytic = backward(mlp, layer_inputs, kd_loss_gradient(logits, teacher_logits, labels, temperature, alpha))
    numeric = np.zeros_like(analytic)
    step = 1e-6
    for i in range(mlp.parameters.size):
        saved = mlp.parameters[i]
        mlp.parameters[i] = saved + step
        plus = loss()
        mlp.parameters[i] = saved - step
        minus = loss()
        mlp.parameters[i] = saved
        numeric[i] = (plus - minus) / (2 * step)
    assert np.allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_the_digits_are_sklearns_load_digits_read_without_importing_it(monkeypatch):
    """Read from the package's data file: the same images and labels load_digits() gives, and
    load_digits() itself when the file is not where this sklearn keeps it."""
    from sklearn.datasets import load_digits

    expected = load_digits()
    assert digits_module.digits_file() is not None
    for case in ("file", "no file"):
        if case == "no file":
            monkeypatch.setattr(digits_module, "digits_file", lambda: None)
        images, labels = digits_module.load_digit_images()
        assert images.shape == (1797, 8, 8) and images.dtype == np.float64 and labels.dtype == np.int64, case
        assert np.array_equal(images, expected.images) and np.array_equal(labels, expected.target), case


def test_mlp_views_share_the_flat_parameter_vector():
    mlp = init_mlp([64, 16, 10], np.random.default_rng(0))
    assert mlp.parameter_count == 64 * 16 + 16 + 16 * 10 + 10
    mlp.parameters[:] = 0.0
    assert not mlp.weights[0].any() and not mlp.biases[1].any()
    copy = mlp.copy()
    copy.parameters[:] = 1.0
    assert not mlp.parameters.any() and copy.weights[1].all()


def test_training_lowers_the_kd_loss():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(120, 10))
    labels = (x[:, 0] > 0).astype(np.int64) + (x[:, 1] > 0)
    teacher_logits = np.stack([-x[:, 0] - x[:, 1], np.zeros(120), x[:, 0] + x[:, 1]], axis=1) * 3
    mlp = init_mlp([10, 8, 3], rng)
    before = kd_loss(predict_logits(mlp, x), teacher_logits, labels, 4.0, 0.5).total
    train_mlp(mlp, x, lambda b, z: kd_loss_gradient(z, teacher_logits[b], labels[b], 4.0, 0.5),
              epochs=30, batch_size=16, optimizer=Adam(0.01), rng=rng)
    after = kd_loss(predict_logits(mlp, x), teacher_logits, labels, 4.0, 0.5).total
    assert after < 0.3 * before


# --- the lab on a tiny configuration ------------------------------------------------------------

def test_tiny_lab_shapes_and_loss_bookkeeping(tiny_config):
    results = run_lab(tiny_config)
    grid = results.grid
    assert grid.kl.shape == grid.ce.shape == grid.total.shape == grid.test_accuracy.shape == (2, 2, 2, 4)
    assert grid.widths == [64, 4, 10] and grid.parameter_count == 64 * 4 + 4 + 4 * 10 + 10
    t, a = grid.temperatures[:, None, None, None], grid.alphas[None, :, None, None]
    assert np.allclose(grid.total, a * t**2 * grid.kl + (1 - a) * grid.ce)
    assert np.all(grid.total[..., -1] < grid.total[..., 0])  # training lowers the training loss
    assert np.allclose(grid.final_test_accuracy.mean, grid.test_accuracy[..., -1].mean(axis=-1))
    assert grid.transfer_count == 136 and results.train_count == 1347 and results.test_count == 450
    sweep = results.size_sweep
    assert sweep.scratch_accuracy.shape == sweep.distilled_accuracy.shape == (1, 2, 2)
    assert list(sweep.parameter_counts) == [64 * 2 + 2 + 2 * 10 + 10, 64 * 4 + 4 + 4 * 10 + 10]
    omitted = results.omitted_class
    assert omitted.test_digit_count == 46 and omitted.transfer_count == 1347 - (183 - 46)  # 183 threes
    assert np.all(omitted.hard_labels.digit_accuracy_before == 0.0)  # never saw a 3 at all
    assert omitted.distilled.bias_shift.shape == (2,)


def test_tiny_lab_soft_label_examples_follow_the_rule(tiny_config):
    examples = run_lab(tiny_config).soft_labels
    assert examples.images.shape == (3, 8, 8) and examples.teacher_logits.shape == (3, 10)
    assert np.all(np.argmax(examples.teacher_logits, axis=1) == examples.labels)
    entropy = entropy_bits(softmax_with_temperature(examples.teacher_logits, 1.0))
    assert np.allclose(entropy, examples.teacher_entropy_bits)
    assert np.all(np.diff(entropy) <= 0)
    assert examples.images.max() <= 16 and examples.images.min() >= 0


def test_same_seed_gives_identical_results(tiny_config):
    assert without_timing(run_lab(tiny_config)) == without_timing(run_lab(tiny_config))


def test_results_do_not_depend_on_the_blas_thread_count(tiny_config):
    from threadpoolctl import threadpool_info, threadpool_limits

    seen = []
    import kdsite.science.lab as lab
    original = lab._run_lab

    def spy(*args):
        seen.append([pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"])
        return original(*args)

    lab._run_lab = spy
    try:
        with threadpool_limits(limits=2, user_api="blas"):
            run_lab(tiny_config)
    finally:
        lab._run_lab = original
    assert seen and seen[0] and all(threads == 1 for threads in seen[0])


def test_other_seed_gives_other_results(tiny_config):
    first = run_lab(tiny_config)
    second = run_lab(replace(tiny_config, seeds=(5, 6)))
    assert not np.array_equal(first.grid.total, second.grid.total)


def test_results_survive_a_json_round_trip(tiny_config):
    results = run_lab(tiny_config)
    text = json.dumps(results.to_json_dict(), allow_nan=False)
    again = LabResults.from_json_dict(json.loads(text))
    assert isinstance(again.grid.kl, np.ndarray) and again.grid.kl.shape == results.grid.kl.shape
    assert again.to_json_dict() == results.to_json_dict()


def test_cache_hits_for_an_unchanged_config_and_misses_for_a_changed_one(tiny_config, tmp_path):
    cache = tmp_path / "cache"
    lines: list[str] = []
    first, hit = run_lab_cached(tiny_config, cache, progress=lines.append)
    assert not hit
    assert "lab: grid 1/4" in lines and "lab: grid 4/4" in lines and "lab: teacher" in lines
    assert len(list(cache.glob("lab-*.json"))) == 1 and not list(cache.glob(".*tmp"))
    again, hit = run_lab_cached(tiny_config, cache)
    assert hit and again.to_json_dict() == first.to_json_dict()
    changed = replace(tiny_config, grid=replace(tiny_config.grid, epochs=2))
    other, hit = run_lab_cached(changed, cache)
    assert not hit and other.grid.kl.shape[-1] == 3
    _, hit = run_lab_cached(tiny_config, cache, use_cache=False)
    assert not hit


def test_corrupt_cache_entry_is_recomputed(tiny_config, tmp_path):
    cache = tmp_path / "cache"
    run_lab_cached(tiny_config, cache)
    entry = next(cache.glob("lab-*.json"))
    entry.write_text("{not json", encoding="utf-8")
    _, hit = run_lab_cached(tiny_config, cache)
    assert not hit
    _, hit = run_lab_cached(tiny_config, cache)
    assert hit


def test_cache_key_depends_on_training_code(tiny_config, tmp_path):
    source = tmp_path / "kdsite"
    source.mkdir()
    for name in TRAINING_MODULES:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "kdsite" / name, source / name)
    assert cache_key(tiny_config, source) == cache_key(tiny_config)
    with open(source / "science/losses.py", "a", encoding="utf-8") as stream:
        stream.write("\n# a change to the loss code\n")
    assert cache_key(tiny_config, source) != cache_key(tiny_config)


# --- omitted-class helpers ----------------------------------------------------------------------

def test_shift_matching_count_gives_the_requested_count():
    logits = np.random.default_rng(2).normal(size=(200, 10)) * 3
    for count in (0, 1, 37, 200):
        shift = shift_matching_count(logits, 3, count)
        shifted = logits.copy()
        shifted[:, 3] += shift
        assert np.sum(np.argmax(shifted, axis=1) == 3) == count


def test_errors_with_shift_matches_direct_counting():
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(100, 10)) * 2
    labels = rng.integers(0, 10, size=100)
    shifts = np.array([-2.0, 0.0, 1.5, 4.0])
    for shift, errors in zip(shifts, errors_with_shift(logits, labels, 3, shifts)):
        shifted = logits.copy()
        shifted[:, 3] += shift
        assert errors == np.sum(np.argmax(shifted, axis=1) != labels)


# --- configuration errors ------------------------------------------------------------------------

def test_fixture_lab_config_is_read_as_written():
    config = load_lab_config(FIXTURE_CONTENT / "lab.yaml", "content/lab.yaml")
    assert config.seeds == (0, 1)
    assert config.grid.temperatures == (1, 2, 4, 8)
    assert config.grid.alphas == (0, 0.25, 0.5, 0.75, 1)


@pytest.mark.parametrize("old, new, field, message, line_text", [
    ("temperatures: [1, 4]", "temperatures: [1, 0]", "grid.temperatures[1]", "must be ≥ 0.05 and ≤ 100, got 0",
     "temperatures: [1, 0]"),
    ("  temperature: 4\n  alpha: 0.5", "  temperature: -1\n  alpha: 0.5", "size_sweep.temperature",
     "must be ≥ 0.05 and ≤ 100, got -1", "temperature: -1"),
    ("alphas: [0, 0.5]", "alphas: [0, 1.5]", "grid.alphas[1]", "must be ≥ 0 and ≤ 1, got 1.5",
     "alphas: [0, 1.5]"),
    ("widths: [2, 4]", "widths: [2, 4.5]", "size_sweep.widths[1]", "expected a whole number but got 4.5",
     "widths: [2, 4.5]"),
    ("  hidden: [4]\n  transfer", "  hidden: [four]\n  transfer", "grid.hidden[0]",
     "expected a whole number but got a string ('four')", "hidden: [four]"),
    ("seeds: [0, 1]", "seeds: [0, true]", "seeds[1]", "expected a whole number but got true/false (true)", "seeds:"),
    ("seeds: [0, 1]", "seeds: [1, 1]", "seeds[1]", "duplicate value '1'", "seeds:"),
    ("digit: 3", "digit: 10", "omitted_class.digit", "must be ≥ 0 and ≤ 9, got 10", "digit: 10"),
    ("bias_rule: match_teacher_frequency", "bias_rule: fixed", "omitted_class.bias_shift", "is required but missing",
     "omitted_class:"),
    ("bias_rule: match_teacher_frequency", "bias_rule: guess", "omitted_class.bias_rule",
     "unknown value 'guess'", "bias_rule: guess"),
    ("    - fraction: 0.1", "    - fraction: 0", "size_sweep.transfer_sets[0].fraction",
     "must be > 0 and ≤ 1, got 0", "- fraction: 0"),
])
def test_invalid_config_names_the_field_and_line(tmp_path, old, new, field, message, line_text):
    assert old in TINY_LAB
    text = TINY_LAB.replace(old, new, 1)
    with pytest.raises(ContentError) as caught:
        load_lab_config(write_config(tmp_path, text), "content/lab.yaml")
    error = caught.value
    assert (error.file, error.field, error.message) == ("content/lab.yaml", field, message)
    assert error.line == next(number for number, line in enumerate(text.splitlines(), start=1)
                              if line_text in line)
    assert str(error).startswith(f"content/lab.yaml:{error.line}: field '{field}': {message}")


def test_an_unknown_key_is_a_warning_and_1e_minus_3_is_a_number(tmp_path):
    text = TINY_LAB.replace("  epochs: 3\n  temperatures", "  epochs: 3\n  learning_rate: 0.1\n  temperatures", 1)
    text = text.replace("learning_rate: 0.003\n  weight_decay: 0.0\n  input",
                        "learning_rate: 1e-3\n  weight_decay: 0.0\n  input", 1)
    warnings = []
    config = load_lab_config(write_config(tmp_path, text), "content/lab.yaml", warnings)
    assert config.teacher.learning_rate == 0.001
    assert [(w.field, w.message) for w in warnings] == [("grid.learning_rate", "unknown key, ignored")]


def test_several_problems_are_reported_together(tmp_path):
    text = TINY_LAB.replace("temperatures: [1, 4]", "temperatures: [0, 4]").replace(
        "alphas: [0, 0.5]", "alphas: [0, 2]").replace("soft_labels:", "extra: 1\nsoft_labels:")
    with pytest.raises(ContentErrors) as caught:
        load_lab_config(write_config(tmp_path, text), "content/lab.yaml")
    fields = {error.field for error in caught.value.errors}
    assert fields == {"grid.temperatures[0]", "grid.alphas[1]"}  # the unknown key `extra` is a warning
    assert "content/lab.yaml:" in str(caught.value)


def test_fixed_bias_rule_uses_the_given_shift(tmp_path):
    text = TINY_LAB.replace("bias_rule: match_teacher_frequency", "bias_rule: fixed\n  bias_shift: 3.5")
    config = load_lab_config(write_config(tmp_path, text), "content/lab.yaml")
    assert config.omitted_class.bias_shift == 3.5
    results = run_lab(replace(config, seeds=(0,)))
    assert list(results.omitted_class.distilled.bias_shift) == [3.5]


def test_bias_shift_without_fixed_rule_is_an_error(tmp_path):
    text = TINY_LAB.replace("bias_rule: match_teacher_frequency",
                            "bias_rule: match_teacher_frequency\n  bias_shift: 2")
    with pytest.raises(ContentError) as caught:
        load_lab_config(write_config(tmp_path, text), "content/lab.yaml")
    assert caught.value.field == "omitted_class.bias_shift"


def test_missing_section_is_reported(tmp_path):
    text = TINY_LAB.split("soft_labels:")[0]
    with pytest.raises(ContentError) as caught:
        load_lab_config(write_config(tmp_path, text), "content/lab.yaml")
    assert caught.value.message == "is required but missing" and caught.value.field == "soft_labels"
    assert caught.value.line == 1


def test_a_missing_section_does_not_hide_errors_elsewhere(tmp_path):
    text = TINY_LAB.split("soft_labels:")[0].replace("digit: 3", "digit: -1")
    with pytest.raises(ContentErrors) as caught:
        load_lab_config(write_config(tmp_path, text), "content/lab.yaml")
    assert [error.field for error in caught.value.errors] == ["soft_labels", "omitted_class.digit"]
