"""Load and validate content/ into typed values (the `load` and `validate` stages).

Every problem in every file is collected; `load_content` raises ContentErrors listing them all.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from collections.abc import Callable
from pathlib import Path

from kdsite.content import limits
from kdsite.errors import ContentError, ContentErrors
from kdsite.science.hardware import DEFAULT_WORKLOADS, HardwareData
from kdsite.content.hardware import load_hardware
from kdsite.content.hardware_page import HardwarePage, load_hardware_page
from kdsite.science.grids import log_grid, log_grid_point, log_grid_position
from kdsite.science.labconfig import LabConfig
from kdsite.content.lab import load_lab_config
from kdsite.content.sanitize import link_problem
from kdsite.content.scenes import Scene, public_url_problem, read_scenes
from kdsite.content import schema
from kdsite.content.fields import Reader
from kdsite.content.yamlload import Located, content_files, load_yaml, parse_yaml, read_text

SECTION_ID = re.compile(r"^[a-z][a-z0-9-]*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)


@dataclass(frozen=True)
class SiteInfo:
    """Site-wide text: title and the course it belongs to."""

    title: str
    subtitle: str
    course: str
    unit: str
    core_words: int = 2500
    handout_folder: str | None = None
    base_url: str | None = None  # the public address presenter mode's QR codes point to

    @property
    def folder(self) -> str:
        """The hand-out zip's top folder: `handout_folder`, else the title as lowercase words and hyphens."""
        return self.handout_folder or (slug(self.title)[:40].strip("-") or "site")


@dataclass(frozen=True)
class GlossaryTerm:
    """A term, the other forms it takes in the text, its definition and an optional source."""

    id: str
    term: str
    forms: tuple[str, ...]
    definition: str
    source: str | None = None


@dataclass(frozen=True)
class Choice:
    """One choice of a self-check question: its text, whether it is right, and why."""

    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Question:
    """One self-check question and its choices."""

    question: str
    choices: tuple[Choice, ...]


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
    """The precomputed temperature grid: minimum..maximum evenly in log T (grids.log_grid), T = 1 in the
    middle; the slider starts at default."""

    minimum: float
    maximum: float
    points_per_decade: int
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
    temperature_points_per_decade: int
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
    order_line: int | None = None


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
    # content/instructor-notes.md (optional): the instructor's page, built as instructor-notes.html.
    instructor_notes: Section | None = None
    # content/self_check.yaml (optional): the end-of-page questions.
    self_check: tuple[Question, ...] | None = None
    # content/glossary.yaml (optional): terms marked at their first use in each section.
    glossary: tuple[GlossaryTerm, ...] = ()
    # content/scenes.yaml (optional): presenter mode's prepared sequence.
    scenes: tuple[Scene, ...] = ()

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


HANDOUT_FOLDER = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits of `text` (accents dropped), runs of anything else as one hyphen."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _site_info(located: Located, errors: list, warnings: list) -> SiteInfo | None:
    read = Reader(located, errors, warnings)
    values = read.read(schema.SITE)
    folder = values["handout_folder"] if values else None
    if folder is not None and not HANDOUT_FOLDER.fullmatch(folder):
        read.fail("handout_folder", f"{folder!r} is not a usable folder name",
                  "lowercase letters, digits and single hyphens, e.g. kd-explainer")
    if values is not None and values["base_url"] is not None:
        problem = public_url_problem(values["base_url"])
        if problem:
            read.fail("base_url", f"'{values['base_url']}' {problem}", "e.g. https://example.github.io/kd-explainer/")
    return None if values is None or read.failed() else SiteInfo(**values)


