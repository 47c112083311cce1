"""Read a model file (content/models/*.yaml) into the architecture dataclasses of kdsite/science/architecture.py.

A model YAML names a family and its compact table: for ResNet the block type and blocks/width/stride
per stage, for inverted-residual nets (MobileNetV2/V3) the rows of the paper's (t, c, n, s) table.
`parse_model` turns it into typed, validated dataclasses and reports every mistake it finds with
file, line and field path; `load_model` also expands the layers and refuses totals past the limits.
"""

from __future__ import annotations
from functools import partial
from kdsite.content import limits
from kdsite.content.fieldreader import FieldReader
from kdsite.content.yamlload import Located
from kdsite.science.architecture import ACTIVATIONS, ConvSpec, FAMILIES, InvertedResidualRow, InvertedResidualSpec, LayerTable, ModelSpec, ModelTooLarge, PoolSpec, RESNET_BLOCKS, ROW_COLUMNS, ResNetSpec, ResNetStage, expand_layers


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


def load_model(located: Located, key: str) -> tuple[ModelSpec, LayerTable]:
    """Parse a model file and expand it; both steps report ContentError with file and field."""
    spec = parse_model(located, key)
    return spec, expand_layers(spec)
