"""Glossary terms marked at their first use in each section (content/glossary.yaml).

The first use of a term in a section's prose becomes a button that opens the term's definition in
a native popover (`popovertarget`, no script: keyboard, touch and a click open it; Escape or a tap
elsewhere closes it). Headings, links, code, formulas and summaries are left alone, and so is any
term already marked; figures are placed after the marking, so their text is never touched.

Each term has one popover on the page, `term_popovers`, which every section's button opens: a term
used in four sections once carried four copies of its definition.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from kdsite.content.load import GlossaryTerm

TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
# Inside these a term stays as it is: they are already interactive, structural, or not prose.
SKIP = {"a", "button", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "dfn", "abbr", "script",
        "style", "svg", "math", "sub", "sup", "figure", "table", "label", "select", "option", "textarea"}


def term_pattern(term: GlossaryTerm) -> re.Pattern:
    """The term's forms as whole words, longest first, case as written."""
    forms = sorted((term.term, *term.forms), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(form) for form in forms) + r")(?![\w-])")


def popover_id(term: GlossaryTerm) -> str:
    return f"term-{term.id}"


def term_popovers(terms: tuple[GlossaryTerm, ...], markup: str, cite: Callable[[str], str]) -> str:
    """One popover for each term a button in `markup` opens, in glossary order; `cite(reference_id)`
    is the citation link a definition with a source ends with."""
    used = set(re.findall(r'popovertarget="(term-[^"]+)"', markup))
    return "\n".join(f'<span class="term-popover" popover id="{popover_id(term)}" role="note">'
                     f'<strong>{escape(term.term)}</strong>: {escape(term.definition)}'
                     f'{" " + cite(term.source) if term.source else ""}</span>'
                     for term in terms if popover_id(term) in used)


def mark_terms(markup: str, terms: tuple[GlossaryTerm, ...]) -> str:
    """`markup` with each term's first use outside skipped elements marked with the button that
    opens its popover (term_popovers): its first use in the prose a reader sees with every fold
    closed, else its first use inside a fold ("Go deeper", a prediction's answer). A term first
    met in a closed fold used to be marked there, and a reader who never opened it met the term
    later, in the core text, with no definition."""
    unused = [(term, term_pattern(term)) for term in terms]
    markup = _mark_outside(markup, unused, SKIP | {"details"})
    return _mark_outside(markup, unused, SKIP) if unused else markup


def _mark_outside(markup: str, unused: list, skip: set[str]) -> str:
    """Mark the first use of each term in `unused` (removed as it is marked) outside `skip` elements."""
    out: list[str] = []
    skipping: list[str] = []
    position = 0
    for tag in TAG.finditer(markup):
        out.append(_mark(markup[position:tag.start()], unused) if not skipping and unused
                   else markup[position:tag.start()])
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if name in skip:  # none of them is a void element, so each has a closing tag
            if closing and name in skipping:
                del skipping[len(skipping) - 1 - skipping[::-1].index(name):]
            elif not closing:
                skipping.append(name)
        out.append(tag.group(0))
        position = tag.end()
    out.append(_mark(markup[position:], unused) if not skipping and unused else markup[position:])
    return "".join(out)


def _mark(text: str, unused: list) -> str:
    while unused:
        found = [(match.start(), index, match) for index, (_, pattern) in enumerate(unused)
                 if (match := pattern.search(text))]
        if not found:
            return text
        _, index, match = min(found, key=lambda item: (item[0], item[1]))
        term, _ = unused.pop(index)
        marked = f'<button type="button" class="term" popovertarget="{popover_id(term)}">{match.group(1)}</button>'
        return text[:match.start()] + marked + _mark(text[match.end():], unused)
    return text
