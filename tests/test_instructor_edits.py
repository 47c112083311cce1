"""An instructor's typical edits to the shipped content build cleanly under --strict (issue 19).

The suite tests the generator on the frozen fixture; this test shows the shipped content is free to
change: a new subtitle, other logits, a device copied from an existing one, a new model counted from
its architecture with its torchvision reference (MobileNetV3-Large, moved out of
reference_models.yaml, where it was known only by its published stats), and a new section with a
citation, a callout, a predict prompt and a fold. (The lab comes from the fixture, so nothing is
trained here.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kdsite.build.results import Science
from kdsite.charts.numbers import count, percent
from kdsite.content.load import load_content
from kdsite.science.softmax import softmax_with_temperature
from tests.helpers import CACHE, CHILD_PYTEST, FIXTURE_CONTENT, ROOT, build, copy_real_project, embedded_specs

# MobileNetV3-Large as torchvision builds it (torchvision 0.29.1 mobilenetv3.py, width 1.0): the rows of
# its inverted-residual setting; the first block's expansion equals its input, so it has no expansion 1×1.
MOBILENET_V3_LARGE = """\
display_name: MobileNetV3-Large
top1_percent: 74.042   # torchvision 0.29.1, MobileNet_V3_Large_Weights.IMAGENET1K_V1 acc@1
source: torchvision-0.29.1
input: {channels: 3, height: 224, width: 224}
architecture:
  family: inverted_residual
  stem: {out_channels: 16, kernel: 3, stride: 2}
  block_columns: [kernel, expanded_channels, out_channels, squeeze_excite, activation, stride]
  blocks:
    - [3, 16, 16, false, relu, 1]
    - [3, 64, 24, false, relu, 2]
    - [3, 72, 24, false, relu, 1]
    - [5, 72, 40, true, relu, 2]
    - [5, 120, 40, true, relu, 1]
    - [5, 120, 40, true, relu, 1]
    - [3, 240, 80, false, hardswish, 2]
    - [3, 200, 80, false, hardswish, 1]
    - [3, 184, 80, false, hardswish, 1]
    - [3, 184, 80, false, hardswish, 1]
    - [3, 480, 112, true, hardswish, 1]
    - [3, 672, 112, true, hardswish, 1]
    - [5, 672, 160, true, hardswish, 2]
    - [5, 960, 160, true, hardswish, 1]
    - [5, 960, 160, true, hardswish, 1]
  squeeze_excite: {reduction: 4, round_to: 8}
  last_conv: {out_channels: 960}
  classifier: {hidden_features: [1280], num_classes: 1000}
"""
# torchvision 0.29.1's num_params and hook-counted MACs, which its `_ops` (0.217 "GFLOPS", really GMACs)
# rounds (FACTS §1; the counter reproduces both, as for the shipped models in tests/test_architecture.py).
MOBILENET_V3_LARGE_PARAMS, MOBILENET_V3_LARGE_MACS = 5_483_032, 216_589_760


def apply_typical_edits(content: Path) -> None:
    """The edits of the module's docstring, made to the content folder `content`."""
    site = (content / "site.yaml").read_text()
    (content / "site.yaml").write_text(re.sub(r"(?m)^subtitle:.*$", "subtitle: Spring term, revised", site))
    examples = (content / "examples.yaml").read_text()
    dog = re.search(r"(?ms)^  - id: dog\n.*?logits: \[[^\]]*\]", examples).group(0)
    (content / "examples.yaml").write_text(examples.replace(dog, re.sub(r"logits: \[[^\]]*\]",
                                                                          "logits: [5.0, 6.0, 4.0, 1.0, 0.5]", dog)))
    device = (content / "devices/raspberry_pi_4.yaml").read_text()
    (content / "devices/raspberry_pi_5.yaml").write_text(
        re.sub(r"(?m)^display_name:.*$", "display_name: Raspberry Pi 5 (copy)", device))
    (content / "models/mobilenet_v3_large.yaml").write_text(MOBILENET_V3_LARGE)
    published = (content / "reference_models.yaml").read_text()  # counted now: its published entry goes
    (content / "reference_models.yaml").write_text(
        re.sub(r"(?ms)^  - key: mobilenet_v3_large\n.*?(?=^  - key: |^  #|\Z)", "", published))
    (content / "sections/55-deploying.md").write_text(
        "---\nid: deploying\ntitle: Deploying a student\norder: 55\n---\n"
        "Distillation trains the student; deployment runs it [@hinton2015].\n\n"
        '!!! insight "Key insight"\n    The deployed student is an ordinary classifier.\n\n'
        '!!! predict "Which temperature does the deployed student use?"\n    *T* = 1.\n\n'
        '!!! deeper "More"\n    Details for later.\n')
    # A longer page: the budget the build warned about, raised as its hint says.
    site = (content / "site.yaml").read_text()
    (content / "site.yaml").write_text(re.sub(r"(?m)^core_words:.*$", "core_words: 3000", site))


