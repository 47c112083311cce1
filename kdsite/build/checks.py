"""Checks every build runs on what it is about to write; `--strict` turns their warnings into errors.

- internal links and anchors: every href="#id" names an element of the page, every relative
  link names a file the site holds;
- unused data: references that nothing cites;
- text alternatives: every chart states its takeaway;
- numbers without a source: a percentage or a quantity with a unit in prose whose paragraph
  neither cites a source nor says the value is computed, modeled or illustrative;
- the core path's length: the prose a reader sees with every "Go deeper" block closed, against
  site.yaml's core_words;
- key ideas first: a section's key insight callout on its first screen, before any figure;
- a TODO left in a content file (outside YAML comments).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from kdsite.content.load import Content
from kdsite.errors import ContentError
from kdsite.page.corepath import Length
from kdsite.page.render import DIRECTIVE_LIKE

ANCHOR = re.compile(r'<a [^>]*href="#([^"]*)"')
RELATIVE = re.compile(r'(?:src|href|data-chart)="(?![a-z]+:|#|/)([^"]+)"')
IDS = re.compile(r' id="([^"]+)"')
CITED = re.compile(r'class="cite" href="#ref-([^"]+)"')
QUANTITY = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:%|ms|mJ|pJ|nJ|MB|GB|KB|GFLOP|TOPS|GMAC|M params)(?![\w])")
SOURCED = re.compile(r"\[@|\billustrative\b|\bmodel(?:ed|led)\b|\bcomputed\b|\bmeasured\b", re.IGNORECASE)


def check_page(html: str, files: Iterable[str]) -> list[ContentError]:
    """Broken anchors and relative links in the rendered page."""
    ids = set(IDS.findall(html))
    present = set(files)
    problems = [ContentError("index.html", None, "", f"broken anchor '#{target}'",
                             "link to a section id or a figure element that exists")
                for target in sorted(set(ANCHOR.findall(html))) if target and target not in ids]
    problems += [ContentError("index.html", None, "", f"link to missing file '{target}'")
                 for target in sorted(set(RELATIVE.findall(html))) if target.split("#")[0] not in present]
    counts = Counter(IDS.findall(html))
    problems += [ContentError("index.html", None, "", f"id '{name}' appears {count} times",
                              "a figure placed twice repeats its ids: place each figure once")
                 for name, count in sorted(counts.items()) if count > 1]
    return problems


def check_core_path(length: Length, content: Content) -> list[ContentError]:
    """The page's core path longer than the budget site.yaml sets (core_words)."""
    budget = content.site.core_words if content.site else None
    if budget is None or length.core <= budget:
        return []
    return [ContentError("content/site.yaml", None, "core_words",
                         f"the page's core path has {length.core:,} words of prose, over its budget of {budget:,}",
                         "fold detail into `!!! deeper \"Title\"` blocks, or raise core_words")]


def check_references(html: str, content: Content) -> list[ContentError]:
    """References listed in content/references.yaml that no citation on the page points to."""
    cited = set(CITED.findall(html))
    return [ContentError("content/references.yaml", None, "references", f"reference '{reference.id}' is never cited",
                         "cite it with [@id] or remove it")
            for reference in content.references if reference.id not in cited]


def check_unsourced_numbers(content: Content) -> list[ContentError]:
    """Quantities in section prose whose paragraph gives no source and no computed/modeled/illustrative mark."""
    problems = []
    for section in content.sections:
        lines = section.body.split("\n")
        start = 0
        for index in range(len(lines) + 1):
            if index == len(lines) or not lines[index].strip():
                paragraph = "\n".join(lines[start:index])
                match = QUANTITY.search(paragraph)
                if match and not SOURCED.search(paragraph) and not paragraph.lstrip().startswith("[["):
                    offset = paragraph[: match.start()].count("\n")
                    problems.append(ContentError(
                        section.file, section.body_first_line + start + offset, "",
                        f"number '{match.group(0)}' without a source",
                        "cite it with [@id], or say it is computed, modeled or illustrative"))
                start = index + 1
    return problems


KEY_IDEA_WORDS = 150  # about the prose of a first screen at 1280 × 800, above the key insight
INSIGHT = re.compile(r"^!!!\s+insight\b")


def check_key_ideas_first(content: Content) -> list[ContentError]:
    """A section's key insight that a reader would not reach on its first screen: placed after a
    figure, or after more than KEY_IDEA_WORDS words of prose."""
    problems = []
    for section in content.sections:
        words = 0
        figure = False
        for offset, line in enumerate(section.body.split("\n")):
            if INSIGHT.match(line):
                if figure or words > KEY_IDEA_WORDS:
                    where = "after a figure" if figure else f"after {words} words"
                    problems.append(ContentError(
                        section.file, section.body_first_line + offset, "",
                        f"the key insight comes {where}, below the section's first screen",
                        f"move it up, after an opening of at most {KEY_IDEA_WORDS} words"))
                break
            figure = figure or bool(DIRECTIVE_LIKE.search(line))
            words += len(line.split())
    return problems


TODO = re.compile(r"\bTODO\b")


def check_leftover_todos(content_root) -> list[ContentError]:
    """A TODO left in a content file (a scaffold's placeholder, an author's note) would reach the page."""
    problems = []
    for path in sorted(content_root.rglob("*")):
        if path.suffix not in (".md", ".yaml") or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if TODO.search(line.split("#", 1)[0] if path.suffix == ".yaml" else line):
                problems.append(ContentError(f"content/{path.relative_to(content_root).as_posix()}", number, "",
                                             "a TODO is left in the text", "replace it before publishing"))
    return problems


def check_alt_texts(charts) -> list[ContentError]:
    """Charts without a text alternative."""
    return [ContentError("index.html", None, chart.id, "chart has no text alternative",
                         "give the Chart an alt_text that states its takeaway")
            for chart in charts if not chart.alt_text.strip()]
