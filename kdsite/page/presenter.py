"""Presenter mode's steps: the scenes of content/scenes.yaml (else every figure), each with its
page address, and with the site's public address a QR code of it (inline SVG, made by segno).

A scene's controls are checked against the rendered figure itself (the slider's grid, the chooser's
options), so what a scene may set is exactly what the page's controls can take, written once in
the templates and the computed tables. Its address is a settings link (`SECTION?ID=VALUE&…`, the
format site.js reads and writes); a scene without settings, and a figure step, use the figure's id.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from urllib.parse import quote

import segno

from kdsite.content.scenes import FILE, Scene, scene_url
from kdsite.errors import ContentError
from kdsite.page.navigation import ID_ATTRIBUTE, PANEL_OPEN


@dataclass(frozen=True)
class Control:
    """A slider or chooser as the rendered figure holds it."""

    id: str
    kind: str  # "range" or "select"
    key: str
    minimum: float = 0.0
    maximum: float = 0.0
    step: float = 1.0
    url_field: str | None = None
    options: tuple[str, ...] = ()
    table: str | None = None


@dataclass(frozen=True)
class Placement:
    """Where a figure sits on the page: its section, its panel's id and its rendered partial."""

    section: str
    panel: str
    html: str


@dataclass(frozen=True)
class Step:
    """One step of presenter mode: the panel it shows, its page address, text, public link and QR code."""

    panel: str
    address: str
    title: str | None = None
    caption: str | None = None
    url: str | None = None
    qr_svg: str | None = None
    scene: bool = False  # a scene sets its figure's controls; a figure step keeps the reader's

    def as_json(self) -> dict:
        """What presenter.js reads of a step."""
        return {"panel": self.panel, "address": self.address, "title": self.title, "caption": self.caption,
                "scene": self.scene}


class _ControlReader(HTMLParser):
    """The controls (elements with data-key) and JSON tables of one figure's HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: dict[str, Control] = {}
        self.tables: dict[str, str] = {}
        self._table: str | None = None
        self._select: dict | None = None
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "data-table" in attributes:
            self._table = attributes["data-table"]
        if tag == "script" and attributes.get("type") == "application/json" and "id" in attributes:
            self._script = attributes["id"]
            self.tables[self._script] = ""
        if "data-key" in attributes and "id" in attributes:
            if tag == "input" and attributes.get("type") == "range":
                self.controls[attributes["id"]] = Control(
                    attributes["id"], "range", attributes["data-key"], float(attributes["min"]),
                    float(attributes["max"]), float(attributes.get("step") or 1),
                    attributes.get("data-url-field"), table=self._table)
            elif tag == "select":
                self._select = {"id": attributes["id"], "key": attributes["data-key"], "options": []}
        if tag == "option" and self._select is not None:
            self._select["options"].append(attributes.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            select = self._select
            self.controls[select["id"]] = Control(select["id"], "select", select["key"],
                                                  options=tuple(select["options"]), table=self._table)
            self._select = None
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.tables[self._script] += data


def figure_controls(html: str) -> tuple[dict[str, Control], dict[str, dict]]:
    """(controls by id, the JSON tables they read by id) of a figure's rendered HTML."""
    reader = _ControlReader()
    reader.feed(html)
    reader.close()
    used = {control.table for control in reader.controls.values() if control.table}
    return reader.controls, {name: json.loads(reader.tables[name]) for name in used if name in reader.tables}


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def value_problem(control: Control, tables: dict[str, dict], value: str) -> tuple[str, str] | None:
    """(what is wrong, hint) when `control` cannot take `value` as a link writes it, else None."""
    if control.kind == "select":
        if value in control.options:
            return None
        return f"'{value}' is not one of the chooser's options", f"use one of: {', '.join(control.options)}"
    number = _number(value)
    if number is None:
        return f"expected a number for the slider, got '{value}'", "write the number alone, e.g. 4"
    table = tables.get(control.table or "", {})
    if control.url_field and control.url_field in table:
        grid = sorted(set(table[control.url_field]))
        if any(_close(number, point) for point in grid):
            return None
        below = [point for point in grid if point < number]
        above = [point for point in grid if point > number]
        if not below or not above:
            return (f"{value} is outside the slider's range {grid[0]:g} to {grid[-1]:g}",
                    "a scene's value must be one of the slider's grid points")
        return (f"{value} is not a grid point of the slider",
                f"the nearest grid points are {below[-1]:g} and {above[0]:g}")
    if not control.minimum - 1e-9 <= number <= control.maximum + 1e-9:
        return (f"{value} is outside the slider's range {control.minimum:g} to {control.maximum:g}",
                f"use a value from {control.minimum:g} to {control.maximum:g}")
    position = (number - control.minimum) / control.step
    if abs(position - round(position)) > 1e-6 or (control.key in table.get("keys", ())
                                                   and not any(_close(number, v) for v in table[control.key])):
        return (f"{value} is not one of the slider's steps ({control.minimum:g} to {control.maximum:g} "
                f"every {control.step:g})", "the slider can only land on its steps")
    return None


