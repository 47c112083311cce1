"""The distillation lab's configuration as typed dataclasses (filled by kdsite/content/lab.py).
"""

from __future__ import annotations
from dataclasses import dataclass


CLASS_COUNT = 10


"""Digits 0–9 in sklearn's load_digits."""


BIAS_RULES = ("match_teacher_frequency", "fixed")


SOFT_LABEL_RULES = ("most_ambiguous_correct",)


@dataclass(frozen=True)
class DataConfig:
    """The train/test split of the 1797 digits: a stratified split drawn from `split_seed`."""

    split_seed: int
    test_fraction: float


@dataclass(frozen=True)
class TeacherConfig:
    """Teacher 64-hidden…-10, trained with Adam on hard labels and Gaussian input noise.

    `input_noise` is the noise standard deviation in standardized pixel units (a regularizer
    in the spirit of Hinton §3's jittered teacher; 8×8 images are too small to shift).
    """

    hidden: tuple[int, ...]
    epochs: int
    batch_size: int
    learning_rate: float
    weight_decay: float
    input_noise: float


@dataclass(frozen=True)
class StudentTrainingConfig:
    """Adam settings shared by every student run."""

    batch_size: int
    learning_rate: float
    weight_decay: float


@dataclass(frozen=True)
class GridConfig:
    """Experiment a: one student trained at every (temperature, alpha) pair on a transfer subset."""

    hidden: tuple[int, ...]
    transfer_fraction: float
    epochs: int
    temperatures: tuple[float, ...]
    alphas: tuple[float, ...]


@dataclass(frozen=True)
class TransferSetConfig:
    """A transfer set: this fraction of the training split (per class), trained this many epochs."""

    fraction: float
    epochs: int


@dataclass(frozen=True)
class SizeSweepConfig:
    """Experiment b: students 64-width-10, from scratch (alpha = 0) and distilled (T, alpha)."""

    widths: tuple[int, ...]
    temperature: float
    alpha: float
    transfer_sets: tuple[TransferSetConfig, ...]


@dataclass(frozen=True)
class OmittedClassConfig:
    """Experiment c (Hinton §3): the transfer set has no examples of `digit`.

    `bias_rule` chooses the constant added to that digit's output bias after training:
    "match_teacher_frequency" solves for it, "fixed" uses `bias_shift`.
    """

    digit: int
    hidden: tuple[int, ...]
    epochs: int
    temperature: float
    alpha: float
    bias_rule: str
    bias_shift: float | None


@dataclass(frozen=True)
class SoftLabelConfig:
    """Experiment d: which real test digits to show with the teacher's logits."""

    count: int
    rule: str


@dataclass(frozen=True)
class LabConfig:
    """The whole lab. `seeds` are the student seeds every student setting is run with."""

    data: DataConfig
    seeds: tuple[int, ...]
    teacher: TeacherConfig
    student_training: StudentTrainingConfig
    grid: GridConfig
    size_sweep: SizeSweepConfig
    omitted_class: OmittedClassConfig
    soft_labels: SoftLabelConfig
