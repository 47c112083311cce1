"""The distillation lab: a real teacher and real students on scikit-learn's 8×8 digits (numpy only).

Setting (content/lab.yaml sets every number):

- Data (kdsite/science/digits.py): the 1797 bundled digits, a stratified train/test split, pixels
  standardized with the training split's statistics.
- Teacher: an MLP trained on all training digits with hard labels and Gaussian input noise.
- Students: small MLPs trained with L = α·T²·KL(p_T ‖ q_T) + (1 − α)·CE(y, q_1)
  (kdsite/science/losses.py), its exact gradient backpropagated through the network (kdsite/science/mlp.py).
  A student's transfer set is a stratified subset of the training digits; the teacher's soft
  targets come from its logits on those (clean) digits.
- One teacher serves all students; each student setting runs once per seed, and the seed fixes
  the student's initialization, batch order and transfer subset, so the scratch and distilled
  runs of one seed are paired.

Experiments: (a) temperature × alpha grid, (b) student size sweep, (c) Hinton §3's omitted digit
with a bias correction (kdsite/science/biasshift.py), (d) the teacher's logits for a few real, ambiguous
test digits. kdsite/build/lab.py runs it through the disk cache.
"""

from __future__ import annotations
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
import numpy as np
from threadpoolctl import threadpool_limits
from kdsite.science.records import from_jsonable, to_jsonable
from kdsite.science.biasshift import errors_with_shift, oracle_shift, shift_matching_count
from kdsite.science.digits import DigitsData, load_digit_images, split_digits, transfer_subset
from kdsite.science.labconfig import CLASS_COUNT, LabConfig, StudentTrainingConfig, TeacherConfig
from kdsite.science.losses import kd_loss, kd_loss_gradient
from kdsite.science.mlp import MLP, Adam, init_mlp, parameter_count, predict_logits, train_mlp
from kdsite.science.softmax import entropy_bits, softmax_with_temperature


# Independent random streams: default_rng([seed, stream]).
_TEACHER_STREAM, _STUDENT_STREAM = 1, 2  # digits.py uses streams 0 and 3


Progress = Callable[[str], None]


