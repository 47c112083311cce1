"""The build, stage by stage: load → figures (compute + charts) → runtime → render → write.

Each stage reports one progress line with its time; `build_site` returns the total.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from kdsite import interrupt_seen
from kdsite.build import checks, output
from kdsite.charts.cache import spec_cache
from kdsite.page.compiled_charts import CompiledChartCollector
from kdsite.page.corepath import page_length
from kdsite.diskcache import cache_problem
from kdsite.errors import ContentError, ContentErrors
from kdsite.page.strip_comments import without_comments
from kdsite.build.package import readme, single_file_html, source_date_epoch, write_zip
from kdsite.content.load import load_content
from kdsite.figures import FIGURES
from kdsite.build.results import Science
from kdsite.page.static_charts import StaticChartCollector
from kdsite.page.render import (charts_in, placed_figures, placement_problems, render_instructor_notes, render_page, section_problems,
                                template_environment)
from kdsite.page.runtime import runtime_key, short_hash, vega_runtime
from kdsite.page.spec_files import SpecFiles


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


@contextmanager
def operational(doing: str, out: Path) -> Iterator[None]:
    """Turn an OSError (read-only folder, full disk, …) into a one-line OutputError."""
    try:
        yield
    except OSError as problem:
        where = f" ({problem.filename})" if problem.filename else ""
        raise output.OutputError(f"cannot {doing} {out}: {problem.strerror or problem}{where}") from problem


def site_files(content, env, options: BuildOptions, report: Callable[[str], None], clock: StageClock
               ) -> tuple[dict[str, bytes], list]:
    """Every file of the site by relative path, and the warnings the checks raised."""
    with clock.stage("runtime"):
        runtime = vega_runtime(options.cache, options.use_cache)
    static = options.templates / "static"
    static_files, problems = {}, []
    for path in sorted(static.iterdir()):
        if path.is_file():
            try:  # shipped without their comments (kdsite/page/strip_comments.py)
                static_files[path.name] = without_comments(f"templates/static/{path.name}", path.read_bytes())
            except ContentError as problem:
                problems.append(problem)
    if problems:
        raise ContentErrors(problems)
    asset_names: dict = {"runtime": f"assets/vega-runtime-{runtime_key()}.js"}
    for name, data in static_files.items():
        stem, _, suffix = name.rpartition(".")
        asset_names[name] = f"assets/{stem}.{short_hash(data)}.{suffix}"
    asset_names["stylesheets"] = [asset_names[n] for n in static_files if n.endswith(".css")]
    with clock.stage("science"):
        science = Science(content, options.cache, options.use_cache, report, options.allow_long_lab)
        science.hardware, science.lab  # each computed once, here, before any figure reads it
    with clock.stage("figures"), spec_cache(options.cache / "specs" if options.use_cache else None):
        known = set(FIGURES)
        placed = placed_figures(content, known)
        contexts = {name: FIGURES[name](content, science) for names in placed.values() for name in names}
    charts = charts_in(contexts)
    static_charts = StaticChartCollector(options.cache / "svg", options.use_cache)
    compiled_charts = CompiledChartCollector(options.cache / "vega", options.use_cache)
    with clock.stage("compile"):
        compiled_charts.compile(charts)
        static_charts.render(charts, compiled_charts)
        spec_files = SpecFiles()  # each section's compiled specs, a script site.js loads when it first draws one
        for section_id, names in placed.items():
            spec_files.add(section_id, {chart.id: compiled_charts(chart) for name in names
                                        for chart in charts_in(contexts[name])})
    env.globals["static_chart"] = static_charts
    env.globals["chart_source"] = spec_files
    with clock.stage("render"):
        # The single file is one page: it cannot link to a second one.
        notes_href = "instructor-notes.html" if content.instructor_notes and not options.single_file else None
        page = render_page(content, env, known, contexts.__getitem__, asset_names, notes_href)
        notes = render_instructor_notes(content, env, known, asset_names) if notes_href else None
    files: dict[str, bytes] = {"index.html": page.encode("utf-8"), ".nojekyll": b"",
                               asset_names["runtime"]: runtime}
    files.update({asset_names[name]: data for name, data in static_files.items()})
    files.update(static_charts.files)
    files.update(spec_files.files)
    files["404.html"] = env.get_template("404.html").render(site=content.site).encode("utf-8")
    if notes is not None:
        files["instructor-notes.html"] = notes.encode("utf-8")
    with clock.stage("checks"):
        length = page_length(page)
        report(f"core path: {length.core:,} words of prose with every Go deeper block closed "
               f"({length.total:,} with all open; budget {content.site.core_words:,})")
        warnings = (checks.check_page(page, files) + checks.check_references(page, content)
                    + checks.check_core_path(length, content) + checks.check_key_ideas_first(content)
                    + checks.check_leftover_todos(options.content)
                    + checks.check_unsourced_numbers(content) + checks.check_alt_texts(static_charts.charts))
    return files, warnings


def links_outside(project_root: Path, folders: list[Path]) -> list[Path]:
    """Paths under `folders` (or the folders themselves) that resolve outside `project_root`.

    A symbolic link out of the project would publish whatever it points at, so each is reported
    before anything is read; links that stay inside the project are followed (once each).
    """
    project = project_root.resolve()
    outside: list[Path] = []
    visited: set[Path] = set()

    def visit(path: Path) -> None:
        try:
            real = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            outside.append(path)
            return
        if not real.is_relative_to(project):
            outside.append(path)
        elif real.is_dir() and real not in visited:
            visited.add(real)
            try:
                children = sorted(path.iterdir())
            except OSError:
                return  # the loader reports an unreadable folder in its own words
            for child in children:
                visit(child)

    for folder in folders:
        if os.path.lexists(folder):
            visit(folder)
    return outside


def check_sources_inside(options: BuildOptions) -> None:
    """Raise ContentErrors naming every content or template path that leads outside the project."""
    errors = [ContentError(path.relative_to(options.project_root).as_posix(), None, "",
                           "is a symbolic link that leads outside the project, so it is not read",
                           "copy the file into the project instead of linking to it")
              for path in links_outside(options.project_root, [options.content, options.templates])]
    if errors:
        raise ContentErrors(errors)


def build_site(options: BuildOptions, report: Callable[[str], None] = print) -> float:
    """Build the whole site into options.out atomically; return the wall time in seconds.

    Raises ContentErrors for content mistakes (and, with options.strict, for warnings) and
    OutputError for an unsafe output folder, a bad SOURCE_DATE_EPOCH or a failed write; in every
    case the previous output is left as it was. An unusable cache folder costs one warning line.
    """
    with ExitStack() as cleanup:
        source_date_epoch()  # a bad value stops the build before anything is written
        check_sources_inside(options)
        output.check_output_folder(options.out, options.project_root)
        problem = cache_problem(options.cache)
        if problem:
            report(f"warning: cache folder {options.cache} is unusable ({problem}); building without the cache")
            scratch = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="kdsite-cache-")))
            options = dataclasses.replace(options, cache_dir=scratch, use_cache=False)
        return _build(options, report)


def _build(options: BuildOptions, report: Callable[[str], None]) -> float:
    """The stages of `build_site` once its settings and paths have been checked."""
    clock = StageClock(report)
    with operational("recover the previous site at", options.out):
        output.recover(options.out)
    with clock.stage("load"):
        try:
            content = load_content(options.content,
                                   lambda section, references: section_problems(section, set(FIGURES), references))
            placement = placement_problems(content, set(FIGURES))
            if placement:
                raise ContentErrors(placement, list(content.warnings))
        except ContentErrors as problem:
            if options.strict:  # under --strict a warning is an error, on a failed build too
                raise ContentErrors(problem.errors + problem.warnings) from None
            raise
        env = template_environment(options.templates)
    files, warnings = site_files(content, env, options, report, clock)
    warnings = list(content.warnings) + warnings
    if options.strict and warnings:
        raise ContentErrors(warnings)  # each printed once, as an error
    for warning in warnings:
        report(f"warning: {warning}")
    if options.single_file:
        with operational("inline the page in a temporary folder for", options.out), \
                tempfile.TemporaryDirectory() as folder:
            for relative, data in files.items():
                output.write_file(Path(folder), relative, data)
            files = {"index.html": single_file_html(Path(folder)).encode("utf-8")}
    with clock.stage("write"), operational("write the site to", options.out):
        staging = output.staging_folder(options.out)
        try:
            for relative, data in sorted(files.items()):
                output.write_file(staging, relative, data)
            if options.zip:  # from the staging folder: another build may swap `out` away meanwhile
                write_zip(staging, options.out.with_name(options.out.name + ".zip"), content.site.folder,
                          readme(content.site.title, content.site.subtitle, content.site.folder))
            if interrupt_seen():
                # A Ctrl-C that a library swallowed may have changed what was written (nh3 drops
                # an attribute when the callback it calls is interrupted): keep the old site.
                raise KeyboardInterrupt
            output.swap_into_place(staging, options.out)
        except BaseException:
            output.discard(staging)
            raise
    total = clock.total()
    report(f"  {'total':<10} {total:6.2f} s  → {options.out}")
    return total
