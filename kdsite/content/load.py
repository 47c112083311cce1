"""Load and validate content/ into typed values (the `load` and `validate` stages).

Every problem in every file is collected; `load_content` raises ContentErrors listing them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable
from pathlib import Path

from kdsite.content import limits
from kdsite.errors import ContentError, ContentErrors
from kdsite.science.hardware import HardwareData
from kdsite.content.hardware import load_hardware
from kdsite.content.hardware_page import HardwarePage, load_hardware_page
from kdsite.science.labconfig import LabConfig
from kdsite.content.lab import load_lab_config
from kdsite.content.sanitize import link_problem
from kdsite.content.validate import Reader
from kdsite.content.yamlload import Located, load_yaml, parse_yaml, read_text

SECTION_ID = re.compile(r"^[a-z][a-z0-9-]*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)


@dataclass(frozen=True)
class SiteInfo:
    """Site-wide text: title and the course it belongs to."""

    title: str
    subtitle: str
    course: str
    unit: str


@dataclass(frozen=True)
class Example:
    """One example input: the teacher's logits over the shared class list (illustrative values)."""

    id: str
    label: str
    true_class: str
    logits: tuple[float, ...]


@dataclass(frozen=True)
class Examples:
    """The class names and the example inputs that use them."""

    classes: tuple[str, ...]
    examples: tuple[Example, ...]

    def by_id(self, example_id: str) -> Example:
        """The example with this id."""
        return next(example for example in self.examples if example.id == example_id)


@dataclass(frozen=True)
class TemperatureSettings:
    """The precomputed temperature grid: minimum..maximum every step; the slider starts at default."""

    minimum: float
    maximum: float
    step: float
    default: float
    example: str


@dataclass(frozen=True)
class LabelSettings:
    """The hard-vs-soft label section: the example it starts on and the soft label's temperature."""

    default_example: str
    soft_temperature: float


@dataclass(frozen=True)
class TrainingSettings:
    """The training section: α slider, the temperatures and path points of the loss curves."""

    alpha_default: float
    alpha_step: float
    temperature_minimum: float
    temperature_maximum: float
    temperature_step: float
    temperature_default: float
    progress_points: int
    default_example: str


@dataclass(frozen=True)
class Reference:
    """One cited source; `number` is its place in content/references.yaml, from 1."""

    id: str
    number: int
    authors: str
    title: str
    venue: str
    year: int
    url: str


@dataclass(frozen=True)
class Section:
    """One page section: Markdown body with its id (the URL anchor), title and place in the page."""

    id: str
    title: str
    order: int
    body: str
    file: str
    body_first_line: int
    id_line: int


@dataclass(frozen=True)
class Content:
    """Everything the build reads from content/, validated."""

    root: Path
    site: SiteInfo
    examples: Examples
    temperature: TemperatureSettings
    labels: LabelSettings
    training: TrainingSettings
    references: tuple[Reference, ...]
    hardware: HardwareData
    hardware_page: HardwarePage
    lab: LabConfig
    sections: tuple[Section, ...]
    warnings: tuple[ContentError, ...] = ()

    def reference(self, reference_id: str) -> Reference:
        """The reference with this id."""
        return next(r for r in self.references if r.id == reference_id)


def _collect(errors: list[ContentError], load, *args):
    """Run a loader of its own content files, adding its errors to `errors`; None on failure."""
    try:
        return load(*args)
    except ContentError as error:
        errors.append(error)
    except ContentErrors as several:
        errors.extend(several.errors)
    return None


def _load(root: Path, name: str, errors: list[ContentError]) -> Located | None:
    try:
        return load_yaml(root / name, f"content/{name}")
    except ContentError as error:
        errors.append(error)
        return None


def _site_info(located: Located, errors: list, warnings: list) -> SiteInfo | None:
    read = Reader(located, errors, warnings)
    if read.mapping("", {"title", "subtitle", "course", "unit"}) is None:
        return None
    values = [read.string(name) for name in ("title", "subtitle", "course", "unit")]
    return None if None in values else SiteInfo(*values)  # type: ignore[arg-type]


