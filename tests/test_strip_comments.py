"""The page's scripts and stylesheets ship without their comments (kdsite/page/strip_comments.py):
only comments go, never a character of a string, a template or a regular expression, and every line
break stays, so a console error's line number still matches the source."""

from __future__ import annotations

import pytest

from kdsite.errors import ContentError
from kdsite.page.strip_comments import without_comments
from tests.helpers import ROOT


def js(text: str) -> str:
    return without_comments("x.js", text.encode()).decode()


def css(text: str) -> str:
    return without_comments("x.css", text.encode()).decode()


@pytest.mark.parametrize("source, shipped", [
    ("var a = 1;  /* one */\n", "var a = 1;\n"),
    ("/* a\n   block */\nf();\n", "\n\nf();\n"),
    ("f(); // trailing\n// whole line\ng();\n", "f();\n\ng();\n"),
    ("a/*x*/b;\n", "a b;\n"),  # two names stay apart
    # Look like comments, are not: strings, a template, regular expressions.
    ('var s = "/* not a comment */ // nor this";\n', 'var s = "/* not a comment */ // nor this";\n'),
    ("var s = '\\'/*\\'';\n", "var s = '\\'/*\\'';\n"),
    ("var t = `a /* b */ // c`;\n", "var t = `a /* b */ // c`;\n"),
    ("var r = /\\/\\//g; // two slashes\n", "var r = /\\/\\//g;\n"),
    ("var r = /[/*]+/; /* class */\n", "var r = /[/*]+/;\n"),
    ("x = a.replace(/^#/, \"\");  /* hash */\n", "x = a.replace(/^#/, \"\");\n"),
    ("return /a*/.test(s);\n", "return /a*/.test(s);\n"),
    ("if (!/x/.test(s)) {}\n", "if (!/x/.test(s)) {}\n"),
    # Divisions: after a name, a number, a closing bracket, or a member named like a keyword.
    ("h = w / 2 / n; /* half */\n", "h = w / 2 / n;\n"),
    ("h = (a + b) / c[0] / d.return / 2;\n", "h = (a + b) / c[0] / d.return / 2;\n"),
    ("h = count/total;// ratio\n", "h = count/total;\n"),
    ("", ""),
])
def test_javascript_loses_its_comments_and_nothing_else(source, shipped):
    assert js(source) == shipped
    assert js(shipped) == shipped  # nothing left to take


@pytest.mark.parametrize("source, shipped", [
    ("a { color: red; } /* why */\n", "a { color: red; }\n"),
    ('a::before { content: "/* kept */"; }\n', 'a::before { content: "/* kept */"; }\n'),
    ("a { background: url('x//y.svg'); }\n", "a { background: url('x//y.svg'); }\n"),
    ("/* one\n two */\na { b: c; }\n", "\n\na { b: c; }\n"),
    ("a { b: c; } // CSS has no line comments\n", "a { b: c; } // CSS has no line comments\n"),
])
def test_css_loses_its_comments_and_nothing_else(source, shipped):
    assert css(source) == shipped


@pytest.mark.parametrize("source, line, message", [
    ("f();\nvar t = `hello ${name}`;\n", 2, "a template literal with ${…}"),
    ("f();\n\nvar s = 'open;\n", 3, "an unterminated string"),
    ("/* never\n closed\n", 1, "an unterminated comment"),
    ("x = (/abc\n);\n", 1, "an unterminated regular expression"),
])
def test_what_cannot_be_cut_safely_is_an_error_with_its_line(source, line, message):
    with pytest.raises(ContentError) as raised:
        js(source)
    assert (raised.value.file, raised.value.line, raised.value.message.split(":")[0]) == ("x.js", line, message)
    with pytest.raises(ContentError):  # and again: a file's result is remembered, never its error
        js(source)


def test_other_files_ship_as_they_are():
    data = b"<svg><!-- /* kept */ --></svg>"
    assert without_comments("favicon.svg", data) is data


@pytest.mark.parametrize("path", sorted((ROOT / "templates/static").glob("*.[jc]s*")), ids=lambda p: p.name)
def test_the_shipped_scripts_and_styles_keep_every_line_and_lose_their_comments(path):
    source = path.read_text(encoding="utf-8")
    shipped = without_comments(path.name, source.encode()).decode()
    assert shipped.count("\n") == source.count("\n")
    assert len(shipped) < len(source)  # they are commented: something went
    assert without_comments(path.name, shipped.encode()).decode() == shipped  # and nothing is left to take
    # Every line of code is its source line, up to where a comment began.
    for before, after in zip(source.split("\n"), shipped.split("\n")):
        assert before.startswith(after.rstrip()) or "/*" in before or "//" in before or not after.strip()
