"""An instructor's typical edits to the shipped content build cleanly under --strict (issue 19).

The suite tests the generator on the frozen fixture; this test shows the shipped content is free to
change: a new subtitle, other logits, a device copied from an existing one, and a new section with
a citation, a callout, a predict prompt and a fold. (The lab comes from the fixture, so nothing is
trained here.)"""

from __future__ import annotations

import re
import shutil

import numpy as np

from kdsite.charts.numbers import percent
from kdsite.content.load import load_content
from kdsite.science.softmax import softmax_with_temperature
from tests.helpers import FIXTURE_CONTENT, build, copy_real_project


def test_typical_edits_to_the_shipped_content_build_strict_and_show(tmp_path):
    project = copy_real_project(tmp_path / "project")
    content = project / "content"
    shutil.copyfile(FIXTURE_CONTENT / "lab.yaml", content / "lab.yaml")
    site = (content / "site.yaml").read_text()
    (content / "site.yaml").write_text(re.sub(r"(?m)^subtitle:.*$", "subtitle: Spring term, revised", site))
    examples = (content / "examples.yaml").read_text()
    dog = re.search(r"(?ms)^  - id: dog\n.*?logits: \[[^\]]*\]", examples).group(0)
    (content / "examples.yaml").write_text(examples.replace(dog, re.sub(r"logits: \[[^\]]*\]",
                                                                          "logits: [5.0, 6.0, 4.0, 1.0, 0.5]", dog)))
    device = (content / "devices/raspberry_pi_4.yaml").read_text()
    (content / "devices/raspberry_pi_5.yaml").write_text(
        re.sub(r"(?m)^display_name:.*$", "display_name: Raspberry Pi 5 (copy)", device))
    (content / "sections/55-deploying.md").write_text(
        "---\nid: deploying\ntitle: Deploying a student\norder: 55\n---\n"
        "Distillation trains the student; deployment runs it [@hinton2015].\n\n"
        '!!! insight "Key insight"\n    The deployed student is an ordinary classifier.\n\n'
        '!!! predict "Which temperature does the deployed student use?"\n    *T* = 1.\n\n'
        '!!! deeper "More"\n    Details for later.\n')
    # A longer page: the budget the build warned about, raised as its hint says.
    site = (content / "site.yaml").read_text()
    (content / "site.yaml").write_text(re.sub(r"(?m)^core_words:.*$", "core_words: 3000", site))
    lines: list[str] = []
    build(project, tmp_path / "site", lines, strict=True)
    assert not [line for line in lines if line.startswith("warning:")]
    page = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert "Spring term, revised" in page
    assert '<section id="deploying"' in page and page.index('id="hardware"') < page.index('id="deploying"')
    assert "Raspberry Pi 5 (copy)" in page
    soft = softmax_with_temperature(np.array([5.0, 6.0, 4.0, 1.0, 0.5]),
                                    load_content(content).labels.soft_temperature)
    # The label explorer's data holds the dog's new soft label, computed.
    assert (f'"class":"dog","example":"dog","hard":1,"hard_label":"Class: dog; Hard target: 1","hard_shown":"1",'
            f'"logit":6,') in page
    assert f'"soft_label":"Class: dog; Soft target: {percent(round(float(soft[1]), 4))}"' in page

