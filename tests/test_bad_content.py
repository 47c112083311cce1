"""The bad-content corpus: every case in tests/bad_content/ breaks a copy of the real content and
runs `kdsite build` on it as a student would, in a subprocess.

Each case must fail cleanly: exit code 1, one stderr line per problem of the form
``error: FILE:LINE: field 'PATH': MESSAGE (hint: HINT)`` (``error: FILE: ...`` when the format
has no line), no traceback, the previous output left byte-for-byte as it was, and no staging
folder left behind. A case file says (see tests/bad_content/README.md):

- ``edit``: changes to the copied project, each on one ``file``: ``replace`` + ``with`` (the text
  must occur once), ``write`` (new contents; ``encoding: latin-1`` for raw bytes), ``delete``,
  or ``empty`` (remove everything inside a folder);
- ``args``: extra build options such as ``--strict``;
- ``errors``: the expected problems, each with ``file``, ``line`` (a number, null for none, or
  ``line_of: TEXT``, the line of the edited file holding TEXT), ``field`` and a ``message``
  fragment. ``warnings`` instead lists warnings of a build that succeeds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import CACHE, ROOT, build, copy_project, tree_bytes

CORPUS = Path(__file__).parent / "bad_content"
CASES = sorted(CORPUS.glob("*.yaml"))
PROBLEM = re.compile(r"^(?P<kind>error|warning): (?P<file>[^:\s]+)(?::(?P<line>\d+))?: "
                     r"(?:field '(?P<field>[^']*)': )?(?P<message>.+?) \(hint: (?P<hint>.+)\)$")


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory) -> Path:
    """A site built once from the good content: each case starts from a copy of it."""
    base = tmp_path_factory.mktemp("good")
    out = base / "site"
    build(copy_project(base / "project"), out)
    return out


def apply(project: Path, edit: dict) -> None:
    """Apply one declarative edit from a case file to the copied project."""
    path = project / edit["file"]
    if "replace" in edit:
        text = path.read_text(encoding="utf-8")
        assert text.count(edit["replace"]) == 1, f"{edit['replace']!r} must occur once in {edit['file']}"
        path.write_text(text.replace(edit["replace"], edit["with"]), encoding="utf-8")
    elif "write" in edit:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(edit["write"].encode(edit.get("encoding", "utf-8")))
    elif edit.get("delete"):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    elif edit.get("empty"):
        shutil.rmtree(path)
        path.mkdir()
    else:
        raise AssertionError(f"unknown edit {edit}")


def expected_line(project: Path, problem: dict) -> int | None:
    """The line a problem should name: given, or the line of the edited file holding `line_of`."""
    if "line_of" not in problem:
        return problem["line"]
    needle = problem["line_of"].encode("utf-8")
    lines = (project / problem["file"]).read_bytes().split(b"\n")
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def reported(stream: str, kind: str) -> list[dict]:
    """Every `kind:` line of a CLI stream, parsed; a line that does not fit the format fails."""
    problems = []
    for line in stream.splitlines():
        if line.startswith(f"{kind}:"):
            match = PROBLEM.match(line)
            assert match, f"not of the form '{kind}: FILE:LINE: field ...: MESSAGE (hint: HINT)': {line}"
            problems.append(match.groupdict())
    return problems


def assert_reports(project: Path, got: list[dict], expected: list[dict], stream: str) -> None:
    """One reported line per expected problem, naming its file, line, field and message."""
    assert len(got) == len(expected), f"expected {len(expected)} problem(s), got:\n{stream}"
    for problem in expected:
        line = expected_line(project, problem)
        matches = [g for g in got if g["file"] == problem["file"]
                   and g["line"] == (None if line is None else str(line))
                   and (g["field"] or "") == problem.get("field", "")
                   and problem["message"] in g["message"]]
        assert matches, f"no line for {problem['file']}:{line} field {problem.get('field', '')!r} " \
                        f"containing {problem['message']!r} in:\n{stream}"


def test_corpus_is_large_enough():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case_file", CASES, ids=[path.stem for path in CASES])
def test_bad_content_is_reported_and_nothing_is_written(case_file, tmp_path, previous_output):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    shutil.copytree(previous_output, out)
    before = tree_bytes(out)
    for edit in case["edit"]:
        apply(project, edit)
    env = dict(os.environ, PYTHONPATH=str(ROOT), KDSITE_CACHE=str(CACHE))
    result = subprocess.run([sys.executable, "-m", "kdsite", "build", "--out", str(out), *case.get("args", [])],
                            cwd=project, capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    if "warnings" in case:  # a warning alone does not stop the build
        assert result.returncode == 0, result.stderr
        assert_reports(project, reported(result.stdout, "warning"), case["warnings"], result.stdout)
        assert (out / "index.html").is_file()
    else:
        assert result.returncode == 1, result.stdout + result.stderr
        assert_reports(project, reported(result.stderr, "error"), case["errors"], result.stderr)
        assert tree_bytes(out) == before, "the previous output was changed"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["project", "site"], "staging folder left"