def _examples(located: Located, errors: list, warnings: list) -> Examples | None:
    read = Reader(located, errors, warnings)
    if read.mapping("", {"classes", "examples"}) is None:
        return None
    classes = read.string_list("classes")
    items = read.list("examples")
    if classes is not None and not 2 <= len(classes) <= limits.MAX_CLASSES:
        read.fail("classes", f"has {len(classes)} classes, not 2 to {limits.MAX_CLASSES}",
                  f"list 2 to {limits.MAX_CLASSES} class names")
        return None
    if items is not None and len(items) > limits.MAX_EXAMPLES:
        read.fail("examples", f"has {len(items)} examples, more than {limits.MAX_EXAMPLES}",
                  f"list 1 to {limits.MAX_EXAMPLES} examples")
        return None
    if classes is None or items is None:
        return None
    examples: list[Example] = []
    for index in range(len(items)):
        path = f"examples[{index}]"
        if read.mapping(path, {"id", "label", "true_class", "logits"}) is None:
            continue
        example_id, label, true_class = (read.string(f"{path}.{key}") for key in ("id", "label", "true_class"))
        logits = read.number_list(f"{path}.logits", length=len(classes),
                                  hint=f"one logit per class: {', '.join(classes)}")
        for position, logit in enumerate(logits or ()):
            if abs(logit) > limits.MAX_ABS_LOGIT:
                read.fail(f"{path}.logits[{position}]", f"must be between −{limits.MAX_ABS_LOGIT:g} and "
                          f"{limits.MAX_ABS_LOGIT:g}, got {logit:g}",
                          "logits differ by a few units; only their differences matter to the softmax")
                logits = None
                break
        if true_class is not None and true_class not in classes:
            read.fail(f"{path}.true_class", f"'{true_class}' is not one of the classes",
                      f"use one of: {', '.join(classes)}")
            continue
        if example_id is not None and any(e.id == example_id for e in examples):
            read.fail(f"{path}.id", f"duplicate example id '{example_id}'", "ids must be unique")
            continue
        if None not in (example_id, label, true_class, logits):
            examples.append(Example(example_id, label, true_class, tuple(logits)))  # type: ignore[arg-type]
    return Examples(tuple(classes), tuple(examples))


def _declared_ids(located: Located | None) -> set[str] | None:
    """Example ids as written, valid or not, so one bad example does not also break references to it."""
    if located is None or not isinstance(located.data, dict) or not isinstance(located.data.get("examples"), list):
        return None
    return {str(item["id"]) for item in located.data["examples"] if isinstance(item, dict) and "id" in item}


def _temperature_value(read: Reader, path: str, hint: str = "temperatures are positive: T > 0") -> float | None:
    """A temperature: > 0, then within [TEMPERATURE_MIN, TEMPERATURE_MAX] so softmax and T² stay finite."""
    value = read.number(path, above=0, hint=hint)
    if value is not None and not limits.TEMPERATURE_MIN <= value <= limits.TEMPERATURE_MAX:
        read.fail(path, f"must be between {limits.TEMPERATURE_MIN:g} and {limits.TEMPERATURE_MAX:g}, got {value:g}",
                  f"temperatures are {limits.TEMPERATURE_MIN:g} to {limits.TEMPERATURE_MAX:g}")
        return None
    return value


def _grid_points(read: Reader, path: str, start: float, stop: float, step: float, most: int, example: str) -> bool:
    """Whether start..stop every step has at most `most` points, (stop − start) / step + 1; else an error."""
    points = (stop - start) / step + 1
    if points > most:
        read.fail(path, f"makes {points:,.0f} grid points from {start:g} to {stop:g}, more than {most:,}",
                  f"(maximum − minimum) / step + 1 must be ≤ {most:,}, e.g. {example}")
        return False
    return True


