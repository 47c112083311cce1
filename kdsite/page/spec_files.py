"""How the charts' compiled specs reach the browser: one classic script per section, loaded when a
chart of that section is about to be drawn.

Inline in index.html the specs were 671 KB of its 893 KB, which the browser parsed before any first
view, whichever chart (if any) it showed. Now each section's charts travel in
`assets/specs/SECTION.HASH.js`, named by the chart container's `data-chart`; site.js inserts a
`<script src>` for it when the first chart of that section is about to be drawn. A classic script,
not fetch(), because a page opened from file:// may not fetch its own files; one file a section
rather than one a chart because each file is gzipped on its own, and 24 files repeated the Vega
boilerplate the page's byte budget had no room for (+22 KB gzip; a section's charts share it).

The file registers each chart's spec as JSON text in `window.kdsiteSpecs` (chart id -> text), and the
script parses the text afresh each time it draws (it applies the dark patch and the controls' values
to the object it gets). The single file carries every one of these scripts inline
(kdsite/build/package.py), so it requests nothing.
"""

from __future__ import annotations

from kdsite.figures.common import script_json
from kdsite.page.runtime import short_hash

FOLDER = "assets/specs"
STEM_CHARACTERS = 40  # section ids have no length bound; a file name has


def js_string(json_text: str) -> str:
    """`json_text` (script_json's output) as a single-quoted JavaScript string literal.

    script_json has already written `<`, `>`, `&`, U+2028 and U+2029 as \\u escapes, and JSON escapes
    every other line terminator, so escaping `\\` and `'` is all that keeps the text inside the
    string; inlined in the single file, no text can end the <script> element either.
    """
    return "'" + json_text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def spec_script(section_id: str, compiled: dict[str, dict]) -> str:
    """The classic script that registers `compiled` (chart id -> compiled spec, from
    compiled_charts.py) in window.kdsiteSpecs, for the charts of section `section_id`."""
    lines = [f"/* The compiled specs of the charts of section {script_json(section_id)} (kdsite). */",
             "(function (specs) {"]
    lines += [f"  specs[{script_json(chart_id)}] = {js_string(script_json(spec))};"
              for chart_id, spec in compiled.items()]
    lines.append("})(window.kdsiteSpecs = window.kdsiteSpecs || {});")
    return "\n".join(lines) + "\n"


class SpecFiles:
    """Each section's spec script, and the file that holds each chart (the template's
    `chart_source(chart)`, written into the chart's `data-chart`)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.sources: dict[str, str] = {}

    def add(self, section_id: str, compiled: dict[str, dict]) -> None:
        """Write the script of section `section_id`'s charts (chart id -> compiled spec), if it has any."""
        if not compiled:
            return
        data = spec_script(section_id, compiled).encode("utf-8")
        source = f"{FOLDER}/{section_id[:STEM_CHARACTERS]}.{short_hash(data)}.js"
        self.files[source] = data
        self.sources.update(dict.fromkeys(compiled, source))

    def __call__(self, chart) -> str:
        """The file holding `chart`'s compiled spec."""
        return self.sources[chart.id]
