"""CNN architectures as data, and the walker that expands them into per-layer counts (pure numpy).

The dataclasses describe a family and its compact table (ResNet stages; the (t, c, n, s) rows of
inverted-residual nets); kdsite/content/models.py fills them from YAML. `expand_layers` walks the
architecture at batch 1 and returns one record per conv/FC layer.

Counting rules (FACTS §2, same as torchvision's published `_ops`, which are MACs):
  MACs   = Σ C_out·(C_in/groups)·k²·H_out·W_out  +  Σ in·out (FC)
  params = conv weights + BN γ,β (2 per channel) + biases (FC, squeeze-excite convs)
BN, activations, pooling and residual adds cost no MACs.
"""

from __future__ import annotations
from dataclasses import dataclass
import numpy as np


FAMILIES = ("resnet", "inverted_residual")


RESNET_BLOCKS = {"basic": 1, "bottleneck": 4}  # block type -> default channel expansion


ROW_COLUMNS = ("expansion", "expanded_channels", "out_channels", "repeats", "stride", "kernel",
               "squeeze_excite", "activation")


ACTIVATIONS = ("relu", "relu6", "hardswish")
# Totals past these are refused: they keep every count far inside int64 (README, "Limits").
MAX_MODEL_MACS = 10**13  # per image; shipped: ≤ 1.2e10 (ResNet-152)
MAX_MODEL_PARAMS = 10**11  # shipped: ≤ 6.1e7 (ResNet-152)


@dataclass(frozen=True)
class ConvSpec:
    """A plain k×k conv (with BN) such as a stem; `padding` defaults to (k−1)/2."""

    out_channels: int
    kernel: int
    stride: int
    padding: int


@dataclass(frozen=True)
class PoolSpec:
    """A max-pool after the stem: no parameters, no MACs, only a smaller feature map."""

    kernel: int
    stride: int
    padding: int


@dataclass(frozen=True)
class ResNetStage:
    """One stage: `blocks` residual blocks of base width `width`, the first with `stride`."""

    width: int
    blocks: int
    stride: int


@dataclass(frozen=True)
class ResNetSpec:
    """torchvision ResNet v1.5: the stride sits on the 3×3 conv of a bottleneck."""

    stem: ConvSpec
    stem_pool: PoolSpec | None
    block: str  # "basic" | "bottleneck"
    expansion: int
    groups: int
    width_per_group: int
    stages: tuple[ResNetStage, ...]
    num_classes: int


@dataclass(frozen=True)
class InvertedResidualRow:
    """One row of the (t, c, n, s) table; `expanded_channels` is set when given absolutely (V3)."""

    expansion: float | None
    expanded_channels: int | None
    out_channels: int
    repeats: int
    stride: int
    kernel: int
    squeeze_excite: bool
    activation: str


@dataclass(frozen=True)
class InvertedResidualSpec:
    """MobileNetV2/V3: stem, inverted-residual rows, last 1×1 conv, classifier (hidden FCs + output)."""

    stem: ConvSpec
    rows: tuple[InvertedResidualRow, ...]
    se_reduction: int
    se_round_to: int
    last_conv_channels: int
    hidden_features: tuple[int, ...]
    num_classes: int


@dataclass(frozen=True)
class ModelSpec:
    """A model file: metadata plus its architecture."""

    key: str  # file stem, e.g. "resnet152"
    file: str  # e.g. "content/models/resnet152.yaml"
    display_name: str
    top1_percent: float  # torchvision IMAGENET1K_V1 acc@1
    source: str  # citation key, e.g. "torchvision-0.29.1"
    input_channels: int
    input_height: int
    input_width: int
    architecture: ResNetSpec | InvertedResidualSpec
    int8_top1: "PublishedAccuracy | None" = None  # the published INT8 weights' top-1, if any


@dataclass(frozen=True)
class PublishedAccuracy:
    """A published top-1 with where it comes from."""

    percent: float
    reference: str  # an id in content/references.yaml
    locator: str
    method: str


# ---------------------------------------------------------------------------------------------
# The walker: architecture -> per-layer records at batch 1.

