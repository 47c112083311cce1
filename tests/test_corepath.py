"""The core path's length (kdsite/page/corepath.py) and its budget (site.yaml core_words)."""

from __future__ import annotations

import re

import pytest

from kdsite.errors import ContentErrors
from kdsite.page.corepath import page_length
from tests.helpers import build, copy_project


def length(body: str):
    return page_length(f"<header><p>not counted</p></header><main>{body}</main><footer>no</footer>")


def test_visible_prose_counts_and_what_a_details_folds_does_not():
    counted = length('<h2>Two words</h2><p>one two three</p><details class="deeper"><summary>Go deeper: x</summary>'
                     '<p>four five</p><details class="data-table"><summary>Data</summary><p>six</p></details></details>')
    assert (counted.core, counted.total) == (2 + 3 + 3, 2 + 3 + 3 + 2 + 1 + 1)


@pytest.mark.parametrize("hidden", [
    "<table><tr><td>cell words</td></tr></table>", '<div class="chart"><p>axis words</p></div>',
    '<div class="control-row js-only"><label>Temperature</label></div>', '<span class="visually-hidden">alt</span>',
    "<script>var words;</script>", "<style>p { x: y }</style>", "<svg><text>tick</text></svg>",
    "<noscript><img alt='static'></noscript>", "<math><mi>z</mi></math>"])
def test_tables_charts_controls_and_hidden_text_are_not_prose(hidden):
    assert length(f"<p>one</p>{hidden}<p>two</p>") == length("<p>one</p><p>two</p>")


def test_void_tags_and_unclosed_paragraphs_do_not_derail_the_count():
    assert length("<p>one<br>two<img src=a.svg alt=x> three<p>four<li>five</main>").core == 5
    assert length("<p>85,002 parameters, 97.3% and T = 1.0</p>").core == 6  # numbers are words


def test_nothing_outside_main_counts():
    assert page_length("<p>one two</p>").core == 0


def test_the_build_reports_the_length_and_warns_over_the_budget(tmp_path):
    project = copy_project(tmp_path / "project")
    lines: list[str] = []
    build(project, tmp_path / "site", lines)
    report = next(line for line in lines if line.startswith("core path:"))
    core = int(report.split()[2].replace(",", ""))
    assert core == page_length((tmp_path / "site/index.html").read_text(encoding="utf-8")).core
    site = project / "content/site.yaml"
    original = re.sub(r"(?m)^core_words:.*\n", "", site.read_text())
    site.write_text(original + f"core_words: {core}\n")
    lines.clear()
    build(project, tmp_path / "site", lines)
    assert not any("core_words" in line for line in lines)
    site.write_text(original + f"core_words: {core - 1}\n")
    lines.clear()
    build(project, tmp_path / "site", lines)
    assert f"warning: content/site.yaml: field 'core_words': the page's core path has {core:,} words of prose, " \
           f"over its budget of {core - 1:,} (hint: fold detail into `!!! deeper \"Title\"` blocks, or raise " \
           "core_words)" in lines
    with pytest.raises(ContentErrors, match="core_words"):
        build(project, tmp_path / "site", strict=True)


def test_a_popover_counts_only_when_all_is_open():
    counted = length('<p>The <button class="term" popovertarget="t">KL</button><span popover id="t">two words</span></p>')
    assert (counted.core, counted.total) == (2, 4)
