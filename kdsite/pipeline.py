"""The build, stage by stage: load → figures (compute + charts) → runtime → render → write.

Each stage reports one progress line with its time; `build_site` returns the total.
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from kdsite import checks, output
from kdsite.charts.cache import spec_cache
from kdsite.compiled_charts import CompiledChartCollector
from kdsite.errors import ContentErrors
from kdsite.package import single_file_html, write_zip
from kdsite.content import load_content
from kdsite.figures import FIGURES
from kdsite.science import Science
from kdsite.static_charts import StaticChartCollector
from kdsite.render import render_page, section_problems, template_environment
from kdsite.runtime import runtime_key, short_hash, vega_runtime


@dataclass(frozen=True)
class BuildOptions:
    """Where the sources are, where the site goes, and whether caches may be used."""

    project_root: Path
    out: Path
    use_cache: bool = True
    cache_dir: Path | None = None
    strict: bool = False
    single_file: bool = False
    zip: bool = False
    allow_long_lab: bool = False

    @property
    def content(self) -> Path:
        return self.project_root / "content"

    @property
    def templates(self) -> Path:
        return self.project_root / "templates"

    @property
    def cache(self) -> Path:
        """Build caches (runtime bundle, chart specs, SVGs and Vega, lab results): KDSITE_CACHE, else .kdsite-cache/."""
        return self.cache_dir or Path(os.environ.get("KDSITE_CACHE") or self.project_root / ".kdsite-cache")


class StageClock:
    """Times stages and reports each as one line through `report`."""

    def __init__(self, report: Callable[[str], None]):
        self.report = report
        self.started = time.perf_counter()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        yield
        self.report(f"  {name:<10} {time.perf_counter() - began:6.2f} s")

    def total(self) -> float:
        return time.perf_counter() - self.started


def site_files(content, env, options: BuildOptions, report: Callable[[str], None], clock: StageClock
               ) -> tuple[dict[str, bytes], list]:
    """Every file of the site by relative path, and the warnings the checks raised."""
    with clock.stage("runtime"):
        runtime = vega_runtime(options.cache, options.use_cache)
    static = options.templates / "static"
    static_files = {path.name: path.read_bytes() for path in sorted(static.iterdir()) if path.is_file()}
    asset_names: dict = {"runtime": f"assets/vega-runtime-{runtime_key()}.js"}
    for name, data in static_files.items():
        stem, _, suffix = name.rpartition(".")
        asset_names[name] = f"assets/{stem}.{short_hash(data)}.{suffix}"
    asset_names["stylesheets"] = [asset_names[n] for n in static_files if n.endswith(".css")]
    contexts: dict[str, dict] = {}
    science = Science(content, options.cache, options.use_cache, report, options.allow_long_lab)

    def figure_context(name: str) -> dict:
        if name not in contexts:
            contexts[name] = FIGURES[name](content, science)
        return contexts[name]

    static_charts = StaticChartCollector(options.cache / "svg", options.use_cache)
    env.globals["static_chart"] = static_charts
    env.globals["compiled_chart"] = CompiledChartCollector(options.cache / "vega", options.use_cache)
    with clock.stage("figures+render"), spec_cache(options.cache / "specs" if options.use_cache else None):
        page = render_page(content, env, set(FIGURES), figure_context, asset_names)
    files: dict[str, bytes] = {"index.html": page.encode("utf-8"), ".nojekyll": b"",
                               asset_names["runtime"]: runtime}
    files.update({asset_names[name]: data for name, data in static_files.items()})
    files.update(static_charts.files)
    files["404.html"] = env.get_template("404.html").render(site=content.site).encode("utf-8")
    warnings = (checks.check_page(page, files) + checks.check_references(page, content)
                + checks.check_unsourced_numbers(content) + checks.check_alt_texts(static_charts.charts))
    return files, warnings


def build_site(options: BuildOptions, report: Callable[[str], None] = print) -> float:
    """Build the whole site into options.out atomically; return the wall time in seconds.

    Raises ContentErrors for content mistakes (and, with options.strict, for warnings) and
    OutputError for an unsafe output folder; in every case the previous output is left as it was.
    """
    clock = StageClock(report)
    output.check_output_folder(options.out, options.project_root)
    with clock.stage("load"):
        content = load_content(options.content,
                               lambda section, references: section_problems(section, set(FIGURES), references))
        env = template_environment(options.templates)
    files, warnings = site_files(content, env, options, report, clock)
    warnings = list(content.warnings) + warnings
    for warning in warnings:
        report(f"warning: {warning}")
    if options.strict and warnings:
        raise ContentErrors(warnings)
    if options.single_file:
        with tempfile.TemporaryDirectory() as folder:
            for relative, data in files.items():
                output.write_file(Path(folder), relative, data)
            files = {"index.html": single_file_html(Path(folder)).encode("utf-8")}
    with clock.stage("write"):
        staging = output.staging_folder(options.out)
        try:
            for relative, data in sorted(files.items()):
                output.write_file(staging, relative, data)
            output.swap_into_place(staging, options.out)
        except BaseException:
            output.discard(staging)
            raise
    if options.zip:
        write_zip(options.out, options.out.with_name(options.out.name + ".zip"))
    total = clock.total()
    report(f"  {'total':<10} {total:6.2f} s  → {options.out}")
    return total
