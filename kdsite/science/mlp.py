"""A small multilayer perceptron in pure numpy: ReLU hidden layers, linear logits, Adam.

Used by the distillation lab (kdsite/science/lab.py). Everything is float64 and driven by an explicit
`np.random.Generator`, so a run is a pure function of its seed. The network returns logits z;
the softmax lives in the loss (kdsite/science/losses.py), whose gradient ∂L/∂z is backpropagated here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class MLP:
    """Weights W_k (fan_in × fan_out) and biases b_k of a fully connected ReLU network.

    Layer k computes h_k = relu(h_{k−1} W_k + b_k); the last layer has no ReLU and gives logits.
    All weights and biases are views into one flat vector, `parameters`, so the optimizer
    updates the whole network with a handful of array operations.
    """

    parameters: np.ndarray
    weights: list[np.ndarray]
    biases: list[np.ndarray]

    @classmethod
    def from_parameters(cls, widths: Sequence[int], parameters: np.ndarray) -> MLP:
        """An MLP whose layers are views into `parameters` (length `parameter_count(widths)`)."""
        weights, biases = _layer_views(widths, parameters)
        return cls(parameters, weights, biases)

    @property
    def widths(self) -> list[int]:
        """Units per layer from input to output, e.g. [64, 16, 10]."""
        return [self.weights[0].shape[0]] + [w.shape[1] for w in self.weights]

    @property
    def parameter_count(self) -> int:
        """Number of weights plus biases: Σ (fan_in·fan_out + fan_out)."""
        return int(self.parameters.size)

    def copy(self) -> MLP:
        """An independent copy."""
        return MLP.from_parameters(self.widths, self.parameters.copy())


def parameter_count(widths: Sequence[int]) -> int:
    """Σ (fan_in·fan_out + fan_out) over the layers of an MLP with these widths."""
    return int(sum(a * b + b for a, b in zip(widths[:-1], widths[1:])))


def _layer_views(widths: Sequence[int], flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Split a flat vector into per-layer (fan_in × fan_out) weight and (fan_out,) bias views."""
    if flat.size != parameter_count(widths):
        raise ValueError(f"{flat.size} parameters do not fit widths {list(widths)}")
    weights, biases, start = [], [], 0
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        weights.append(flat[start:start + fan_in * fan_out].reshape(fan_in, fan_out))
        start += fan_in * fan_out
        biases.append(flat[start:start + fan_out])
        start += fan_out
    return weights, biases


def init_mlp(widths: Sequence[int], rng: np.random.Generator) -> MLP:
    """He-normal weights, W ~ N(0, 2/fan_in), and zero biases (He et al. 2015, for ReLU)."""
    if len(widths) < 2 or any(int(w) < 1 for w in widths):
        raise ValueError(f"widths must list at least input and output sizes ≥ 1, got {list(widths)}")
    mlp = MLP.from_parameters(widths, np.zeros(parameter_count(widths)))
    for weight in mlp.weights:
        weight[...] = rng.normal(0.0, np.sqrt(2.0 / weight.shape[0]), size=weight.shape)
    return mlp


