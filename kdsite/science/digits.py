"""The 8×8 digits of scikit-learn for the lab: loading, a stratified split, standardization.

The 1797 images come from the data file bundled with the installed scikit-learn package (no
download), read as sklearn's load_digits reads it, without importing sklearn (whose import took
1.2 s of a cold build). Pixels are standardized with the training split's per-pixel mean and standard
deviation, the latter floored at PIXEL_STD_FLOOR because border pixels are almost always 0.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kdsite.science.labconfig import DataConfig

PIXEL_STD_FLOOR = 1.0
"""Smallest per-pixel scale used for standardization, in raw pixel units (pixels run 0–16)."""

SPLIT_STREAM, SUBSET_STREAM = 0, 3
"""Random streams of default_rng([seed, stream]) for the test split and for transfer subsets."""


@dataclass
class DigitsData:
    """The split digits: raw 8×8 images (0–16), labels, and standardized 64-pixel inputs."""

    images: np.ndarray        # (1797, 8, 8) raw pixel values
    labels: np.ndarray        # (1797,) digit 0–9
    train_index: np.ndarray   # indices into images of the training split
    test_index: np.ndarray    # indices into images of the test split
    x_train: np.ndarray       # (n_train, 64) standardized
    x_test: np.ndarray        # (n_test, 64) standardized

    @property
    def y_train(self) -> np.ndarray:
        return self.labels[self.train_index]

    @property
    def y_test(self) -> np.ndarray:
        return self.labels[self.test_index]


def digits_file() -> Path | None:
    """sklearn's digits.csv.gz in the installed package (found without importing sklearn), if there."""
    spec = importlib.util.find_spec("sklearn")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder, "datasets", "data", "digits.csv.gz")
        if path.is_file():
            return path
    return None


def load_digit_images() -> tuple[np.ndarray, np.ndarray]:
    """sklearn's bundled digits: images (1797, 8, 8) and labels, as load_digits() gives them (each
    row of the file is 64 pixels and the label). Through load_digits() itself if a future sklearn
    keeps the file elsewhere."""
    path = digits_file()
    if path is None:
        from sklearn.datasets import load_digits

        digits = load_digits()
        return digits.images.astype(np.float64), digits.target.astype(np.int64)
    data = np.loadtxt(path, delimiter=",")
    return data[:, :-1].reshape(-1, 8, 8).astype(np.float64), data[:, -1].astype(np.int64)


def stratified_subset(labels: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Sorted positions of round(fraction·n_c) (at least 1) random examples of every class c."""
    chosen = []
    for digit in np.unique(labels):
        members = np.flatnonzero(labels == digit)
        take = max(1, int(round(fraction * len(members))))
        chosen.append(rng.permutation(members)[:take])
    return np.sort(np.concatenate(chosen))


def split_digits(images: np.ndarray, labels: np.ndarray, config: DataConfig) -> DigitsData:
    """Stratified train/test split by `split_seed`; standardize with training statistics."""
    rng = np.random.default_rng([config.split_seed, SPLIT_STREAM])
    test_index = stratified_subset(labels, config.test_fraction, rng)
    train_index = np.setdiff1d(np.arange(len(labels)), test_index)
    flat = images.reshape(len(images), -1)
    mean = flat[train_index].mean(axis=0)
    scale = np.maximum(flat[train_index].std(axis=0), PIXEL_STD_FLOOR)
    standardized = (flat - mean) / scale
    return DigitsData(images, labels, train_index, test_index,
                      standardized[train_index], standardized[test_index])


def transfer_subset(data: DigitsData, fraction: float, seed: int) -> np.ndarray:
    """Positions in the training split of a seed's stratified transfer set (all of it at 1.0)."""
    if fraction >= 1.0:
        return np.arange(len(data.train_index))
    return stratified_subset(data.y_train, fraction, np.random.default_rng([seed, SUBSET_STREAM]))
