"""The self-check (content/self_check.yaml, [[figure: self-check]]) and predict prompts on the built page."""

from __future__ import annotations

import re

import pytest

from kdsite.errors import ContentErrors
from tests.helpers import build, copy_project, edit, line_of


def test_each_choice_is_a_closed_details_with_its_verdict(site_dir):
    page = (site_dir / "index.html").read_text(encoding="utf-8")
    panel = page[page.index('id="self-check-questions"'):]
    panel = panel[:panel.index("</ol>")]
    assert panel.count('class="self-check-question"') == 2
    choices = re.findall(r'<details class="choice choice-(right|wrong)">\s*<summary><span class="choice-letter">'
                         r'([A-Z])\.</span> ([^<]*)</summary>\s*<p class="choice-verdict"><strong>([^<]*)</strong>', panel)
    assert choices == [("wrong", "A", "Its latency", "Not quite."), ("right", "B", "Its accuracy", "Right."),
                       ("wrong", "A", "T = 0.5", "Not quite."), ("right", "B", "T = 4", "Right."),
                       ("wrong", "C", "T = 1", "Not quite.")]
    assert "<details open" not in panel and "<script" not in panel


def test_a_predict_prompt_shows_its_question_and_folds_its_answer(site_dir):
    page = (site_dir / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="predict"><p class="predict-question"><strong class="predict-label">Predict first:'
                     r"</strong> As you raise T, what happens to the top class.s probability\?</p><details "
                     r'class="predict-answer"><summary>Check your prediction</summary>\s*<p>It falls', page)


def test_a_question_with_no_right_answer_is_a_one_line_error(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "content/self_check.yaml"
    edit(path, "        correct: true\n        why: Distillation", "        why: Distillation")
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "site")
    [error] = caught.value.errors
    assert (error.file, error.line, error.field) == ("content/self_check.yaml", line_of(path, "    choices:"),
                                                     "questions[0].choices")
    assert "no choice is marked correct" in error.message


@pytest.mark.parametrize("broken, field", [
    ("questions: []\n", "questions"),
    ("questions:\n  - question: Alone?\n    choices:\n      - text: Yes\n        correct: true\n        why: .\n",
     "questions[0].choices"),
    ("questions:\n  - question: Q?\n    choices:\n      - {text: A, correct: yes please, why: .}\n"
     "      - {text: B, why: .}\n", "questions[0].choices[0].correct"),
])
def test_malformed_self_checks_name_the_field(tmp_path, broken, field):
    project = copy_project(tmp_path / "project")
    (project / "content/self_check.yaml").write_text(broken)
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "site")
    assert [error.field for error in caught.value.errors] == [field]


def test_placing_the_figure_without_the_file_is_a_one_line_error(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "content/self_check.yaml").unlink()
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "site")
    assert str(caught.value) == ("content/self_check.yaml: the self-check figure is placed but the file is missing "
                                 "(hint: add content/self_check.yaml (see docs/content.md), or remove "
                                 "[[figure: self-check]])")


def test_hostile_text_in_a_question_stays_text(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "content/self_check.yaml", "What does distillation change about the student?",
         "'<script>alert(1)</script><img src=x onerror=alert(2)>'")
    build(project, tmp_path / "site")
    page = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<script>alert(1)" not in page