def accuracy(logits: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of rows whose largest logit is the label."""
    return float(np.mean(np.argmax(logits, axis=-1) == labels))


def train_teacher(data: DigitsData, config: TeacherConfig, seed: int) -> MLP:
    """Teacher on all training digits, hard labels (CE at T = 1), Gaussian input noise."""
    rng = np.random.default_rng([seed, _TEACHER_STREAM])
    teacher = init_mlp([data.x_train.shape[1], *config.hidden, CLASS_COUNT], rng)
    labels = data.y_train

    def hard_label_gradient(batch: np.ndarray, logits: np.ndarray) -> np.ndarray:
        return kd_loss_gradient(logits, logits, labels[batch], 1.0, 0.0)

    def add_noise(inputs: np.ndarray, noise_rng: np.random.Generator) -> np.ndarray:
        return inputs + config.input_noise * noise_rng.normal(size=inputs.shape)

    return train_mlp(teacher, data.x_train, hard_label_gradient, epochs=config.epochs,
                     batch_size=config.batch_size,
                     optimizer=Adam(config.learning_rate, config.weight_decay), rng=rng,
                     augment=add_noise if config.input_noise > 0 else None)


def train_student(inputs: np.ndarray, labels: np.ndarray, teacher_logits: np.ndarray,
                  widths: list[int], *, epochs: int, temperature: float, alpha: float,
                  training: StudentTrainingConfig, seed: int,
                  on_epoch: Callable[[int, MLP], None] | None = None) -> MLP:
    """A student trained on the KD loss of its transfer set (α = 0: hard labels only)."""
    rng = np.random.default_rng([seed, _STUDENT_STREAM])
    student = init_mlp(widths, rng)

    def distillation_gradient(batch: np.ndarray, logits: np.ndarray) -> np.ndarray:
        return kd_loss_gradient(logits, teacher_logits[batch], labels[batch], temperature, alpha)

    if on_epoch is not None:
        on_epoch(0, student)
    return train_mlp(student, inputs, distillation_gradient, epochs=epochs,
                     batch_size=training.batch_size,
                     optimizer=Adam(training.learning_rate, training.weight_decay), rng=rng,
                     on_epoch=on_epoch)


@dataclass
class Summary:
    """Mean, sample standard deviation (ddof = 1; 0 for one seed), min and max over seeds."""

    mean: np.ndarray
    std: np.ndarray
    min: np.ndarray
    max: np.ndarray


def summarize(per_seed: np.ndarray) -> Summary:
    """Summary over the last axis (the seed axis)."""
    values = np.asarray(per_seed, dtype=np.float64)
    ddof = 1 if values.shape[-1] > 1 else 0
    return Summary(values.mean(axis=-1), values.std(axis=-1, ddof=ddof),
                   values.min(axis=-1), values.max(axis=-1))


@dataclass
class TeacherResult:
    """The teacher's size and accuracy (fractions in [0, 1]; errors are test-digit counts)."""

    widths: list[int]
    parameter_count: int
    train_accuracy: float
    test_accuracy: float
    test_errors: int


@dataclass
class GridResult:
    """Experiment a. Arrays indexed [temperature, alpha, seed, epoch]; epoch 0 is before training.

    kl, ce: mean KL(p_T ‖ q_T) and CE(y, q_1) over the transfer set (nats, unweighted);
    total = α·T²·kl + (1 − α)·ce; test_accuracy on the test split.
    """

    widths: list[int]
    parameter_count: int
    transfer_count: int
    temperatures: np.ndarray
    alphas: np.ndarray
    seeds: np.ndarray
    epochs: np.ndarray
    kl: np.ndarray
    ce: np.ndarray
    total: np.ndarray
    test_accuracy: np.ndarray
    final_test_accuracy: Summary  # arrays [temperature, alpha]


@dataclass
class SizeSweepResult:
    """Experiment b. Accuracy arrays indexed [transfer set, width, seed]; summaries drop the seed."""

    widths: np.ndarray
    parameter_counts: np.ndarray
    temperature: float
    alpha: float
    transfer_fractions: np.ndarray
    transfer_counts: np.ndarray
    epochs: np.ndarray
    seeds: np.ndarray
    scratch_accuracy: np.ndarray
    distilled_accuracy: np.ndarray
    scratch: Summary
    distilled: Summary


@dataclass
class OmittedClassRun:
    """One kind of student in experiment c; arrays are per seed.

    Accuracies are fractions; *_errors count misclassified test digits (all digits, or only
    the omitted digit). "before"/"after" refer to adding `bias_shift` to the digit's logit.
    oracle_shift minimizes test errors (Hinton chose +3.5 that way); it peeks at the test
    labels, so it is a reference point, not a method.
    """

    temperature: float
    alpha: float
    bias_shift: np.ndarray
    digit_accuracy_before: np.ndarray
    digit_accuracy_after: np.ndarray
    digit_errors_before: np.ndarray
    digit_errors_after: np.ndarray
    test_errors_before: np.ndarray
    test_errors_after: np.ndarray
    oracle_shift: np.ndarray
    oracle_test_errors: np.ndarray


@dataclass
class OmittedClassResult:
    """Experiment c: a distilled student and a hard-label-only student, same transfer set.

    Bias rule match_teacher_frequency: after training, shift the digit's logit so the student
    predicts the digit on exactly as many training-split inputs as the teacher does (inputs
    only; no label is used, and no test data). Rule fixed: the configured bias_shift.
    """

    digit: int
    widths: list[int]
    bias_rule: str
    seeds: np.ndarray
    transfer_count: int
    test_count: int
    test_digit_count: int
    teacher_digit_errors: int
    teacher_predicted_count: int  # training inputs the teacher calls `digit`: match_teacher_frequency's target
    distilled: OmittedClassRun
    hard_labels: OmittedClassRun


@dataclass
class SoftLabelExamples:
    """Experiment d: real test digits and the teacher's logits (softmax at any T on the page)."""

    rule: str
    dataset_indices: np.ndarray   # (k,) index into sklearn's load_digits
    labels: np.ndarray            # (k,)
    images: np.ndarray            # (k, 8, 8) raw pixel values 0–16
    teacher_logits: np.ndarray    # (k, 10)
    teacher_entropy_bits: np.ndarray  # (k,) at T = 1


@dataclass
class LabResults:
    """Everything the lab measured, plus its configuration and wall-clock seconds per stage."""

    config: dict
    train_count: int
    test_count: int
    teacher: TeacherResult
    grid: GridResult
    size_sweep: SizeSweepResult
    omitted_class: OmittedClassResult
    soft_labels: SoftLabelExamples
    seconds: dict

    def to_json_dict(self) -> dict:
        """Plain lists, numbers and strings only (json.dumps-able); inverse: from_json_dict."""
        return to_jsonable(self)

    @classmethod
    def from_json_dict(cls, data: dict) -> LabResults:
        """Rebuild results from `to_json_dict` output (arrays come back as numpy arrays)."""
        return from_jsonable(cls, data)


def _report(progress: Progress | None, line: str) -> None:
    if progress is not None:
        progress(line)


def run_grid(data: DigitsData, teacher: MLP, config: LabConfig, progress: Progress | None) -> GridResult:
    """Experiment a: train the grid student at every (T, α) and seed, recording every epoch."""
    grid = config.grid
    widths = [data.x_train.shape[1], *grid.hidden, CLASS_COUNT]
    shape = (len(grid.temperatures), len(grid.alphas), len(config.seeds), grid.epochs + 1)
    curves = {name: np.zeros(shape) for name in ("kl", "ce", "total", "test_accuracy")}
    teacher_train_logits = predict_logits(teacher, data.x_train)
    settings = [(i, j) for i in range(shape[0]) for j in range(shape[1])]
    transfer_count = 0
    for done, (i, j) in enumerate(settings, start=1):
        temperature, alpha = grid.temperatures[i], grid.alphas[j]
        for k, seed in enumerate(config.seeds):
            subset = transfer_subset(data, grid.transfer_fraction, seed)
            transfer_count = len(subset)
            inputs, labels = data.x_train[subset], data.y_train[subset]
            soft = teacher_train_logits[subset]

            def record(epoch: int, student: MLP) -> None:
                loss = kd_loss(predict_logits(student, inputs), soft, labels, temperature, alpha)
                curves["kl"][i, j, k, epoch] = loss.kl
                curves["ce"][i, j, k, epoch] = loss.ce
                curves["total"][i, j, k, epoch] = loss.total
                curves["test_accuracy"][i, j, k, epoch] = accuracy(predict_logits(student, data.x_test),
                                                                  data.y_test)

            train_student(inputs, labels, soft, widths, epochs=grid.epochs, temperature=temperature,
                          alpha=alpha, training=config.student_training, seed=seed, on_epoch=record)
        _report(progress, f"lab: grid {done}/{len(settings)}")
    return GridResult(widths=widths, parameter_count=parameter_count(widths),
                      transfer_count=transfer_count, temperatures=np.array(grid.temperatures),
                      alphas=np.array(grid.alphas), seeds=np.array(config.seeds),
                      epochs=np.arange(grid.epochs + 1), **curves,
                      final_test_accuracy=summarize(curves["test_accuracy"][..., -1]))


def run_size_sweep(data: DigitsData, teacher: MLP, config: LabConfig,
                   progress: Progress | None) -> SizeSweepResult:
    """Experiment b: 64-width-10 students, from scratch (α = 0) and distilled, per transfer set."""
    sweep = config.size_sweep
    teacher_train_logits = predict_logits(teacher, data.x_train)
    shape = (len(sweep.transfer_sets), len(sweep.widths), len(config.seeds))
    scratch, distilled = np.zeros(shape), np.zeros(shape)
    counts = np.zeros(len(sweep.transfer_sets), dtype=np.int64)
    jobs = len(sweep.transfer_sets) * len(sweep.widths)
    for f, transfer in enumerate(sweep.transfer_sets):
        for w, width in enumerate(sweep.widths):
            widths = [data.x_train.shape[1], width, CLASS_COUNT]
            for k, seed in enumerate(config.seeds):
                subset = transfer_subset(data, transfer.fraction, seed)
                counts[f] = len(subset)
                inputs, labels = data.x_train[subset], data.y_train[subset]
                soft = teacher_train_logits[subset]
                for out, temperature, alpha in ((scratch, 1.0, 0.0), (distilled, sweep.temperature, sweep.alpha)):
                    student = train_student(inputs, labels, soft, widths, epochs=transfer.epochs,
                                            temperature=temperature, alpha=alpha,
                                            training=config.student_training, seed=seed)
                    out[f, w, k] = accuracy(predict_logits(student, data.x_test), data.y_test)
            _report(progress, f"lab: size sweep {f * len(sweep.widths) + w + 1}/{jobs}")
    return SizeSweepResult(
        widths=np.array(sweep.widths),
        parameter_counts=np.array([parameter_count([data.x_train.shape[1], w, CLASS_COUNT]) for w in sweep.widths]),
        temperature=sweep.temperature, alpha=sweep.alpha,
        transfer_fractions=np.array([t.fraction for t in sweep.transfer_sets]), transfer_counts=counts,
        epochs=np.array([t.epochs for t in sweep.transfer_sets]), seeds=np.array(config.seeds),
        scratch_accuracy=scratch, distilled_accuracy=distilled,
        scratch=summarize(scratch), distilled=summarize(distilled))


def run_omitted_class(data: DigitsData, teacher: MLP, config: LabConfig,
                      progress: Progress | None) -> OmittedClassResult:
    """Experiment c: transfer set = every training digit except `digit`; then a bias shift."""
    omitted = config.omitted_class
    digit = omitted.digit
    widths = [data.x_train.shape[1], *omitted.hidden, CLASS_COUNT]
    subset = np.flatnonzero(data.y_train != digit)
    teacher_train_logits = predict_logits(teacher, data.x_train)
    teacher_count = int(np.sum(np.argmax(teacher_train_logits, axis=1) == digit))
    is_digit = data.y_test == digit
    runs = {}
    for name, temperature, alpha in (("distilled", omitted.temperature, omitted.alpha), ("hard_labels", 1.0, 0.0)):
        fields: dict[str, list[float]] = {key: [] for key in OmittedClassRun.__dataclass_fields__
                                          if key not in ("temperature", "alpha")}
        for seed in config.seeds:
            student = train_student(data.x_train[subset], data.y_train[subset], teacher_train_logits[subset],
                                    widths, epochs=omitted.epochs, temperature=temperature, alpha=alpha,
                                    training=config.student_training, seed=seed)
            if omitted.bias_rule == "fixed":
                shift = float(omitted.bias_shift)
            else:  # match_teacher_frequency, on the training inputs (labels unused)
                shift = shift_matching_count(predict_logits(student, data.x_train), digit, teacher_count)
            test_logits = predict_logits(student, data.x_test)
            before, after = errors_with_shift(test_logits, data.y_test, digit, np.array([0.0, shift]))
            digit_before, digit_after = errors_with_shift(test_logits[is_digit], data.y_test[is_digit], digit,
                                                          np.array([0.0, shift]))
            best_shift, best_errors = oracle_shift(test_logits, data.y_test, digit)
            values = dict(bias_shift=shift, digit_accuracy_before=1.0 - digit_before / is_digit.sum(),
                          digit_accuracy_after=1.0 - digit_after / is_digit.sum(),
                          digit_errors_before=digit_before, digit_errors_after=digit_after,
                          test_errors_before=before, test_errors_after=after,
                          oracle_shift=best_shift, oracle_test_errors=best_errors)
            for key, value in values.items():
                fields[key].append(value)
        runs[name] = OmittedClassRun(temperature=temperature, alpha=alpha,
                                     **{key: np.array(value) for key, value in fields.items()})
        _report(progress, f"lab: omitted class {len(runs)}/2")
    teacher_test = np.argmax(predict_logits(teacher, data.x_test), axis=1)
    return OmittedClassResult(digit=digit, widths=widths, bias_rule=omitted.bias_rule,
                              seeds=np.array(config.seeds), transfer_count=len(subset),
                              test_count=len(data.y_test), test_digit_count=int(is_digit.sum()),
                              teacher_digit_errors=int(np.sum(teacher_test[is_digit] != digit)),
                              teacher_predicted_count=teacher_count,
                              distilled=runs["distilled"], hard_labels=runs["hard_labels"])


def pick_soft_label_examples(data: DigitsData, teacher: MLP, count: int, rule: str) -> SoftLabelExamples:
    """Experiment d, rule most_ambiguous_correct: the `count` correctly classified test digits
    with the highest teacher entropy at T = 1 (ties: lower dataset index first)."""
    logits = predict_logits(teacher, data.x_test)
    entropy = entropy_bits(softmax_with_temperature(logits, 1.0))
    correct = np.flatnonzero(np.argmax(logits, axis=1) == data.y_test)
    ranked = correct[np.lexsort((data.test_index[correct], -entropy[correct]))][:count]
    dataset_indices = data.test_index[ranked]
    return SoftLabelExamples(rule=rule, dataset_indices=dataset_indices, labels=data.labels[dataset_indices],
                             images=data.images[dataset_indices].astype(np.int64),
                             teacher_logits=logits[ranked], teacher_entropy_bits=entropy[ranked])


def run_lab(config: LabConfig, progress: Progress | None = None,
            digits: tuple[np.ndarray, np.ndarray] | None = None) -> LabResults:
    """Run every experiment of the lab. `digits` = (images, labels) overrides sklearn's digits.

    BLAS runs on one thread: OpenBLAS splits a matrix product differently for each thread count,
    so the last digits of the results would depend on the machine's cores; the networks are small
    enough that more threads gain nothing (measured on two cores: 26.1 s on one thread, 25.3 s on two).
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _run_lab(config, progress, digits)


def _run_lab(config: LabConfig, progress: Progress | None,
             digits: tuple[np.ndarray, np.ndarray] | None) -> LabResults:
    clock = {"start": time.perf_counter()}
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        now = time.perf_counter()
        seconds[name] = now - clock["start"]
        clock["start"] = now

    images, labels = digits if digits is not None else load_digit_images()
    data = split_digits(images, labels, config.data)
    _report(progress, "lab: teacher")
    teacher = train_teacher(data, config.teacher, config.data.split_seed)
    teacher_result = TeacherResult(
        widths=teacher.widths, parameter_count=teacher.parameter_count,
        train_accuracy=accuracy(predict_logits(teacher, data.x_train), data.y_train),
        test_accuracy=accuracy(predict_logits(teacher, data.x_test), data.y_test),
        test_errors=int(np.sum(np.argmax(predict_logits(teacher, data.x_test), axis=1) != data.y_test)))
    lap("teacher")
    grid = run_grid(data, teacher, config, progress)
    lap("grid")
    sweep = run_size_sweep(data, teacher, config, progress)
    lap("size_sweep")
    omitted = run_omitted_class(data, teacher, config, progress)
    lap("omitted_class")
    examples = pick_soft_label_examples(data, teacher, config.soft_labels.count, config.soft_labels.rule)
    seconds["total"] = sum(seconds.values())
    return LabResults(config=asdict(config), train_count=len(data.train_index), test_count=len(data.test_index),
                      teacher=teacher_result, grid=grid, size_sweep=sweep, omitted_class=omitted,
                      soft_labels=examples, seconds=seconds)
