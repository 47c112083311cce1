"""The end-of-page self-check: content/self_check.yaml's questions, as native <details> per choice."""

from __future__ import annotations

from typing import Any

from kdsite.content.load import Content
from kdsite.errors import ContentError, ContentErrors
from kdsite.figures.common import Science

LETTERS = "ABCDEFGHIJ"


def self_check(content: Content, science: Science) -> dict[str, Any]:
    """Each question with its choices lettered A, B, …; the page shows no score and stores nothing."""
    if not content.self_check:
        raise ContentErrors([ContentError(
            "content/self_check.yaml", None, "", "the self-check figure is placed but the file is missing",
            "add content/self_check.yaml (see docs/content.md), or remove [[figure: self-check]]")])
    return {"questions": [{"question": question.question,
                           "choices": [{"letter": LETTERS[index], "text": choice.text, "correct": choice.correct,
                                        "why": choice.why} for index, choice in enumerate(question.choices)]}
                          for question in content.self_check]}
