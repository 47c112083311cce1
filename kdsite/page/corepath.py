"""The core path's length: the words of prose a reader sees with every folded block closed.

Counted on the rendered page, inside <main>: paragraphs, lists, headings, callouts, figure notes
and the summaries of folded blocks. Not counted: what a <details> folds (a "Go deeper" block, a
chart's data table, a predict prompt's answer) and what a popover holds (a term's definition), tables, charts and their static copies, controls
(class js-only), text for screen readers only (class visually-hidden), scripts and styles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HIDDEN_TAGS = {"script", "style", "svg", "noscript", "template", "table", "math"}
HIDDEN_CLASSES = {"chart", "js-only", "visually-hidden"}
WORD = re.compile(r"[^\W_](?:[\w'’.,%/−-]*[^\W_])?")


@dataclass(frozen=True)
class Length:
    core: int    # words visible with every <details> closed
    total: int   # words with every <details> open (still no tables, charts or controls)


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, hidden, folded) per open element
        self.core = self.total = 0

    def _state(self) -> tuple[bool, bool]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, False)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        hidden, folded = self._state()
        classes = set((dict(attrs).get("class") or "").split())
        hidden = hidden or tag in HIDDEN_TAGS or bool(classes & HIDDEN_CLASSES)
        if self.stack and self.stack[-1][0] == "details" and tag != "summary":
            folded = True  # a <details>'s content apart from its summary
        folded = folded or "popover" in dict(attrs)  # a glossary definition, shown when opened
        self.stack.append((tag, hidden, folded))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):  # tolerate an unclosed <p> or <li>
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        hidden, folded = self._state()
        if not hidden:
            words = len(WORD.findall(data))
            self.total += words
            self.core += 0 if folded else words


def page_length(html: str) -> Length:
    """The core path's words and the words of all the page's prose, inside <main>."""
    start, end = html.find("<main"), html.rfind("</main>")
    counter = _Counter()
    counter.feed(html[start:end] if start >= 0 and end > start else "")
    counter.close()
    return Length(counter.core, counter.total)
