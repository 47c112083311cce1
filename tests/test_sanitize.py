"""The Markdown policy: what Python-Markdown produced goes through the allowlist sanitizer, and
whatever the sanitizer would remove is an error naming the source line.

Each hostile case is a way past the old line-by-line check, or a construct an attacker would try
next. Every case must fail with a problem on the line that holds it; the sanitized HTML must not
contain anything executable either way.
"""

from __future__ import annotations

import re
from html import escape

import pytest

from kdsite.content.load import Reference, Section
from kdsite.page.render import render_section, section_html
from kdsite.content.sanitize import link_problem, sanitize

FILE = "content/sections/50-x.md"
FIRST_LINE = 5
REFERENCES = {"hinton2015": Reference("hinton2015", 1, "Geoffrey Hinton", "Distilling", "arXiv", 2015,
                                      "https://arxiv.org/abs/1503.02531")}


def section(body: str) -> Section:
    return Section("x", "X", 50, body, FILE, FIRST_LINE, 2)


def problems(body: str):
    return section_html(section(body), {"demo"}, REFERENCES)[2]


def rendered(body: str) -> str:
    return render_section(section(body), lambda name: f'<figure id="{name}"></figure>', {"demo"},
                          REFERENCES).html


# (hostile Markdown placed on the third line of the body, fragment of the expected message)
HOSTILE = [
    ("Hello <script>alert(1)</script>", "raw HTML <script>"),
    ("<SCRIPT>alert(1)</SCRIPT>", "raw HTML <script>"),
    ("<scr<script>ipt>alert(1)</script>", "raw HTML <script>"),
    ('A <span onclick="x()">click</span>', "raw HTML <span>"),
    ('A <b onmouseover="x()">bold</b>', "attribute 'onmouseover' on <b>"),
    ('<img src="x" onerror="alert(1)">', "images are not allowed"),
    ("![a picture](https://example.org/x.png)", "images are not allowed"),
    ("<svg onload=alert(1)>", "raw HTML <svg>"),
    ("<iframe src=https://example.org></iframe>", "raw HTML <iframe>"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "raw HTML <meta>"),
    ("<style>body{display:none}</style>", "raw HTML <style>"),
    ('<base href="https://evil.example/">', "raw HTML <base>"),
    ('<form action="https://evil.example"><button>Go</button></form>', "raw HTML <form>"),
    ('<a href="https://evil.example" target="_top">x</a>', "attribute 'target' on <a>"),
    ("<object data=x></object>", "raw HTML <object>"),
    ("<template><script>alert(1)</script></template>", "raw HTML <template>"),
    ("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>", "raw HTML <noscript>"),
    ("[click](javascript:alert(1))", "scheme 'javascript:'"),
    ("[click](JaVaScRiPt:alert(1))", "scheme 'JaVaScRiPt:'"),
    ("[click](jav&#x61;script:alert(1))", "scheme 'javascript:'"),
    ("[click](&#106;avascript:alert(1))", "scheme 'javascript:'"),
    ("[click](<javascript:alert(1)>)", "scheme 'javascript:'"),
    ("<javascript:alert(1)>", "raw HTML <javascript:alert(1)>"),
    ("<https://example.org/?q=<script>>", "raw HTML <script>"),
    ("[data](data:text/html;base64,PHNjcmlwdD4=)", "scheme 'data:'"),
    ("[file](file:///etc/passwd)", "scheme 'file:'"),
    ("[vb](vbscript:msgbox)", "scheme 'vbscript:'"),
    ("[plain](http://example.org)", "scheme 'http:'"),
    ("[away](//evil.example/path)", "starts with '/'"),
    ("[away](/\\evil.example/path)", "backslash"),
    ("[root](/etc/passwd)", "starts with '/'"),
    ("<a href=\"java\nscript:alert(1)\">x</a>", "control character"),
    ("[click][ref]\n\n[ref]: javascript:alert(1)", "scheme 'javascript:'"),
    ("<b>unclosed <i>misnested</b></i>", "unclosed or misnested"),
    ('<a href="#x" onclick="alert(1)">x</a>', "attribute 'onclick' on <a>"),
    ("<!-- hidden -->", "HTML comments are not allowed"),
    ("<!-->\n<script>alert(1)</script>", "raw HTML <script>"),
    ("<![CDATA[<script>alert(1)</script>]]>", "not allowed"),
    ("<div>\n<script>alert(1)</script>\n</div>", "raw HTML <script>"),
    ("<details open ontoggle=alert(1)>x</details>", "raw HTML <details>"),
    ("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>", "raw HTML <math>"),
    ("<p style=\"position:fixed;inset:0;background:white\">covered</p>", "attribute 'style' on <p>"),
    ("<p id=\"temperature-slider\">clobber</p>", "attribute 'id' on <p>"),
    ("<p class=\"hidden\">x</p>", "class 'hidden' on <p>"),
]
ATTRIBUTE_LISTS = [
    ("A paragraph\n{: onclick=\"alert(1)\" }", "attribute 'onclick' on <p>"),
    ("[a link](https://example.org){: href=\"javascript:alert(1)\" }", "scheme 'javascript:'"),
    ("A paragraph\n{: #temperature-slider }", "attribute 'id' on <p>"),
    ("A paragraph\n{: .hidden }", "class 'hidden' on <p>"),
    ("A paragraph\n{: style=\"display:none\" }", "attribute 'style' on <p>"),
]


