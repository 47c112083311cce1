"""`kdsite new figure NAME` (kdsite/build/figure_scaffold.py): in a copy of the repository, the new
figure builds under --strict, renders, and its browser test passes as written, while the layout,
catalogue, page-protocol and generated-docs tests stay green; every mistake writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kdsite.cli import main
from tests.helpers import CACHE, CHILD_PYTEST, FIXTURE_CONTENT, ROOT, copy_project, tree_bytes

WRITTEN = ["kdsite/science/demo.py", "kdsite/charts/demo.py", "kdsite/figures/demo.py", "templates/figures/demo.html",
           "tests/browser/test_demo.py"]
REGISTERED = ["kdsite/figures/__init__.py", "kdsite/figures/catalogue.py", "docs/architecture.md", "docs/content.md"]


def copy_repository(destination: Path) -> Path:
    """The code, templates, tests and docs of this checkout, with the fixture's content as content/."""
    skip = shutil.ignore_patterns("__pycache__")
    for folder in ("kdsite", "templates", "tests", "docs"):
        shutil.copytree(ROOT / folder, destination / folder, ignore=skip)
    shutil.copyfile(ROOT / "pyproject.toml", destination / "pyproject.toml")
    shutil.copytree(FIXTURE_CONTENT, destination / "content")
    return destination


def run(project: Path, *argv: str) -> subprocess.CompletedProcess:
    """A child Python running `argv` in `project` with the project's own code first on the path."""
    env = {key: value for key, value in os.environ.items()  # a run of its own, outside the parent's xdist seed
           if not key.startswith("PYTEST_") and key != "KDSITE_TEST_SEED"}
    env.update(PYTHONPATH=str(project), KDSITE_CACHE=str(CACHE), KDSITE_TEST_CACHE=str(CACHE))
    return subprocess.run([sys.executable, *argv], cwd=project, env=env, capture_output=True, text=True, timeout=600)


# The session build first: the child processes share its cache, so they recompute only the new figure.
@pytest.mark.usefixtures("built_site")
def test_a_new_figure_builds_strict_renders_and_passes_its_own_test(tmp_path, monkeypatch, capsys):
    project = copy_repository(tmp_path / "repo")
    made = run(project, "-m", "kdsite", "new", "figure", "demo")
    assert made.returncode == 0 and made.stderr == "", made.stderr
    lines = made.stdout.splitlines()
    assert lines[:9] == [f"kdsite: wrote {path}" for path in WRITTEN] + \
        [f"kdsite: registered it in {path}" for path in REGISTERED]
    assert "place [[figure: demo]]" in made.stdout and "tests/browser/test_demo.py" in lines[-4]
    # Its own test builds the fixture with the figure placed, under --strict (a warning fails it), and
    # drives the page: that build is the end-to-end check (a separate `kdsite build --strict` child
    # here repeated it, at about 3 s of the suite's time).
    assert 'build(project, project.parent / "site", strict=True)' in (project / WRITTEN[-1]).read_text()
    listed = run(project, "-m", "kdsite", "list", "figures")
    assert listed.stdout.splitlines()[-3::2] == ["[[figure: demo]]", "    reads: nothing"]

    tested = run(project, *CHILD_PYTEST, "-v", "tests/browser/test_demo.py",
                 "tests/test_layout.py", "tests/test_catalogue.py", "tests/test_page_protocol.py",
                 "tests/test_schema.py::test_docs_content_md_is_the_generated_reference")
    assert tested.returncode == 0, tested.stdout[-3000:]
    assert "tests/browser/test_demo.py::test_the_slider_shows_what_numpy_computes[file] PASSED" in tested.stdout

    # Asked again (in this process: `new figure` reads the registry's text, not the imported package)
    monkeypatch.chdir(project)
    assert main(["new", "figure", "demo"]) == 1
    assert capsys.readouterr().err == ("error: kdsite/figures/__init__.py: a figure named 'demo' is already "
                                       "registered (hint: choose another name)\n")


@pytest.fixture
def repository(tmp_path, monkeypatch):
    root = copy_repository(tmp_path / "repo")
    monkeypatch.chdir(root)
    return root


NAME_HINT = ("(hint: lowercase letters, digits and single hyphens, starting with a letter, at most 40 characters, "
             "not a Python word: e.g. 'demo' or 'loss-landscape')")


@pytest.mark.parametrize("argv, message", [
    *[(["new", "figure", name], f"error: kdsite/figures: '{name}' is not a usable figure name {NAME_HINT}")
      for name in ("Demo", "2d-plot", "demo_plot", "a--b", "demo-", "class", "list", "x" * 41)],
    (["new", "figure", "temperature"], "error: kdsite/charts/temperature.py: this file already exists (hint: choose "
                                       "another figure name, or edit the file)"),
    (["new", "figure", "demo", "--after", "why"], "error: kdsite/figures: --after places sections, not figures"),
])
def test_mistakes_are_one_line_and_write_nothing(repository, capsys, argv, message):
    before = tree_bytes(repository)
    assert main(argv) == 1
    assert capsys.readouterr().err == message + "\n"
    assert tree_bytes(repository) == before


def test_a_registered_name_is_refused(repository, capsys):
    before = tree_bytes(repository)
    assert main(["new", "figure", "self-check"]) == 1
    assert capsys.readouterr().err == ("error: kdsite/figures/__init__.py: a figure named 'self-check' is already "
                                       "registered (hint: choose another name)\n")
    assert tree_bytes(repository) == before


def test_a_registry_it_cannot_place_the_figure_in_writes_nothing(repository, capsys):
    catalogue = repository / "kdsite/figures/catalogue.py"
    catalogue.write_text(catalogue.read_text().replace("CATALOGUE: dict[str, Entry] = {", "FIGURE_NOTES = {"))
    before = tree_bytes(repository)
    assert main(["new", "figure", "demo"]) == 1
    assert capsys.readouterr().err == (
        "error: kdsite/figures/catalogue.py: cannot find the end of the dict 'CATALOGUE:' (hint: register the "
        "figure by hand (docs/architecture.md, 'Adding a figure'))\n")
    assert tree_bytes(repository) == before


def test_a_project_without_kdsite_code_is_told_where_figures_go(tmp_path, monkeypatch, capsys):
    project = copy_project(tmp_path / "project")  # content/ and templates/ only: an installed kdsite's project
    monkeypatch.chdir(project)
    before = tree_bytes(project)
    assert main(["new", "figure", "demo"]) == 1
    assert capsys.readouterr().err.startswith("error: kdsite/figures/__init__.py: this project has no kdsite package "
                                              "to add a figure to (hint: a figure is code: run this at the root of "
                                              "a kdsite checkout")
    assert tree_bytes(project) == before and not os.path.exists(project / "kdsite")
