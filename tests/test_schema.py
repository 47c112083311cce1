"""The content schema: its field types, the one reader, the single rules, and the generated docs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kdsite.content import schema
from kdsite.figures.catalogue import catalogue_markdown
from kdsite.content.lab import load_lab_config
from kdsite.content.load import load_content
from kdsite.content.fields import Boolean, Dict, List, Mapping, Number, Reader, Text, Variant, Whole
from kdsite.content.yamlload import parse_yaml
from kdsite.errors import ContentError, ContentErrors

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixture" / "content"


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def read(field, text: str):
    """(value, [(field, line, message)] errors, [(field, message)] warnings) of `value: …` text."""
    errors, warnings = [], []
    reader = Reader(parse_yaml(text, "content/x.yaml"), errors, warnings)
    value = reader.read(Mapping("test", {"value": field}))
    return ((value or {}).get("value"), [(e.field, e.line, e.message) for e in errors],
            [(w.field, w.message) for w in warnings])


def message(field, text: str) -> str:
    value, errors, _ = read(field, text)
    [(_, _, text)] = errors
    return text


# --- numbers: one rule everywhere -----------------------------------------------------------------

@pytest.mark.parametrize("written", ["0.001", "1e-3", "1.0e-3", '"0.001"', "'1e-3'", '" 0.001 "'])
def test_a_quoted_number_and_1e_3_are_the_plain_number(written):
    assert read(Number("x"), f"value: {written}\n") == (0.001, [], [])


def test_booleans_are_never_numbers():
    assert message(Number("x"), "value: true\n") == "expected a number but got true/false (true)"
    assert message(Whole("x"), "value: no\n") == "expected a whole number but got true/false (false)"


def test_a_decimal_where_a_whole_number_is_required_is_an_error_not_truncated():
    assert message(Whole("x"), "value: 30.7\n") == "expected a whole number but got 30.7"
    assert message(Whole("x"), 'value: "30.7"\n') == "expected a whole number but got 30.7"
    assert read(Whole("x"), "value: 30.0\n")[0] == 30 and type(read(Whole("x"), "value: 30.0\n")[0]) is int
    assert read(Whole("x"), 'value: "12"\n')[0] == 12
    assert read(Whole("x"), "value: 1e3\n")[0] == 1000


def test_number_messages():
    assert message(Number("x"), "value: nan\n") == "expected a number but got a string ('nan')"
    assert message(Number("x"), "value: .nan\n") == "must be a finite number, got nan"
    assert message(Number("x"), "value: [1]\n") == "expected a number but got a list"
    assert message(Number("x", minimum=0.05, maximum=100), "value: 0\n") == "must be ≥ 0.05 and ≤ 100, got 0"
    assert message(Number("x", above=0), "value: 0\n") == "must be > 0, got 0"
    assert message(Number("x", above=0, maximum=1e15), "value: 1e16\n") == "must be > 0 and ≤ 1e+15, got 1e+16"
    assert message(Whole("x", minimum=1, maximum=4096), "value: 100000\n") == \
        "must be ≥ 1 and ≤ 4,096, got 100,000"


def test_range_errors_carry_the_field_hint():
    errors = []
    Reader(parse_yaml("value: 0\n", "content/x.yaml"), errors).read(
        Mapping("t", {"value": Number("x", above=0, hint="T divides the logits")}))
    assert str(errors[0]) == "content/x.yaml:1: field 'value': must be > 0, got 0 (hint: T divides the logits)"


# --- text, lists, mappings ------------------------------------------------------------------------

def test_text_messages():
    assert message(Text("x"), "value: 42\n") == "expected a non-empty string but got a whole number (42)"
    assert message(Text("x"), 'value: ""\n') == "expected a non-empty string but got a string ('')"
    assert message(Text("x", choices=("a", "b")), "value: c\n") == "unknown value 'c'"
    assert message(Boolean("x"), "value: 1\n") == "expected true or false but got a whole number (1)"


def test_list_messages():
    numbers = List("x", of=Number("n"))
    assert read(numbers, "value: [1, '2', 3e-1]\n")[0] == (1.0, 2.0, 0.3)
    assert message(numbers, "value: 1, 2\n") == "expected a non-empty list but got a string ('1, 2')"
    assert message(numbers, "value: []\n") == "expected a non-empty list but got an empty list"
    assert message(List("x", of=Number("n"), length=3), "value: [1, 2]\n") == "has 2 values but needs 3"
    assert message(List("x", of=Number("n"), max_items=2), "value: [1, 2, 3]\n") == "has 3 entries, more than 2"
    assert message(List("x", of=Whole("n"), unique=True), "value: [1, 1]\n") == "duplicate value '1'"
    assert read(numbers, "value: [1, .inf]\n")[1] == [("value[1]", 1, "must be a finite number, got inf")]
    assert read(List("x", of=Whole("n"), min_items=0), "value: []\n")[0] == ()


def test_mapping_reports_every_problem_in_one_pass_with_lines():
    field = Mapping("m", {"a": Number("a"), "b": Whole("b", default=7), "c": Text("c")})
    value, errors, warnings = read(field, "value:\n  a: x\n  d: 1\n")
    assert value == {"a": None, "b": 7, "c": None}
    assert errors == [("value.a", 2, "expected a number but got a string ('x')"),
                      ("value.c", 1, "is required but missing")]
    assert warnings == [("value.d", "unknown key, ignored")]


def test_an_optional_field_left_empty_takes_its_default():
    assert read(Whole("x", default=3), "value:\n")[0] == 3
    assert message(Whole("x"), "value:\n") == "expected a whole number but got nothing (null)"


def test_dict_and_variant():
    peaks = Dict("p", of=Number("n"), key_name="precision", keys=("fp32", "int8"))
    assert read(peaks, "value: {fp32: '1e9', bf16: 2}\n")[1] == [("value.bf16", 1, "unknown precision 'bf16'")]
    shape = Variant("v", tag="kind", variants={"a": Mapping("a", {"kind": Text("k"), "x": Number("x")}),
                                                "b": Mapping("b", {"kind": Text("k")})})
    assert read(shape, "value: {kind: a, x: 2}\n")[0] == {"kind": "a", "x": 2.0}
    assert read(shape, "value: {kind: b, x: 2}\n")[2] == [("value.x", "unknown key, ignored")]
    assert message(shape, "value: {kind: c}\n") == "unknown value 'c'"


# --- the real content, through the loaders --------------------------------------------------------

@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the fixture's content (tests test the generator, not the course's content)."""
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    return tmp_path / "content"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