def _temperature(located: Located, declared_ids: set[str] | None, errors: list, warnings: list
                 ) -> TemperatureSettings | None:
    read = Reader(located, errors, warnings)
    if read.mapping("", {"minimum", "maximum", "step", "default", "example"}) is None:
        return None
    minimum = _temperature_value(read, "minimum")
    maximum = _temperature_value(read, "maximum")
    step = read.number("step", above=0, hint="the slider step, e.g. 0.1")
    default = _temperature_value(read, "default")
    example = read.string("example")
    if None in (minimum, maximum, step, default, example):
        return None
    if maximum <= minimum:
        read.fail("maximum", f"must be greater than minimum ({minimum:g})",
                  "the grid runs from minimum up to maximum")
        return None
    if not _grid_points(read, "step", minimum, maximum, step, limits.MAX_TEMPERATURE_POINTS,
                        "step 0.1 from 0.1 to 10"):
        return None
    count = (maximum - minimum) / step
    if abs(count - round(count)) > 1e-9:
        read.fail("step", f"must divide maximum − minimum ({maximum - minimum:g}) into whole steps",
                  "e.g. 0.1 for a grid from 0.1 to 10")
        return None
    position = (default - minimum) / step
    if not minimum <= default <= maximum or abs(position - round(position)) > 1e-9:
        read.fail("default", f"must be a grid point between {minimum:g} and {maximum:g} every {step:g}",
                  "the slider can only land on grid points")
        return None
    if declared_ids is not None and example not in declared_ids:
        read.fail("example", f"no example with id '{example}' in content/examples.yaml",
                  f"use one of: {', '.join(sorted(declared_ids))}")
        return None
    return TemperatureSettings(minimum, maximum, step, default, example)


def _labels(located: Located, declared_ids: set[str] | None, errors: list, warnings: list
            ) -> LabelSettings | None:
    read = Reader(located, errors, warnings)
    if read.mapping("", {"default_example", "soft_temperature"}) is None:
        return None
    example = read.string("default_example")
    temperature = _temperature_value(read, "soft_temperature")
    if example is not None and declared_ids is not None and example not in declared_ids:
        read.fail("default_example", f"no example with id '{example}' in content/examples.yaml",
                  f"use one of: {', '.join(sorted(declared_ids))}")
        return None
    return None if None in (example, temperature) else LabelSettings(example, temperature)  # type: ignore[arg-type]


def _on_grid(read: Reader, path: str, value: float, start: float, stop: float, step: float) -> bool:
    position = (value - start) / step
    if not start - 1e-9 <= value <= stop + 1e-9 or abs(position - round(position)) > 1e-9:
        read.fail(path, f"must be a grid point between {start:g} and {stop:g} every {step:g}, got {value:g}",
                  "the slider can only land on grid points")
        return False
    return True


