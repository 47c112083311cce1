"""The data-* contract between templates and site.js is written down once and kept."""

from __future__ import annotations

import re

from tests.helpers import ROOT

DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def documented() -> set[str]:
    section = DOC[DOC.index("### The page protocol"):]
    rows = [line for line in section.splitlines() if line.startswith("| `data-")]
    return {name for row in rows for name in re.findall(r"`(data-[a-z-]+)`", row.split("|")[1])}


def used_in_templates() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "templates").rglob("*.html"):
        names |= set(re.findall(r"\b(data-[a-z-]+)(?=[=\s>])", path.read_text(encoding="utf-8")))
    return names


def used_in_script() -> set[str]:
    return set(re.findall(r"\b(data-[a-z-]+)", (ROOT / "templates/static/site.js").read_text(encoding="utf-8")))


def test_templates_and_script_use_only_documented_attributes():
    assert used_in_templates() - documented() == set()
    assert used_in_script() - documented() == set()


def test_every_documented_attribute_is_used():
    assert documented() - (used_in_templates() | used_in_script()) == set()


def test_the_script_reads_what_the_templates_write():
    written_by_templates = used_in_templates()
    for name in ("data-figure", "data-table", "data-charts", "data-key", "data-field", "data-chart",
                 "data-signals", "data-table-for", "data-valuetext", "data-live", "data-announcer"):
        assert name in used_in_script() and name in written_by_templates, name


def test_every_slider_and_chooser_comes_from_the_control_macros():
    for path in (ROOT / "templates" / "figures").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<input[^>]*type=\"range\"|<select\b", text), \
            f"{path.name}: write controls with the slider/chooser macros of templates/controls.html"


def test_every_mark_badge_in_a_template_comes_from_mark():
    """A badge written by hand (a <span class="mark ...">) is not a button, opens no meaning, and
    can name a kind the key does not explain: templates call mark(KIND)."""
    by_hand = [path.name for path in (ROOT / "templates").rglob("*.html")
               if re.search(r'class="mark[ "]', path.read_text(encoding="utf-8"))]
    assert by_hand == []
