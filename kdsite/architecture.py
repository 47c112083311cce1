"""CNN architectures described as data, and the walker that expands them into per-layer counts.

A model YAML (content/models/*.yaml) names a family and its compact table: for ResNet the block
type and blocks/width/stride per stage, for inverted-residual nets (MobileNetV2/V3) the rows of
the paper's (t, c, n, s) table. `parse_model` turns it into typed, validated dataclasses and
reports every mistake it finds with file, line and field path; `expand_layers` walks the
architecture at batch 1 and returns one record per conv/FC layer.

Counting rules (FACTS §2, same as torchvision's published `_ops`, which are MACs):
  MACs   = Σ C_out·(C_in/groups)·k²·H_out·W_out  +  Σ in·out (FC)
  params = conv weights + BN γ,β (2 per channel) + biases (FC, squeeze-excite convs)
BN, activations, pooling and residual adds cost no MACs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from kdsite import limits
from kdsite.fieldreader import FieldReader
from kdsite.yamlload import Located

FAMILIES = ("resnet", "inverted_residual")
RESNET_BLOCKS = {"basic": 1, "bottleneck": 4}  # block type -> default channel expansion
ROW_COLUMNS = ("expansion", "expanded_channels", "out_channels", "repeats", "stride", "kernel",
               "squeeze_excite", "activation")
ACTIVATIONS = ("relu", "relu6", "hardswish")


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


def _channels(reader: FieldReader, path: str, label: str = "", default=None) -> int | None:
    """A channel count or width in [1, MAX_CHANNELS]."""
    extra = {} if default is None else {"default": default}
    return reader.integer(path, label=label, maximum=limits.MAX_CHANNELS, **extra,
                          hint=f"channels and widths are 1 to {limits.MAX_CHANNELS:,}")


def _kernel(reader: FieldReader, path: str, label: str = "", **default) -> int | None:
    return reader.integer(path, label=label, maximum=limits.MAX_KERNEL, **default,
                          hint=f"kernels are 1 to {limits.MAX_KERNEL} pixels wide")


def _stride(reader: FieldReader, path: str, label: str = "", **default) -> int | None:
    return reader.integer(path, label=label, maximum=limits.MAX_STRIDE, **default,
                          hint=f"strides are 1 to {limits.MAX_STRIDE}")


def _padding(reader: FieldReader, path: str, default: int) -> int | None:
    return reader.integer(path, minimum=0, default=default, maximum=limits.MAX_KERNEL,
                          hint=f"paddings are 0 to {limits.MAX_KERNEL} pixels")


def _conv_spec(reader: FieldReader, path: str) -> ConvSpec | None:
    if reader.mapping(path, allowed=("out_channels", "kernel", "stride", "padding")) is None:
        return None
    kernel = _kernel(reader, f"{path}.kernel")
    padding = _padding(reader, f"{path}.padding", (kernel - 1) // 2 if kernel else 0)
    return ConvSpec(_channels(reader, f"{path}.out_channels"), kernel,
                    _stride(reader, f"{path}.stride", default=1), padding)


def _resnet(reader: FieldReader, path: str) -> ResNetSpec:
    stem = _conv_spec(reader, f"{path}.stem")
    stem_pool = None
    if reader.has(f"{path}.stem_pool") and reader.mapping(
            f"{path}.stem_pool", allowed=("kernel", "stride", "padding")) is not None:
        stem_pool = PoolSpec(_kernel(reader, f"{path}.stem_pool.kernel"),
                             _stride(reader, f"{path}.stem_pool.stride"),
                             _padding(reader, f"{path}.stem_pool.padding", 0))
    block = reader.text(f"{path}.block", choices=tuple(RESNET_BLOCKS))
    expansion = reader.integer(f"{path}.expansion", default=RESNET_BLOCKS.get(block, 1),
                               maximum=limits.MAX_EXPANSION,
                               hint=f"the block expansion is 1 to {limits.MAX_EXPANSION}")
    group_hint = f"groups and width_per_group are 1 to {limits.MAX_GROUPS:,}"
    groups = reader.integer(f"{path}.groups", default=1, maximum=limits.MAX_GROUPS, hint=group_hint)
    width_per_group = reader.integer(f"{path}.width_per_group", default=64, maximum=limits.MAX_GROUPS,
                                     hint=group_hint)
    if block == "basic" and (groups != 1 or width_per_group != 64 or expansion != 1):
        field = "groups" if groups != 1 else "width_per_group" if width_per_group != 64 else "expansion"
        reader.fail(f"{path}.{field}", "a basic block has two plain 3×3 convs: "
                    "groups must be 1, width_per_group 64 and expansion 1",
                    "use block: bottleneck for grouped or wide blocks")
    stages = []
    indices = _bounded_items(reader, f"{path}.stages", limits.MAX_STAGES, "stages")
    for index in indices:
        item = f"{path}.stages[{index}]"
        if reader.mapping(item, allowed=("width", "blocks", "stride")) is not None:
            stages.append(ResNetStage(_channels(reader, f"{item}.width"),
                                      reader.integer(f"{item}.blocks", maximum=limits.MAX_BLOCKS,
                                                     hint=f"a stage has 1 to {limits.MAX_BLOCKS} blocks"),
                                      _stride(reader, f"{item}.stride", default=1)))
    if block == "bottleneck" and groups and width_per_group:
        for index, stage in enumerate(stages):
            if stage.width and (stage.width * width_per_group) % 64:
                reader.fail(f"{path}.stages[{index}].width",
                            f"bottleneck width {stage.width} × width_per_group {width_per_group} / 64 "
                            "is not a whole number of channels", "use a width that is a multiple of 64 / width_per_group")
    num_classes = _num_classes(reader, f"{path}.classifier.num_classes") \
        if reader.mapping(f"{path}.classifier", allowed=("num_classes",)) is not None else None
    return ResNetSpec(stem, stem_pool, block, expansion, groups, width_per_group, tuple(stages), num_classes)


def _bounded_items(reader: FieldReader, path: str, most: int, what: str, required: bool = True) -> range:
    """Indices of the list at `path`, or none after an error when it has more than `most` entries."""
    indices = reader.items(path, required=required)
    if len(indices) > most:
        reader.fail(path, f"has {len(indices)} {what}, more than {most}", f"a model has at most {most} {what}")
        return range(0)
    return indices


def _num_classes(reader: FieldReader, path: str) -> int | None:
    return reader.integer(path, maximum=limits.MAX_NUM_CLASSES,
                          hint=f"a classifier has 1 to {limits.MAX_NUM_CLASSES:,} classes")


def _rows(reader: FieldReader, path: str) -> list[InvertedResidualRow]:
    columns = reader.sequence(f"{path}.block_columns") or []
    for index, name in enumerate(columns):
        if name not in ROW_COLUMNS or columns.index(name) != index:
            reader.fail(f"{path}.block_columns[{index}]", f"unknown or repeated column {name!r}",
                        f"columns are {', '.join(ROW_COLUMNS)}")
            return []
    if ("expansion" in columns) == ("expanded_channels" in columns) or "out_channels" not in columns:
        reader.fail(f"{path}.block_columns", "needs out_channels and exactly one of expansion "
                    "(ratio t) or expanded_channels (absolute)", "e.g. [expansion, out_channels, repeats, stride]")
        return []
    rows = []
    for index in _bounded_items(reader, f"{path}.blocks", limits.MAX_ROWS, "rows"):
        item = f"{path}.blocks[{index}]"
        values = reader.sequence(item, length=len(columns))
        if values is None:
            continue
        at = {name: f"{item}[{position}]" for position, name in enumerate(columns)}

        def cell(name, read, default, **options):
            return default if name not in at else read(at[name], label=name, **options)

        rows.append(InvertedResidualRow(
            expansion=cell("expansion", reader.number, None, maximum=float(limits.MAX_EXPANSION),
                           hint=f"the expansion ratio t is > 0 and ≤ {limits.MAX_EXPANSION}"),
            expanded_channels=cell("expanded_channels", partial(_channels, reader), None),
            out_channels=cell("out_channels", partial(_channels, reader), None),
            repeats=cell("repeats", reader.integer, 1, maximum=limits.MAX_REPEATS,
                         hint=f"a row repeats 1 to {limits.MAX_REPEATS} times"),
            stride=cell("stride", partial(_stride, reader), 1),
            kernel=cell("kernel", partial(_kernel, reader), 3),
            squeeze_excite=cell("squeeze_excite", reader.boolean, False),
            activation=cell("activation", reader.text, "relu6", choices=ACTIVATIONS)))
    return rows


def _inverted_residual(reader: FieldReader, path: str) -> InvertedResidualSpec:
    stem = _conv_spec(reader, f"{path}.stem")
    rows = _rows(reader, path)
    se_reduction = se_round_to = 0
    if any(row.squeeze_excite for row in rows):
        if reader.mapping(f"{path}.squeeze_excite", allowed=("reduction", "round_to")) is not None:
            se_hint = f"reduction and round_to are 1 to {limits.MAX_GROUPS:,}"
            se_reduction = reader.integer(f"{path}.squeeze_excite.reduction", maximum=limits.MAX_GROUPS,
                                          hint=se_hint)
            se_round_to = reader.integer(f"{path}.squeeze_excite.round_to", default=1, maximum=limits.MAX_GROUPS,
                                         hint=se_hint)
    channels = stem.out_channels if stem else None
    for index, row in enumerate(rows):  # hidden channels C_in · t must be whole, for every repeat
        inputs = {channels, row.out_channels} if (row.repeats or 1) > 1 else {channels}
        for c_in in sorted(c for c in inputs if c):
            hidden = c_in * (row.expansion or 1)
            if abs(hidden - round(hidden)) > 1e-9:
                reader.fail(f"{path}.blocks[{index}]", f"expansion {row.expansion:g} × {c_in} input "
                            f"channels = {hidden:g} is not a whole number of channels",
                            "pick an expansion ratio that gives whole channels")
                break  # one line per row, even when its later repeats do not fit either
        channels = row.out_channels
    last = _channels(reader, f"{path}.last_conv.out_channels") \
        if reader.mapping(f"{path}.last_conv", allowed=("out_channels",)) is not None else None
    hidden_features: list[int] = []
    num_classes = None
    if reader.mapping(f"{path}.classifier", allowed=("hidden_features", "num_classes")) is not None:
        for index in _bounded_items(reader, f"{path}.classifier.hidden_features",
                                    limits.MAX_HIDDEN_FEATURE_LAYERS, "hidden classifier layers", required=False):
            hidden_features.append(reader.integer(
                f"{path}.classifier.hidden_features[{index}]", maximum=limits.MAX_FEATURES,
                hint=f"a classifier layer has 1 to {limits.MAX_FEATURES:,} features"))
        num_classes = _num_classes(reader, f"{path}.classifier.num_classes")
    return InvertedResidualSpec(stem, tuple(rows), se_reduction, se_round_to, last,
                                tuple(hidden_features), num_classes)


def parse_model(located: Located, key: str) -> ModelSpec:
    """A typed ModelSpec from a model YAML; raises ContentError (one mistake) or ContentErrors (several)."""
    reader = FieldReader(located)
    if reader.mapping("", allowed=("display_name", "top1_percent", "source", "input", "architecture")) is None:
        reader.raise_if_errors()
    display_name = reader.text("display_name")
    top1 = reader.number("top1_percent", maximum=100.0)
    source = reader.text("source")
    channels = height = width = None
    if reader.mapping("input", allowed=("channels", "height", "width")) is not None:
        channels = reader.integer("input.channels", maximum=limits.MAX_INPUT_CHANNELS,
                                  hint=f"an input has 1 to {limits.MAX_INPUT_CHANNELS} channels, e.g. 3 for RGB")
        height, width = (reader.integer(f"input.{name}", maximum=limits.MAX_INPUT_SIDE,
                                        hint=f"input sides are 1 to {limits.MAX_INPUT_SIDE:,} pixels, e.g. 224")
                         for name in ("height", "width"))
    architecture = None
    if reader.mapping("architecture") is not None:
        family = reader.text("architecture.family", choices=FAMILIES)
        common = ("family", "stem", "classifier")
        if family == "resnet":
            reader.mapping("architecture", allowed=common + (
                "stem_pool", "block", "expansion", "groups", "width_per_group", "stages"))
            architecture = _resnet(reader, "architecture")
        elif family == "inverted_residual":
            reader.mapping("architecture", allowed=common + (
                "block_columns", "blocks", "squeeze_excite", "last_conv"))
            architecture = _inverted_residual(reader, "architecture")
    reader.raise_if_errors()
    spec = ModelSpec(key, located.file, display_name, top1, source, channels, height, width, architecture)
    try:
        expand_layers(spec)  # catches shapes that only go wrong deep in the network
    except ModelTooLarge as exc:
        raise located.error("architecture", str(exc), exc.hint) from None
    except ValueError as exc:
        raise located.error("input", str(exc), "check the input size and the strides") from None
    return spec


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
    """A model whose MAC or parameter count is past the limits (kdsite/limits.py)."""

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
        for total, most, what in ((macs, limits.MAX_MODEL_MACS, "MACs per image"),
                                  (params, limits.MAX_MODEL_PARAMS, "parameters")):
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


def load_model(located: Located, key: str) -> tuple[ModelSpec, LayerTable]:
    """Parse a model file and expand it; both steps report ContentError with file and field."""
    spec = parse_model(located, key)
    return spec, expand_layers(spec)


__all__ = ["ModelSpec", "ResNetSpec", "InvertedResidualSpec", "LayerTable", "parse_model",
           "expand_layers", "load_model", "make_divisible"]
