"""content/instructor-notes.md becomes instructor-notes.html: linked from the footer, in the zip, never
in the single file, checked and sanitized like a section, and absent when the file is."""

from __future__ import annotations

import zipfile

import pytest

from kdsite.errors import ContentErrors
from tests.helpers import PROJECT, build, copy_project

LINK = '<a href="instructor-notes.html">'


def test_the_notes_page_is_built_linked_and_runs_no_script(site_dir):
    notes = (site_dir / "instructor-notes.html").read_text(encoding="utf-8")
    assert LINK in (site_dir / "index.html").read_text(encoding="utf-8")
    assert "script-src 'none'" in notes and "<script" not in notes
    assert '<a class="cite" href="index.html#ref-hinton2015"' in notes  # citations point into the page
    assert "<em>softer</em>" in notes and '<a href="index.html">' in notes


def test_zip_holds_the_notes_and_the_single_file_has_no_link_to_them(tmp_path):
    build(PROJECT, tmp_path / "site", zip=True)
    with zipfile.ZipFile(tmp_path / "site.zip") as bundle:
        assert "kd-explainer/instructor-notes.html" in bundle.namelist()
    build(PROJECT, tmp_path / "single", single_file=True)
    assert [p.name for p in (tmp_path / "single").iterdir() if not p.name.startswith(".")] == ["index.html"]
    assert "instructor-notes" not in (tmp_path / "single" / "index.html").read_text(encoding="utf-8")


def test_without_the_file_there_is_no_page_and_no_link(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "content" / "instructor-notes.md").unlink()
    build(project, tmp_path / "site")
    assert not (tmp_path / "site" / "instructor-notes.html").exists()
    assert LINK not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "[x](javascript:alert(1))", "[@no_such_source]"])
def test_hostile_notes_are_a_one_line_error_naming_the_file_and_line(tmp_path, hostile):
    project = copy_project(tmp_path / "project")
    notes = project / "content" / "instructor-notes.md"
    notes.write_text(notes.read_text(encoding="utf-8") + f"\n{hostile}\n", encoding="utf-8")
    line = notes.read_text(encoding="utf-8").splitlines().index(hostile) + 1
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "site")
    assert [(e.file, e.line) for e in caught.value.errors] == [("content/instructor-notes.md", line)], \
        [str(e) for e in caught.value.errors]
    assert not (tmp_path / "site").exists()