# every file kind: one of its numbers written quoted, and one in the 1e-3 form YAML 1.1 reads as text
NUMBER_SPELLINGS = [
    ("examples.yaml", "[6.8, 5.7, 2.7, 1.6, 0.2]", '["6.8", 57e-1, 2.7, 1.6, 0.2]'),
    ("temperature.yaml", "minimum: 0.1", "minimum: 1e-1"),
    ("temperature.yaml", "points_per_decade: 10", 'points_per_decade: "10"'),
    ("labels.yaml", "soft_temperature: 2 ", 'soft_temperature: "2" '),
    ("training.yaml", "alpha_step: 0.05", "alpha_step: 5e-2"),
    ("training.yaml", "progress_points: 11 ", 'progress_points: "11" '),
    ("references.yaml", "year: 1998", 'year: "1998"'),
    ("sections/20-labels.md", "order: 20", 'order: "20"'),
    ("models/resnet18.yaml", "top1_percent: 69.758", 'top1_percent: "69.758"'),
    ("models/resnet18.yaml", "classifier: {num_classes: 1000}", "classifier: {num_classes: 1e3}"),
    ("devices/coral_edge_tpu.yaml", "bytes_per_bit: 0.125", 'bytes_per_bit: "125e-3"'),
    ("energy.yaml", "multiply: {value: 3.7,", 'multiply: {value: "3.7",'),
    ("energy.yaml", "    value: 640", "    value: 64e1"),
    ("reference_models.yaml", "params: 5288548", "params: 5.288548e6"),
    ("distillation_results.yaml", "baseline_percent: 70.13", 'baseline_percent: "70.13"'),
    ("hardware_page.yaml", "    latency_ms: 2.6\n", "    latency_ms: 26e-1\n"),
    ("lab.yaml", "  weight_decay: 0.0\n  input_noise", "  weight_decay: 0e0\n  input_noise"),
    ("lab.yaml", "test_fraction: 0.25", 'test_fraction: "0.25"'),
]


def _loaded(root: Path):
    c = load_content(root)
    return (c.site, c.examples, c.temperature, c.labels, c.training, c.references, c.sections, c.hardware.models,
            c.hardware.devices, c.hardware.energy, c.hardware_page, c.lab, c.warnings)


def test_quoted_numbers_and_1e_3_load_as_the_plain_number_in_every_file_kind(content):
    for name, old, new in NUMBER_SPELLINGS:
        edit(content / name, old, new)
    assert _loaded(content) == _loaded(FIXTURE_CONTENT)


