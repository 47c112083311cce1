"""Content loading: valid content loads; each mistake names file, line and field."""

from pathlib import Path

import pytest

from kdsite.content.load import load_content
from kdsite.errors import ContentError, ContentErrors
from tests.helpers import ROOT, copy_project, edit, line_of


def errors_for(project: Path) -> list[ContentError]:
    with pytest.raises(ContentErrors) as caught:
        load_content(project / "content")
    return caught.value.errors


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def test_the_real_content_loads():
    content = load_content(ROOT / "content")
    assert content.sections and content.examples.classes
    assert content.warnings == ()


def test_the_fixture_content_loads(content):
    assert content.examples.classes[0] == "cat"
    assert any(section.id == "temperature" for section in content.sections)
    assert content.warnings == ()


def test_negative_temperature_names_file_line_and_field(project):
    edit(project / "content/temperature.yaml", "minimum: 0.1", "minimum: -0.1")
    [error] = errors_for(project)
    assert str(error) == ("content/temperature.yaml:2: field 'minimum': must be ≥ 0.05 and ≤ 100, got -0.1 "
                          "(hint: temperatures are 0.05 to 100: they divide the logits, and outside this range "
                          "softmax saturates or T² overflows)")


def test_logits_of_wrong_length(project):
    edit(project / "content/examples.yaml", "[6.8, 5.7, 2.7, 1.6, 0.2]", "[6.8, 5.7, 2.7]")
    [error] = errors_for(project)
    assert (error.file, error.field) == ("content/examples.yaml", "examples[0].logits")
    assert error.line == line_of(project / "content/examples.yaml", "[6.8, 5.7, 2.7]")
    assert "has 3 values but needs 5" in error.message


def test_wrong_type_reports_what_it_got(project):
    edit(project / "content/site.yaml", "unit: Model Reduction", "unit: 42")
    [error] = errors_for(project)
    assert str(error) == ("content/site.yaml:5: field 'unit': expected a non-empty string but got a whole number "
                          "(42) (hint: write text, in quotes if it looks like a number or starts with a sign such as "
                          "[ { * & !)")


def test_malformed_yaml_gives_the_parser_line(project):
    edit(project / "content/temperature.yaml", "points_per_decade: 10", "points_per_decade: [10")
    [error] = errors_for(project)
    assert error.file == "content/temperature.yaml" and error.line is not None
    assert "malformed YAML" in error.message


def test_all_problems_are_reported_not_only_the_first(project):
    edit(project / "content/temperature.yaml", "points_per_decade: 10", "points_per_decade: 0")
    edit(project / "content/site.yaml", "title: Knowledge Distillation", "title: ''")
    fields = {(e.file, e.field) for e in errors_for(project)}
    assert fields == {("content/temperature.yaml", "points_per_decade"), ("content/site.yaml", "title")}


def test_missing_required_field(project):
    edit(project / "content/temperature.yaml", "default: 1\n", "")
    [error] = errors_for(project)
    assert (error.field, error.message) == ("default", "is required but missing")


def test_unknown_example_reference(project):
    edit(project / "content/temperature.yaml", "example: cat", "example: zebra")
    [error] = errors_for(project)
    assert error.field == "example" and "zebra" in error.message and error.line == 6


def test_unknown_key_is_a_warning(project):
    edit(project / "content/site.yaml", "unit: Model Reduction", "unit: Model Reduction\ncolour: blue")
    content = load_content(project / "content")
    [warning] = content.warnings
    assert (warning.field, warning.line) == ("colour", 6)


def test_section_without_front_matter(project):
    (project / "content/sections/99-extra.md").write_text("# no front matter\n")
    [error] = errors_for(project)
    assert (error.file, error.line) == ("content/sections/99-extra.md", 1)