@pytest.mark.parametrize("hostile, message", HOSTILE + ATTRIBUTE_LISTS)
def test_hostile_markdown_is_an_error_on_its_line(hostile, message):
    body = "Fine text.\n\n" + hostile + "\n\nMore fine text.\n"
    found = problems(body)
    assert found, f"{hostile!r} passed"
    assert all(problem.file == FILE and problem.field == "markdown" and problem.hint for problem in found)
    assert any(message in problem.message for problem in found), [p.message for p in found]
    hostile_lines = range(FIRST_LINE + 2, FIRST_LINE + 2 + hostile.count("\n") + 1)
    assert {problem.line for problem in found} <= set(hostile_lines), [str(p) for p in found]


@pytest.mark.parametrize("hostile, _", HOSTILE + ATTRIBUTE_LISTS)
def test_sanitized_output_holds_nothing_executable(hostile, _):
    cleaned = sanitize(section_html(section(hostile + "\n"), set(), REFERENCES)[0])
    assert not re.search(r"<(script|style|iframe|img|svg|meta|base|form|object|math|template)\b", cleaned, re.I)
    assert not re.search(r"\son\w+\s*=", cleaned, re.I)
    for href in re.findall(r'href="([^"]*)"', cleaned):
        assert link_problem(href) is None


def test_every_problem_of_a_section_is_reported_with_its_own_line():
    body = "One <script>a()</script>\n\nTwo [x](javascript:b())\n\nThree <iframe></iframe>\n\n[[figure: nope]]\n"
    found = problems(body)
    assert [(p.line, p.field) for p in found] == [(5, "markdown"), (7, "markdown"), (9, "markdown"), (11, "figure")]


def test_repeated_problems_map_to_successive_lines():
    body = "a <script>x</script>\n\nb <script>y</script>\n\nc <script>z</script>\n"
    assert [p.line for p in problems(body)] == [5, 7, 9]


@pytest.mark.parametrize("text", [
    "Plain *Markdown* with a [link](https://arxiv.org/abs/1503.02531) and [an anchor](#temperature).",
    "A [relative link](instructor-notes.html#why) and [another](notes/week1.html).",
    "Subscripts: p<sub>T</sub> and x<sup>2</sup>, <em>emphasis</em>, <i>i</i>, <b>b</b>, <kbd>Tab</kbd>, <br>",
    "<small>small</small> <strong>strong</strong> <code>code</code> <abbr title=\"multiply-accumulate\">MAC</abbr>",
    "| a | b |\n|:-:|--:|\n| 1 | 2 |",
    "Term\n:   Definition",
    "A footnote.[^1]\n\n[^1]: The note.",
    "*[KL]: Kullback-Leibler divergence\nKL measures it.",
    '!!! insight "Key insight"\n    A callout body.',
    "> A quote\n\n1. one\n2. two\n\n- a\n- b\n\n---\n\n## A heading",
    "A citation [@hinton2015, §2] and a mark [[mark: illustrative]].",
])
def test_ordinary_markdown_passes_unchanged(text):
    markup, _, found = section_html(section(text + "\n"), set(), REFERENCES)
    assert found == []
    assert sanitize(markup) == sanitize(sanitize(markup))