@dataclass(frozen=True)
class LayerTable:
    """One row per conv/FC layer, as numpy arrays of equal length (batch 1).

    `kinds`: "conv" (dense, any k), "depthwise" (groups = channels) or "fc".
    Element counts are activations (C·H·W), not bytes; see kdsite.precision for bytes.
    """

    model: str
    names: np.ndarray  # str, e.g. "layer3.5.conv2"
    kinds: np.ndarray  # str
    stages: np.ndarray  # str: "stem", "stage1"..., "head"
    blocks: np.ndarray  # str: "layer3.5", "features.4", "stem", "head"
    kernel: np.ndarray  # int64, k (FC: 1)
    stride: np.ndarray  # int64
    groups: np.ndarray  # int64
    in_channels: np.ndarray  # int64 (FC: in features)
    out_channels: np.ndarray  # int64 (FC: out features)
    out_height: np.ndarray  # int64 (FC: 1)
    out_width: np.ndarray  # int64 (FC: 1)
    params: np.ndarray  # int64, weights + BN γ,β + bias (what the checkpoint stores)
    weight_params: np.ndarray  # int64, conv/FC weight tensor + bias, without BN γ,β
    macs: np.ndarray  # int64, C_out·(C_in/groups)·k²·H_out·W_out, or in·out for FC
    input_elements: np.ndarray  # int64, C_in·H_in·W_in
    output_elements: np.ndarray  # int64, C_out·H_out·W_out

    @property
    def total_params(self) -> int:
        """Σ params (weights, BN γ,β, biases)."""
        return int(self.params.sum())

    @property
    def total_macs(self) -> int:
        """Σ multiply-accumulates per image."""
        return int(self.macs.sum())

    @property
    def largest_activation_elements(self) -> int:
        """The biggest single layer output, in elements."""
        return int(self.output_elements.max())

    def __len__(self) -> int:
        return len(self.names)