def scene_problems(scene: Scene, placements: dict[str, Placement], known: set[str]) -> list[ContentError]:
    """Every problem of one scene: an unknown or unplaced figure, a control it does not have, a value
    its control cannot take; each names content/scenes.yaml, the line and the field."""
    if scene.figure not in placements:
        if scene.figure in known:
            message, hint = (f"figure '{scene.figure}' is not on the page as a figure panel",
                             f"place it with [[figure: {scene.figure}]] or show a placed figure")
        else:
            message, hint = f"unknown figure '{scene.figure}'", f"figures on the page: {', '.join(placements)}"
        return [ContentError(FILE, scene.line, f"{scene.field}.figure", message, hint)]
    controls, tables = figure_controls(placements[scene.figure].html)
    problems = []
    for setting in scene.settings:
        control = controls.get(setting.control)
        if control is None:
            hint = (f"its controls: {', '.join(controls)}" if controls else "it has no controls: leave out settings")
            problems.append(ContentError(FILE, setting.line, setting.field,
                                         f"figure '{scene.figure}' has no control '{setting.control}'", hint))
            continue
        problem = value_problem(control, tables, setting.value)
        if problem:
            problems.append(ContentError(FILE, setting.line, setting.field, *problem))
    return problems


def _encoded(text: str) -> str:
    """`text` percent-encoded as JavaScript's encodeURIComponent does, as site.js writes links."""
    return quote(text, safe="!*'()")


def scene_address(scene: Scene, placement: Placement) -> str:
    """The settings link of a scene: `SECTION?ID=VALUE&…` in the order written, or the figure's id."""
    if not scene.settings:
        return placement.panel
    pairs = "&".join(f"{_encoded(s.control)}={_encoded(s.value)}" for s in scene.settings)
    return f"{placement.section}?{pairs}"


@functools.lru_cache(maxsize=256)
def qr_code_svg(url: str) -> str:
    """An inline SVG QR code of `url` (dark modules on white, with the quiet zone), labelled for
    assistive technology; it scales with CSS (no width or height). Remembered per process: a
    rebuild (`kdsite serve`) would otherwise search the codes' masks again, a tenth of its time."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(border=4, omitsize=True, svgclass="qr-code", lineclass=None, dark="#000", light="#fff")
    return svg.replace("<svg ", f'<svg role="img" aria-label="QR code of {escape(url)}" ', 1)


def presenter_steps(scenes: tuple[Scene, ...], placements: dict[str, Placement], base_url: str | None
                    ) -> list[Step]:
    """The steps: one per scene, else one per placed figure panel (in page order)."""
    if scenes:
        steps = [Step(placements[scene.figure].panel, scene_address(scene, placements[scene.figure]),
                      scene.title, scene.caption, scene=True) for scene in scenes]
    else:
        steps = [Step(placement.panel, placement.panel) for placement in placements.values()]
    if base_url:
        steps = [dataclasses.replace(step, url=scene_url(base_url, step.address),
                                     qr_svg=qr_code_svg(scene_url(base_url, step.address))) for step in steps]
    return steps


def placements_in(section_id: str, linked_html: str, figures: list[tuple[str, str]]) -> dict[str, Placement]:
    """Where each figure of one section sits: `figures` are its (name, partial HTML) in page order,
    `linked_html` the section with every panel's id (kdsite/page/navigation.py). A figure's first
    panel is the one presenter mode shows; a figure without a panel (the reference list) has none."""
    panel_ids = [match.group(1) for opening in PANEL_OPEN.finditer(linked_html)
                 if (match := ID_ATTRIBUTE.search(opening.group(2)))]
    placed, position = {}, 0
    for name, html in figures:
        count = len(PANEL_OPEN.findall(html))
        if count:
            placed[name] = Placement(section_id, panel_ids[position], html)
        position += count
    return placed

