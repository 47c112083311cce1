"""`kdsite new figure NAME`: a working figure to edit, written into the project's own kdsite checkout.

A figure is code, so the project must be a kdsite checkout (kdsite/, templates/, tests/ beside
content/). The scaffold writes five files (kdsite/figure_templates.py holds their text) and registers
the figure where the build and the docs look for it:

    kdsite/science/MODULE.py           a placeholder formula, pure numpy
    kdsite/charts/MODULE.py            its Altair chart
    kdsite/figures/MODULE.py           the builder: (Content, Science) -> template context
    templates/figures/NAME.html        the partial: one slider, a readout, the chart
    tests/browser/test_MODULE.py       a browser test comparing the page with numpy
    kdsite/figures/__init__.py         + the import and the FIGURES entry
    kdsite/figures/catalogue.py        + the catalogue entry (kdsite list figures)
    docs/architecture.md               + the new science and chart modules in their stages' rows
    docs/content.md                    + the figure's row of the generated catalogue

Everything is checked before anything is written: a bad name, an existing file or a registry it
cannot find its place in is one ContentError, and nothing changes.
"""

from __future__ import annotations

import builtins
import keyword
import re
from pathlib import Path

from kdsite.build import figure_templates
from kdsite.errors import ContentError
from kdsite.figures.catalogue import Entry, catalogue_row

FIGURE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MAX_NAME = 40
SHOWS = "A placeholder to edit: a slider along x, the value y = x² it selects and the chart of y against x."


def figure_module(name: str) -> str:
    """The Python name of figure `name` (its modules and functions), or a ContentError if unusable."""
    module = name.replace("-", "_")
    if not FIGURE_NAME.match(name) or len(name) > MAX_NAME or keyword.iskeyword(module) or hasattr(builtins, module):
        raise ContentError("kdsite/figures", None, "", f"'{name}' is not a usable figure name",
                           f"lowercase letters, digits and single hyphens, starting with a letter, at most {MAX_NAME} "
                           "characters, not a Python word: e.g. 'demo' or 'loss-landscape'")
    return module


def _insert_after_last(text: str, file: str, pattern: str, new_line: str) -> str:
    """`text` with `new_line` after the last line matching `pattern`."""
    lines = text.splitlines(keepends=True)
    found = [index for index, line in enumerate(lines) if re.match(pattern, line)]
    if not found:
        raise ContentError(file, None, "", f"no line matching {pattern!r} to add the figure after",
                           "register the figure by hand (docs/architecture.md, 'Adding a figure')")
    lines.insert(found[-1] + 1, new_line + "\n")
    return "".join(lines)


def _insert_before_dict_end(text: str, file: str, opening: str, new_line: str) -> str:
    """`text` with `new_line` before the closing `}` of the dict whose first line starts with `opening`."""
    lines = text.splitlines(keepends=True)
    start = next((index for index, line in enumerate(lines) if line.startswith(opening)), None)
    end = next((index for index in range(start, len(lines)) if lines[index].rstrip() == "}"), None) \
        if start is not None else None
    if end is None:
        raise ContentError(file, None, "", f"cannot find the end of the dict '{opening}'",
                           "register the figure by hand (docs/architecture.md, 'Adding a figure')")
    lines.insert(end, new_line + "\n")
    return "".join(lines)


def _name_in_row(text: str, file: str, folder: str, module: str) -> str:
    """docs/architecture.md with `module`.py added to the modules cell of the stage table's `folder` row."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        cells = line.split("|", 4)
        if len(cells) == 5 and cells[2].strip() == f"`{folder}`":
            cells[3] = f"{cells[3].rstrip()}, `{module}.py` "
            lines[index] = "|".join(cells)
            return "".join(lines)
    raise ContentError(file, None, "", f"no row for `{folder}` in the stage table",
                       f"name {folder}{module}.py there by hand")


def _catalogue_row_added(text: str, file: str, row: str) -> str:
    """docs/content.md with `row` after the last row of its figure catalogue (the catalogue's new last entry)."""
    start = text.find("\n## Figures\n")
    lines = text[start:].splitlines(keepends=True) if start >= 0 else []
    rows = [index for index, line in enumerate(lines) if line.startswith("| `")]
    if not rows:
        raise ContentError(file, None, "", "no figure catalogue to add the figure to",
                           "regenerate it: python3 -m kdsite schema > docs/content.md")
    lines.insert(rows[-1] + 1, row + "\n")
    return text[:start] + "".join(lines)


def new_figure(root: Path, name: str) -> tuple[list[Path], list[Path]]:
    """Write figure `name`'s files into the kdsite checkout at `root` and register it; return the files
    written and the files edited (paths under `root`)."""
    module = figure_module(name)
    registry = root / "kdsite/figures/__init__.py"
    if not registry.is_file() or "FIGURES" not in registry.read_text(encoding="utf-8"):
        raise ContentError("kdsite/figures/__init__.py", None, "", "this project has no kdsite package to add a figure to",
                           "a figure is code: run this at the root of a kdsite checkout (the folder holding kdsite/, "
                           "templates/ and tests/)")
    values = {"name": name, "module": module, "title": name[:1].upper() + name[1:].replace("-", " ")}
    written = {
        f"kdsite/science/{module}.py": figure_templates.SCIENCE,
        f"kdsite/charts/{module}.py": figure_templates.CHART,
        f"kdsite/figures/{module}.py": figure_templates.BUILDER,
        f"templates/figures/{name}.html": figure_templates.PARTIAL,
        f"tests/browser/test_{module}.py": figure_templates.BROWSER_TEST,
    }
    registry_text = registry.read_text(encoding="utf-8")
    if re.search(rf'^\s*"{re.escape(name)}":', registry_text, re.M):
        raise ContentError("kdsite/figures/__init__.py", None, "", f"a figure named '{name}' is already registered",
                           "choose another name")
    for relative in written:
        if (root / relative).exists():
            raise ContentError(relative, None, "", "this file already exists",
                               "choose another figure name, or edit the file")

    edits = {"kdsite/figures/__init__.py": _insert_before_dict_end(
        _insert_after_last(registry_text, "kdsite/figures/__init__.py", r"from kdsite\.figures import ",
                           f"from kdsite.figures import {module}"),
        "kdsite/figures/__init__.py", "FIGURES:", f'    "{name}": {module}.{module},')}
    catalogue = root / "kdsite/figures/catalogue.py"
    edits["kdsite/figures/catalogue.py"] = _insert_before_dict_end(
        catalogue.read_text(encoding="utf-8") if catalogue.is_file() else "", "kdsite/figures/catalogue.py",
        "CATALOGUE:", f'    "{name}": Entry("{SHOWS}", ()),')
    if (root / "docs/architecture.md").is_file():
        text = (root / "docs/architecture.md").read_text(encoding="utf-8")
        for folder in ("kdsite/science/", "kdsite/charts/"):
            text = _name_in_row(text, "docs/architecture.md", folder, module)
        edits["docs/architecture.md"] = text
    if (root / "docs/content.md").is_file():
        edits["docs/content.md"] = _catalogue_row_added((root / "docs/content.md").read_text(encoding="utf-8"),
                                                        "docs/content.md", catalogue_row(name, Entry(SHOWS, ())))

    for relative, template in written.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(template.substitute(values), encoding="utf-8")
    for relative, text in edits.items():
        (root / relative).write_text(text, encoding="utf-8")
    return [root / relative for relative in written], [root / relative for relative in edits]
