"""The build, stage by stage: load → figures (compute + charts) → runtime → render → write.

Each stage reports one progress line with its time; `build_site` returns the total.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from kdsite import output
from kdsite.content import load_content
from kdsite.figures import FIGURES
from kdsite.science import Science
from kdsite.render import render_page, template_environment
from kdsite.runtime import runtime_key, short_hash, vega_runtime


@dataclass(frozen=True)
class BuildOptions:
    """Where the sources are, where the site goes, and whether caches may be used."""

    project_root: Path
    out: Path
    use_cache: bool = True
    cache_dir: Path | None = None

    @property
    def content(self) -> Path:
        return self.project_root / "content"

    @property
    def templates(self) -> Path:
        return self.project_root / "templates"

    @property
    def cache(self) -> Path:
        return self.cache_dir or self.project_root / ".kdsite-cache"


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


def build_site(options: BuildOptions, report: Callable[[str], None] = print) -> float:
    """Build the whole site into options.out atomically; return the wall time in seconds.

    Raises ContentErrors for content mistakes and OutputError for an unsafe output folder; in
    both cases the previous output is left as it was.
    """
    clock = StageClock(report)
    output.check_output_folder(options.out, options.project_root)
    with clock.stage("load"):
        content = load_content(options.content)
        env = template_environment(options.templates)
    for warning in content.warnings:
        report(f"warning: {warning}")
    with clock.stage("runtime"):
        runtime = vega_runtime(options.cache, options.use_cache)
    static = options.templates / "static"
    static_files = {path.name: path.read_bytes() for path in sorted(static.iterdir()) if path.is_file()}
    asset_names: dict = {"runtime": f"assets/vega-runtime-{runtime_key()}.js"}
    for name, data in static_files.items():
        stem, dot, suffix = name.rpartition(".")
        asset_names[name] = f"assets/{stem}.{short_hash(data)}.{suffix}"
    asset_names["stylesheets"] = [asset_names[n] for n in static_files if n.endswith(".css")]
    contexts: dict[str, dict] = {}
    science = Science(content, options.cache, options.use_cache, report)

    def figure_context(name: str) -> dict:
        if name not in contexts:
            contexts[name] = FIGURES[name](content, science)
        return contexts[name]

    with clock.stage("figures+render"):
        page = render_page(content, env, set(FIGURES), figure_context, asset_names)
    with clock.stage("write"):
        staging = output.staging_folder(options.out)
        try:
            output.write_file(staging, "index.html", page)
            output.write_file(staging, ".nojekyll", "")
            output.write_file(staging, asset_names["runtime"], runtime)
            for name, data in static_files.items():
                output.write_file(staging, asset_names[name], data)
            output.swap_into_place(staging, options.out)
        except BaseException:
            output.discard(staging)
            raise
    total = clock.total()
    report(f"  {'total':<10} {total:6.2f} s  → {options.out}")
    return total