def forward(mlp: MLP, inputs: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Logits z (batch × classes) and the input of every layer, which `backward` needs."""
    layer_inputs = [np.asarray(inputs, dtype=np.float64)]
    hidden = layer_inputs[0]
    last = len(mlp.weights) - 1
    for k, (w, b) in enumerate(zip(mlp.weights, mlp.biases)):
        hidden = hidden @ w + b
        if k < last:
            hidden = np.maximum(hidden, 0.0)
            layer_inputs.append(hidden)
    return hidden, layer_inputs


def predict_logits(mlp: MLP, inputs: np.ndarray) -> np.ndarray:
    """Logits z for `inputs` (batch × features)."""
    return forward(mlp, inputs)[0]


def backward(mlp: MLP, layer_inputs: list[np.ndarray], logits_gradient: np.ndarray) -> np.ndarray:
    """∂L/∂θ by the chain rule, given ∂L/∂z from the loss, as a vector laid out like `parameters`.

    `logits_gradient` must already include any batch averaging (kd_loss_gradient does).
    ReLU's derivative is taken as 0 at 0 (its outputs are stored, and h > 0 marks active units).
    """
    gradient = np.empty_like(mlp.parameters)
    weight_grads, bias_grads = _layer_views(mlp.widths, gradient)
    delta = np.asarray(logits_gradient, dtype=np.float64)
    for k in range(len(mlp.weights) - 1, -1, -1):
        np.matmul(layer_inputs[k].T, delta, out=weight_grads[k])
        delta.sum(axis=0, out=bias_grads[k])
        if k > 0:
            delta = (delta @ mlp.weights[k].T) * (layer_inputs[k] > 0.0)
    return gradient


@dataclass
class Adam:
    """Adam (Kingma & Ba 2015) with optional L2 weight decay added to the weight gradients.

    m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  θ ← θ − lr·m̂/(√v̂ + ε), with bias-corrected m̂, v̂.
    """

    learning_rate: float
    weight_decay: float = 0.0
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    steps: int = 0
    _m: np.ndarray | None = field(default=None, repr=False)
    _v: np.ndarray | None = field(default=None, repr=False)

    def step(self, mlp: MLP, gradient: np.ndarray) -> None:
        """Update `mlp.parameters` in place with one Adam step for gradient ∂L/∂θ."""
        if self.weight_decay:
            decay = np.zeros_like(mlp.parameters)
            for weight, decay_view in zip(mlp.weights, _layer_views(mlp.widths, decay)[0]):
                decay_view[...] = self.weight_decay * weight
            gradient = gradient + decay
        if self._m is None or self._v is None:
            self._m = np.zeros_like(mlp.parameters)
            self._v = np.zeros_like(mlp.parameters)
        self.steps += 1
        self._m *= self.beta1
        self._m += (1.0 - self.beta1) * gradient
        self._v *= self.beta2
        self._v += (1.0 - self.beta2) * gradient * gradient
        step_size = self.learning_rate * np.sqrt(1.0 - self.beta2**self.steps) / (1.0 - self.beta1**self.steps)
        # ε is scaled like √v̂ so this equals lr·m̂/(√v̂ + ε) exactly, with one fewer array pass.
        epsilon = self.epsilon * np.sqrt(1.0 - self.beta2**self.steps)
        mlp.parameters -= step_size * self._m / (np.sqrt(self._v) + epsilon)


LogitsGradient = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""(example indices of the minibatch, student logits) → ∂L/∂z of the minibatch loss."""


def train_mlp(mlp: MLP, inputs: np.ndarray, logits_gradient: LogitsGradient, *, epochs: int,
              batch_size: int, optimizer: Adam, rng: np.random.Generator,
              augment: Callable[[np.ndarray, np.random.Generator], np.ndarray] | None = None,
              on_epoch: Callable[[int, MLP], None] | None = None) -> MLP:
    """Minibatch training in place: each epoch visits every example once in a fresh random order.

    `logits_gradient(indices, logits)` supplies ∂L/∂z for the batch (the loss lives outside,
    so the same loop trains the teacher on hard labels and students on the KD loss).
    `augment(batch_inputs, rng)` may perturb the inputs (e.g. pixel jitter for the teacher).
    `on_epoch(epoch, mlp)` runs after each epoch (1-based), e.g. to record metrics.
    """
    count = len(inputs)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(count)
        for start in range(0, count, batch_size):
            batch = order[start:start + batch_size]
            batch_inputs = inputs[batch] if augment is None else augment(inputs[batch], rng)
            logits, layer_inputs = forward(mlp, batch_inputs)
            optimizer.step(mlp, backward(mlp, layer_inputs, logits_gradient(batch, logits)))
        if on_epoch is not None:
            on_epoch(epoch, mlp)
    return mlp