def _examples(located: Located, errors: list, warnings: list) -> Examples | None:
    read = Reader(located, errors, warnings)
    values = read.read(schema.EXAMPLES)
    if values is None or values["classes"] is None:
        return None
    classes = values["classes"]
    examples: list[Example] = []
    items = values["examples"]
    if items is None:
        items = _partial(read, "examples", schema.EXAMPLES.fields["examples"])
    for index, item in enumerate(items):
        path = f"examples[{index}]"
        if item is None:
            continue
        if item["logits"] is not None and not read.count(f"{path}.logits", len(item["logits"]), length=len(classes),
                                                         hint=f"one logit per class: {', '.join(classes)}"):
            continue
        if item["true_class"] is not None and item["true_class"] not in classes:
            read.fail(f"{path}.true_class", f"'{item['true_class']}' is not one of the classes",
                      f"use one of: {', '.join(classes)}")
            continue
        if item["id"] is not None and any(e.id == item["id"] for e in examples):
            read.fail(f"{path}.id", f"duplicate example id '{item['id']}'", "ids must be unique")
            continue
        if not read.failed(path):
            examples.append(Example(item["id"], item["label"], item["true_class"], item["logits"]))
    return Examples(classes, tuple(examples))


def _partial(read: Reader, path: str, field: schema.List) -> list:
    """The items of a list whose read failed as a whole, each read on its own (None where it is wrong),
    so the checks across fields still run on the good ones without repeating the item errors."""
    present, items = read.value(path)
    if not present or not isinstance(items, list):
        return []
    quiet = Reader(read.located)
    return [field.of.check(quiet, f"{path}[{i}]", item) if not read.failed(f"{path}[{i}]") else None
            for i, item in enumerate(items)]


def _declared_ids(located: Located | None) -> set[str] | None:
    """Example ids as written, valid or not, so one bad example does not also break references to it."""
    if located is None or not isinstance(located.data, dict) or not isinstance(located.data.get("examples"), list):
        return None
    return {str(item["id"]) for item in located.data["examples"] if isinstance(item, dict) and "id" in item}


UNKNOWN_REFERENCE = re.compile(r"unknown reference id '([^']+)'")


def _without_cascade(errors: list[ContentError], references_file: Located | None) -> list[ContentError]:
    """One bad field in a reference drops it, and every citation of its id then read as unknown:
    16 false "unknown reference id" errors for one year out of range. Those are left out when the
    id is written in references.yaml and references.yaml has a problem of its own."""
    if references_file is None or not any(error.file == references_file.file for error in errors):
        return errors
    items = references_file.data.get("references") if isinstance(references_file.data, dict) else None
    declared = {str(item["id"]) for item in items or [] if isinstance(item, dict) and "id" in item}
    return [error for error in errors if error.file == references_file.file
            or not ((match := UNKNOWN_REFERENCE.search(error.message)) and match.group(1) in declared)]


def _count(points: float) -> str:
    """A grid size as a reader writes it: 990,001 with commas, and 1e+300 when commas would run on."""
    return f"{round(points):,}" if points < 1e15 else f"{points:.4g}"


def _grid_points(read: Reader, path: str, start: float, stop: float, step: float, most: int, example: str) -> bool:
    """Whether start..stop every step has at most `most` points, (stop − start) / step + 1; else an error."""
    points = (stop - start) / step + 1
    if points > most:
        read.fail(path, f"makes {_count(points)} grid points from {start:g} to {stop:g}, more than {most:,}",
                  f"(maximum − minimum) / step + 1 must be ≤ {most:,}, e.g. {example}")
        return False
    return True


def _known_example(read: Reader, path: str, example: str | None, declared_ids: set[str] | None) -> bool:
    if example is not None and declared_ids is not None and example not in declared_ids:
        read.fail(path, f"no example with id '{example}' in content/examples.yaml",
                  f"use one of: {', '.join(sorted(declared_ids))}")
        return False
    return True


