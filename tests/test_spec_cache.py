"""The chart-spec cache: same spec as a fresh build, rebuilt whenever an input changes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kdsite.charts import cache as spec_cache_module
from kdsite.charts.cache import cached, spec_cache
from kdsite.build.pipeline import BuildOptions, build_site
from tests.helpers import CACHE, PROJECT, copy_project, subprocess_env, tree_bytes

calls: list[tuple] = []


@cached
def fake_chart(rows: list[dict], title: str, values=None) -> dict:
    calls.append((title,))
    return {"title": title, "rows": rows, "sum": float(np.sum(values)) if values is not None else None}


def test_a_hit_returns_the_stored_spec_without_running_the_function(tmp_path):
    calls.clear()
    with spec_cache(tmp_path):
        first = fake_chart([{"a": 1}], "T", values=np.array([1.0, 2.0]))
        second = fake_chart([{"a": 1}], "T", values=np.array([1.0, 2.0]))
    assert first == second == {"title": "T", "rows": [{"a": 1}], "sum": 3.0}
    assert len(calls) == 1
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_any_changed_argument_runs_the_function_again(tmp_path):
    calls.clear()
    with spec_cache(tmp_path):
        fake_chart([{"a": 1}], "T")
        fake_chart([{"a": 2}], "T")
        fake_chart([{"a": 1}], "U")
        fake_chart([{"a": 1}], "T", values=np.array([1.0]))
        fake_chart([{"a": 1}], "T", values=np.array([1.5]))
    assert len(calls) == 5


def test_outside_the_block_or_with_uncacheable_arguments_the_function_just_runs(tmp_path):
    calls.clear()
    fake_chart([{"a": 1}], "T")
    fake_chart([{"a": 1}], "T")
    with spec_cache(tmp_path):
        fake_chart([{"a": 1}], {"a set"})  # not JSON: no key, so no cache
    assert len(calls) == 3
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_entry_is_rebuilt(tmp_path):
    calls.clear()
    with spec_cache(tmp_path):
        fake_chart([], "T")
        entry = next(tmp_path.glob("*.json"))
        entry.write_text("{not json")
        assert fake_chart([], "T") == {"title": "T", "rows": [], "sum": None}
    assert len(calls) == 2


def test_the_key_covers_the_chart_code(monkeypatch, tmp_path):
    calls.clear()
    with spec_cache(tmp_path):
        fake_chart([], "T")
        monkeypatch.setattr(spec_cache_module, "code_version", lambda module_file: "edited chart code")
        fake_chart([], "T")
    assert len(calls) == 2


def test_a_chart_key_covers_the_chart_modules_it_imports_and_no_others(tmp_path):
    """An edit to a chart's module or to a chart module it imports (however indirectly) changes
    its key; an edit to another chart, or a new one (`kdsite new figure`), does not."""
    charts = tmp_path / "charts"
    shutil.copytree(Path(spec_cache_module.__file__).parent, charts, ignore=shutil.ignore_patterns("__pycache__"))
    (charts / "middle.py").write_text("from kdsite.charts.numbers import rounded\n")
    (charts / "labels.py").write_text((charts / "labels.py").read_text() + "\nimport kdsite.charts.middle\n")

    def version() -> str:
        spec_cache_module.code_version.cache_clear()
        return spec_cache_module.code_version(str(charts / "labels.py"), charts)

    assert {p.name for p in spec_cache_module.chart_imports(charts / "labels.py", charts)} == {
        "__init__.py", "cache.py", "common.py", "labels.py", "middle.py", "numbers.py"}
    before = version()
    (charts / "demo.py").write_text("from kdsite.charts.common import PALETTE\n")
    (charts / "tradeoff.py").write_text((charts / "tradeoff.py").read_text() + "# edited\n")
    assert version() == before
    for name in ("numbers.py", "common.py", "labels.py", "cache.py"):
        (charts / name).write_text((charts / name).read_text() + "# edited\n")
        assert version() != before, name
        before = version()


@pytest.fixture(scope="module")
def cold_site(cold_site_dir, tmp_path_factory) -> Path:
    """A build that computed everything: the session's own (or the other xdist worker's) when it
    began on an empty cache, else one made here with a cache of its own."""
    if cold_site_dir is not None:
        return cold_site_dir
    folder = tmp_path_factory.mktemp("cold")
    build_site(BuildOptions(PROJECT, folder / "site", cache_dir=folder / "cache"), report=lambda line: None)
    return folder / "site"


def test_an_unusable_cache_folder_costs_one_warning(tmp_path):
    """A build whose cache folder is a file computes everything without one (the lab and the
    runtime; one section, so few charts) and says so once."""
    project = copy_project(tmp_path / "project")
    for section in sorted((project / "content/sections").iterdir())[1:-1]:  # keep the references
        section.unlink()
    (project / "content/scenes.yaml").unlink()  # its scenes show figures of the sections removed
    cache = tmp_path / "cache-is-a-file"
    cache.write_text("")
    lines: list[str] = []
    build_site(BuildOptions(project, tmp_path / "site", cache_dir=cache), report=lines.append)
    assert cache.read_text() == ""
    warnings = [line for line in lines if "cache" in line and line.startswith("warning:")]
    assert warnings == [f"warning: cache folder {cache} is unusable (it is a file, not a folder); building without the cache"]
    assert "lab: cached" not in lines and "lab: teacher" in lines
    assert (tmp_path / "site/index.html").stat().st_size > 1000


def test_a_build_from_cached_specs_equals_a_build_without_any_cache(cold_site, tmp_path):
    # The session's build filled the test cache; this one reads every spec back from it.
    lines: list[str] = []
    build_site(BuildOptions(PROJECT, tmp_path / "warm", cache_dir=CACHE), report=lines.append)
    assert "lab: cached" in lines
    assert len(list((CACHE / "specs").glob("*.json"))) >= 20
    warm, cold = tree_bytes(tmp_path / "warm"), tree_bytes(cold_site)
    assert warm.keys() == cold.keys()
    assert warm == cold


WARM_BUILD = """
import sys
from pathlib import Path
from kdsite.build.pipeline import BuildOptions, build_site
build_site(BuildOptions(Path(sys.argv[1]), Path(sys.argv[2]), cache_dir=Path(sys.argv[3])), report=lambda line: None)
print(sorted(name for name in ("altair", "jsonschema", "narwhals") if name in sys.modules
             and type(sys.modules[name]).__name__ != "_LazyModule"))
"""


def test_a_build_served_from_the_caches_never_loads_altair(built_site, tmp_path):
    """Altair and its validators load on first use (kdsite/charts/__init__.py): a warm build,
    every spec from the cache, starts about 0.35 s sooner without them."""
    run = subprocess.run([sys.executable, "-c", WARM_BUILD, str(PROJECT), str(tmp_path / "site"), str(CACHE)],
                         capture_output=True, text=True, env=subprocess_env(), timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    assert (tmp_path / "site/index.html").read_bytes() == (built_site[0] / "index.html").read_bytes()


def test_a_chart_with_no_source_file_runs_uncached(tmp_path):
    """A function typed into a session (its module has no file) has no chart code to key on: it
    always runs and nothing is stored, rather than being cached under a key that misses its code."""
    namespace: dict = {"__name__": "typed_in_a_session"}
    exec("def chart(title):\n    runs.append(title)\n    return {'title': title}", namespace)
    namespace["runs"] = runs = []
    chart = cached(namespace["chart"])
    with spec_cache(tmp_path):
        assert chart("T") == chart("T") == {"title": "T"}
    assert runs == ["T", "T"] and list(tmp_path.iterdir()) == []