def _training(located: Located, declared_ids: set[str] | None, errors: list, warnings: list
              ) -> TrainingSettings | None:
    read = Reader(located, errors, warnings)
    keys = {"alpha_default", "alpha_step", "temperature_minimum", "temperature_maximum", "temperature_step",
            "temperature_default", "progress_points", "default_example"}
    if read.mapping("", keys) is None:
        return None
    alpha_hint = "α weights the soft term and lies in [0, 1]"
    alpha_default = read.number("alpha_default", minimum=0, maximum=1, hint=alpha_hint)
    alpha_step = read.number("alpha_step", above=0, maximum=1, hint="e.g. 0.05")
    t_min, t_max, t_default = (_temperature_value(read, f"temperature_{k}") for k in ("minimum", "maximum", "default"))
    t_step = read.number("temperature_step", above=0, hint="temperatures are positive: T > 0")
    points = read.number("progress_points", minimum=limits.MIN_PROGRESS_POINTS, maximum=limits.MAX_PROGRESS_POINTS,
                         hint=f"a whole number from {limits.MIN_PROGRESS_POINTS} to {limits.MAX_PROGRESS_POINTS}, "
                              "such as 21")
    example = read.string("default_example")
    values = (alpha_default, alpha_step, t_min, t_max, t_step, t_default, points, example)
    if None in values:
        return None
    if points != int(points):
        read.fail("progress_points", f"must be a whole number, got {points:g}", "e.g. 11")
        return None
    if t_max <= t_min:
        read.fail("temperature_maximum", f"must be greater than temperature_minimum ({t_min:g})",
                  "the curves run from temperature_minimum up to temperature_maximum")
        return None
    if not _grid_points(read, "alpha_step", 0.0, 1.0, alpha_step, limits.MAX_ALPHA_POINTS, "alpha_step 0.05") or \
            not _grid_points(read, "temperature_step", t_min, t_max, t_step, limits.MAX_TRAINING_TEMPERATURE_POINTS,
                             "temperature_step 1 from 1 to 10"):
        return None
    rows = (len(declared_ids or ()) * round((t_max - t_min) / t_step + 1) * round(1 / alpha_step + 1) * int(points))
    if rows > limits.MAX_LOSS_CURVE_ROWS:
        read.fail("progress_points", f"the loss curves would have {rows:,} rows (examples × temperatures × alphas "
                  f"× progress_points), more than {limits.MAX_LOSS_CURVE_ROWS:,}",
                  "use fewer progress_points, a larger alpha_step or temperature_step, or fewer examples")
        return None
    if abs(1 / alpha_step - round(1 / alpha_step)) > 1e-9:
        read.fail("alpha_step", f"must divide 1 into whole steps, got {alpha_step:g}", "e.g. 0.05 or 0.1")
        return None
    if (not _on_grid(read, "temperature_maximum", t_max, t_min, t_max, t_step) or
            not _on_grid(read, "temperature_default", t_default, t_min, t_max, t_step) or
            not _on_grid(read, "alpha_default", alpha_default, 0.0, 1.0, alpha_step)):
        return None
    if declared_ids is not None and example not in declared_ids:
        read.fail("default_example", f"no example with id '{example}' in content/examples.yaml",
                  f"use one of: {', '.join(sorted(declared_ids))}")
        return None
    return TrainingSettings(alpha_default, alpha_step, t_min, t_max, t_step, t_default, int(points), example)


def _references(located: Located, errors: list, warnings: list) -> tuple[Reference, ...] | None:
    read = Reader(located, errors, warnings)
    if read.mapping("", {"references"}) is None or (items := read.list("references")) is None:
        return None
    references: list[Reference] = []
    keys = {"id", "authors", "title", "venue", "year", "url"}
    for index in range(len(items)):
        path = f"references[{index}]"
        if read.mapping(path, keys) is None:
            continue
        ref_id, authors, title, venue, url = (read.string(f"{path}.{k}") for k in ("id", "authors", "title", "venue", "url"))
        year = read.number(f"{path}.year", minimum=1800, maximum=2100,
                           hint="the year of publication, e.g. 2015")
        if ref_id is not None and not SECTION_ID.match(ref_id.replace("_", "-")):
            read.fail(f"{path}.id", f"'{ref_id}' is not a valid reference id", "use letters, digits, - and _")
            continue
        if ref_id is not None and any(r.id == ref_id for r in references):
            read.fail(f"{path}.id", f"duplicate reference id '{ref_id}'", "ids must be unique")
            continue
        if url is not None and (not url.startswith("https://") or link_problem(url) is not None):
            read.fail(f"{path}.url", f"'{url}' is not an https:// address without spaces",
                      "e.g. https://arxiv.org/abs/1503.02531")  # kept, so its citations raise no more errors
        if None not in (ref_id, authors, title, venue, url, year):
            references.append(Reference(ref_id, len(references) + 1, authors, title, venue, int(year), url))  # type: ignore[arg-type]
    return tuple(references)


