"""The bad-content corpus: every case in tests/bad_content/ breaks a copy of the fixture's content and
runs `kdsite build` on it as a student would: in-process (`kdsite.cli.main`, with the project as
the working folder and stdout/stderr captured), and a few cases also in a subprocess, where the
process boundary (exit status, nothing printed but the lines) is the point.

Cases are written against the frozen fixture project (tests/fixture/content), never the shipped
content, so an instructor's edit to content/ cannot turn a case red; its lab is tiny, so a case
whose build goes on to the lab trains it in a second (into the test cache).

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
  fragment. ``warnings`` instead lists warnings of a build that succeeds, or beside ``errors`` the
  warnings a failed build prints with them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kdsite.cli import main
from tests.helpers import copy_project, subprocess_env, tree_bytes

CORPUS = Path(__file__).parent / "bad_content"
CASES = sorted(CORPUS.glob("*.yaml"))
PROBLEM = re.compile(r"^(?P<kind>error|warning): (?P<file>[^:\s]+)(?::(?P<line>\d+))?: "
                     r"(?:field '(?P<field>[^']*)': )?(?P<message>.+?) \(hint: (?P<hint>.+)\)$")


# Run again in a subprocess: the first error case and the first warning case.
SUBPROCESS_CASES = [next(path for path in CASES if "errors" in yaml.safe_load(path.read_text(encoding="utf-8"))),
                    next(path for path in CASES if "errors" not in yaml.safe_load(path.read_text(encoding="utf-8")))]


@pytest.fixture(scope="module")
def previous_output(site_dir) -> Path:
    """A good site (the session's fixture build): each case starts from a copy of it."""
    return site_dir


def prepare(case: dict, tmp_path: Path, previous_output: Path) -> tuple[Path, Path, dict]:
    """The broken project, the output folder (a copy of a good site) and that folder's bytes."""
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    shutil.copytree(previous_output, out)
    before = tree_bytes(out)
    for edit in case["edit"]:
        apply(project, edit)
    return project, out, before


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
    """One reported line per expected problem, naming its file, line, field, message (and hint, when given)."""
    assert len(got) == len(expected), f"expected {len(expected)} problem(s), got:\n{stream}"
    for problem in expected:
        line = expected_line(project, problem)
        matches = [g for g in got if g["file"] == problem["file"]
                   and g["line"] == (None if line is None else str(line))
                   and (g["field"] or "") == problem.get("field", "")
                   and problem["message"] in g["message"] and problem.get("hint", "") in g["hint"]]
        assert matches, f"no line for {problem['file']}:{line} field {problem.get('field', '')!r} " \
                        f"containing {problem['message']!r} in:\n{stream}"


def test_corpus_is_large_enough():
    assert len(CASES) >= 25


def check_outcome(case: dict, project: Path, out: Path, before: dict, tmp_path: Path,
                  code: int, stdout: str, stderr: str) -> None:
    assert "Traceback" not in stderr + stdout
    assert "internal error" not in stderr
    if "errors" not in case:  # a warning alone does not stop the build
        assert code == 0, stderr
        assert_reports(project, reported(stdout, "warning"), case["warnings"], stdout)
        assert (out / "index.html").is_file()
    else:
        assert code == 1, stdout + stderr
        assert_reports(project, reported(stderr, "error"), case["errors"], stderr)
        # a failed build still prints its warnings: a misspelled key is often why one is "missing"
        assert_reports(project, reported(stderr, "warning"), case.get("warnings", []), stderr)
        assert tree_bytes(out) == before, "the previous output was changed"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["project", "site"], "staging folder left"


@pytest.mark.parametrize("case_file", CASES, ids=[path.stem for path in CASES])
def test_bad_content_is_reported_and_nothing_is_written(case_file, tmp_path, previous_output, monkeypatch, capsys):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    project, out, before = prepare(case, tmp_path, previous_output)
    monkeypatch.chdir(project)
    code = main(["build", "--out", str(out), *case.get("args", [])])
    captured = capsys.readouterr()
    check_outcome(case, project, out, before, tmp_path, code, captured.out, captured.err)


@pytest.mark.parametrize("case_file", SUBPROCESS_CASES, ids=[path.stem for path in SUBPROCESS_CASES])
def test_bad_content_in_a_subprocess(case_file, tmp_path, previous_output):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    project, out, before = prepare(case, tmp_path, previous_output)
    result = subprocess.run([sys.executable, "-m", "kdsite", "build", "--out", str(out), *case.get("args", [])],
                            cwd=project, capture_output=True, text=True, env=subprocess_env(), timeout=120)
    check_outcome(case, project, out, before, tmp_path, result.returncode, result.stdout, result.stderr)
