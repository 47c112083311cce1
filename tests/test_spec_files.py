"""The charts' spec files (kdsite/page/spec_files.py): one classic script a section, whose text no
string can break out of, named by its content, and read back to exactly the compiled specs."""

import json

from kdsite.figures.common import Chart
from kdsite.page.spec_files import SpecFiles, js_string, spec_script
from tests.helpers import spec_texts

HOSTILE = "</script><script>window.__pwned=1</script><!--<script>&amp;\"' \\ \\' \u2028\u2029 \n\r\t end"


def compiled(text: str) -> dict:
    return {"vega": {"data": [{"name": "table", "values": [{"label": text, "value": 1.5}]}]},
            "dark": [[["background"], "#000"]]}


def test_hostile_text_stays_inside_the_string_and_the_element():
    script = spec_script("labels", {"label-logits": compiled(HOSTILE), "label-soft": compiled("plain")})
    # Nothing in the file could end an inline <script> or switch the HTML parser's state, and no raw
    # line terminator could end a JavaScript string literal.
    for character in "<>&\u2028\u2029\r":
        assert character not in script
    body = [line for line in script.splitlines() if line.startswith("  specs[")]
    assert len(body) == 2
    # Read back as JavaScript would read the string literals, the JSON is the spec, hostile text and all.
    assert {key: json.loads(text) for key, text in spec_texts(script).items()} == \
        {"label-logits": compiled(HOSTILE), "label-soft": compiled("plain")}


def test_a_string_literal_escapes_only_backslash_and_quote():
    assert js_string('{"a":"it\'s \\\\ \\u003c"}') == "'{\"a\":\"it\\'s \\\\\\\\ \\\\u003c\"}'"


def test_one_file_a_section_named_by_its_content():
    files = SpecFiles()
    charts = [Chart("label-logits", {}, ""), Chart("label-soft", {}, "")]
    files.add("labels", {"label-logits": compiled("a"), "label-soft": compiled("b")})
    files.add("why", {})  # a section without charts has no file
    files.add("x" * 300, {"long-one": compiled("c")})
    sources = [files(chart) for chart in charts]
    assert sources[0] == sources[1] and sources[0].startswith("assets/specs/labels.") and sources[0].endswith(".js")
    assert set(files.files) == {sources[0], files(Chart("long-one", {}, ""))}
    assert files(Chart("long-one", {}, "")).startswith("assets/specs/" + "x" * 40 + ".")
    changed = SpecFiles()
    changed.add("labels", {"label-logits": compiled("a"), "label-soft": compiled("B")})
    assert changed(charts[0]) != sources[0]
    again = SpecFiles()
    again.add("labels", {"label-logits": compiled("a"), "label-soft": compiled("b")})
    assert again.files == {sources[0]: files.files[sources[0]]}
