"""Architecture walker against torchvision's published counts (FACTS §1–2), and model-file errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kdsite.science.architecture import expand_layers
from kdsite.content.models import load_model, parse_model
from kdsite.errors import ContentError, ContentErrors
from kdsite.science.precision import footprint_mb
from kdsite.content.yamlload import load_yaml, parse_yaml

CONTENT = Path(__file__).resolve().parent.parent / "content"

# torchvision 0.29.1 num_params and hook-counted MACs (the `_ops` "GFLOPS" are GMACs).
TORCHVISION = {
    "resnet18": (11_689_512, 1_814_073_344),
    "resnet34": (21_797_672, 3_663_761_408),
    "resnet50": (25_557_032, 4_089_184_256),
    "resnet101": (44_549_160, 7_801_405_440),
    "resnet152": (60_192_808, 11_513_626_624),
    "mobilenet_v2": (3_504_872, 300_774_272),
    "mobilenet_v3_small": (2_542_856, 56_510_400),
}


def layers(key: str):
    path = CONTENT / "models" / f"{key}.yaml"
    return load_model(load_yaml(path, f"content/models/{key}.yaml"), key)[1]


# The course's model files that torchvision's totals above can check: an instructor may add a model
# (tests/test_instructor_edits.py checks one added that way) or remove one without this turning red.
CHECKED = sorted(key for key in TORCHVISION if (CONTENT / "models" / f"{key}.yaml").is_file())


@pytest.mark.parametrize("key", CHECKED)
def test_torchvision_totals(key):
    table = layers(key)
    assert (table.total_params, table.total_macs) == TORCHVISION[key]


def test_torchvision_checks_the_course_models():
    assert CHECKED, "no model file of content/models is one torchvision's totals can check"


def test_torchvision_resnet152_conv1():
    table = layers("resnet152")
    assert table.names[0] == "conv1"
    assert table.weight_params[0] == 9_408  # 64 × 3 × 7 × 7
    assert table.params[0] == 9_408 + 2 * 64  # plus BN γ, β
    assert table.macs[0] == 118_013_952
    assert (table.out_height[0], table.out_width[0]) == (112, 112)


def test_torchvision_resnet152_stage3():
    table = layers("resnet152")
    stage3 = table.stages == "stage3"
    assert len(set(table.blocks[stage3])) == 36
    assert round(table.macs[stage3].sum() / 1e9, 2) == 8.02
    assert table.weight_params[stage3].sum() == 40_501_248  # "40.5 M" counts conv weights
    assert table.params[stage3].sum() == 40_613_888  # 40.6 M with BN γ, β
    assert round(table.total_macs / 1e9, 1) == 11.5


def test_torchvision_resnet_layer_counts():
    # conv1 + 3 convs per bottleneck (2 per basic block) + 4 downsamples + fc
    assert len(layers("resnet152")) == 1 + 3 * 50 + 4 + 1
    assert len(layers("resnet18")) == 1 + 2 * 8 + 3 + 1  # stage 1 keeps 64 channels: no downsample


def test_torchvision_mobilenet_v2_shares():
    table = layers("mobilenet_v2")
    pointwise = (table.kinds == "conv") & (table.kernel == 1)
    assert round(100 * table.macs[pointwise].sum() / table.total_macs, 1) == 89.1
    assert round(100 * table.macs[table.kinds == "depthwise"].sum() / table.total_macs, 1) == 6.9
    assert table.largest_activation_elements == 1_204_224
    biggest = int(table.output_elements.argmax())
    assert table.names[biggest] == "features.2.expand"
    assert (table.out_channels[biggest], table.out_height[biggest]) == (96, 112)


def test_torchvision_footprints_decimal_mb():
    assert round(footprint_mb(layers("resnet152").total_params, "fp32"), 1) == 240.8
    student = layers("mobilenet_v2").total_params
    assert round(footprint_mb(student, "fp32"), 1) == 14.0
    assert round(footprint_mb(student, "int8"), 1) == 3.5


# --- mistakes in model files -------------------------------------------------------------------

GOOD = """\
display_name: Tiny
top1_percent: 50.0
source: test
input: {channels: 3, height: 32, width: 32}
architecture:
  family: resnet
  stem: {out_channels: 8, kernel: 3, stride: 1}
  block: basic
  stages:
    - {width: 8, blocks: 1, stride: 1}
    - {width: 16, blocks: 1, stride: 2}
  classifier: {num_classes: 10}
