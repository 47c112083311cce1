"""The early loader (kdsite/page/early_loader.py): which sections it names, that nothing a section's
id holds can end its script, that the policy allows exactly it, and that the single file keeps only its layout switch.
(Its behaviour in the browser: tests/browser/test_lazy.py.)"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from kdsite.page.early_loader import MARKER, SWITCH, shown_chart_files, with_early_loader, without_early_loader

HEAD = ('<html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        'script-src \'self\'; style-src \'self\'">\n' + MARKER + '\n<link rel="stylesheet" href="a.css"></head>')


def page(body: str) -> str:
    return HEAD + "<body>" + body + "</body></html>"


def test_only_sections_showing_a_chart_when_loaded_are_named():
    body = ('<section id="open"><details><div data-chart="closed.js"></div></details>'
            '<div class="chart" data-chart="open.js"></div><div data-chart="later.js"></div></section>'
            '<section id="folded"><details><details open><div data-chart="nested.js"></div></details></details></section>'
            '<section id="unfolded"><details open><div data-chart="shown.js"></div></details></section>'
            '<section id="prose"><p>No chart.</p></section>'
            '<div data-chart="outside.js"></div>')
    assert shown_chart_files(page(body)) == {"open": "open.js", "unfolded": "shown.js"}


HOSTILE_ID = "</script><script>window.__pwned=1</script><!--\u2028"


def test_no_section_id_can_end_the_script_and_the_policy_allows_exactly_it():
    html = with_early_loader(page(f'<section id="{HOSTILE_ID.replace(chr(34), "")}">'
                                  '<div data-chart="assets/specs/x.js"></div></section>'))
    code = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    assert "</" not in code and "<!--" not in code and "<script" not in code and "\u2028" not in code
    assert "\\u003c/script\\u003e" in code  # the id is there, escaped
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in html
    assert html.index("<script>") < html.index('<link rel="stylesheet"')  # it must not wait for the CSS
    assert html[:html.index("</head>")].count("<script") == 1 and MARKER not in html


def test_the_single_file_keeps_only_the_layout_switch_and_neither_hash():
    original = page('<section id="s"><div data-chart="assets/specs/s.js"></div></section>')
    assert without_early_loader(with_early_loader(original)) == original.replace(MARKER, f"<script>{SWITCH}</script>")
    assert without_early_loader(original) == original  # nothing to drop


@pytest.mark.parametrize("html", [page("").replace(MARKER, ""), page("").replace(MARKER, MARKER * 2),
                                  page("").replace("script-src 'self'", "script-src 'none'")])
def test_a_page_without_one_marker_and_one_policy_is_refused(html):
    with pytest.raises(ValueError):
        with_early_loader(html)
