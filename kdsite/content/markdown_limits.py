"""Bounds on a section's Markdown, checked before Python-Markdown sees it.

Python-Markdown is recursive in nesting and quadratic in some unmatched constructs: 3,000 nested
list markers exhaust the stack, and 3,000 unclosed `[` in one paragraph take seconds (20,000 take
minutes). No lesson needs either, so each is a content error naming its line, and a section that
still takes too long to render is stopped (`render_deadline`).
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from kdsite.content.yamlload import INVISIBLE
from kdsite.errors import ContentError

MAX_SECTION_CHARACTERS = 200_000
MAX_NESTING = 16            # list, quote and callout levels at the start of one line
MAX_BRACKETS_PER_BLOCK = 400  # `[` in one paragraph (a link or citation uses one or two)
MAX_TAGS_PER_BLOCK = 400      # `<` in one paragraph
RENDER_SECONDS = 5.0
# The structural prefix of a line: indentation, quote markers and list markers.
PREFIX = re.compile(r"^(?:\s|>|[-*+](?=\s)|\d{1,9}[.)](?=\s)|!!!)*")


class RenderTimeout(Exception):
    """Rendering one section took longer than RENDER_SECONDS."""


def nesting_depth(line: str) -> int:
    """How many list, quote or callout levels open at the start of `line` (four spaces count one)."""
    prefix = PREFIX.match(line).group(0)
    markers = len(re.findall(r">|[-*+](?=\s)|\d{1,9}[.)](?=\s)|!!!", prefix))
    indent = len(prefix.expandtabs(4)) - len(prefix.lstrip(" \t").expandtabs(4))
    return markers + indent // 4


def limit_problems(body: str, file: str, first_line: int) -> list[ContentError]:
    """Every bound the Markdown `body` (starting at `first_line` of `file`) exceeds."""
    if len(body) > MAX_SECTION_CHARACTERS:
        return [ContentError(file, first_line, "markdown",
                             f"section is {len(body):,} characters long, more than {MAX_SECTION_CHARACTERS:,}",
                             "split it into several sections")]
    problems: list[ContentError] = []
    block_start, brackets, tags, too_deep = first_line, 0, 0, False
    for offset, line in enumerate(body.split("\n") + [""]):
        number = first_line + offset
        if not line.strip():
            if brackets > MAX_BRACKETS_PER_BLOCK:
                problems.append(ContentError(file, block_start, "markdown",
                                             f"a paragraph holds {brackets:,} '[' (at most {MAX_BRACKETS_PER_BLOCK})",
                                             "close the brackets or split the paragraph"))
            if tags > MAX_TAGS_PER_BLOCK:
                problems.append(ContentError(file, block_start, "markdown",
                                             f"a paragraph holds {tags:,} '<' (at most {MAX_TAGS_PER_BLOCK})",
                                             "write &lt; for a literal '<', or split the paragraph"))
            block_start, brackets, tags, too_deep = number + 1, 0, 0, False
            continue
        brackets += line.count("[")
        tags += line.count("<")
        if hidden := INVISIBLE.search(line):  # the rule YAML text follows (kdsite/content/yamlload.py)
            problems.append(ContentError(file, number, "markdown", "text holds an invisible character, "
                                         f"U+{ord(hidden.group()):04X}", "delete it: a reader cannot see it, yet "
                                         "it changes what the text matches or how it shows"))
        if nesting_depth(line) > MAX_NESTING and not too_deep:  # once per paragraph
            too_deep = True
            problems.append(ContentError(file, number, "markdown",
                                         f"lists, quotes or callouts nest {nesting_depth(line)} levels deep "
                                         f"(at most {MAX_NESTING})", "use fewer nested levels"))
    return problems


@contextmanager
def render_deadline(file: str, first_line: int, seconds: float = RENDER_SECONDS) -> Iterator[None]:
    """Stop the enclosed rendering after `seconds` with RenderTimeout (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise RenderTimeout(f"{file}:{first_line}")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
