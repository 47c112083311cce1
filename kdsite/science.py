"""The numeric results a build needs, each computed once, on first use, from validated content."""

from __future__ import annotations

from functools import cached_property

from kdsite.content import Content
from kdsite.hardware import HardwareResults, compute_hardware


class Science:
    """Lazily computed results of the numeric core, shared by every figure of one build."""

    def __init__(self, content: Content):
        self.content = content

    @cached_property
    def hardware(self) -> HardwareResults:
        """Per-model totals, rooflines and energies of the hardware model."""
        return compute_hardware(self.content.hardware)
