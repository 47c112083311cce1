"""Shared figure pieces: the Chart record and JSON that is safe to inline in a page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Chart:
    """One embedded Vega-Lite chart: its element id, spec and a text alternative stating its takeaway."""

    id: str
    spec: dict
    alt_text: str

    @property
    def signals(self) -> list[str]:
        """Names of the spec's top-level params: the signals page controls may set."""
        return sorted(param["name"] for param in self.spec.get("params", []))


def script_json(value: Any) -> str:
    """JSON safe to inline in <script type="application/json">: compact, sorted, no '</' sequences."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")
