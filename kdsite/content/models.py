"""Read a model file (content/models/*.yaml) into the architecture dataclasses of kdsite/science/architecture.py.

A model YAML names a family and its compact table: for ResNet the block type and blocks/width/stride
per stage, for inverted-residual nets (MobileNetV2/V3) the rows of the paper's (t, c, n, s) table.
`parse_model` turns it into typed, validated dataclasses and reports every mistake it finds with
file, line and field path; `load_model` also expands the layers and refuses totals past the limits.
"""

from __future__ import annotations

from kdsite.content import schema
from kdsite.content.fields import Reader
from kdsite.content.yamlload import Located
from kdsite.errors import ContentError
from kdsite.science.architecture import ConvSpec, InvertedResidualRow, InvertedResidualSpec, LayerTable, ModelSpec, ModelTooLarge, PoolSpec, PublishedAccuracy, RESNET_BLOCKS, ResNetSpec, ResNetStage, expand_layers


def _conv(values: dict | None) -> ConvSpec | None:
    if values is None:
        return None
    kernel = values["kernel"]
    padding = values["padding"] if values["padding"] is not None else (kernel - 1) // 2 if kernel else 0
    return ConvSpec(values["out_channels"], kernel, values["stride"], padding)


def _resnet(reader: Reader, path: str, values: dict) -> ResNetSpec:
    pool = values["stem_pool"]
    stem_pool = None if pool is None else PoolSpec(pool["kernel"], pool["stride"], pool["padding"])
    block, groups, width_per_group = values["block"], values["groups"], values["width_per_group"]
    expansion = values["expansion"] if values["expansion"] is not None else RESNET_BLOCKS.get(block, 1)
    if block == "basic" and (groups != 1 or width_per_group != 64 or expansion != 1):
        field = "groups" if groups != 1 else "width_per_group" if width_per_group != 64 else "expansion"
        reader.fail(f"{path}.{field}", "a basic block has two plain 3×3 convs: "
                    "groups must be 1, width_per_group 64 and expansion 1",
                    "use block: bottleneck for grouped or wide blocks")
    stages = [ResNetStage(**stage) for stage in values["stages"] or ()]
    if block == "bottleneck" and groups and width_per_group:
        for index, stage in enumerate(stages):
            if stage.width and (stage.width * width_per_group) % 64:
                reader.fail(f"{path}.stages[{index}].width",
                            f"bottleneck width {stage.width} × width_per_group {width_per_group} / 64 "
                            "is not a whole number of channels", "use a width that is a multiple of 64 / width_per_group")
    classifier = values["classifier"]
    return ResNetSpec(_conv(values["stem"]), stem_pool, block, expansion, groups, width_per_group, tuple(stages),
                      classifier["num_classes"] if classifier else None)


def _rows(reader: Reader, path: str, values: dict) -> list[InvertedResidualRow]:
    columns = values["block_columns"]
    if columns is None or values["blocks"] is None:
        return []
    if ("expansion" in columns) == ("expanded_channels" in columns) or "out_channels" not in columns:
        reader.fail(f"{path}.block_columns", "needs out_channels and exactly one of expansion "
                    "(ratio t) or expanded_channels (absolute)", "e.g. [expansion, out_channels, repeats, stride]")
        return []
    rows = []
    for index, cells in enumerate(values["blocks"]):
        item = f"{path}.blocks[{index}]"
        if not isinstance(cells, list):
            reader.fail(item, f"expected a list but got {schema.kind_of(cells)}", "write one row as [a, b, c]")
            continue
        if not reader.count(item, len(cells), length=len(columns),
                            hint=f"one value per column, in the order of block_columns: {', '.join(columns)}"):
            continue
        given = dict(zip(columns, range(len(cells))))
        row = {name: reader.check(field, f"{item}[{given[name]}]", cells[given[name]], label=name)
               if name in given else None if field.required else field.default
               for name, field in schema.ROW_CELLS.items()}
        if not reader.failed(item):
            rows.append(InvertedResidualRow(**row))
    return rows


def _inverted_residual(reader: Reader, path: str, values: dict) -> InvertedResidualSpec:
    stem = _conv(values["stem"])
    rows = _rows(reader, path, values)
    se_reduction = se_round_to = 0
    if any(row.squeeze_excite for row in rows):
        if values["squeeze_excite"] is None and not reader.failed(f"{path}.squeeze_excite"):
            reader.fail(f"{path}.squeeze_excite", "is required but missing",
                        f"a row has squeeze_excite: true; add a line 'squeeze_excite: …' under {path}")
        elif values["squeeze_excite"] is not None:
            se_reduction, se_round_to = values["squeeze_excite"]["reduction"], values["squeeze_excite"]["round_to"]
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
    last, classifier = values["last_conv"], values["classifier"]
    return InvertedResidualSpec(stem, tuple(rows), se_reduction, se_round_to,
                                last["out_channels"] if last else None,
                                tuple(classifier["hidden_features"] or ()) if classifier else (),
                                classifier["num_classes"] if classifier else None)


def parse_model(located: Located, key: str, warnings: list[ContentError] | None = None) -> ModelSpec:
    """A typed ModelSpec from a model YAML; raises ContentError (one mistake) or ContentErrors (several).

    Unknown keys are appended to `warnings` (an error under --strict), except inside `architecture`:
    there a key the counter does not know (`dilation: 2`) would make the totals those of another
    network, so it is an error in every build.
    """
    found: list[ContentError] = []
    reader = Reader(located, warnings=found)
    values = reader.read(schema.MODEL)
    architecture = None
    if values is not None and values["architecture"] is not None:
        build = _resnet if values["architecture"]["family"] == "resnet" else _inverted_residual
        architecture = build(reader, "architecture", values["architecture"])
    for problem in found:
        if problem.field.startswith("architecture."):
            key = problem.field.rsplit(".", 1)[-1]
            reader.errors.append(ContentError(
                problem.file, problem.line, problem.field,
                f"the parameter and MAC counter cannot express {key!r}, so it would count another network",
                f"remove it if it is a typo ({problem.hint}); else list this model in "
                "content/reference_models.yaml with its published numbers"))
        elif warnings is not None:
            warnings.append(problem)
    reader.raise_if_errors()
    size = values["input"]
    int8 = values["int8_top1"]
    spec = ModelSpec(key, located.file, values["display_name"], values["top1_percent"], values["source"],
                     size["channels"], size["height"], size["width"], architecture,
                     None if int8 is None else PublishedAccuracy(**int8))
    try:
        expand_layers(spec)  # catches shapes that only go wrong deep in the network
    except ModelTooLarge as exc:
        raise located.error("architecture", str(exc), exc.hint) from None
    except ValueError as exc:
        raise located.error("input", str(exc), "check the input size and the strides") from None
    return spec


def load_model(located: Located, key: str, warnings: list[ContentError] | None = None
               ) -> tuple[ModelSpec, LayerTable]:
    """Parse a model file and expand it; both steps report ContentError with file and field."""
    spec = parse_model(located, key, warnings)
    return spec, expand_layers(spec)
