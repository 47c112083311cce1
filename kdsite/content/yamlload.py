"""Read YAML and remember where each value came from, so errors can name file, line and field.

`load_yaml` returns plain Python data plus a `Located` view that answers "which line holds
field examples[2].logits?". Only the safe loader is used: no Python objects from YAML.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kdsite.errors import ContentError


@dataclass
class Located:
    """YAML data with the 1-based line of every mapping key and sequence item, by field path."""

    file: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, path: str) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""

    def error(self, path: str, message: str, hint: str = "") -> ContentError:
        """A ContentError for field `path` of this file, with its line."""
        return ContentError(self.file, self.line(path), path, message, hint)


def _child(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _record_lines(node: yaml.Node, path: str, lines: dict[str, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = _child(path, key_node.value)
            lines[key_path] = key_node.start_mark.line + 1
            _record_lines(value_node, key_path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = _child(path, index)
            lines[item_path] = item.start_mark.line + 1
            _record_lines(item, item_path, lines)


# libyaml's loader when PyYAML was built with it (about ten times faster); same data and marks.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 256 * 1024
"""Largest content file read (bytes). The biggest shipped file is about 4 KB; a 256 KB file still
loads in well under a second, a 1 MB one would not."""

MAX_NESTING = 12
"""Deepest nesting of lists and mappings in a YAML file; the shipped content uses 4 (model files)."""

MAX_VALUES = 20_000
"""Most values (scalars, lists and mappings) in one YAML file; the biggest shipped file has about 200.
Bounds the time to build the data, which bytes alone do not: [1,1,1,…] is one value per two bytes."""

_SLOW_FALLBACK_BYTES = 16 * 1024  # PyYAML's pure-Python parser only re-reads small malformed files
_OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSES = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


# Vega's expression parser rejects these inside string literals, and Vega-Lite writes text such as
# class names into expressions (custom sort orders), so one would stop every chart that shows it.
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")
# Invisible characters that change what text means or how it shows without a reader seeing them: C0
# and C1 controls but tab and line feed (a quoted "\0" makes a NUL), bidirectional overrides and
# isolates (U+202E turns "cod.exe" around), and zero-width spaces or word joiners that make "do\u200bg"
# look like "dog" in an error message but not match it. Zero-width (non-)joiners stay: scripts and
# emoji need them.
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def _scan_events(text: str, loader_class, file: str, offset: int) -> None:
    """Refuse anchors, aliases and deep nesting from the parser's event stream, before composing.

    Composing would expand a "billion laughs" file of nested aliases (the line recorder walks shared
    nodes once per reference) and recurse once per nesting level; events are flat and streamed.
    """
    loader = loader_class(text)
    depth = values = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            values += isinstance(event, (yaml.ScalarEvent, *_OPENS))
            if values > MAX_VALUES:
                raise ContentError(file, event.start_mark.line + 1 + offset, "",
                                   f"more than {MAX_VALUES:,} values in one file",
                                   "content files hold settings, not data sets; shorten the lists")
            line = event.start_mark.line + 1 + offset
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise ContentError(file, line, "", "anchors and aliases (&name, *name) are not allowed",
                                   "write each value out in full where it is used")
            if isinstance(event, _OPENS):
                depth += 1
                if depth > MAX_NESTING:
                    raise ContentError(file, line, "", f"lists and mappings nested more than {MAX_NESTING} "
                                       "deep", f"content needs at most {MAX_NESTING} levels; flatten the data")
            elif isinstance(event, _CLOSES):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and _LINE_SEPARATORS.search(event.value):
                raise ContentError(file, line, "", "text holds U+2028 or U+2029 (a Unicode line or paragraph "
                                   "separator)", "delete it; a chart's expressions cannot hold it")
            elif isinstance(event, yaml.ScalarEvent) and (hidden := INVISIBLE.search(event.value)):
                raise ContentError(file, line, "", f"text holds an invisible character, U+{ord(hidden.group()):04X}",
                                   "delete it: a reader cannot see it, yet it changes what the text matches or "
                                   "how it shows")
    finally:
        loader.dispose()


def _compose_and_construct(text: str, loader_class) -> tuple:
    """One pass: the node tree (it carries the line marks) and the data built from it."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()