class ModelTooLarge(ValueError):
    """A model whose MAC or parameter count is past MAX_MODEL_MACS or MAX_MODEL_PARAMS."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


class _Walker:
    """Collects layer rows while tracking the feature-map shape (C, H, W)."""

    def __init__(self, channels: int, height: int, width: int):
        self.shape = (channels, height, width)
        self.rows: list[tuple] = []

    def conv(self, name: str, stage: str, block: str, c_out: int, kernel: int, stride: int = 1,
             padding: int | None = None, groups: int = 1, batch_norm: bool = True, bias: bool = False,
             source: tuple[int, int, int] | None = None) -> tuple[int, int, int]:
        """Add a conv reading `source` (default: the current map); returns its output shape."""
        c_in, h_in, w_in = source or self.shape
        padding = (kernel - 1) // 2 if padding is None else padding
        if c_in % groups or c_out % groups:
            raise ValueError(f"{name}: groups={groups} does not divide {c_in} input and {c_out} output channels")
        h_out = (h_in + 2 * padding - kernel) // stride + 1
        w_out = (w_in + 2 * padding - kernel) // stride + 1
        if h_out < 1 or w_out < 1:
            raise ValueError(f"{name}: a {h_in}×{w_in} map is too small for a {kernel}×{kernel} stride-{stride} conv")
        weights = c_out * (c_in // groups) * kernel * kernel
        params = weights + (2 * c_out if batch_norm else 0) + (c_out if bias else 0)
        kind = "depthwise" if groups > 1 and groups == c_in == c_out else "conv"
        self.rows.append((name, kind, stage, block, kernel, stride, groups, c_in, c_out, h_out, w_out,
                          params, weights + (c_out if bias else 0), weights * h_out * w_out,
                          c_in * h_in * w_in, c_out * h_out * w_out))
        return c_out, h_out, w_out

    def pool(self, kernel: int, stride: int, padding: int) -> None:
        c, h, w = self.shape
        self.shape = (c, (h + 2 * padding - kernel) // stride + 1, (w + 2 * padding - kernel) // stride + 1)

    def fc(self, name: str, in_features: int, out_features: int) -> None:
        self.rows.append((name, "fc", "head", "head", 1, 1, 1, in_features, out_features, 1, 1,
                          in_features * out_features + out_features, in_features * out_features + out_features,
                          in_features * out_features, in_features, out_features))

    def table(self, model: str) -> LayerTable:
        # Totals in Python ints first: past the limits they could wrap around in int64 columns.
        macs, params = sum(row[13] for row in self.rows), sum(row[11] for row in self.rows)
        for total, most, what in ((macs, MAX_MODEL_MACS, "MACs per image"),
                                  (params, MAX_MODEL_PARAMS, "parameters")):
            if total > most:
                raise ModelTooLarge(f"the model counts {total:.3g} {what}, more than the limit of {most:.0e}",
                                    "reduce the input size, widths, channels, blocks or repeats")
        columns = list(zip(*self.rows))
        text = [np.array(column) for column in columns[:4]]
        numbers = [np.array(column, dtype=np.int64) for column in columns[4:]]
        return LayerTable(model, *text, *numbers)


def _walk_resnet(spec: ResNetSpec, walker: _Walker) -> None:
    walker.shape = walker.conv("conv1", "stem", "stem", spec.stem.out_channels, spec.stem.kernel,
                               spec.stem.stride, spec.stem.padding)
    if spec.stem_pool:
        walker.pool(spec.stem_pool.kernel, spec.stem_pool.stride, spec.stem_pool.padding)
    for s, stage in enumerate(spec.stages, start=1):
        out_channels = stage.width * spec.expansion
        mid = stage.width * spec.width_per_group // 64 * spec.groups
        for b in range(stage.blocks):
            stride = stage.stride if b == 0 else 1
            block, label = f"layer{s}.{b}", f"stage{s}"
            block_input = walker.shape
            if spec.block == "basic":
                walker.shape = walker.conv(f"{block}.conv1", label, block, stage.width, 3, stride)
                walker.shape = walker.conv(f"{block}.conv2", label, block, out_channels, 3)
            else:
                walker.shape = walker.conv(f"{block}.conv1", label, block, mid, 1)
                walker.shape = walker.conv(f"{block}.conv2", label, block, mid, 3, stride, groups=spec.groups)
                walker.shape = walker.conv(f"{block}.conv3", label, block, out_channels, 1)
            if stride != 1 or block_input[0] != out_channels:
                walker.conv(f"{block}.downsample.0", label, block, out_channels, 1, stride, source=block_input)
    walker.fc("fc", walker.shape[0], spec.num_classes)


def make_divisible(value: float, divisor: int) -> int:
    """torchvision's `_make_divisible`: round to a multiple of `divisor`, never more than 10% down."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def _walk_inverted_residual(spec: InvertedResidualSpec, walker: _Walker) -> None:
    walker.shape = walker.conv("features.0", "stem", "stem", spec.stem.out_channels, spec.stem.kernel,
                               spec.stem.stride, spec.stem.padding)
    index = 1
    for r, row in enumerate(spec.rows, start=1):
        for repeat in range(row.repeats):
            block, label = f"features.{index}", f"stage{r}"
            c_in = walker.shape[0]
            hidden = row.expanded_channels or int(round(c_in * row.expansion))
            if hidden != c_in:  # t = 1 rows have no expansion conv
                walker.shape = walker.conv(f"{block}.expand", label, block, hidden, 1)
            walker.shape = walker.conv(f"{block}.depthwise", label, block, hidden, row.kernel,
                                       row.stride if repeat == 0 else 1, groups=hidden)
            if row.squeeze_excite:  # global pool -> 1×1 conv (bias) -> 1×1 conv (bias), scales the map
                squeeze = make_divisible(hidden // spec.se_reduction, spec.se_round_to)
                pooled = walker.conv(f"{block}.se.fc1", label, block, squeeze, 1, batch_norm=False,
                                     bias=True, source=(hidden, 1, 1))
                walker.conv(f"{block}.se.fc2", label, block, hidden, 1, batch_norm=False, bias=True, source=pooled)
            walker.shape = walker.conv(f"{block}.project", label, block, row.out_channels, 1)
            index += 1
    walker.shape = walker.conv(f"features.{index}", "head", "head", spec.last_conv_channels, 1)
    features = walker.shape[0]
    for h, hidden_features in enumerate((*spec.hidden_features, spec.num_classes)):
        walker.fc(f"classifier.{h}", features, hidden_features)
        features = hidden_features


def expand_layers(spec: ModelSpec) -> LayerTable:
    """Per-layer records for one image of input_channels × input_height × input_width.

    Raises ValueError when channels or shapes do not fit (parse_model turns it into a ContentError).
    """
    walker = _Walker(spec.input_channels, spec.input_height, spec.input_width)
    if isinstance(spec.architecture, ResNetSpec):
        _walk_resnet(spec.architecture, walker)
    else:
        _walk_inverted_residual(spec.architecture, walker)
    return walker.table(spec.key)


__all__ = ["ModelSpec", "ResNetSpec", "InvertedResidualSpec", "LayerTable", "expand_layers", "make_divisible"]
