"""The figure catalogue (kdsite/figures/catalogue.py) stays in step with the registry and the content."""

from __future__ import annotations

import subprocess
import sys

from kdsite.figures import FIGURES
from kdsite.figures.catalogue import CATALOGUE
from tests.helpers import FIXTURE, subprocess_env


def test_every_registered_figure_is_catalogued_and_nothing_else():
    assert list(CATALOGUE) == list(FIGURES)


def test_every_file_a_figure_reads_exists_in_a_project():
    for name, entry in CATALOGUE.items():
        for path in entry.reads:
            assert list(FIXTURE.glob(path)), (name, path)
        assert entry.shows.endswith(".") and len(entry.shows) < 200, name


def test_kdsite_list_figures_prints_every_figure_needing_no_project(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kdsite", "list", "figures"], cwd=tmp_path,
                            env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == ""
    placed = [line for line in result.stdout.splitlines() if line.startswith("[[figure: ")]
    assert placed == [f"[[figure: {name}]]" for name in FIGURES]
    assert "    reads: content/lab.yaml" in result.stdout.splitlines()
