"""What Markdown may produce: the HTML that Python-Markdown wrote, passed through an allowlist.

The policy is applied to the HTML, not to the author's text, so every way of writing a tag
(raw HTML in any case or split over lines, attribute lists such as ``{: onclick=…}``, entity-encoded
or line-broken ``javascript:`` targets, reference-style link definitions) meets the same check.
nh3 (a binding to the Rust sanitizer Ammonia) removes everything outside the allowlist; whatever
it would remove is a build error naming the file and the source line, so the page never silently
differs from what the author wrote. Code in fences and spans is escaped by Markdown, so it reaches
the sanitizer as text and is shown as text.

Allowed (README, "Hostile text"):
- the elements Markdown itself writes (paragraphs, headings, lists, tables, quotes, code, callouts,
  footnotes, abbreviations, definition lists) and the inline tags ``sub sup i b em strong code kbd
  br abbr small`` without attributes (``abbr`` may carry a title);
- links to ``https://`` addresses, ``#anchors`` and relative paths (no ``//host``, no leading
  ``/`` or ``\\``, no spaces or control characters); no other scheme (``javascript:``, ``data:``,
  ``http:``, ``mailto:``, ``file:``) and no images.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from kdsite.errors import ContentError

INLINE_TAGS = {"sub", "sup", "i", "b", "em", "strong", "code", "kbd", "br", "abbr", "small"}
BLOCK_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "hr",
              "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "div", "a"}
ALLOWED_TAGS = INLINE_TAGS | BLOCK_TAGS
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "sup": {"id"},
    "li": {"id"},
}
# Classes are allowed through ALLOWED_CLASSES only (Ammonia refuses `class` in both lists).
# Callout kinds the stylesheet knows (`!!! insight "Key insight"`), and Markdown's footnote markup.
CALLOUT_KINDS = {"insight", "note", "tip", "warning", "deeper", "predict"}  # deeper, predict: folded (page/render.py)
ALLOWED_CLASSES = {
    "div": {"admonition", "footnote"} | CALLOUT_KINDS,
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
}
FOOTNOTE_ID = re.compile(r"^fn(ref)?:[A-Za-z0-9_-]{1,40}$")
ALIGNMENTS = {"left", "right", "center"}
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
LINK_HINT = "links may point to https:// addresses, #anchors or relative paths such as notes.html"
TAG_HINT = ("use Markdown; raw HTML may only be the inline tags "
            + ", ".join(sorted(INLINE_TAGS)) + ", without attributes")


def link_problem(url: str) -> str | None:
    """Why `url` may not be a link target, or None when it is allowed (https, #anchor, relative)."""
    if not url:
        return "empty link target"
    if any(ord(char) < 33 or ord(char) == 127 or char == "\\" for char in url):
        return f"link target '{url}' holds a space, a control character or a backslash"
    if url.startswith("#"):
        return None
    scheme = SCHEME.match(url)
    if scheme:
        if scheme.group(1).lower() == "https" and url[len("https:"):].startswith("//") and len(url) > 8:
            return None
        return f"link target '{url}' uses the scheme '{scheme.group(1)}:'"
    if url.startswith("/"):
        return f"link target '{url}' starts with '/', which leaves the site"
    if ":" in url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return f"link target '{url}' looks like a scheme"
    return None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if link_problem(value) is None else None
    if attribute == "id":
        return value if FOOTNOTE_ID.match(value) else None
    if attribute == "align":
        return value if value in ALIGNMENTS else None
    if attribute == "start":
        return value if value.isdigit() and len(value) <= 6 else None
    return value


def sanitize(markup: str) -> str:
    """`markup` with every element, attribute, class and link target outside the allowlist removed."""
    return nh3.clean(markup, tags=ALLOWED_TAGS, clean_content_tags={"script", "style"},
                     attributes=ALLOWED_ATTRIBUTES, attribute_filter=_attribute_filter,
                     allowed_classes=ALLOWED_CLASSES, url_schemes={"https"}, link_rel=None,
                     strip_comments=True)


# --- Finding what the sanitizer removed, and where the author wrote it -----------------------

Token = tuple  # ("start", tag, attributes) | ("end", tag) | ("data", text) | ("comment", text) | …


class _Tokens(HTMLParser):
    """HTML as a list of tokens with entities decoded, so two serializations compare equal."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(sorted((name, value or "") for name, value in attrs))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        if self.tokens and self.tokens[-1][0] == "data":
            self.tokens[-1] = ("data", self.tokens[-1][1] + data)
        else:
            self.tokens.append(("data", data))

    def handle_comment(self, data):
        self.tokens.append(("comment", data))

    def handle_decl(self, decl):
        self.tokens.append(("declaration", decl))

    def unknown_decl(self, data):
        self.tokens.append(("declaration", data))

    def handle_pi(self, data):
        self.tokens.append(("instruction", data))


def tokens(markup: str) -> list[Token]:
    """The token list of `markup` (see _Tokens)."""
    parser = _Tokens()
    parser.feed(markup)
    parser.close()
    return [token for token in parser.tokens if token != ("data", "")]


@dataclass(frozen=True)
class Removal:
    """One thing the sanitizer removed: what, a hint, and texts to look for in the source."""

    message: str
    hint: str
    needles: tuple[str, ...]


def _describe(token: Token) -> Removal | None:
    """Why the sanitizer removed (part of) `token`; None for tokens that are only collateral."""
    kind = token[0]
    if kind == "start":
        _, tag, attributes = token
        if tag == "img":
            return Removal("images are not allowed in Markdown", "place a registered figure with "
                           "[[figure: NAME]] instead", ("![", "<img"))
        if tag not in ALLOWED_TAGS:
            return Removal(f"raw HTML <{tag}> is not allowed", TAG_HINT, (f"<{tag}", tag))
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"class"} if tag in ALLOWED_CLASSES else set())
        for name, value in attributes:
            if name not in allowed:
                return Removal(f"attribute '{name}' on <{tag}> is not allowed",
                               "remove it; attribute lists such as {: …} may not add attributes",
                               (f"{name}=", name))
            if name == "href" and link_problem(value):
                needles = (value, value.split(":", 1)[-1], value.lstrip("/"))
                return Removal(f"unsafe {link_problem(value)}", LINK_HINT, needles)
            if name == "class":
                bad = [c for c in value.split() if c not in ALLOWED_CLASSES.get(tag, set())]
                if bad:
                    return Removal(f"class '{bad[0]}' on <{tag}> is not allowed",
                                   "remove it; classes are set by the callout syntax (!!! insight \"Title\")",
                                   (f".{bad[0]}", bad[0]))
            if _attribute_filter(tag, name, value) is None:
                return Removal(f"attribute {name}=\"{value}\" on <{tag}> is not allowed",
                               "remove it; ids and attributes come from the Markdown syntax only",
                               (value, name))
        return None
    if kind == "comment":
        return Removal("HTML comments are not allowed", "delete the comment; Markdown has no hidden text",
                       ("<!--",))
    if kind in ("declaration", "instruction"):
        return Removal(f"raw HTML <!{token[1][:20]}> is not allowed", TAG_HINT, ("<!", "<?"))
    return None


def removals(markup: str) -> list[Removal]:
    """Everything the sanitizer would remove from `markup`, in document order.

    Each token is judged against the allowlist in one linear pass; if that finds nothing but the
    sanitizer's output still differs (e.g. it closed or dropped misnested tags), the first
    difference is reported, so nothing the sanitizer changes goes unreported.
    """
    original = tokens(markup)
    found = [removal for removal in map(_describe, original) if removal]
    if found:
        return found
    cleaned = tokens(sanitize(markup))
    if original == cleaned:
        return []
    index = next((i for i, (a, b) in enumerate(zip(original, cleaned)) if a != b), min(len(original), len(cleaned)))
    token = original[index] if index < len(original) else original[-1]
    shown = {"start": f"<{token[1]}>", "end": f"</{token[1]}>"}.get(token[0], str(token[1])[:40])
    return [Removal(f"the sanitizer would change the HTML at {shown!r}: tags are unclosed or misnested",
                    "close every tag you open, in order, or use Markdown instead of HTML",
                    (f"<{token[1]}", str(token[1])))]


class SourceFinder:
    """Maps text found in the rendered HTML back to a line of the Markdown source.

    The search ignores whitespace, letter case and HTML entities, so a target split over lines or
    written as `jav&#x61;script:` is still found; it moves forward through the source, so repeated
    problems map to successive lines.
    """

    def __init__(self, source: str, first_line: int):
        self.first_line = first_line
        characters, lines = [], []
        for offset, line in enumerate(source.split("\n")):
            for char in html.unescape(line).lower():
                if not char.isspace():
                    characters.append(char)
                    lines.append(first_line + offset)
        self.flat = "".join(characters)
        self.lines = lines
        self.position = 0

    def line(self, needles: tuple[str, ...]) -> int:
        """The source line of the first needle found at or after the last find (else anywhere)."""
        for needle in needles:
            flat = "".join(html.unescape(needle).lower().split())
            if not flat:
                continue
            for start in (self.position, 0):
                index = self.flat.find(flat, start)
                if index >= 0:
                    self.position = index + 1
                    return self.lines[index]
        return self.first_line


def sanitized_html(markup: str, source: str, file: str, first_line: int) -> tuple[str, list[ContentError]]:
    """(`markup` sanitized, one ContentError per removal with its line in `source`).

    `source` is the Markdown that produced `markup`, starting at line `first_line` of `file`.
    """
    finder = SourceFinder(source, first_line)
    errors = [ContentError(file, finder.line(removal.needles), "markdown", removal.message, removal.hint)
              for removal in removals(markup)]
    return sanitize(markup), errors