@pytest.mark.parametrize("code", [
    "`<script>alert(1)</script>`",
    "``<a href=`javascript:x`>``",
    "```\n<script>alert(1)</script>\n<!-- c -->\n[x](javascript:y)\n```",
    "    <script>indented code</script>",
    "`[@hinton2015]` and `[[mark: modeled]]`",
])
def test_code_shows_any_text_as_text(code):
    markup, _, found = section_html(section(code + "\n"), set(), REFERENCES)
    assert found == []
    assert "<script" not in markup and "<a href" not in markup.replace('<a class="cite"', "")
    assert "&lt;" in markup or "[@hinton2015]" in markup


def test_citations_and_marks_become_links_and_badges_outside_code_only():
    html = rendered("See [@hinton2015, §2] [[mark: cited]] and `[@hinton2015]`.\n")
    assert html.count('<a class="cite" href="#ref-hinton2015"') == 1
    assert '<button type="button" class="mark mark-cited" popovertarget="mark-key-cited"' in html
    assert "<code>[@hinton2015]</code>" in html


def test_a_placeholder_typed_by_the_author_stays_text():
    html = rendered("KDSITEFIGURE0END and KDSITE000000000000TRUSTED0END\n\n[[figure: demo]]\n")
    assert html.count('<figure id="demo">') == 1
    assert "KDSITEFIGURE0END" in html


def test_footnote_ids_carry_the_section_id():
    html = rendered("Text.[^1]\n\n[^1]: Note.\n")
    assert 'id="x-fn:1"' in html and 'href="#x-fn:1"' in html and 'href="#x-fnref:1"' in html


@pytest.mark.parametrize("body, message", [
    ("word " * 50_000, "characters long"),
    ("> " * 3000 + "deep\n", "nest"),
    ("- " * 3000 + "deep\n", "nest"),
    ("".join("    " * i + "- x\n" for i in range(40)), "nest"),
    ("[" * 20_000 + "x" + "]" * 20_000, "'['"),
    ("[a" * 3000, "'['"),
    ("![" * 3000, "'['"),
    ("<b>" * 20_000, "'<'"),
    ("<a " * 3000, "'<'"),
], ids=["long", "quotes", "list-markers", "indented-lists", "brackets", "open-brackets", "images",
        "tags", "open-tags"])
def test_pathological_markdown_is_an_error_not_a_hang(body, message):
    found = problems("Intro.\n\n" + body)
    expected_line = {"characters long": FIRST_LINE, "nest": found[0].line}.get(message, FIRST_LINE + 2)
    assert found[0].line - FIRST_LINE - 2 in ((0, 16) if message == "nest" else (-2, 0))
    assert found and message in found[0].message and found[0].line == expected_line


def test_markdown_within_the_bounds_renders_quickly_enough_to_check():
    body = "\n\n".join(["[" * 400, "<i>" * 130, "".join("    " * i + "- x\n" for i in range(16)),
                        "*" * 50_000, "_a" * 20_000])
    found = problems(body)
    assert not any("too complex" in problem.message or "at most" in problem.message for problem in found)
    assert len(found) == 1 and "unclosed or misnested" in found[0].message


@pytest.mark.parametrize("url, allowed", [
    ("https://arxiv.org/abs/1503.02531", True), ("#temperature", True), ("notes.html", True),
    ("notes/a.html?x=1#y", True), ("https:", False), ("https://", False), ("http://example.org", False),
    ("//example.org", False), ("/abs", False), ("\\\\example.org", False), ("java\tscript:x", False),
    (" javascript:x", False), ("mailto:a@b.org", False), ("a:b", False), ("", False),
])
def test_link_policy(url, allowed):
    assert (link_problem(url) is None) is allowed


