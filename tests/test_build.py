"""Whole builds: output layout, determinism, atomic replacement and the CLI's error reporting."""

import re
import subprocess
import sys

import jinja2
import pytest

from kdsite.build.output import MARKER, OutputError
from tests.helpers import PROJECT, ROOT, build, copy_project, subprocess_env, tree_bytes


@pytest.fixture(scope="module")
def site(built_site):
    return built_site


def test_layout(site):
    out, _ = site
    names = set(tree_bytes(out))
    assert {"index.html", ".nojekyll", MARKER} <= names
    assets = sorted(n for n in names if n.startswith("assets/"))
    assert any(re.fullmatch(r"assets/vega-runtime-vlc[\d.]+-vega[\d.]+\.js", n) for n in assets)
    assert any(re.fullmatch(r"assets/site\.[0-9a-f]{10}\.js", n) for n in assets)
    assert any(re.fullmatch(r"assets/style\.[0-9a-f]{10}\.css", n) for n in assets)


def test_page_loads_only_relative_local_files(site):
    out, _ = site
    html = (out / "index.html").read_text()
    loaded = re.findall(r'<script[^>]* src="([^"]+)"', html) + re.findall(r'<link[^>]* href="([^"]+)"', html)
    assert len(loaded) >= 4
    for reference in loaded:
        assert not re.match(r"^[a-z]+:|^//|^/", reference), reference
        assert (out / reference).is_file(), reference
    assert 'type="module"' not in html
    assert "cdn" not in html.lower()


def test_links_are_anchors_on_the_page_or_cited_sources(site):
    out, _ = site
    html = (out / "index.html").read_text()
    ids = set(re.findall(r' id="([^"]+)"', html))
    for anchor in re.finditer(r'<a ([^>]*)href="([^"]+)"', html):
        attributes, target = anchor.groups()
        if target.startswith("#"):
            assert target[1:] in ids, target
        elif target == "instructor-notes.html":  # the footer's link to the page built beside it
            assert (out / target).is_file()
        else:
            assert 'class="ref-url"' in attributes and target.startswith("https://"), target


def test_charts_and_data_are_inlined(site):
    out, _ = site
    html = (out / "index.html").read_text()
    assert html.count('type="application/json"') >= 3
    assert '"url"' not in html


def test_progress_line_per_stage_and_total(site):
    _, lines = site
    stage_lines = [line for line in lines if not line.startswith(("lab:", "warning:", "core path:"))]
    assert [line.split()[0] for line in stage_lines] == ["load", "runtime", "science", "figures", "compile", "render", "checks", "write", "total"]
    assert all(re.search(r"\d+\.\d\d s", line) for line in stage_lines)


def test_two_builds_are_byte_identical(tmp_path):
    build(PROJECT, tmp_path / "a")
    build(PROJECT, tmp_path / "b")
    first, second = tree_bytes(tmp_path / "a"), tree_bytes(tmp_path / "b")
    assert first.keys() == second.keys()
    assert first == second


def test_a_second_build_in_one_process_compiles_only_the_edited_template(tmp_path, monkeypatch):
    """Templates compile once per process (kdsite/page/render.py, CompiledTemplates), yet an edit
    to one, as `kdsite serve` sees it, shows in the next build."""
    project = copy_project(tmp_path / "project")
    build(project, tmp_path / "first")
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def compile_template(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_template)
    build(project, tmp_path / "second")
    assert compiled == []
    assert tree_bytes(tmp_path / "second") == tree_bytes(tmp_path / "first")
    page = project / "templates/404.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<p>edited</p></body>"), encoding="utf-8")
    build(project, tmp_path / "third")
    assert compiled == ["404.html"]
    assert "<p>edited</p>" in (tmp_path / "third/404.html").read_text(encoding="utf-8")


def test_rebuild_replaces_output_and_leaves_no_staging_folders(tmp_path):
    out = tmp_path / "site"
    build(PROJECT, out)
    (out / "stale.txt").write_text("from an older build")
    build(PROJECT, out)
    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_content_error_leaves_previous_output_untouched(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    build(project, out)
    before = tree_bytes(out)
    path = project / "content/temperature.yaml"
    path.write_text(path.read_text().replace("points_per_decade: 10", "points_per_decade: -1"))
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(out)],
                            cwd=project, capture_output=True, text=True, env=subprocess_env())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first == ("error: content/temperature.yaml:4: field 'points_per_decade': must be ≥ 1 and ≤ 20, got -1 "
                     "(hint: at most 20 a decade keeps two-figure grid points distinct)")
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]


def test_unknown_figure_is_a_build_error_with_line(tmp_path):
    project = copy_project(tmp_path / "project")
    section = project / "content/sections/30-temperature.md"
    section.write_text(section.read_text().replace("[[figure: temperature-explorer]]", "[[figure: temprature]]"))
    result = subprocess.run([sys.executable, "-m", "kdsite", "build", "--out", str(tmp_path / "site")],
                            cwd=project, capture_output=True, text=True, env=subprocess_env())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = next(n for n, text in enumerate(section.read_text().splitlines(), 1) if "temprature" in text)
    assert (f"error: content/sections/30-temperature.md:{line}: field 'figure': unknown figure name "
            "'temprature'") in result.stderr
    assert not (tmp_path / "site").exists()


def test_debug_shows_the_traceback(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "content/site.yaml").write_text("title: [\n")
    result = subprocess.run([sys.executable, "-m", "kdsite", "build", "--debug", "--out", str(tmp_path / "s")],
                            cwd=project, capture_output=True, text=True, env=subprocess_env())
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    with pytest.raises(OutputError, match="did not create it"):
        build(PROJECT, out)
    assert (out / "thesis.tex").read_text() == "years of work"


@pytest.mark.parametrize("target", [".", "content", ".."])
def test_refuses_output_over_the_sources(tmp_path, target):
    project = copy_project(tmp_path / "project")
    with pytest.raises(OutputError, match="refusing"):
        build(project, (project / target))


def test_whole_page_structure(site):
    """A cheap whole-site check: every section of the course page, in order, with its figures."""
    out, _ = site
    html = (out / "index.html").read_text()
    assert re.findall(r'<section id="([^"]+)"', html) == [
        "why", "labels", "temperature", "training", "hardware", "lab", "self-check", "references"]
    assert html.count('<div class="chart"') >= 20
    assert html.count('class="admonition insight"') >= 5
    for kind in ("illustrative", "modeled", "cited", "measured"):
        assert f'class="mark mark-{kind}"' in html
        assert html.count(f'id="mark-key-{kind}"') == 1  # the one popover every badge of its kind opens
    # every button that opens a popover (a mark, a glossary term) names an element that is one
    for target in set(re.findall(r'popovertarget="([^"]+)"', html)):
        assert re.search(rf'<[a-z]+ [^>]*\bpopover\b[^>]* id="{re.escape(target)}"', html), target
    assert html.count('<li id="ref-') >= 10
