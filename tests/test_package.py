"""Hand-out forms: the deterministic zip, the single-file page, and --strict."""

import re
import subprocess
import sys
import zipfile

import pytest

from kdsite.build.checks import check_page
from kdsite.errors import ContentErrors
from kdsite.build.pipeline import BuildOptions, build_site
from kdsite.page.early_loader import SWITCH, script_hash
from tests.helpers import CACHE, PROJECT, copy_project, subprocess_env


def build(project, out, **flags):
    return build_site(BuildOptions(project, out, cache_dir=CACHE, **flags), report=lambda line: None)


@pytest.fixture(scope="module")
def zipped(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zip")
    build(PROJECT, folder / "a" / "site", zip=True)
    build(PROJECT, folder / "b" / "site", zip=True)
    return folder / "a" / "site.zip", folder / "b" / "site.zip", folder / "a" / "site"


def test_two_zips_of_the_same_input_are_byte_identical(zipped):
    first, second, _ = zipped
    assert first.read_bytes() == second.read_bytes()


def test_zip_has_one_top_folder_a_readme_and_every_site_file(zipped):
    archive, _, site = zipped
    with zipfile.ZipFile(archive) as bundle:
        names = bundle.namelist()
        assert names == sorted(names)
        assert {name.split("/")[0] for name in names} == {"kd-explainer"}
        assert all(not name.startswith("/") and ".." not in name.split("/") for name in names)
        assert "kd-explainer/README.txt" in names
        assert "index.html" in bundle.read("kd-explainer/README.txt").decode()
        site_files = {f"kd-explainer/{p.relative_to(site).as_posix()}" for p in site.rglob("*")
                      if p.is_file() and p.name != ".kdsite-output"}
        assert site_files | {"kd-explainer/README.txt"} == set(names)
        assert {info.date_time for info in bundle.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_zip_folder_and_readme_come_from_site_yaml(tmp_path):
    project = copy_project(tmp_path / "project")
    site_yaml = project / "content/site.yaml"
    text = site_yaml.read_text(encoding="utf-8").replace("handout_folder: kd-explainer", "")
    text = text.replace("title: Knowledge Distillation", 'title: "Física & ML: Week 3!"')
    site_yaml.write_text(text, encoding="utf-8")
    build(project, tmp_path / "default" / "site", zip=True)
    with zipfile.ZipFile(tmp_path / "default" / "site.zip") as bundle:
        assert {name.split("/")[0] for name in bundle.namelist()} == {"fisica-ml-week-3"}
        readme = bundle.read("fisica-ml-week-3/README.txt").decode()
    heading, rule = readme.splitlines()[:2]
    assert heading.startswith("Física & ML: Week 3! — ") and rule == "=" * len(heading)
    assert "Open the folder fisica-ml-week-3 and double-click index.html" in readme
    site_yaml.write_text(text + "\nhandout_folder: ee508-week-3\n", encoding="utf-8")
    build(project, tmp_path / "named" / "site", zip=True)
    with zipfile.ZipFile(tmp_path / "named" / "site.zip") as bundle:
        assert {name.split("/")[0] for name in bundle.namelist()} == {"ee508-week-3"}


@pytest.mark.parametrize("folder", ["../evil", "a/b", "Capitals", "x--y", "-x", "x-", "dot.ted", "space d",
                                    "a" * 41, "'..'", "[]", "ü"])
def test_a_handout_folder_that_is_not_a_plain_name_is_a_one_line_error(tmp_path, folder):
    project = copy_project(tmp_path / "project")
    site_yaml = project / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace(
        "handout_folder: kd-explainer", f"handout_folder: {folder}"), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "site", zip=True)
    assert [error.field for error in caught.value.errors] == ["handout_folder"], caught.value
    assert not (tmp_path / "site").exists() and not (tmp_path / "site.zip").exists()


def test_source_date_epoch_sets_the_entry_times(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(PROJECT, tmp_path / "site", zip=True)
    with zipfile.ZipFile(tmp_path / "site.zip") as bundle:
        assert {info.date_time for info in bundle.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_single_file_refers_to_nothing_else(tmp_path):
    build(PROJECT, tmp_path / "one", single_file=True)
    files = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert files == [".kdsite-output", "index.html"]
    html = (tmp_path / "one" / "index.html").read_text()
    assert "assets/" not in html
    assert html.count("<svg") >= 7
    # The early loader's layout switch stays, first in the head and allowed by its hash: the first
    # paint has the JavaScript layout here too (kdsite/page/early_loader.py)
    head = html[:html.index("</head>")]
    assert head.count("<script") == 1 and head.index(f"<script>{SWITCH}</script>") < head.index("<style>")
    assert script_hash(SWITCH) in re.search(r"script-src ([^;]*);", html).group(1)


HOSTILE_CHART_NAMES = ["../../../secret.txt", "assets/specs/../../../secret.txt", "index.html"]


def test_text_that_reads_like_a_charts_spec_file_inlines_nothing(tmp_path):
    """Only the spec files the build wrote, named by the chart containers it wrote, are inlined in
    the single file (as scripts its policy allows): a section's text naming a file is text. One
    build holds every name (each would put the secret, or a second page, into the single file)."""
    (tmp_path / "secret.txt").write_text("SECRET-FILE-CONTENT", encoding="utf-8")
    project = copy_project(tmp_path / "project")
    section = project / "content/sections/10-why.md"
    section.write_text(section.read_text() + "".join(f'\nA note: data-chart="{named}" and more.\n'
                                                     for named in HOSTILE_CHART_NAMES))
    build(project, tmp_path / "one", single_file=True)
    html = (tmp_path / "one/index.html").read_text(encoding="utf-8")
    assert "SECRET-FILE-CONTENT" not in html and html.count("<!DOCTYPE html>") == 1
    for named in HOSTILE_CHART_NAMES:
        assert f'A note: data-chart="{named}" and more.' in html


def test_strict_turns_a_broken_anchor_into_an_error_and_reports_all(tmp_path):
    project = copy_project(tmp_path / "project")
    section = project / "content/sections/30-temperature.md"
    section.write_text(section.read_text() + "\nSee [the missing part](#nowhere) and [another](#gone).\n")
    out = tmp_path / "site"
    build(project, out)  # a warning only
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "strict", strict=True)
    messages = [str(error) for error in caught.value.errors]
    assert "index.html: broken anchor '#gone' (hint: link to a section id or a figure element that exists)" in messages
    assert any("'#nowhere'" in message for message in messages)
    assert not (tmp_path / "strict").exists()


def test_strict_cli_exits_non_zero_and_lists_the_problems(tmp_path):
    project = copy_project(tmp_path / "project")
    section = project / "content/sections/30-temperature.md"
    section.write_text(section.read_text() + "\nThe student is 42% faster on this board.\n")
    env = subprocess_env()
    result = subprocess.run([sys.executable, "-m", "kdsite", "build", "--strict", "--out", str(tmp_path / "s")],
                            cwd=project, capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert "number '42%' without a source" in result.stderr
    assert "Traceback" not in result.stderr
    # each problem once: as an error, not also as the warning it would be without --strict
    problem_lines = [line for line in (result.stdout + result.stderr).splitlines() if "'42%'" in line]
    assert len(problem_lines) == 1 and problem_lines[0].startswith("error: "), problem_lines


def test_check_page_finds_missing_files_and_anchors():
    html = '<a href="#a">x</a><p id="a"></p><a href="#b">y</a><img src="assets/x.svg">'
    problems = [problem.message for problem in check_page(html, ["index.html"])]
    assert problems == ["broken anchor '#b'", "link to missing file 'assets/x.svg'"]