def _section(path: Path, root: Path, errors: list, warnings: list) -> Section | None:
    file = f"content/sections/{path.name}"
    try:
        text = read_text(path, file)
    except ContentError as error:
        errors.append(error)
        return None
    match = FRONT_MATTER.match(text)
    if match is None:
        errors.append(ContentError(file, 1, "", "missing YAML front matter",
                                   "start the file with ---, then id:, title:, order:, then ---"))
        return None
    try:
        located = parse_yaml(match.group(1), file, first_line=2)
    except ContentError as error:
        errors.append(error)
        return None
    read = Reader(located, errors, warnings)
    if read.mapping("", {"id", "title", "order"}) is None:
        return None
    section_id, title = read.string("id"), read.string("title")
    order = read.number("order", hint="sections are placed by order, smallest first, e.g. 30")
    if section_id is not None and not SECTION_ID.match(section_id):
        read.fail("id", f"'{section_id}' is not a valid anchor id",
                  "use lowercase letters, digits and hyphens, starting with a letter")
        return None
    if None in (section_id, title, order):
        return None
    body_first_line = text[: match.end()].count("\n") + 1
    return Section(section_id, title, int(order), text[match.end():], file, body_first_line,
                   located.line("id") or 2)  # type: ignore[arg-type]


SectionCheck = Callable[[Section, "dict[str, Reference] | None"], "list[ContentError]"]


def load_content(root: Path, check_section: SectionCheck | None = None) -> Content:
    """Read and validate every file under `root` (the content/ folder); raise ContentErrors on any mistake.

    `check_section(section, references_by_id)` returns a section's Markdown problems (the renderer
    supplies it), so they are reported in the same pass as the YAML ones; references_by_id is None
    when references.yaml could not be read.
    """
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    if not root.is_dir():
        raise ContentErrors([ContentError(str(root), None, "", "content folder not found",
                                          "run kdsite from the project root, which holds content/")])
    if not any(root.iterdir()):  # one clear line instead of one per missing file
        raise ContentErrors([ContentError("content", None, "", "content folder is empty",
                                          "restore its files from git, or run kdsite from the project root")])
    site_file, examples_file, temperature_file, labels_file, training_file, references_file = (
        _load(root, name, errors) for name in ("site.yaml", "examples.yaml", "temperature.yaml",
                                               "labels.yaml", "training.yaml", "references.yaml"))
    declared = _declared_ids(examples_file)
    site = _site_info(site_file, errors, warnings) if site_file else None
    examples = _examples(examples_file, errors, warnings) if examples_file else None
    temperature = _temperature(temperature_file, declared, errors, warnings) if temperature_file else None
    labels = _labels(labels_file, declared, errors, warnings) if labels_file else None
    training = _training(training_file, declared, errors, warnings) if training_file else None
    references = _references(references_file, errors, warnings) if references_file else None
    hardware = _collect(errors, load_hardware, root)
    hardware_page = _collect(errors, load_hardware_page, root)
    lab = _collect(errors, load_lab_config, root / "lab.yaml", "content/lab.yaml")

    section_files = sorted((root / "sections").glob("*.md"))
    if not section_files:
        errors.append(ContentError("content/sections", None, "", "no sections found",
                                   "add Markdown files such as content/sections/temperature.md"))
    sections = [s for s in (_section(path, root, errors, warnings) for path in section_files) if s]
    for index, section in enumerate(sections):
        if any(other.id == section.id for other in sections[:index]):
            errors.append(ContentError(section.file, section.id_line, "id", f"duplicate section id '{section.id}'",
                                       "each section needs its own id"))
    if check_section is not None:
        by_id = {reference.id: reference for reference in references} if references is not None else None
        for section in sections:
            errors.extend(check_section(section, by_id))
    if errors:
        raise ContentErrors(errors)
    sections.sort(key=lambda s: (s.order, s.id))
    return Content(root, site, examples, temperature, labels, training, references,  # type: ignore[arg-type]
                   hardware, hardware_page, lab,
                   tuple(sections), tuple(warnings))