def _log_grid(read: Reader, prefix: str, minimum: float, maximum: float, per_decade: int, default: float) -> bool:
    """Whether minimum, maximum and default (fields `prefix`minimum …) describe a log grid with T = 1 in
    the middle and default on it; else one error naming the first field that does not."""
    def nearest(value: float) -> str:
        below = math.floor(math.log10(value) * per_decade + 1e-9)
        return f"the nearest grid points are {log_grid_point(below, per_decade):g} and " \
               f"{log_grid_point(below + 1, per_decade):g}"

    low = log_grid_position(minimum, per_decade)
    if minimum >= 1:
        read.fail(f"{prefix}minimum", f"must be below 1, got {minimum:g}",
                  "the grid runs from minimum through T = 1 to maximum, with T = 1 in the middle")
    elif low is None:
        read.fail(f"{prefix}minimum", f"must be a grid point at {per_decade} points a decade, got {minimum:g}",
                  nearest(minimum))
    elif log_grid_position(maximum, per_decade) != -low:
        mirror = log_grid_point(-low, per_decade)
        read.fail(f"{prefix}maximum", f"must be {mirror:g}, as many grid points above 1 as {prefix}minimum "
                  f"({minimum:g}) is below it, got {maximum:g}", "so that T = 1 is the middle of the slider's track")
    elif log_grid_position(default, per_decade) is None or not minimum <= default <= maximum:
        read.fail(f"{prefix}default", f"must be a grid point from {minimum:g} to {maximum:g} at {per_decade} "
                  f"points a decade, got {default:g}", nearest(default) if minimum <= default <= maximum
                  else "the slider can only land on grid points")
    else:
        return True
    return False


def _temperature(located: Located, declared_ids: set[str] | None, errors: list, warnings: list
                 ) -> TemperatureSettings | None:
    read = Reader(located, errors, warnings)
    values = read.read(schema.TEMPERATURE)
    if values is None or read.failed():
        return None
    if not _log_grid(read, "", values["minimum"], values["maximum"], values["points_per_decade"], values["default"]):
        return None
    if not _known_example(read, "example", values["example"], declared_ids):
        return None
    return TemperatureSettings(**values)


def _labels(located: Located, declared_ids: set[str] | None, errors: list, warnings: list
            ) -> LabelSettings | None:
    read = Reader(located, errors, warnings)
    values = read.read(schema.LABELS)
    if values is None:
        return None
    if not _known_example(read, "default_example", values["default_example"], declared_ids) or read.failed():
        return None
    return LabelSettings(**values)


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
    values = read.read(schema.TRAINING)
    if values is None or read.failed():
        return None
    alpha_default, alpha_step, points = values["alpha_default"], values["alpha_step"], values["progress_points"]
    t_min, t_max, t_per_decade, t_default = (values[f"temperature_{k}"]
                                             for k in ("minimum", "maximum", "points_per_decade", "default"))
    if not _log_grid(read, "temperature_", t_min, t_max, t_per_decade, t_default) or \
            not _grid_points(read, "alpha_step", 0.0, 1.0, alpha_step, limits.MAX_ALPHA_POINTS, "alpha_step 0.05"):
        return None
    temperatures = len(log_grid(t_min, t_max, t_per_decade))
    rows = len(declared_ids or ()) * temperatures * round(1 / alpha_step + 1) * points
    if rows > limits.MAX_LOSS_CURVE_ROWS:
        read.fail("progress_points", f"the loss curves would have {rows:,} rows (examples × temperatures × alphas "
                  f"× progress_points), more than {limits.MAX_LOSS_CURVE_ROWS:,}",
                  "use fewer progress_points, a larger alpha_step, fewer temperature_points_per_decade, "
                  "or fewer examples")
        return None
    if abs(1 / alpha_step - round(1 / alpha_step)) > 1e-9:
        read.fail("alpha_step", f"must divide 1 into whole steps, got {alpha_step:g}", "e.g. 0.05 or 0.1")
        return None
    if not _on_grid(read, "alpha_default", alpha_default, 0.0, 1.0, alpha_step):
        return None
    if not _known_example(read, "default_example", values["default_example"], declared_ids):
        return None
    return TrainingSettings(**values)


def _references(located: Located, errors: list, warnings: list) -> tuple[Reference, ...] | None:
    read = Reader(located, errors, warnings)
    values = read.read(schema.REFERENCES)
    if values is None:
        return None
    items = values["references"]
    if items is None:
        items = _partial(read, "references", schema.REFERENCES.fields["references"])
        if not items:
            return None
    references: list[Reference] = []
    for index, item in enumerate(items):
        path = f"references[{index}]"
        if item is None:
            continue
        ref_id, url = item["id"], item["url"]
        if ref_id is not None and not SECTION_ID.match(ref_id.replace("_", "-")):
            read.fail(f"{path}.id", f"'{ref_id}' is not a valid reference id", "use letters, digits, - and _")
            continue
        if ref_id is not None and any(r.id == ref_id for r in references):
            read.fail(f"{path}.id", f"duplicate reference id '{ref_id}'", "ids must be unique")
            continue
        if url is not None and (not url.startswith("https://") or link_problem(url) is not None):
            read.fail(f"{path}.url", f"'{url}' is not an https:// address without spaces",
                      "e.g. https://arxiv.org/abs/1503.02531")  # kept, so its citations raise no more errors
        if None not in item.values():
            references.append(Reference(number=len(references) + 1, **item))
    return tuple(references)


