"""Render the page: section Markdown with figure directives, laid out by Jinja templates.

Directive: a line holding only ``[[figure: NAME]]`` places the registered figure NAME there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

import jinja2
import markdown

from kdsite.charts.common import DARK_THEME
from kdsite.citations import citation_html, replace_citations
from kdsite.content import Content, Reference, Section
from kdsite.errors import ContentError, ContentErrors
from kdsite.figures.common import script_json
from kdsite.safety import markdown_problems

DIRECTIVE = re.compile(r"^\[\[\s*figure\s*:\s*([^\]\s]*)\s*\]\]\s*$")
DIRECTIVE_LIKE = re.compile(r"\[\[\s*figure\b")
PLACEHOLDER = "KDSITEFIGURE{index}END"
MARK = re.compile(r"\[\[\s*mark\s*:\s*([a-z]+)\s*\]\]")
MARK_KINDS = {"illustrative": "hand-chosen values, not data", "modeled": "computed by this site's model",
              "cited": "quoted from a cited source", "measured": "a measurement from a cited source"}
# No remote origins at all; scripts only from the site's own files (Vega runs its expressions
# through its interpreter, so no 'unsafe-eval'); inline styles because Vega sets style attributes.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self'; font-src 'self'; connect-src 'none'; base-uri 'none'; "
                           "form-action 'none'")


@dataclass(frozen=True)
class RenderedSection:
    """A section ready for the page template: its id, title and HTML body."""

    id: str
    title: str
    html: str


def template_environment(templates: Path) -> jinja2.Environment:
    """Jinja with autoescaping and strict undefined names, so a template typo fails the build."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = lambda value: jinja2.filters.Markup(script_json(value))
    return env


def find_figures(section: Section, known: set[str]) -> tuple[str, list[str]]:
    """Replace directives with placeholders; return the new Markdown and the figure names in order.

    Raises ContentErrors naming the file and line of every unknown or malformed directive.
    """
    names: list[str] = []
    errors: list[ContentError] = []
    lines = section.body.split("\n")
    for offset, line in enumerate(lines):
        number = section.body_first_line + offset
        match = DIRECTIVE.match(line.strip())
        if match:
            name = match.group(1)
            if name not in known:
                errors.append(ContentError(section.file, number, "figure", f"unknown figure name '{name}'",
                                           f"known figures: {', '.join(sorted(known))}"))
                continue
            lines[offset] = "\n" + PLACEHOLDER.format(index=len(names)) + "\n"
            names.append(name)
        elif DIRECTIVE_LIKE.search(line):
            errors.append(ContentError(section.file, number, "figure", "malformed figure directive",
                                       "write it alone on its line: [[figure: NAME]]"))
    if errors:
        raise ContentErrors(errors)
    return "\n".join(lines), names


def mark_html(kind: str) -> str:
    """A visible badge saying where a number comes from: illustrative, modeled, cited or measured."""
    return f'<span class="mark mark-{kind}" title="{MARK_KINDS[kind]}">{kind}</span>'


def replace_marks(text: str, section: Section) -> str:
    """Replace inline [[mark: KIND]] directives; an unknown kind is a ContentError with its line."""
    errors = []
    for offset, line in enumerate(text.split("\n")):
        for kind in MARK.findall(line):
            if kind not in MARK_KINDS:
                errors.append(ContentError(section.file, section.body_first_line + offset, "mark",
                                           f"unknown mark '{kind}'", f"use one of: {', '.join(MARK_KINDS)}"))
    if errors:
        raise ContentErrors(errors)
    return MARK.sub(lambda match: mark_html(match.group(1)), text)


def markdown_to_html(text: str) -> str:
    """Markdown to HTML, with tables, footnotes, attribute lists and callouts (`!!! insight "Key insight"`)."""
    return markdown.markdown(text, extensions=["extra", "sane_lists", "admonition"], output_format="html")


def render_section(section: Section, figure_html: Callable[[str], str], known: set[str],
                   references: dict[str, Reference]) -> RenderedSection:
    """One section's HTML with each directive replaced by its figure's rendered partial."""
    problems = markdown_problems(section.body, section.file, section.body_first_line)
    if problems:
        raise ContentErrors(problems)
    cited = replace_marks(replace_citations(section.body, references, section.file, section.body_first_line),
                          section)
    text, names = find_figures(replace(section, body=cited), known)
    html = markdown_to_html(text)
    for index, name in enumerate(names):
        html = html.replace(f"<p>{PLACEHOLDER.format(index=index)}</p>", figure_html(name))
    return RenderedSection(section.id, section.title, html)


def render_page(content: Content, env: jinja2.Environment, known: set[str],
                figure_context: Callable[[str], dict[str, Any]], asset_names: dict[str, str]) -> str:
    """The whole index.html; `figure_context(name)` builds a figure's context when it is placed."""
    references = {reference.id: reference for reference in content.references}

    def cite(reference_id: str, locator: str = "") -> str:
        return citation_html(references[reference_id], locator)

    env.globals["cite"] = cite
    env.globals["mark"] = lambda kind: jinja2.filters.Markup(mark_html(kind))

    def figure_html(name: str) -> str:
        return env.get_template(f"figures/{name}.html").render(figure=figure_context(name), assets=asset_names)

    errors: list[ContentError] = []
    # A dry run without figures first: a typo in the last section fails in milliseconds, before
    # any figure is computed, and every section's typos are reported together.
    for section in content.sections:
        try:
            render_section(section, lambda name: "", known, references)
        except ContentErrors as problem:
            errors.extend(problem.errors)
    if errors:
        raise ContentErrors(errors)
    sections: list[RenderedSection] = []
    for section in content.sections:
        sections.append(render_section(section, figure_html, known, references))
    # Dark mode: the page swaps palette colours; the rest comes with each chart as a patch
    # (kdsite/compiled_charts.py).
    chart_theme = {"dark": {"colors": DARK_THEME["colors"]}}
    return env.get_template("page.html").render(site=content.site, sections=sections, assets=asset_names,
                                                references=content.references, chart_theme=chart_theme,
                                                csp=CONTENT_SECURITY_POLICY)