"""


def parse(text: str):
    return parse_model(parse_yaml(text, "content/models/tiny.yaml"), "tiny")


def test_tiny_model_counts_by_hand():
    table = expand_layers(parse(GOOD))
    # stem 8·3·9·32·32; block 1: two 8·8·9·32·32; block 2: 16·8·9·16·16, 16·16·9·16·16, downsample 16·8·16·16
    assert table.macs.tolist() == [221_184, 589_824, 589_824, 294_912, 589_824, 32_768, 160]
    assert table.params.tolist() == [216 + 16, 576 + 16, 576 + 16, 1152 + 32, 2304 + 32, 128 + 32, 170]


def test_channels_that_do_not_fit_name_file_line_and_field():
    text = GOOD.replace("  block: basic\n", "  block: basic\n  groups: 3\n")
    with pytest.raises(ContentError) as caught:
        parse(text)
    error = caught.value
    assert (error.file, error.line, error.field) == ("content/models/tiny.yaml", 9, "architecture.groups")
    assert "groups must be 1" in error.message


def test_expansion_that_gives_fractional_channels():
    text = (CONTENT / "models" / "mobilenet_v2.yaml").read_text().replace("[6, 24, 2, 2]", "[1.3, 24, 1, 2]")
    with pytest.raises(ContentError) as caught:
        parse_model(parse_yaml(text, "content/models/mobilenet_v2.yaml"), "mobilenet_v2")
    error = caught.value
    assert (error.file, error.field) == ("content/models/mobilenet_v2.yaml", "architecture.blocks[1]")
    assert error.line == text.splitlines().index("    - [1.3, 24, 1, 2]") + 1
    assert error.message == "expansion 1.3 × 16 input channels = 20.8 is not a whole number of channels"


def test_bottleneck_width_that_does_not_split_into_groups():
    text = GOOD.replace("  block: basic\n", "  block: bottleneck\n  groups: 4\n  width_per_group: 4\n")
    with pytest.raises(ContentError) as caught:
        parse(text)
    assert caught.value.field == "architecture.stages[0].width"
    assert "not a whole number of channels" in caught.value.message


def test_all_mistakes_in_a_file_are_reported_together():
    text = (GOOD.replace("blocks: 1, stride: 2", "blocks: two, stride: 0")
            .replace("num_classes: 10", "num_clases: 10")
            .replace("top1_percent: 50.0\n", ""))
    warnings = []
    with pytest.raises(ContentErrors) as caught:
        parse_model(parse_yaml(text, "content/models/tiny.yaml"), "tiny", warnings)
    found = {(error.field, error.line, error.message) for error in caught.value.errors}
    assert found == {
        ("top1_percent", 1, "is required but missing"),  # a missing key points at its parent
        ("architecture.stages[1].blocks", 10, "expected a whole number but got a string ('two')"),
        ("architecture.stages[1].stride", 10, "must be ≥ 1 and ≤ 8, got 0"),
        ("architecture.classifier.num_classes", 11, "is required but missing"),
        # unknown keys elsewhere are warnings; in the architecture the counts would be another network's
        ("architecture.classifier.num_clases", 11,
         "the parameter and MAC counter cannot express 'num_clases', so it would count another network"),
    }
    assert warnings == []
    assert all(error.file == "content/models/tiny.yaml" for error in caught.value.errors)


@pytest.mark.parametrize("old, new, field", [
    ("blocks: 1, stride: 2", "blocks: 1, stride: 2, dilation: 2", "architecture.stages[1].dilation"),
    ("num_classes: 10", "num_classes: 10, dropout: 0.2", "architecture.classifier.dropout"),
])
def test_a_key_the_counter_cannot_express_is_an_error_in_every_build(old, new, field):
    text = GOOD.replace(old, new)
    assert text != GOOD
    warnings = []
    with pytest.raises(ContentError) as caught:
        parse_model(parse_yaml(text, "content/models/tiny.yaml"), "tiny", warnings)
    key = field.rsplit(".", 1)[1]
    assert (caught.value.field, caught.value.message) == (
        field, f"the parameter and MAC counter cannot express {key!r}, so it would count another network")
    assert "reference_models.yaml" in caught.value.hint and warnings == []


def test_an_unknown_key_outside_the_architecture_stays_a_warning():
    warnings = []
    parse_model(parse_yaml(GOOD.replace("top1_percent: 50.0", "top1_percent: 50.0\ncolour: red"),
                           "content/models/tiny.yaml"), "tiny", warnings)
    assert [(w.field, w.message) for w in warnings] == [("colour", "unknown key, ignored")]


def test_unknown_family_and_wrong_types():
    text = GOOD.replace("family: resnet", "family: vgg")
    with pytest.raises(ContentError) as caught:
        parse(text)
    assert (caught.value.field, caught.value.line) == ("architecture.family", 6)
    assert caught.value.hint == "use one of: resnet, inverted_residual"
    with pytest.raises(ContentError) as caught:
        parse(GOOD.replace("stride: 1}\n  block", "stride: true}\n  block"))
    assert caught.value.message == "expected a whole number but got true/false (true)"


def test_input_too_small_for_the_strides():
    with pytest.raises(ContentError) as caught:
        parse(GOOD.replace("height: 32, width: 32", "height: 4, width: 4")
              .replace("kernel: 3, stride: 1}", "kernel: 7, stride: 1, padding: 0}"))
    assert caught.value.field == "input"
    assert caught.value.message == "conv1: a 4×4 map is too small for a 7×7 stride-1 conv"
