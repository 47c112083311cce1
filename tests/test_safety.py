"""Hostile text in a build, and the content security policy (leftovers: tests/test_output.py)."""

import base64
import hashlib
import re

import pytest

from kdsite.errors import ContentErrors
from tests.helpers import PROJECT, build, copy_project


def test_hostile_section_fails_the_build_and_names_the_line(tmp_path):
    project = copy_project(tmp_path / "project")
    section = project / "content/sections/30-temperature.md"
    section.write_text(section.read_text() + "\n<script>alert('x')</script>\n")
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "site")
    last_line = len(section.read_text().splitlines())
    assert [(e.file, e.line, e.message) for e in caught.value.errors] == [
        ("content/sections/30-temperature.md", last_line, "raw HTML <script> is not allowed")]


def test_html_in_yaml_is_escaped(tmp_path):
    project = copy_project(tmp_path / "project")
    site = project / "content/site.yaml"
    site.write_text(site.read_text().replace("subtitle: The test fixture (frozen)",
                                             "subtitle: '<script>alert(1)</script><b onmouseover=x>'"))
    build(project, tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text()
    assert "<script>alert(1)" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b onmouseover=x&gt;" in html


def test_page_carries_a_strict_content_security_policy(tmp_path):
    build(PROJECT, tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text()
    [policy] = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    # the page's own files, and exactly one inline script: the early loader, by its hash
    inline = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(inline) == 1 and html.count("<script") == len(re.findall(r"<script[ >]", html))
    digest = base64.b64encode(hashlib.sha256(inline[0].encode("utf-8")).digest()).decode()
    assert directives["script-src"] == f"'self' 'sha256-{digest}'"
    assert directives["connect-src"] == "'none'"
    assert directives["object-src"] == directives["base-uri"] == directives["form-action"] == "'none'"
    assert "unsafe-eval" not in policy and "http" not in policy and "*" not in policy