_OPENINGS = {"a flow sequence": "a [ list", "a flow mapping": "a { mapping", "a quoted scalar": "a quoted text"}


def _unbalanced_quote_line(text: str, before: int) -> int | None:
    """The 0-based line of a double quote still open when line `before` (0-based) starts, or None.

    A valid quoted text over several lines opens and closes, so it is not reported; YAML comments
    and single-quoted text are skipped (a rough reading, used only to name a line in an error)."""
    opened = None
    for number, line in enumerate(text.splitlines()[:before]):
        code = "" if line.lstrip().startswith("#") else line if opened is not None else line.split(" #", 1)[0]
        code = re.sub(r"'[^'\"]*'", "", code) if opened is None else code
        if code.replace('\\"', "").count('"') % 2:
            opened = number if opened is None else None
    return opened


def parse_yaml(text: str, file: str, first_line: int = 1) -> Located:
    """Parse YAML text (e.g. a front-matter block starting at `first_line` of `file`).

    Raises ContentError with the parser's line for malformed YAML, for duplicate keys (which
    PyYAML would otherwise silently overwrite), for anchors and aliases, and for nesting deeper
    than MAX_NESTING; the last two are found in the event stream, before anything is built.
    """
    offset = first_line - 1
    try:
        try:
            _scan_events(text, FAST_LOADER, file, offset)
            node, data = _compose_and_construct(text, FAST_LOADER)
        except yaml.YAMLError:
            if len(text) > _SLOW_FALLBACK_BYTES or FAST_LOADER is yaml.SafeLoader:
                raise
            # libyaml's messages lack the opening mark of an unclosed bracket; ask PyYAML's own
            # parser, which raises the same error with the context the messages below rely on.
            _scan_events(text, yaml.SafeLoader, file, offset)
            node, data = _compose_and_construct(text, yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "malformed YAML").strip()
        hint = "check indentation, colons, quotes and brackets"
        if "maximum nesting depth" in problem:
            # PyYAML 6.0.4's libyaml has its own depth limit, met while scanning ahead in a flow
            # collection before the event stream gets there: the same mistake, the same message.
            line = (mark.line if mark else 0) + 1 + offset
            raise ContentError(file, line, "", f"lists and mappings nested more than {MAX_NESTING} deep",
                               f"content needs at most {MAX_NESTING} levels; flatten the data") from None
        if exc.context_mark and exc.context and ("end of stream" in problem or "<stream end>" in problem):
            # An unclosed bracket or quote is only noticed at the end of the text; name its opening.
            opened = exc.context.replace("while parsing ", "").replace("while scanning ", "")
            opened = _OPENINGS.get(opened, opened)
            mark, problem, hint = exc.context_mark, f"{opened} opened here is never closed", \
                "add the closing bracket or quote"
        elif exc.context_mark and exc.context and mark and exc.context_mark.line < mark.line and \
                ("flow sequence" in exc.context or "flow mapping" in exc.context):
            # A bracket left open runs into the next line, where the parser notices: name its line.
            opened = _OPENINGS.get(exc.context.replace("while parsing ", ""), exc.context)
            problem = f"{opened} opened here is not closed (noticed at line {mark.line + 1 + offset}: {problem})"
            mark, hint = exc.context_mark, "add the closing bracket"
        elif mark and (quoted := _unbalanced_quote_line(text, mark.line)) is not None:
            # A quote left open swallows the lines after it up to the next quote; name its line.
            problem = f"a quote opened here is closed only on line {mark.line + 1 + offset} ({problem})"
            mark, hint = yaml.Mark(file, 0, quoted, 0, None, None), "add the closing quote"
        elif "mapping values are not allowed" in problem:  # subtitle: Part 1: the basics
            hint = "text holding ': ' must be quoted: write it in double quotes, \"like: this\""
        line = mark.line + 1 + offset if mark else None
        raise ContentError(file, line, "", f"malformed YAML: {problem}", hint) from None
    except yaml.reader.ReaderError as exc:  # a control character; its position is in characters
        line = text[: exc.position].count("\n") + 1 + offset
        raise ContentError(file, line, "", f"malformed YAML: control character U+{exc.character:04X} "
                           "is not allowed", "delete it, e.g. by retyping the line") from None
    except yaml.YAMLError as exc:
        problem = " ".join(str(exc).split())
        raise ContentError(file, None, "", f"malformed YAML: {problem}",
                           "check indentation, colons, quotes and brackets") from None
    lines: dict[str, int] = {}
    if node is not None:
        _check_duplicate_keys(node, "", file, offset)
        _record_lines(node, "", lines)
    return Located(file, data, {key: value + offset for key, value in lines.items()})


