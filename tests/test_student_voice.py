"""The student page speaks to a student: no word about the tool that built it, its caches, or the
course page it replaced (those belong in the README and the instructor's notes; STYLE.md, "Two voices").

Checked on the fixture build, so the templates and every figure builder's generated text are covered.
"""

from __future__ import annotations

import html
import re

import pytest

# Whole words and phrases; a hardware cache (L2 cache, caches) is fine, a cached result is not.
INSTRUCTOR_ONLY = [r"course page", r"kdsite", r"\bbuild\b", r"\bbuilt by\b", r"\brebuild", r"cache folder",
                   r"\bcached\b", r"--\w", r"\.yaml\b", r"content/"]


def visible_text(page_html: str) -> str:
    """The text a reader can see: scripts, styles and tags removed, entities decoded."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


# Touch and keyboard readers cannot hover: the page never asks them to (issue 17).
MOUSE_ONLY = [r"\bhover"]


@pytest.mark.parametrize("page", ["index.html", "404.html"])
def test_the_student_page_never_mentions_the_tool_its_caches_or_the_course_page(site_dir, page):
    text = visible_text((site_dir / page).read_text(encoding="utf-8"))
    found = {pattern: match.group(0) for pattern in INSTRUCTOR_ONLY + MOUSE_ONLY
             for match in [re.search(pattern, text, flags=re.I)] if match}
    assert found == {}, [text[max(0, text.lower().find(m.lower()) - 80):][:200] for m in found.values()]


def test_the_check_finds_a_mention(site_dir):
    """The same check on a page that names the tool fails (the test can fail)."""
    text = visible_text("<p>Built with <b>kdsite</b>; run the build again.</p><script>kdsite()</script>")
    assert [p for p in INSTRUCTOR_ONLY if re.search(p, text, flags=re.I)] == [r"kdsite", r"\bbuild\b"]