def _self_check(located: Located | None, errors: list, warnings: list) -> tuple[Question, ...] | None:
    if located is None:
        return None
    read = Reader(located, errors, warnings)
    values = read.read(schema.SELF_CHECK)
    if values is None or values["questions"] is None or read.failed():
        return None
    questions = []
    for index, item in enumerate(values["questions"]):
        choices = tuple(Choice(**choice) for choice in item["choices"])
        if not any(choice.correct for choice in choices):
            read.fail(f"questions[{index}].choices", "no choice is marked correct: true",
                      "mark the right answer (or answers) with correct: true")
        questions.append(Question(item["question"], choices))
    return None if read.failed() else tuple(questions)


def _glossary(located: Located | None, references, errors: list, warnings: list) -> tuple[GlossaryTerm, ...]:
    if located is None:
        return ()
    read = Reader(located, errors, warnings)
    values = read.read(schema.GLOSSARY)
    if values is None or values["terms"] is None or read.failed():
        return ()
    terms: list[GlossaryTerm] = []
    known = {reference.id for reference in references} if references is not None else None
    claimed: dict[str, str] = {}  # a word in the text -> the term id that marks it
    for index, item in enumerate(values["terms"]):
        path = f"terms[{index}]"
        taken = next((form for form in (item["term"], *item["forms"]) if form in claimed), None)
        if taken is not None:
            read.fail(f"{path}.term" if taken == item["term"] else f"{path}.forms",
                      f"'{taken}' is already a form of term '{claimed[taken]}'",
                      "each word marks one definition: remove it from one of the two terms")
            continue
        claimed.update({form: item["id"] for form in (item["term"], *item["forms"])})
        if not SECTION_ID.match(item["id"]):
            read.fail(f"{path}.id", f"'{item['id']}' is not a valid id", "use lowercase letters, digits and hyphens")
        elif any(term.id == item["id"] for term in terms):
            read.fail(f"{path}.id", f"duplicate term id '{item['id']}'", "ids must be unique")
        elif item["source"] is not None and known is not None and item["source"] not in known:
            read.fail(f"{path}.source", f"unknown reference id '{item['source']}'",
                      "use an id from content/references.yaml")
        else:
            terms.append(GlossaryTerm(item["id"], item["term"], tuple(item["forms"]), item["definition"],
                                      item["source"]))
    return () if read.failed() else tuple(terms)


def _section(path: Path, root: Path, errors: list, warnings: list, file: str | None = None) -> Section | None:
    file = file or f"content/sections/{path.name}"
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
    values = read.read(schema.SECTION)
    if values is None:
        return None
    section_id = values["id"]
    if section_id is not None and not SECTION_ID.match(section_id):
        read.fail("id", f"'{section_id}' is not a valid anchor id",
                  "use lowercase letters, digits and hyphens, starting with a letter")
        return None
    if read.failed():
        return None
    body_first_line = text[: match.end()].count("\n") + 1
    return Section(section_id, values["title"], values["order"], text[match.end():], file, body_first_line,
                   located.line("id") or 2, located.line("order"))


SectionCheck = Callable[[Section, "dict[str, Reference] | None"], "list[ContentError]"]


def _unknown_model_references(root: Path, hardware: HardwareData, reference_ids: set[str]) -> list[ContentError]:
    """A model's int8_top1.reference must name an entry of content/references.yaml."""
    problems = []
    for spec in hardware.models.values():
        if spec.int8_top1 is not None and spec.int8_top1.reference not in reference_ids:
            located = load_yaml(root / "models" / f"{spec.key}.yaml", spec.file)
            problems.append(located.error("int8_top1.reference", f"unknown reference id {spec.int8_top1.reference!r}",
                                          "use an id from content/references.yaml"))
    return problems


