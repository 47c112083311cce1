"""Key ideas first (kdsite/build/checks.check_key_ideas_first): a section's key insight on its
first screen, before any figure and after at most KEY_IDEA_WORDS words of prose."""

from __future__ import annotations

import pytest

from kdsite.build.checks import KEY_IDEA_WORDS
from kdsite.errors import ContentErrors
from tests.helpers import build, copy_project, line_of

INSIGHT = '!!! insight "Key insight"\n    The idea.\n'


def warnings_for(tmp_path, body: str) -> list[str]:
    project = copy_project(tmp_path / "project")
    hardware = project / "content/sections/50-hardware.md"  # a figure is placed once: move it here
    hardware.write_text(hardware.read_text().replace("[[figure: kd-training-cost]]", ""))
    (project / "content/sections/45-extra.md").write_text(f"---\nid: extra\ntitle: Extra\norder: 45\n---\n{body}")
    lines: list[str] = []
    build(project, tmp_path / "site", lines)
    return [line for line in lines if "45-extra.md" in line]


def test_an_insight_after_the_opening_is_fine(tmp_path):
    assert warnings_for(tmp_path, "Two sentences of opening.\n\n" + INSIGHT + "\n[[figure: kd-training-cost]]\n") == []


def test_an_insight_after_a_figure_is_a_warning_with_its_line(tmp_path):
    [warning] = warnings_for(tmp_path, "Opening.\n\n[[figure: kd-training-cost]]\n\n" + INSIGHT)
    assert warning == ("warning: content/sections/45-extra.md:10: the key insight comes after a figure, below "
                       f"the section's first screen (hint: move it up, after an opening of at most "
                       f"{KEY_IDEA_WORDS} words)")


def test_an_insight_after_too_many_words_is_a_warning(tmp_path):
    [warning] = warnings_for(tmp_path, "word " * (KEY_IDEA_WORDS + 1) + "\n\n" + INSIGHT)
    assert f"after {KEY_IDEA_WORDS + 1} words" in warning


def test_a_section_without_an_insight_is_not_checked(tmp_path):
    assert warnings_for(tmp_path, "word " * 500 + "\n\n[[figure: kd-training-cost]]\n") == []


def test_strict_makes_it_an_error(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "content/sections/30-temperature.md"
    text = path.read_text()
    start = text.index('!!! insight "Key insight"')
    end = text.index("\n\n", start)
    path.write_text(text[:start] + text[end + 2:] + "\n" + text[start:end] + "\n")
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "site", strict=True)
    assert [(e.file, e.line) for e in caught.value.errors] == [
        ("content/sections/30-temperature.md", line_of(path, '!!! insight "Key insight"'))]
