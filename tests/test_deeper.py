"""`!!! deeper "Title"` blocks: folded, native <details class="deeper"> closed by default, built from the
sanitized callout (kdsite/page/render.py: fold_deeper_blocks), figures allowed inside."""

from __future__ import annotations

import re

import pytest

from kdsite.content.sanitize import sanitize
from kdsite.errors import ContentErrors
from kdsite.page.render import fold_deeper_blocks, markdown_to_html
from tests.helpers import build, copy_project


def folded(markdown: str) -> str:
    return fold_deeper_blocks(sanitize(markdown_to_html(markdown)))


def test_a_deeper_block_is_a_closed_details_with_its_title_and_whole_body():
    html = folded('Intro.\n\n!!! deeper "Per-layer detail"\n    One.\n\n    !!! note "Inner"\n        nested\n\n'
                  '    Two.\n\nAfter.\n')
    assert re.sub(r"\s+", " ", html) == (
        '<p>Intro.</p> <details class="deeper"><summary>Go deeper: Per-layer detail</summary> <p>One.</p> '
        '<div class="admonition note"> <p class="admonition-title">Inner</p> <p>nested</p> </div> <p>Two.</p> '
        '</details> <p>After.</p>')
    assert "<details open" not in html


def test_without_a_title_the_summary_says_go_deeper():
    assert "<summary>Go deeper</summary>" in folded("!!! deeper\n    Body.\n")


def test_quotes_and_ampersands_in_a_title_stay_text():
    html = folded('!!! deeper "A & B \\"quoted\\""\n    Body.\n')
    assert '<summary>Go deeper: A &amp; B \\"quoted\\"</summary>' in html


def test_the_fixture_page_folds_its_block_with_the_figure_inside(site_dir):
    page = (site_dir / "index.html").read_text(encoding="utf-8")
    start = page.index('<details class="deeper"><summary>Go deeper: Measured times beside the model</summary>')
    inside = page[start:page.index("</details>\n", page.index('id="measured-anchors"'))]
    assert 'id="measured-anchors"' in inside and "Every measured speed-up" in inside


@pytest.mark.parametrize("block, message", [
    ('!!! deeper "<b>bold</b> title"\n    <script>alert(1)</script>\n', "raw HTML <script> is not allowed"),
    ('!!! predict "Guess?"\n    <img src=x onerror=alert(1)>\n', "images are not allowed in Markdown")])
def test_hostile_html_in_a_folded_block_is_a_one_line_error(tmp_path, block, message):
    project = copy_project(tmp_path / "project")
    section = project / "content/sections/30-temperature.md"
    section.write_text(section.read_text() + "\n" + block)
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "site")
    assert [(e.file, e.message) for e in caught.value.errors] == [("content/sections/30-temperature.md", message)]


def test_a_predict_block_shows_its_question_and_folds_its_answer():
    html = folded('!!! predict "What happens to the dog as *T* grows?"\n    It **rises**.\n\nAfter.\n')
    assert re.sub(r"\s+", " ", html) == (
        '<div class="predict"><p class="predict-question"><strong class="predict-label">Predict first:</strong> '
        'What happens to the dog as <em>T</em> grows?</p><details class="predict-answer"><summary>Check your prediction'
        '</summary> <p>It <strong>rises</strong>.</p> </details></div> <p>After.</p>')


def test_predict_and_deeper_blocks_nest_either_way():
    html = folded('!!! deeper "Outer"\n    !!! predict "Guess?"\n        Answer.\n\n    Text.\n')
    assert html.index('<details class="deeper">') < html.index('<div class="predict">') < html.index("Answer.")
    assert html.count("<details") == html.count("</details>") == 2
    assert "admonition" not in html

