"""Citations: `[@id]` or `[@id, §2]` in Markdown and `cite('id')` in templates become numbered links.

Each link points at the reference's entry in the references section (`#ref-ID`), and the number
is the reference's place in content/references.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from markupsafe import Markup

from kdsite.content.load import Reference
from kdsite.errors import ContentError, ContentErrors
from kdsite.page.codespans import code_ranges, inside

CITATION = re.compile(r"\[@([A-Za-z0-9_-]+)(?:\s*,\s*([^\]]+))?\]")


def citation_html(reference: Reference, locator: str = "") -> Markup:
    """A bracketed, numbered link to the reference, e.g. [1, §2]."""
    text = f"{reference.number}, {locator}" if locator else str(reference.number)
    return Markup(f'<a class="cite" href="#ref-{escape(reference.id)}" '
                  f'title="{escape(reference.authors)} ({reference.year})">[{escape(text)}]</a>')


def replace_citations(text: str, references: dict[str, Reference], file: str, first_line: int,
                      keep: Callable[[str, str], str] | None = None) -> str:
    """Replace every [@id] in Markdown `text` outside code; unknown ids are ContentErrors with their line.

    Each citation becomes its link, or `keep(source_text, link_html)` when given (the renderer
    passes one that stores the link and returns a placeholder, so the link skips the sanitizer).
    A citation inside code (kdsite/page/codespans.py) stays text.
    """
    errors: list[ContentError] = []
    code = code_ranges(text)

    def substitute(match: re.Match, line: int) -> str:
        if inside(code, line - first_line, match.start()):
            return match.group(0)
        reference = references.get(match.group(1))
        if reference is None:
            errors.append(ContentError(file, line, "citation", f"unknown reference id '{match.group(1)}'",
                                       "add it to content/references.yaml or fix the id"))
            return match.group(0)
        markup = str(citation_html(reference, (match.group(2) or "").strip()))
        return keep(match.group(0), markup) if keep else markup

    lines = text.split("\n")
    for offset, line in enumerate(lines):
        lines[offset] = CITATION.sub(lambda m, n=first_line + offset: substitute(m, n), line)
    if errors:
        raise ContentErrors(errors)
    return "\n".join(lines)
