"""Shared figure pieces: the Chart record and JSON that is safe to inline in a page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from kdsite.science.hardware import HardwareResults
from kdsite.science.lab import LabResults


class Science(Protocol):
    """What a figure builder may read of the build's computed results (kdsite/build/results.py
    computes each once, on first use)."""

    @property
    def hardware(self) -> HardwareResults: ...

    @property
    def lab(self) -> LabResults: ...


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
    """JSON safe to inline in <script type="application/json"> whatever its strings hold: compact, sorted.

    `<`, `>` and `&` are written as \\u escapes, so no text (`</script>`, `<!--`, `<script`) can end
    the element or switch the HTML parser's script state; U+2028 and U+2029 too, as JavaScript
    string literals could not hold them raw before ES2019.
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text