@pytest.mark.parametrize("body, shown", [
    ("```\n[[figure: demo]]\n```\n", "[[figure: demo]]"),
    ("~~~\nbefore\n[[figure: nope]]\n[[mark: zzz]] [@nosuch]\n~~~\n", "[[mark: zzz]] [@nosuch]"),
    ("Write `[@nosuch, §2]` or `[[mark: zzz]]`; ``[[figure: nope]]`` too.\n", "[@nosuch, §2]"),
    ("A cited `[@hinton2015]` and a real [@hinton2015].\n", "[@hinton2015]"),
])
def test_kdsite_syntax_inside_code_is_shown_as_text(body, shown):
    """An author can show the syntax itself: in a fence or a code span no figure, badge or link is
    made and no unknown id is reported (README: code shows any text as text)."""
    assert problems("Intro.\n\n" + body) == []
    html = rendered("Intro.\n\n" + body)
    assert escape(shown) in html and '<figure id="demo">' not in html and 'class="mark' not in html
    assert html.count('<a class="cite"') == body.count("a real [@")


@pytest.mark.parametrize("body, field, message", [
    ("See [[figur: demo]].\n", "directive", "unknown directive '[[figur:'"),
    ("[[Figure: demo]]\n", "directive", "unknown directive '[[Figure:'"),
    ("As shown [@ hinton2015].\n", "citation", "malformed citation '[@ hinton2015]'"),
    ("Both [@hinton2015; @hinton2015].\n", "citation", "malformed citation '[@hinton2015; @hinton2015]'"),
    ("Lookalike [@hint\u043e n2015].\n", "citation", "malformed citation"),
])
def test_a_directive_or_citation_no_rule_reads_is_an_error_at_its_line(body, field, message):
    """Before, each reached the page as brackets, exit 0, and a misspelt figure simply went missing."""
    found = problems("Intro.\n\n" + body)
    assert [(p.field, p.line) for p in found] == [(field, FIRST_LINE + 2)]
    assert message in found[0].message


@pytest.mark.parametrize("body, message", [
    ("> a quote\n> [[figure: demo]]\n", "malformed figure directive"),
])
def test_a_figure_directive_inside_code_or_quotes_is_an_error(body, message):
    found = problems("Intro.\n\n" + body)
    assert [(p.field, p.message) for p in found] == [("figure", message)]
    assert found[0].line == FIRST_LINE + 2 + next(i for i, line in enumerate(body.split("\n")) if "[[figure" in line)


@pytest.mark.parametrize("body", ["Intro.\n[[figure: demo]]\nAfter.\n", "- a list item\n    [[figure: demo]]\n",
                                  '!!! insight "Key insight"\n    Text.\n    [[figure: demo]]\n'])
def test_a_figure_directive_on_its_own_line_places_the_figure_as_a_paragraph(body):
    html = rendered(body)
    assert html.count('<figure id="demo"></figure>') == 1 and "KDSITE" not in html


@pytest.mark.parametrize("body, message", [
    ('!!! deepr "More"\n    Text.\n', "unknown callout '!!! deepr \"More\"'"),
    ('!!! deeper "More"\nText not indented.\n', "'!!! deeper' has no body"),
    ('!!! predict "What happens?"\n\nNext paragraph.\n', "'!!! predict' has no body"),
    ("!!! predict\n    The answer.\n", "'!!! predict' has no question"),
    ("!!! deeper\n    Text.\n", "'!!! deeper' has no title"),
])
def test_a_malformed_callout_is_one_error_at_its_line(body, message):
    """Before: a confusing sanitizer message, an empty fold with its text below it, or the question 'Predict'."""
    found = problems("Intro.\n\n" + body)
    assert [(p.field, p.line, p.message) for p in found] == [("callout", FIRST_LINE + 2, message)]


def test_a_callout_shown_in_code_is_not_checked():
    assert problems("Intro.\n\n```\n!!! deepr\n```\n") == []
