"""Scaffolds for new content: `kdsite new section NAME [--after ID]` and `kdsite new device NAME`.

Each writes one file an author then edits. A new section builds at once (placeholder prose, a key
insight on its first screen, a predict prompt); a new device is a commented template whose TODO
values the build reports one by one, with file, line and field, until they are filled in, so no
invented number can reach the page.
"""

from __future__ import annotations

import re
from pathlib import Path

from kdsite.content.load import FRONT_MATTER, SECTION_ID
from kdsite.content.yamlload import content_files, parse_yaml
from kdsite.errors import ContentError


def slug(name: str) -> str:
    """An id from a name: lowercase letters, digits and hyphens, starting with a letter."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not SECTION_ID.match(text):
        raise ContentError("content", None, "", f"'{name}' gives no usable id",
                           "use a name that starts with a letter, e.g. 'deploying students'")
    return text


def _orders(sections: Path) -> dict[str, tuple[int, Path]]:
    """Each existing section's id → (order, file), read from its front matter."""
    found = {}
    for path in content_files(sections, ".md"):
        match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        if match is None:
            continue
        data = parse_yaml(match.group(1), f"content/sections/{path.name}", first_line=2).data
        if isinstance(data, dict) and isinstance(data.get("id"), str) and isinstance(data.get("order"), int):
            found[data["id"]] = (data["order"], path)
    return found


def new_section(content: Path, name: str, after: str | None = None) -> Path:
    """Write content/sections/ORDER-ID.md after section `after` (else last) and return its path."""
    section_id = slug(name)
    sections = content / "sections"
    orders = _orders(sections)
    if section_id in orders:
        raise ContentError(f"content/sections/{orders[section_id][1].name}", None, "id",
                           f"a section with id '{section_id}' already exists", "choose another name")
    ranked = sorted(order for order, _ in orders.values())
    if after is None:
        low, high = (ranked[-1] if ranked else 0), None
    elif after not in orders:
        raise ContentError("content/sections", None, "", f"no section with id '{after}'",
                           f"sections: {', '.join(sorted(orders))}")
    else:
        low = orders[after][0]
        high = next((order for order in ranked if order > low), None)
    order = low + 10 if high is None else (low + high) // 2
    if high is not None and not low < order < high:
        raise ContentError("content/sections", None, "order", f"no free order between {low} and {high}",
                           "renumber the sections' order: fields to leave a gap")
    path = sections / f"{order:02d}-{section_id}.md"
    title = name.strip()[:1].upper() + name.strip()[1:]
    path.write_text(f"""---
id: {section_id}
title: {title}
order: {order}
---
TODO: two or three sentences: what the reader will see in this section, and why it matters.

!!! insight "Key insight"
    TODO: the one idea to take away. Keep it here, on the section's first screen.

!!! predict "TODO: a question the reader answers before the figure?"
    TODO: the answer, shown when the reader opens it.

!!! deeper "TODO: detail a student can skip"
    TODO: text, tables, citations and figures, indented four spaces.
""", encoding="utf-8")
    return path


DEVICE_TEMPLATE = """\
# {title}: every number is cited (value + source) or derived (factors + formula + source).
# Replace each TODO; the build reports every one still left, with its line.
display_name: {title}
summary: "TODO: one line about the hardware, e.g. cores, clock, memory"
memory_link: LPDDR4 DRAM
peak_ops_per_s:
  # A derived peak: the product of its factors, with the formula in words.
  fp32:
    kind: derived
    formula: "TODO: cores × clock × operations per cycle"
    factors: {{cores: TODO, clock_hz: TODO, flop_per_cycle_per_core: TODO}}
    source: "TODO: the datasheet that gives the cores and the clock"
  # A cited peak: the value as the source states it.
  # int8:
  #   value: 4e12
  #   kind: cited
  #   source: "TODO: datasheet, INT8 TOPS"
# Precisions without a peak above run at this listed precision's peak (or none: not supported).
unlisted_precision: fp32
dram_bandwidth_bytes_per_s:
  value: TODO
  kind: cited
  source: "TODO: datasheet, memory bandwidth"
on_chip_memory_bytes:
  value: TODO
  kind: cited
  source: "TODO: datasheet, on-chip memory or last-level cache"
"""


def new_device(content: Path, name: str) -> Path:
    """Write content/devices/ID.yaml, a template to fill in, and return its path."""
    device_id = slug(name).replace("-", "_")
    path = content / "devices" / f"{device_id}.yaml"
    if path.exists():
        raise ContentError(f"content/devices/{path.name}", None, "", "this device file already exists",
                           "choose another name, or edit the file")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DEVICE_TEMPLATE.format(title=name.strip()), encoding="utf-8")
    return path
