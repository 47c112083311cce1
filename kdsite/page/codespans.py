"""Where a section's Markdown source is code, so kdsite's own syntax inside code stays text.

An author may show the syntax itself: `[@hinton2015]`, `[[mark: modeled]]` or a fenced block with
`[[figure: NAME]]` in it. Citations, marks and figure directives are found in the source before
Markdown runs, so each finder asks `inside` whether a match lies in code and leaves it alone: no
link, no badge, no figure, and no "unknown id" error for an example that is not meant to resolve.

Code here is what Markdown makes code of on one line or between fences: a fenced block (``` or
~~~, the fence lines included) and an inline span between two equal runs of backticks on one line.
"""

from __future__ import annotations

import re

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
BACKTICKS = re.compile(r"`+")


def code_ranges(text: str) -> list[list[tuple[int, int]]]:
    """For each line of `text`, the (start, end) columns that are code."""
    ranges: list[list[tuple[int, int]]] = []
    fence: str | None = None
    for line in text.split("\n"):
        opening = FENCE.match(line)
        if fence is not None:
            ranges.append([(0, len(line))])
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) \
                    and not line[opening.end():].strip():
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            ranges.append([(0, len(line))])
            continue
        runs = list(BACKTICKS.finditer(line))
        spans, index = [], 0
        while index < len(runs):
            closing = next((k for k in range(index + 1, len(runs)) if runs[k].group() == runs[index].group()), None)
            if closing is None:
                index += 1
                continue
            spans.append((runs[index].start(), runs[closing].end()))
            index = closing + 1
        ranges.append(spans)
    return ranges


def inside(ranges: list[list[tuple[int, int]]], line: int, column: int) -> bool:
    """Whether column `column` of line `line` (both 0-based) is code."""
    return line < len(ranges) and any(start <= column < end for start, end in ranges[line])
