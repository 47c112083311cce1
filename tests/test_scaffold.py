"""Scaffolds (kdsite/content/scaffold.py): `kdsite new section NAME [--after ID]`, `kdsite new device NAME`."""

from __future__ import annotations

import re

import pytest

from kdsite.cli import main
from kdsite.content.load import load_content
from kdsite.errors import ContentErrors
from tests.helpers import build, copy_project


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "project")
    monkeypatch.chdir(root)
    return root


def test_a_new_section_goes_after_the_one_named_and_its_placeholders_are_todos(project, tmp_path, capsys):
    """The scaffold's placeholder text once shipped without a word; each line of it is a TODO, which
    a build warns about (an error under --strict) until the author replaces it."""
    assert main(["new", "section", "Deploying students", "--after", "hardware"]) == 0
    path = project / "content/sections/55-deploying-students.md"
    assert capsys.readouterr().out.startswith("kdsite: wrote content/sections/55-deploying-students.md: ")
    ids = [section.id for section in load_content(project / "content").sections]
    assert ids[ids.index("hardware") + 1] == "deploying-students"
    lines: list[str] = []
    build(project, tmp_path / "site", lines)
    todos = [n for n, line in enumerate(path.read_text().splitlines(), 1) if "TODO" in line]
    assert len(todos) == 6 and [line for line in lines if "TODO" in line] == [
        f"warning: content/sections/55-deploying-students.md:{n}: a TODO is left in the text (hint: replace it "
        "before publishing)" for n in todos]
    path.write_text(path.read_text().replace("TODO: ", ""))
    build(project, tmp_path / "site", lines, strict=True)
    page = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert '<section id="deploying-students"' in page and "Predict first:" in page
    assert 'id="deploying-students-title"' in page and path.read_text().startswith("---\nid: deploying-students\n")


def test_without_after_it_goes_last(project):
    assert main(["new", "section", "Epilogue"]) == 0
    last = max(section.order for section in load_content(project / "content").sections if section.id != "epilogue")
    assert (project / f"content/sections/{last + 10}-epilogue.md").is_file()


@pytest.mark.parametrize("argv, message", [
    (["new", "section", "Temperature"], "error: content/sections/30-temperature.md: field 'id': a section with "
                                         "id 'temperature' already exists (hint: choose another name)"),
    (["new", "section", "X", "--after", "nope"], "error: content/sections: no section with id 'nope' (hint: "
                                                 "sections: "),
    (["new", "section", "42"], "error: content: '42' gives no usable id"),
    (["new", "device", "Pi", "--after", "why"], "error: content/devices: --after places sections, not devices"),
])
def test_mistakes_are_one_line_and_write_nothing(project, capsys, argv, message):
    before = sorted(p.name for p in (project / "content").rglob("*"))
    assert main(argv) == 1
    assert capsys.readouterr().err.startswith(message)
    assert sorted(p.name for p in (project / "content").rglob("*")) == before


def test_no_free_order_between_two_sections_is_an_error(project, capsys):
    path = project / "content/sections/40-training.md"
    path.write_text(path.read_text().replace("order: 40", "order: 31", 1))
    assert main(["new", "section", "Between", "--after", "temperature"]) == 1
    assert "no free order between 30 and 31" in capsys.readouterr().err


def test_a_new_device_is_a_template_whose_todos_the_build_names_one_by_one(project, tmp_path, capsys):
    assert main(["new", "device", "Raspberry Pi 5"]) == 0
    path = project / "content/devices/raspberry_pi_5.yaml"
    assert "kind: derived" in path.read_text() and "#   kind: cited" in path.read_text()
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "site")
    problems = {(e.file, e.field) for e in caught.value.errors}
    assert problems == {("content/devices/raspberry_pi_5.yaml", field) for field in (
        "peak_ops_per_s.fp32.factors.cores", "peak_ops_per_s.fp32.factors.clock_hz",
        "peak_ops_per_s.fp32.factors.flop_per_cycle_per_core", "dram_bandwidth_bytes_per_s.value",
        "on_chip_memory_bytes.value")}
    assert all(re.search("TODO", path.read_text().splitlines()[e.line - 1]) for e in caught.value.errors)
    assert main(["new", "device", "Raspberry Pi 5"]) == 1  # never overwrites


def test_a_todo_left_in_the_text_is_a_warning_with_its_line(project, tmp_path):
    assert main(["new", "device", "Raspberry Pi 5"]) == 0
    path = project / "content/devices/raspberry_pi_5.yaml"
    text = path.read_text()
    for field, value in (("cores", "4"), ("clock_hz", "2.4e9"), ("flop_per_cycle_per_core", "8")):
        text = text.replace(f"{field}: TODO", f"{field}: {value}")
    path.write_text(text.replace("value: TODO", "value: 1e9"))  # numbers in; the source texts still say TODO
    lines: list[str] = []
    build(project, tmp_path / "site", lines)
    todo_lines = [n for n, line in enumerate(path.read_text().splitlines(), 1)
                  if "TODO" in line.split("#", 1)[0]]
    assert todo_lines and [line for line in lines if "TODO" in line] == [
        f"warning: content/devices/raspberry_pi_5.yaml:{n}: a TODO is left in the text (hint: replace it before "
        "publishing)" for n in todo_lines]
