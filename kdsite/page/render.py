"""Render the page: section Markdown with figure directives, laid out by Jinja templates.

Directive: a line holding only ``[[figure: NAME]]`` places the registered figure NAME there.
"""

from __future__ import annotations

import hashlib
import re
from html import escape
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import jinja2
import markdown

from kdsite.page.citations import CITATION, citation_html, replace_citations
from kdsite.page.codespans import code_ranges, inside
from kdsite.page.early_loader import with_early_loader
from kdsite.page.glossary import mark_terms, term_popovers
from kdsite.page.navigation import link_headings_and_figures
from kdsite.page.presenter import placements_in, presenter_steps, scene_problems
from kdsite.content.load import Content, Reference, Section
from kdsite.errors import ContentError, ContentErrors
from kdsite.figures.common import Chart, script_json
from kdsite.content.markdown_limits import RENDER_SECONDS, RenderTimeout, limit_problems, render_deadline
from kdsite.content.sanitize import CALLOUT_KINDS, sanitized_html

DIRECTIVE = re.compile(r"^\[\[\s*figure\s*:\s*([^\]\s]*)\s*\]\]\s*$")
DIRECTIVE_LIKE = re.compile(r"\[\[\s*figure\b")
# What a directive or citation kdsite does not know looks like: "[[figur: x]]", "[[Figure: x]]",
# "[@ id]", "[@a; @b]". Left alone, it would reach the page as brackets and the figure would be missing.
DIRECTIVE_WORD = re.compile(r"\[\[\s*([^\s:\]]+)\s*:")
CITATION_START = re.compile(r"\[@")
DEEPER_LINE = re.compile(r"^!!!\s+(?:deeper|predict)\b")
MARK = re.compile(r"\[\[\s*mark\s*:\s*([a-z]+)\s*\]\]")
# What each mark means, in the popover every badge of its kind opens (one per kind, at the page's end).
MARK_MEANINGS = {
    "cited": "quoted from the source cited beside it or named in its figure.",
    "measured": "timed or measured on real hardware by the cited source, not by this page.",
    "modeled": "computed by this page's model from the assumptions it states: an estimate to compare "
               "settings with, not a measurement.",
    "illustrative": "chosen by hand to show the idea, not taken from any model or dataset.",
    "experiment": "a result of this page's own training runs (the lab): real networks trained on real "
                  "digits, repeated over several seeds.",
}
MARK_KINDS = tuple(MARK_MEANINGS)
# No remote origins at all; scripts only from the site's own files (Vega runs its expressions
# through its interpreter, so no 'unsafe-eval'); inline styles because Vega sets style attributes.
# 'self' rather than hashes of the script files: a hash source allows an external script only
# through Subresource Integrity, which Chromium refuses for file:// pages (no CORS there), so the
# double-clicked zip would run no script. 'self' allows no inline script, so a script element that
# reached the page some other way does not run; the single file swaps in hashes of its own scripts.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self'; font-src 'self'; connect-src 'none'; object-src 'none'; "
                           "base-uri 'none'; form-action 'none'")
# The instructor's page runs no script at all.
NOTES_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'none'")