def test_an_unknown_key_in_lab_yaml_is_the_same_warning_as_anywhere(content):
    edit(content / "lab.yaml", "  split_seed: 0", "  shuffle: true\n  split_seed: 0")
    warnings = []
    load_lab_config(content / "lab.yaml", "content/lab.yaml", warnings)
    assert [str(w) for w in warnings] == [
        f"content/lab.yaml:{line_of(content / 'lab.yaml', 'shuffle: true')}: field 'data.shuffle': unknown key, ignored "
        "(hint: known keys: split_seed, test_fraction)"]
    assert [(w.field, w.message) for w in load_content(content).warnings] == [("data.shuffle", "unknown key, ignored")]


def test_a_missing_lab_section_is_reported_like_any_missing_key(content):
    text = (content / "lab.yaml").read_text(encoding="utf-8")
    (content / "lab.yaml").write_text(text.split("soft_labels:")[0], encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_lab_config(content / "lab.yaml", "content/lab.yaml")
    assert (caught.value.field, caught.value.message) == ("soft_labels", "is required but missing")


def test_a_fixed_bias_rule_needs_a_shift(content):
    edit(content / "lab.yaml", "bias_rule: match_teacher_frequency", "bias_rule: fixed")
    with pytest.raises((ContentError, ContentErrors)) as caught:
        load_lab_config(content / "lab.yaml", "content/lab.yaml")
    assert (caught.value.field, caught.value.message) == ("omitted_class.bias_shift", "is required but missing")


# --- the generated reference ----------------------------------------------------------------------

def test_every_file_and_field_has_a_doc():
    for file, mapping in schema.FILES:
        for path, field in mapping.children(""):
            assert field.doc.strip(), f"{file}: {path} has no doc"


def test_docs_content_md_is_the_generated_reference():
    written = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    assert written == schema.reference_markdown() + "\n" + catalogue_markdown(), \
        "docs/content.md is out of date with kdsite/content/schema.py: run `kdsite schema > docs/content.md`"


def test_the_reference_shows_each_architecture_family_and_its_forms_as_the_counter_reads_them():
    from kdsite.content.models import parse_model
    from kdsite.science.architecture import expand_layers

    reference = schema.reference_markdown()
    for family, field in (("resnet", "stages"), ("inverted_residual", "block_columns")):
        block = reference.split(f"| `architecture (family: {family})` |")[1].split("(family:")[0]
        assert f"| `architecture.{field}` |" in block and f"one of `{family}`" in block
    assert "### The architecture forms" in reference
    # the ResNet example is ResNet-152: the counter gives torchvision's totals for it (FACTS §1-2)
    resnet = re.search(r"```yaml\n(architecture:\n  family: resnet\n.*?)```", schema.MODEL_FORMS, re.S).group(1)
    header = "display_name: X\ntop1_percent: 50\nsource: s\ninput: {channels: 3, height: 224, width: 224}\n"
    table = expand_layers(parse_model(parse_yaml(header + resnet, "content/models/x.yaml"), "x"))
    assert (table.total_params, table.total_macs) == (60_192_808, 11_513_626_624)
    # the errors it quotes for what the counter cannot express are the build's own
    small = (ROOT / "content/models/mobilenet_v3_small.yaml").read_text(encoding="utf-8")
    for old, new in (("family: inverted_residual", "family: vgg"), ("hardswish, 2]", "gelu, 2]")):
        with pytest.raises(ContentError) as caught:
            parse_model(parse_yaml(small.replace(old, new, 1), "content/models/x.yaml"), "x")
        said = str(caught.value).split(": ", 1)[1]
        assert any(said.startswith(quoted) for quoted in re.findall(r"`(field '[^`]+)`", " ".join(
            schema.MODEL_FORMS.split()))), said


def test_text_longer_than_the_limit_is_an_error_and_the_message_stays_one_short_line(tmp_path):
    from kdsite.content.fields import MAX_TEXT_CHARACTERS
    from kdsite.content.yamlload import parse_yaml
    from kdsite.errors import ContentError

    located = parse_yaml(f"name: {'p' * (MAX_TEXT_CHARACTERS + 1)}\n", "content/x.yaml")
    errors, warnings = [], []
    Reader(located, errors, warnings).read(Mapping("x", {"name": Text("A name.")}))
    assert [e.message for e in errors] == [f"text is {MAX_TEXT_CHARACTERS + 1:,} characters long, more than "
                                           f"{MAX_TEXT_CHARACTERS:,}"]
    line = str(ContentError("content/x.yaml", 2, "name", "bad \x00\x1b[31m\nvalue " + "v" * 5000, "h"))
    assert "\n" not in line and "\x00" not in line and "\x1b" not in line and "\\u0000" in line
    assert len(line) < 800
