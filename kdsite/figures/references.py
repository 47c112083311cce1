"""The numbered reference list that every citation links to."""

from __future__ import annotations

from typing import Any

from kdsite.content.load import Content
from kdsite.figures.common import Science


def reference_list(content: Content, science: Science) -> dict[str, Any]:
    """The references in citation-number order."""
    return {"references": content.references}