def test_duplicate_section_id(project):
    source = (project / "content/sections/30-temperature.md").read_text()
    (project / "content/sections/31-copy.md").write_text(source)
    [error] = errors_for(project)
    assert (error.file, error.line, error.field) == ("content/sections/31-copy.md", 2, "id")


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings_read_as_the_same_content(project, ending):
    """A section saved on Windows (CRLF) was refused as 'missing YAML front matter'."""
    plain = load_content(project / "content")
    for path in (project / "content").rglob("*"):
        if path.suffix in (".md", ".yaml"):
            path.write_bytes(path.read_bytes().replace(b"\n", ending.encode()))
    converted = load_content(project / "content")
    assert [(s.id, s.body, s.body_first_line) for s in converted.sections] == \
           [(s.id, s.body, s.body_first_line) for s in plain.sections]
    assert converted.examples == plain.examples and converted.glossary == plain.glossary


def test_hidden_files_and_editor_leftovers_are_not_content(project):
    """A draft kept as '.draft.md' reached the page, a '.x.yaml' became a second device, and an
    Emacs lock link ('.#x.md', dangling while a file has unsaved edits) broke every build."""
    sections, devices = project / "content/sections", project / "content/devices"
    plain = load_content(project / "content")
    (sections / ".draft.md").write_text("---\nid: draft\ntitle: Draft\norder: 99\n---\nNot yet.\n")
    (sections / ".#30-temperature.md").symlink_to(sections / "no-such-file")
    (sections / "30-temperature.md~").write_text("an editor's backup")
    (devices / ".copy.yaml").write_text((devices / "jetson_nano.yaml").read_text())
    content = load_content(project / "content")
    assert [s.id for s in content.sections] == [s.id for s in plain.sections]
    assert sorted(content.hardware.devices) == sorted(plain.hardware.devices)
    assert content.warnings == ()


def test_a_file_with_a_near_miss_extension_is_not_read_and_says_so(project):
    devices = project / "content/devices"
    (devices / "new.yml").write_text((devices / "jetson_nano.yaml").read_text())
    (project / "content/sections/95-notes.markdown").write_text("---\nid: notes\ntitle: N\norder: 95\n---\nx\n")
    content = load_content(project / "content")
    assert "new" not in content.hardware.devices and "notes" not in [s.id for s in content.sections]
    assert sorted((w.file, w.message.split(":")[0], w.hint) for w in content.warnings) == [
        ("content/devices/new.yml", "not read", "rename it to new.yaml"),
        ("content/sections/95-notes.markdown", "not read", "rename it to 95-notes.md")]


def test_a_device_file_name_that_cannot_be_a_key_is_an_error(project):
    """A copy saved as 'Jetson Nano 2.yaml' put spaces in settings links (its name is its key)."""
    devices = project / "content/devices"
    (devices / "Jetson Nano 2.yaml").write_text((devices / "jetson_nano.yaml").read_text())
    [error] = errors_for(project)
    assert (error.file, error.line, error.field) == ("content/devices/Jetson Nano 2.yaml", None, "")
    assert error.message == "'Jetson Nano 2.yaml' is not a usable file name, since its name is the key links " \
                            "and other files use"
    assert error.hint.endswith("e.g. jetson_nano_2.yaml")


def test_non_utf8_file(project):
    (project / "content/site.yaml").write_bytes(b"title: caf\xe9\n")
    [error] = errors_for(project)
    assert error.file == "content/site.yaml" and "UTF-8" in error.message


def test_a_temperature_grid_with_one_off_the_middle_names_the_mirror_point(project):
    edit(project / "content/temperature.yaml", "maximum: 10 ", "maximum: 6.3 ")
    [error] = errors_for(project)
    assert str(error) == ("content/temperature.yaml:3: field 'maximum': must be 10, as many grid points above 1 as "
                          "minimum (0.1) is below it, got 6.3 (hint: so that T = 1 is the middle of the slider's "
                          "track)")


def test_a_training_default_between_grid_points_names_its_neighbours(project):
    edit(project / "content/training.yaml", "temperature_default: 4", "temperature_default: 5")
    [error] = errors_for(project)
    assert str(error) == ("content/training.yaml:7: field 'temperature_default': must be a grid point from 0.1 to 10 "
                          "at 5 points a decade, got 5 (hint: the nearest grid points are 4 and 6.3)")