def _check_duplicate_keys(node: yaml.Node, path: str, file: str, offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key_path = _child(path, key_node.value)
            if key_node.value in seen:
                raise ContentError(file, key_node.start_mark.line + 1 + offset, key_path,
                                   "duplicate key", "each key may appear once in a mapping")
            seen.add(key_node.value)
            _check_duplicate_keys(value_node, key_path, file, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_duplicate_keys(item, _child(path, index), file, offset)


# Near misses of a folder's extension, which an author means but the folder's glob would skip.
_ALSO_MEANT = {".yaml": (".yml", ".YAML", ".YML"), ".md": (".markdown", ".MD", ".txt")}


def content_files(folder: Path, suffix: str, warnings: list | None = None) -> list[Path]:
    """The files of `folder` ending in `suffix` that are content, sorted: not hidden files or editor
    leftovers (".draft.md", Emacs's ".#x.md" lock links, "x.md~" backups), not a dangling link.
    A file with a near-miss extension ("new.yml" in devices/) is not read either, and with
    `warnings` given it costs one warning, so a file that seems ignored says why."""
    found = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith((".", "#", "~")) or name.endswith("~") or not path.is_file():
            continue
        if path.suffix == suffix:
            found.append(path)
        elif warnings is not None and path.suffix in _ALSO_MEANT.get(suffix, ()):
            place = f"content/{folder.name}/{name}"
            warnings.append(ContentError(place, None, "", f"not read: only *{suffix} files in content/{folder.name}/ "
                                         "are content", f"rename it to {path.stem}{suffix}"))
    return found


def read_text(path: Path, file: str) -> str:
    """A content file's text as UTF-8, or a ContentError naming it (missing, unreadable, too big,
    not UTF-8). A byte-order mark at the start is dropped and Windows (CRLF) or old Mac (CR) line
    endings read as LF, so a file saved on any system means the same; line numbers do not change."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentError(file, None, "", f"file is {size:,} bytes, more than the limit of "
                               f"{MAX_FILE_BYTES:,} bytes ({MAX_FILE_BYTES // 1024} KB)",
                               "content files are short text; split it or remove what is not content")
        with path.open("rb") as handle:  # read no more than the limit, even if the file grows
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ContentError(file, None, "", f"file is more than the limit of {MAX_FILE_BYTES:,} bytes",
                               "content files are short text; split it or remove what is not content")
        data = data.removeprefix(codecs.BOM_UTF8)  # some Windows editors start UTF-8 files with one
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError:
        raise ContentError(file, None, "", "file is missing", "create it or restore it from git") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(file, line, "", "file is not valid UTF-8", "save it as UTF-8") from None
    except OSError as exc:
        raise ContentError(file, None, "", f"cannot read file: {exc.strerror}",
                           "check that it is a readable file, not a folder") from None


def load_yaml(path: Path, file: str) -> Located:
    """Read and parse one YAML content file."""
    return parse_yaml(read_text(path, file), file)
