"""The package's layout is the pipeline: folders by stage, imports only to the left, docs that stay true."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.helpers import ROOT

PACKAGE = ROOT / "kdsite"
# The road, left to right; a folder may import only from folders at or before its own place.
STAGES = ["science", "content", "charts", "figures", "page", "build"]
SHARED = {"kdsite.errors", "kdsite.diskcache"}


def kdsite_imports(path: Path) -> list[str]:
    """Every kdsite module `path` imports (absolute imports only; the package uses no relative ones)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kdsite"):
            assert node.level == 0, f"{path}: relative import"
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("kdsite")]
    return found


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in STAGES else None


def modules() -> dict[str, Path]:
    return {".".join(path.relative_to(ROOT).with_suffix("").parts): path for path in PACKAGE.rglob("*.py")}


def test_ls_kdsite_shows_the_stages():
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file())
    assert folders == sorted(STAGES)
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "cli.py", "diskcache.py", "errors.py"]


def test_no_stage_imports_a_later_one_and_science_imports_no_other_stage():
    problems = []
    for name, path in modules().items():
        mine = stage_of(name)
        for imported in kdsite_imports(path):
            theirs = stage_of(imported)
            if imported in SHARED or theirs is None:
                continue
            if mine == "science" and theirs != "science":
                problems.append(f"{name} imports {imported}: science imports no other stage")
            elif mine is not None and STAGES.index(theirs) > STAGES.index(mine):
                problems.append(f"{name} imports {imported}, a later stage")
    assert problems == []


def test_the_import_graph_has_no_cycles():
    graph = {name: {m for m in kdsite_imports(path) if m in modules()} for name, path in modules().items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("cycle: " + " -> ".join(trail + [node, nxt]))
            if nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_science_reads_no_files_and_draws_no_charts():
    forbidden = re.compile(r"^\s*(import|from)\s+(yaml|altair|jinja2|markdown|vl_convert)\b", re.M)
    for path in (PACKAGE / "science").glob("*.py"):
        assert not forbidden.search(path.read_text(encoding="utf-8")), path


def test_every_module_the_architecture_page_names_exists():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("| ") and "`kdsite/" in line]
    assert table, "the architecture table is missing"
    named = 0
    for line in table:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        folder = re.search(r"`(kdsite/[a-z_/]*)`", cells[1]).group(1)
        for module in re.findall(r"`([a-z_]+\.py)`", cells[2]):
            assert (ROOT / folder / module).is_file(), f"docs/architecture.md names {folder}{module}"
            named += 1
    for path in re.findall(r"`(kdsite/[a-z_/]+\.py)`", text):
        assert (ROOT / path).is_file(), f"docs/architecture.md names {path}"
    # every module of a stage folder is named in its row, so the page lists the whole house
    for folder in STAGES:
        row = next(line for line in table if f"`kdsite/{folder}/`" in line)
        for path in (PACKAGE / folder).glob("*.py"):
            if path.name not in ("__init__.py",) and folder != "figures":
                assert f"`{path.name}`" in "".join(line for line in table if f"`kdsite/{folder}/`" in line), \
                    f"docs/architecture.md does not name kdsite/{folder}/{path.name}"
        assert row
    assert named > 30