@dataclass(frozen=True)
class RenderedSection:
    """A section ready for the page template: its id, title and HTML body."""

    id: str
    title: str
    html: str


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process: each build makes a new environment, and compiling the
    templates anew was a quarter of a warm build (`kdsite serve` rebuilds in one process). Kept in
    memory, never on disk (Jinja's disk cache unpickles what it reads). A template is found again
    only under its name and the checksum of its source, so an edited template compiles afresh;
    every environment that uses this cache comes from `template_environment`, with one set of
    options, so the code compiled for one suits the others."""

    compiled: dict[tuple[str, str], Any] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[(bucket.key, bucket.checksum)] = bucket.code


def template_environment(templates: Path) -> jinja2.Environment:
    """Jinja with autoescaping and strict undefined names, so a template typo fails the build."""
    env = jinja2.Environment(
        bytecode_cache=CompiledTemplates(),
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = lambda value: jinja2.filters.Markup(script_json(value))
    # A chooser's (value, text) pairs from a list of records: examples | options("id", "label").
    env.filters["options"] = lambda items, value, text: [(getattr(item, value), getattr(item, text)) for item in items]
    return env


def find_figures(text: str, section: Section, known: set[str], placeholder: str) -> tuple[str, list[str]]:
    """Replace directives with placeholders; return the new Markdown and the figure names in order.

    Raises ContentErrors naming the file and line of every unknown or malformed directive.
    """
    names: list[str] = []
    errors: list[ContentError] = []
    code = code_ranges(text)
    lines = text.split("\n")
    in_deeper = False  # inside a `!!! deeper` block, whose body is indented by four spaces
    for offset, line in enumerate(lines):
        number = section.body_first_line + offset
        if line.strip() and not line.startswith(" "):
            in_deeper = DEEPER_LINE.match(line) is not None
        indent = "    " if in_deeper and line.startswith("    ") and not line.startswith("     ") else ""
        match = DIRECTIVE.match(line.strip())
        like = DIRECTIVE_LIKE.search(line)
        if like and inside(code, offset, like.start()):  # a directive always matches DIRECTIVE_LIKE too
            continue  # in a fenced block or a code span: the syntax shown as text
        if match:
            name = match.group(1)
            if name not in known:
                errors.append(ContentError(section.file, number, "figure", f"unknown figure name '{name}'",
                                           f"known figures: {', '.join(sorted(known))}"))
                continue
            # Blank lines around it make the placeholder a paragraph of its own; the line count of
            # the text changes, which is why problems are located in the original source.
            lines[offset] = "\n" + indent + placeholder.format(kind="FIGURE", index=len(names)) + "\n"
            names.append(name)
        elif like:
            errors.append(ContentError(section.file, number, "figure", "malformed figure directive",
                                       "write it alone on its line: [[figure: NAME]]"))
    if errors:
        raise ContentErrors(errors)
    return "\n".join(lines), names


def mark_html(kind: str) -> str:
    """A visible badge saying where a number comes from: illustrative, modeled, cited or measured.

    A button opening its kind's meaning in a native popover (mark_key_html), so a tap, a click or
    the keyboard shows it, with or without JavaScript (no title: the popover says it, for every reader).
    """
    return f'<button type="button" class="mark mark-{kind}" popovertarget="mark-key-{kind}">{kind}</button>'



def mark_key_html() -> str:
    """The popovers the mark badges open, one per kind."""
    return "\n".join(f'<span class="term-popover mark-popover" popover id="mark-key-{kind}" role="note">'
                     f'<strong>{kind.capitalize()}</strong>: {meaning[0].upper()}{meaning[1:]}</span>'
                     for kind, meaning in MARK_MEANINGS.items())


def unknown_syntax(section: Section) -> list[ContentError]:
    """Directive- or citation-like text outside code that no rule reads (see DIRECTIVE_WORD)."""
    errors = []
    code = code_ranges(section.body)
    for offset, line in enumerate(section.body.split("\n")):
        number = section.body_first_line + offset
        for match in DIRECTIVE_WORD.finditer(line):
            if match.group(1) not in ("figure", "mark") and not inside(code, offset, match.start()):
                errors.append(ContentError(section.file, number, "directive", f"unknown directive '{match.group(0)}'",
                                           "write [[figure: NAME]] or [[mark: KIND]], in lowercase; in `code` "
                                           "it stays text"))
        for match in CITATION_START.finditer(line):
            if not CITATION.match(line, match.start()) and not inside(code, offset, match.start()):
                errors.append(ContentError(section.file, number, "citation", "malformed citation "
                                           f"'{line[match.start():match.start() + 40].split(']')[0]}]'",
                                           "write [@id] or [@id, locator], one id a bracket, no space after @; "
                                           "ids use letters, digits, - and _"))
    return errors


CALLOUT_LINE = re.compile(r'^!!!\s*(\S*)\s*(?:"(.*)")?\s*$')


def callout_problems(section: Section) -> list[ContentError]:
    """`!!! KIND "Title"` lines outside code: a kind the page has, a title where the callout shows
    one (a predict callout's is its question), and a body indented under it. Before, "!!! deepr"
    failed as "class 'deepr' on <div> is not allowed", a body left unindented made an empty fold
    with the text spilling out below it, and "!!! predict" alone asked "Predict".
    """
    errors = []
    lines = section.body.split("\n")
    code = code_ranges(section.body)
    for offset, line in enumerate(lines):
        if not line.startswith("!!!") or inside(code, offset, 0):
            continue
        number = section.body_first_line + offset
        match = CALLOUT_LINE.match(line)
        kind, title = (match.group(1), match.group(2)) if match else ("", None)
        if kind not in CALLOUT_KINDS:
            errors.append(ContentError(section.file, number, "callout", f"unknown callout '{line.strip()[:40]}'",
                                       f'write !!! KIND "Title" with KIND one of: {", ".join(sorted(CALLOUT_KINDS))}'))
            continue
        if kind in ("deeper", "predict") and not (title or "").strip():
            errors.append(ContentError(section.file, number, "callout", f"'!!! {kind}' has no "
                                       + ("question" if kind == "predict" else "title"),
                                       f'write !!! {kind} "…" on one line; the text in quotes is the '
                                       + ("question the reader answers first" if kind == "predict"
                                          else "title of the fold")))
        following = next((text for text in lines[offset + 1:] if text.strip()), "")
        if not following.startswith("    "):
            errors.append(ContentError(section.file, number, "callout", f"'!!! {kind}' has no body",
                                       "indent its text by four spaces on the lines below it"))
    return errors


def replace_marks(text: str, section: Section, placeholder: str, trusted: list[tuple[str, str]]) -> str:
    """Replace inline [[mark: KIND]] directives by placeholders for their badges (kept in `trusted`).

    An unknown kind is a ContentError with its line.
    """
    errors = []
    code = code_ranges(text)
    lines = text.split("\n")
    for offset, line in enumerate(lines):
        for match in MARK.finditer(line):
            if match.group(1) not in MARK_KINDS and not inside(code, offset, match.start()):
                errors.append(ContentError(section.file, section.body_first_line + offset, "mark",
                                           f"unknown mark '{match.group(1)}'", f"use one of: {', '.join(MARK_KINDS)}"))
    if errors:
        raise ContentErrors(errors)

    def keep(match: re.Match, offset: int) -> str:
        if inside(code, offset, match.start()):  # an example of the syntax, shown as text
            return match.group(0)
        trusted.append((match.group(0), mark_html(match.group(1))))
        return placeholder.format(kind="TRUSTED", index=len(trusted) - 1)

    return "\n".join(MARK.sub(lambda m, n=offset: keep(m, n), line) for offset, line in enumerate(lines))


def markdown_to_html(text: str) -> str:
    """Markdown to HTML, with tables, footnotes, attribute lists and callouts (`!!! insight "Key insight"`).

    Table alignment is written as the `align` attribute, not inline style, so the sanitizer can
    allow it exactly.
    """
    return markdown.markdown(text, extensions=["extra", "sane_lists", "admonition"], output_format="html",
                             extension_configs={"extra": {"tables": {"use_align_attribute": True}}})


CALLOUT_OPEN = re.compile(r'<div class="admonition (deeper|predict)">\s*<p class="admonition-title">(.*?)</p>', re.DOTALL)
DIV_TAG = re.compile(r"<div\b|</div>")


def _deeper(title: str, body: str) -> str:
    summary = f"Go deeper: {title}" if title.lower() != "deeper" else "Go deeper"
    return f'<details class="deeper"><summary>{summary}</summary>{body}</details>'


def _predict(title: str, body: str) -> str:
    return (f'<div class="predict"><p class="predict-question"><strong class="predict-label">Predict first:</strong> '
            f'{title}</p><details class="predict-answer"><summary>Check your prediction</summary>{body}</details></div>')


FOLDS = {"deeper": _deeper, "predict": _predict}


def fold_deeper_blocks(markup: str) -> str:
    """Callouts, already sanitized, that fold their body into a native <details> closed by default:
    `!!! deeper "Title"` becomes <details class="deeper"> (summary "Go deeper: Title"), and
    `!!! predict "Question?"` the question in view with its answer folded under "Check your
    prediction". The sanitizer's output is well formed and escapes `<` in text, so counting <div>
    tags finds the callout's own closing tag."""
    while (opening := CALLOUT_OPEN.search(markup)) is not None:
        depth, position = 1, opening.end()
        for tag in DIV_TAG.finditer(markup, position):
            depth += 1 if tag.group(0) == "<div" else -1
            if depth == 0:
                break
        else:  # unreachable for sanitized HTML; leave the callout as it is rather than guess
            return markup
        folded = FOLDS[opening.group(1)](opening.group(2).strip(), markup[opening.end():tag.start()])
        markup = markup[:opening.start()] + folded + markup[tag.end():]
    return markup


CODE_REGION = re.compile(r"<(code|pre)>.*?</\1>", re.DOTALL)
FOOTNOTE_TARGET = re.compile(r'(id="|href="#)(fn(?:ref)?:)')


def _placeholder_pattern(section: Section) -> str:
    # Derived from the text itself, so an author cannot write a placeholder that already means
    # something, and the same text always renders to the same bytes.
    nonce = hashlib.sha256(section.body.encode("utf-8")).hexdigest()[:12].upper()
    return "KDSITE" + nonce + "{kind}{index}END"


def _restore(html: str, placeholder: str, trusted: list[tuple[str, str]]) -> str:
    """Put citations and marks back: as links outside code, as the author's text inside code."""
    def token(index: int) -> str:
        return placeholder.format(kind="TRUSTED", index=index)

    def in_code(match: re.Match) -> str:
        region = match.group(0)
        for index, (source, _) in enumerate(trusted):
            region = region.replace(token(index), escape(source))
        return region

    html = CODE_REGION.sub(in_code, html)
    for index, (_, markup) in enumerate(trusted):
        html = html.replace(token(index), markup)
    return html


def section_html(section: Section, known: set[str], references: dict[str, Reference] | None
                 ) -> tuple[str, list[str], list[ContentError]]:
    """(sanitized HTML with figure placeholders, figure names in order, every problem found).

    Each problem names the file and the line of the Markdown source: unknown citations, marks and
    figures, and everything the HTML sanitizer (kdsite/content/sanitize.py) would remove. With
    `references` None (references.yaml itself is broken) citations are not checked.
    """
    limits = limit_problems(section.body, section.file, section.body_first_line)
    if limits:
        return "", [], limits
    placeholder = _placeholder_pattern(section)
    trusted: list[tuple[str, str]] = []
    errors: list[ContentError] = unknown_syntax(section) + callout_problems(section)
    text = section.body
    if references is not None:
        try:
            text = replace_citations(text, references, section.file, section.body_first_line,
                                     lambda source, markup: trusted.append((source, markup))
                                     or placeholder.format(kind="TRUSTED", index=len(trusted) - 1))
        except ContentErrors as problem:
            errors.extend(problem.errors)
    names: list[str] = []
    try:
        text = replace_marks(text, section, placeholder, trusted)
    except ContentErrors as problem:
        errors.extend(problem.errors)
    try:
        text, names = find_figures(text, section, known, placeholder)
    except ContentErrors as problem:
        errors.extend(problem.errors)
    try:
        with render_deadline(section.file, section.body_first_line):
            markup = markdown_to_html(text)
            markup, problems = sanitized_html(markup, section.body, section.file, section.body_first_line)
    except (RecursionError, RenderTimeout):
        return "", [], errors + [ContentError(section.file, section.body_first_line, "markdown",
                                              f"the Markdown is too complex to render within {RENDER_SECONDS:g} s",
                                              "use fewer nested lists, quotes and brackets")]
    # an unknown callout is reported once, by callout_problems, not again as the class it would add
    unknown = {f"class '{match.group(1)}' on <div> is not allowed" for line in section.body.split("\n")
               if (match := CALLOUT_LINE.match(line)) and match.group(1) not in CALLOUT_KINDS}
    errors.extend(problem for problem in problems if problem.message not in unknown)
    markup = fold_deeper_blocks(markup)
    # A directive inside a list, a quote, a callout or a code block is not a paragraph of its own,
    # so no figure could go there: say so rather than show the placeholder.
    directive_lines = [section.body_first_line + offset for offset, line in enumerate(section.body.split("\n"))
                       if (match := DIRECTIVE.match(line.strip())) and match.group(1) in known]
    for index, line in enumerate(directive_lines[:len(names)]):
        if f"<p>{placeholder.format(kind='FIGURE', index=index)}</p>" not in markup:
            errors.append(ContentError(section.file, line, "figure", "a figure directive must be a paragraph "
                                       "of its own", "put [[figure: NAME]] on its own line, with blank lines "
                                       "around it, outside lists, quotes, callouts and code"))
    # Footnote ids are numbered per section; the section id keeps them unique on the page.
    markup = FOOTNOTE_TARGET.sub(lambda m: f"{m.group(1)}{section.id}-{m.group(2)}", markup)
    return _restore(markup, placeholder, trusted), names, sorted(errors, key=_by_line)


def _by_line(error: ContentError) -> int:
    return error.line or 0


def section_problems(section: Section, known: set[str], references: dict[str, Reference] | None
                     ) -> list[ContentError]:
    """Every Markdown problem of one section (see section_html), for the load stage."""
    return section_html(section, known, references)[2]


def render_section(section: Section, figure_html: Callable[[str], str], known: set[str],
                   references: dict[str, Reference], glossary: tuple = ()) -> RenderedSection:
    """One section's sanitized HTML, the first use of each glossary term marked, with each
    directive replaced by its figure's rendered partial."""
    markup, names, errors = section_html(section, known, references)
    if errors:
        raise ContentErrors(errors)
    markup = mark_terms(markup, glossary)
    placeholder = _placeholder_pattern(section)
    for index, name in enumerate(names):
        markup = markup.replace(f"<p>{placeholder.format(kind='FIGURE', index=index)}</p>", figure_html(name))
    return RenderedSection(section.id, section.title, markup)


REFERENCE_LIST = "reference-list"  # the figure every citation on the page links into


def placement_problems(content: Content, known: set[str]) -> list[ContentError]:
    """Across sections: a figure placed twice (its controls' ids and its link would repeat), and
    citations on a page with no reference list for their links to reach."""
    errors: list[ContentError] = []
    first: dict[str, str] = {}
    cited: ContentError | None = None
    for section in content.sections:
        code = code_ranges(section.body)
        for offset, line in enumerate(section.body.split("\n")):
            number = section.body_first_line + offset
            match = DIRECTIVE.match(line.strip())
            if match and match.group(1) in known and not inside(code, offset, line.index("[[")):
                name = match.group(1)
                if name in first:
                    errors.append(ContentError(section.file, number, "figure", f"figure '{name}' is already "
                                               f"placed at {first[name]}", f"place each figure once; link to it "
                                               f"with [its title](#{name})"))
                else:
                    first[name] = f"{section.file}:{number}"
            citation = next((m for m in CITATION.finditer(line) if not inside(code, offset, m.start())), None)
            if citation and cited is None:
                cited = ContentError(section.file, number, "citation", "the page cites sources but places no "
                                     "reference list, so every citation's link leads nowhere",
                                     f"place [[figure: {REFERENCE_LIST}]] in a section, e.g. a last section "
                                     "titled References")
    if cited and REFERENCE_LIST in known and REFERENCE_LIST not in first:
        errors.append(cited)
    return errors


def placed_figures(content: Content, known: set[str]) -> dict[str, list[str]]:
    """The names of the figures each section places (section id -> names), in page order, each
    figure once, in the first section that places it."""
    placed: dict[str, list[str]] = {}
    seen: set[str] = set()
    for section in content.sections:
        _, found = find_figures(section.body, section, known, "{kind}{index}")
        placed[section.id] = [name for name in dict.fromkeys(found) if name not in seen]
        seen.update(found)
    return placed


def charts_in(value: Any) -> list:
    """Every figures.common.Chart inside a figure context (dicts, lists and tuples), in order."""
    if isinstance(value, Chart):
        return [value]
    if isinstance(value, dict):
        return [chart for item in value.values() for chart in charts_in(item)]
    if isinstance(value, (list, tuple)):
        return [chart for item in value for chart in charts_in(item)]
    return []


def render_instructor_notes(content: Content, env: jinja2.Environment, known: set[str],
                            asset_names: dict[str, str]) -> str:
    """instructor-notes.html: content/instructor-notes.md, sanitized like a section, with citations
    pointing into the student page's reference list (no figures: it is a page of prose)."""
    references = {reference.id: reference for reference in content.references}
    notes = render_section(content.instructor_notes, lambda name: "", set(), references)  # type: ignore[arg-type]
    body = notes.html.replace('href="#ref-', 'href="index.html#ref-')
    return env.get_template("instructor-notes.html").render(site=content.site, notes=notes, body=body,
                                                            assets=asset_names, csp=NOTES_SECURITY_POLICY)


def render_page(content: Content, env: jinja2.Environment, known: set[str],
                figure_context: Callable[[str], dict[str, Any]], asset_names: dict[str, str],
                notes_href: str | None = None) -> str:
    """The whole index.html; `figure_context(name)` builds a figure's context when it is placed."""
    references = {reference.id: reference for reference in content.references}

    def cite(reference_id: str, locator: str = "") -> str:
        return citation_html(references[reference_id], locator)

    env.globals["cite"] = cite
    env.globals["mark"] = lambda kind: jinja2.filters.Markup(mark_html(kind))
    env.globals["mark_key"] = lambda: jinja2.filters.Markup(mark_key_html())

    placed: list[tuple[str, str]] = []  # (name, partial) of the section being rendered

    def figure_html(name: str) -> str:
        html = env.get_template(f"figures/{name}.html").render(figure=figure_context(name), assets=asset_names)
        placed.append((name, html))
        return html

    sections: list[RenderedSection] = []
    placements = {}
    for section in content.sections:
        placed.clear()
        rendered = render_section(section, figure_html, known, references, content.glossary)
        # ids and "#" links on headings and figures; presenter mode finds each figure's panel by its id
        linked = link_headings_and_figures(rendered.html, section.id)
        sections.append(RenderedSection(rendered.id, rendered.title, linked))
        placements.update(placements_in(section.id, linked, placed))
    problems = [problem for scene in content.scenes for problem in scene_problems(scene, placements, known)]
    if problems:
        raise ContentErrors(problems)
    steps = presenter_steps(content.scenes, placements, content.site.base_url)
    # one popover a glossary term, whichever sections' buttons open it
    glossary = term_popovers(content.glossary, "".join(section.html for section in sections),
                             lambda reference_id: str(citation_html(references[reference_id])))
    page = env.get_template("page.html").render(site=content.site, sections=sections, assets=asset_names,
                                                term_popovers=jinja2.filters.Markup(glossary),
                                                references=content.references, notes_href=notes_href,
                                                csp=CONTENT_SECURITY_POLICY, steps=steps,
                                                steps_json=[step.as_json() for step in steps])
    return with_early_loader(page)
