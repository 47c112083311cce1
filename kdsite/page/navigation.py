"""Where-am-I links: every subsection heading and every figure panel gets a stable id and a small
"#" link to itself, and each figure with controls a "Copy link to this view" button, placed at the
end of the figure's first row of controls (no row of its own: issue 16's page height).

Runs on a section's finished HTML (sanitized Markdown with the figures' partials in place), so the
content stays free of ids and the figure templates need no change. The HTML is the build's own:
Markdown headings come out of the sanitizer as bare `<h3>…</h3>`, and figure panels open with a
tag holding `class="figure-panel …"`.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape, unescape

from markupsafe import Markup

BARE_H3 = re.compile(r"<h3>(.*?)</h3>", re.DOTALL)
PANEL_OPEN = re.compile(r'<(div|figure)\b([^>]*\bclass="figure-panel\b[^"]*"[^>]*)>')
ID_ATTRIBUTE = re.compile(r'\bid="([^"]+)"')
TAG = re.compile(r"<[^>]+>")
MARK_BADGE = re.compile(r'<button type="button" class="mark [^"]*"[^>]*>[^<]*</button>')
# A figure's title: its first chart title, else its table's caption, any heading, its diagram's title.
TITLE_SOURCES = tuple(re.compile(pattern, re.DOTALL) for pattern in (
    r'<h3 class="chart-title">(.*?)</h3>', r"<caption\b[^>]*>(.*?)</caption>", r"<h3\b[^>]*>(.*?)</h3>",
    r"<title\b[^>]*>(.*?)</title>"))
# A figure's first row of controls: a flex row (`control-row`), a grid of two (`control-pair`) or
# the lab's one slider with its ticks (`lab-slider`).
CONTROL_ROW_OPEN = re.compile(r'<div\b[^>]*\bclass="[^"]*\b(?:control-row|control-pair|lab-slider)\b[^"]*"[^>]*>')
# Visibly "Copy link", named in full, so it fits beside a figure's controls (WCAG 2.5.3: the name
# starts with the visible words).
COPY_LINK = ('<button type="button" class="copy-link js-only">Copy link'
             '<span class="visually-hidden"> to this view</span></button>')
SLUG_WORDS = 6  # an id made from a title keeps its first words, so links stay short


def plain_text(markup: str) -> str:
    """The text of an HTML fragment, tags dropped, entities decoded, whitespace collapsed."""
    text = " ".join(unescape(TAG.sub("", MARK_BADGE.sub("", markup))).split())
    return re.sub(r" ([:;,.])", r"\1", text)  # where a dropped badge stood before punctuation


def slug(text: str) -> str:
    """An id fragment from text: ASCII letters and digits joined by hyphens, e.g. 'loss-weighting-control'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return "-".join(words[:SLUG_WORDS]) or "part"


def _unique(candidate: str, taken: set[str]) -> str:
    name, number = candidate, 2
    while name in taken:
        name, number = f"{candidate}-{number}", number + 1
    taken.add(name)
    return name


def self_link(target_id: str, kind: str, title: str, css_class: str) -> str:
    """A small "#" link to `target_id` whose accessible name says what it links to."""
    return (f'<a class="{css_class}" href="#{escape(target_id)}" '
            f'aria-label="Link to this {kind}: {escape(title)}"><span aria-hidden="true">#</span></a>')


def _panel_title(region: str, fallback: str) -> str:
    for pattern in TITLE_SOURCES:
        found = pattern.search(region)
        if found and plain_text(found.group(1)):
            return plain_text(found.group(1))
    return fallback


def _panel_end(markup: str, tag: str, start: int) -> int:
    """Where the element whose opening tag ends at `start` closes (the build's HTML is well formed)."""
    depth = 1
    for found in re.finditer(rf"<{tag}\b|</{tag}>", markup[start:]):
        depth += -1 if found.group(0).startswith("</") else 1
        if depth == 0:
            return start + found.start()
    return len(markup)


def _copy_links_in_control_rows(markup: str) -> str:
    """Each figure with controls gets its copy button at the end of its first row of controls
    (before that row's `</div>`); a figure without such a row is left as it is."""
    places = []
    for opening in PANEL_OPEN.finditer(markup):
        if "data-figure=" in opening.group(2):
            row = CONTROL_ROW_OPEN.search(markup, opening.end(), _panel_end(markup, opening.group(1), opening.end()))
            if row:
                places.append(_panel_end(markup, "div", row.end()))
    pieces, position = [], 0
    for place in places:
        pieces += [markup[position:place], COPY_LINK]
        position = place
    return "".join(pieces) + markup[position:]


def _link_panels(markup: str, taken: set[str]) -> str:
    pieces, position = [], 0
    for opening in PANEL_OPEN.finditer(markup):
        region = markup[opening.end():_panel_end(markup, opening.group(1), opening.end())]
        attributes = opening.group(2)
        existing = ID_ATTRIBUTE.search(attributes)
        title = _panel_title(region, existing.group(1).replace("-", " ") if existing else "figure")
        if existing:
            panel_id, tag = existing.group(1), opening.group(0)
        else:
            panel_id = _unique(slug(title), taken)
            tag = f'<{opening.group(1)}{attributes} id="{panel_id}">'
        tools = self_link(panel_id, "figure", title, "figure-link")
        if "data-figure=" in attributes and 'class="copy-link' not in region:
            tools += COPY_LINK  # no row of controls to join: the button gets the tools' row
        pieces += [markup[position:opening.start()], tag, f'<div class="figure-tools">{tools}</div>']
        position = opening.end()
    return "".join(pieces) + markup[position:]


def link_headings_and_figures(markup: str, section_id: str) -> Markup:
    """A section's HTML with an id and a "#" link on each Markdown subsection heading (h3) and
    figure panel. Heading ids are the section id and the heading's first words
    ('why-the-big-vs-small-model-dilemma'); a figure keeps its own id."""
    taken = set(ID_ATTRIBUTE.findall(markup))

    def heading(match: re.Match) -> str:
        title = plain_text(match.group(1))
        heading_id = _unique(f"{section_id}-{slug(title)}", taken)
        return (f'<h3 id="{heading_id}">{match.group(1)} '
                f'{self_link(heading_id, "part", title, "heading-link")}</h3>')

    return Markup(_link_panels(_copy_links_in_control_rows(BARE_H3.sub(heading, markup)), taken))