# The figures that start on the default device (the "why" cards, the three levers) cost the FP32
# teacher, the FP32 student and the INT8 student on it.
DEFAULT_DEVICE_PRECISIONS = ("fp32", "int8")


def _default_device_problems(root: Path, hardware: HardwareData, page: HardwarePage) -> list[ContentError]:
    """hardware_page.yaml's default_device must run every precision the figures starting on it cost."""
    device = hardware.devices.get(page.default_device)
    if device is None:
        return []
    cannot = [lookup.note for lookup in map(device.peak_for, DEFAULT_DEVICE_PRECISIONS) if lookup.peak_ops_per_s is None]
    if not cannot:
        return []
    able = sorted(key for key, other in hardware.devices.items()
                  if all(other.peak_for(p).peak_ops_per_s is not None for p in DEFAULT_DEVICE_PRECISIONS))
    located = load_yaml(root / "hardware_page.yaml", "content/hardware_page.yaml")
    return [located.error("default_device", f"{'; '.join(cannot)}, and the figures that start on this device "
                          "compare FP32 and INT8 models on it",
                          f"choose one that runs both: {', '.join(able)}" if able
                          else "add a device that runs FP32 and INT8 models")]


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
    hardware = _collect(errors, load_hardware, root, DEFAULT_WORKLOADS, warnings)
    hardware_page = _collect(errors, load_hardware_page, root, warnings)
    lab = _collect(errors, load_lab_config, root / "lab.yaml", "content/lab.yaml", warnings)

    if hardware is not None and references is not None:
        errors.extend(_unknown_model_references(root, hardware, {reference.id for reference in references}))
    if hardware is not None and hardware_page is not None:
        errors.extend(_default_device_problems(root, hardware, hardware_page))

    section_files = content_files(root / "sections", ".md", warnings)
    if not section_files:
        errors.append(ContentError("content/sections", None, "", "no sections found",
                                   "add Markdown files such as content/sections/temperature.md"))
    sections = [s for s in (_section(path, root, errors, warnings) for path in section_files) if s]
    for index, section in enumerate(sections):
        first = next((other for other in sections[:index] if other.id == section.id), None)
        if first is not None:  # name both: a copy ("30-x copy.md") can sort before its original
            errors.append(ContentError(section.file, section.id_line, "id", f"duplicate section id '{section.id}', "
                                       f"also the id of {first.file}", "each section needs its own id"))
    check_path = root / "self_check.yaml"
    self_check = _self_check(_load(root, "self_check.yaml", errors), errors, warnings) if check_path.is_file() else None
    glossary_path = root / "glossary.yaml"
    glossary = (_glossary(_load(root, "glossary.yaml", errors), references, errors, warnings)
                if glossary_path.is_file() else ())
    scenes = (read_scenes(scenes_file, errors, warnings)
              if (root / "scenes.yaml").is_file() and (scenes_file := _load(root, "scenes.yaml", errors)) else ())
    notes_path = root / "instructor-notes.md"
    notes = (_section(notes_path, root, errors, warnings, "content/instructor-notes.md")
             if notes_path.is_file() else None)
    if check_section is not None:
        by_id = {reference.id: reference for reference in references} if references is not None else None
        for section in sections + ([notes] if notes else []):
            errors.extend(check_section(section, by_id))
    if errors:
        raise ContentErrors(_without_cascade(errors, references_file), warnings)
    sections.sort(key=lambda s: (s.order, s.id))
    for before, after in zip(sections, sections[1:]):
        if before.order == after.order:  # the page order then rests on the ids: say so
            warnings.append(ContentError(after.file, after.order_line, "order", f"order {after.order} is also {before.file}'s, "
                                         f"so '{after.id}' follows '{before.id}' only by its id",
                                         "give each section its own order, e.g. 35 between 30 and 40"))
    return Content(root, site, examples, temperature, labels, training, references,  # type: ignore[arg-type]
                   hardware, hardware_page, lab,
                   tuple(sections), tuple(warnings), notes, self_check, glossary, scenes)
