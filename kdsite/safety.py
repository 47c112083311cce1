"""What Markdown may contain: the policy against hostile or accidental HTML and script links.

Policy (README, "Hostile text"):
- Raw HTML in Markdown is rejected, except these inline tags without attributes: sub, sup, i, b,
  em, strong, code, kbd, br, abbr, small. Code spans and fenced code blocks may show any text;
  it is escaped. (Indented code blocks are checked like prose, since callout bodies are indented.)
- Links and images may only point to http(s) addresses, page anchors (#id) or relative paths;
  javascript:, data:, vbscript: and file: addresses are rejected.
- Text from YAML is always escaped by the templates (Jinja autoescaping).
"""

from __future__ import annotations

import re

from kdsite.errors import ContentError

ALLOWED_TAGS = {"sub", "sup", "i", "b", "em", "strong", "code", "kbd", "br", "abbr", "small"}
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
COMMENT = re.compile(r"<!--")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"`+[^`]*`+")
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)|<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
SAFE_SCHEME = re.compile(r"^(https?:|#|mailto:)|^[^:]*$", re.IGNORECASE)


def markdown_problems(text: str, file: str, first_line: int) -> list[ContentError]:
    """Every disallowed HTML tag and unsafe link target in one section's Markdown, with its line."""
    problems: list[ContentError] = []
    in_fence = False
    for offset, line in enumerate(text.split("\n")):
        number = first_line + offset
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        visible = CODE_SPAN.sub("", line)
        if COMMENT.search(visible):
            problems.append(ContentError(file, number, "markdown", "HTML comments are not allowed",
                                         "delete the comment; Markdown has no hidden text"))
        for closing, name, attributes in TAG.findall(visible):
            if attributes.startswith(":"):
                continue  # an autolink such as <https://…>, checked below as a link
            if name.lower() not in ALLOWED_TAGS or attributes.strip().strip("/"):
                problems.append(ContentError(
                    file, number, "markdown", f"raw HTML <{closing}{name}{attributes}> is not allowed",
                    f"use Markdown; allowed inline tags without attributes: {', '.join(sorted(ALLOWED_TAGS))}"))
        for groups in LINK_TARGET.findall(visible):
            target = next((g for g in groups if g), "")
            if target and not SAFE_SCHEME.match(target):
                problems.append(ContentError(file, number, "markdown", f"unsafe link target '{target}'",
                                             "links may point to https:// addresses, #anchors or relative paths"))
    return problems