def test_typical_edits_to_the_shipped_content_build_strict_and_show(tmp_path):
    project = copy_real_project(tmp_path / "project")
    content = project / "content"
    shutil.copyfile(FIXTURE_CONTENT / "lab.yaml", content / "lab.yaml")
    apply_typical_edits(content)
    lines: list[str] = []
    build(project, tmp_path / "site", lines, strict=True)
    assert not [line for line in lines if line.startswith("warning:")]
    page = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert "Spring term, revised" in page
    assert '<section id="deploying"' in page and page.index('id="hardware"') < page.index('id="deploying"')
    assert "Raspberry Pi 5 (copy)" in page
    soft = softmax_with_temperature(np.array([5.0, 6.0, 4.0, 1.0, 0.5]),
                                    load_content(content).labels.soft_temperature)
    # The label explorer's data holds the dog's new logit and soft label, computed.
    rows = [row for spec in embedded_specs(tmp_path / "site").values() for data in spec["vega"].get("data", [])
            for row in data.get("values", []) if isinstance(row, dict)
            and (row.get("class"), row.get("example")) == ("dog", "dog") and "soft_label" in row]
    assert rows and all(row["logit"] == 6 and row["hard_label"] == "Class: dog; Hard target: 1" for row in rows)
    assert {row["soft_label"] for row in rows} == {f"Class: dog; Soft target: {percent(round(float(soft[1]), 4))}"}
    # The new model is counted from its architecture, to torchvision's totals, and shown with its counted size.
    counted = Science(load_content(content), CACHE, report=lambda line: None).hardware.models["mobilenet_v3_large"]
    assert (counted.params, counted.macs) == (MOBILENET_V3_LARGE_PARAMS, MOBILENET_V3_LARGE_MACS)
    assert (f"<tr><td>MobileNetV3-Large</td><td>Trained from scratch</td><td>{count(counted.params)}</td>"
            "<td>74.0%</td>") in page



# The suite's modules that read the shipped content/ (the rest run on the frozen fixture): the
# science checks of the course's own models, devices and energies, its loading, its lab's bounds.
CONTENT_DEPENDENT = ["tests/test_architecture.py", "tests/test_roofline.py", "tests/test_energy.py",
                     "tests/test_content.py", "tests/test_bounds.py"]
# How a test module reaches the shipped content/ (tests/helpers.py names it for the others).
READS_SHIPPED_CONTENT = re.compile(r'(ROOT|parent\.parent|parents\[1\]) / "content"|copy_real_project\(')


def test_the_content_dependent_modules_are_exactly_those_reading_the_shipped_content():
    """The list the test below runs is the modules that read content/: one that starts reading it
    is run after the edits too, and one that stops no longer costs the run its time."""
    readers = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("test_*.py")
                     if READS_SHIPPED_CONTENT.search(path.read_text(encoding="utf-8")))
    assert readers == sorted(CONTENT_DEPENDENT + ["tests/test_instructor_edits.py"])


# The session build first: the child run shares its cache, so its fixture build is a warm one.
@pytest.mark.usefixtures("built_site")
def test_the_content_dependent_tests_pass_after_the_typical_edits(tmp_path):
    """A copy of the repository with the edits above: the tests that read its content/ still pass,
    so an instructor's routine edits leave CI green (issue 19)."""
    skip = shutil.ignore_patterns("__pycache__", ".venv", "site", ".kdsite-cache")
    for folder in ("kdsite", "templates", "tests", "content", "docs"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=skip)
    for name in ("pyproject.toml", "README.md", "build.py"):
        shutil.copyfile(ROOT / name, tmp_path / name)
    apply_typical_edits(tmp_path / "content")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.update(PYTHONPATH=str(tmp_path), KDSITE_CACHE=str(CACHE), KDSITE_TEST_CACHE=str(CACHE))
    missing = [name for name in CONTENT_DEPENDENT if not (ROOT / name).is_file()]
    assert missing == []
    run = subprocess.run([sys.executable, *CHILD_PYTEST, "-q", *CONTENT_DEPENDENT],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:]
    assert " passed" in run.stdout and "failed" not in run.stdout
