"""`kdsite check`, the author's CI gate: a strict build into a temporary folder, one line per problem."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import build, copy_project, line_of, subprocess_env


DUPLICATE_MODEL = """  - key: resnet18
    display_name: ResNet-18, again
    params: 11.7e6
    reference: heo2019
    locator: "a second definition"
"""


def define_resnet18_twice(project):
    """A model that content/models/resnet18.yaml already defines, added to reference_models.yaml."""
    models = project / "content/reference_models.yaml"
    models.write_text(models.read_text().rstrip("\n") + "\n" + DUPLICATE_MODEL)
    return models


def check(project) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kdsite", "check"], cwd=project, env=subprocess_env(),
                          capture_output=True, text=True, timeout=300)


def test_a_clean_project_passes_and_no_site_is_written(tmp_path):
    project = copy_project(tmp_path / "project")
    result = check(project)
    assert (result.returncode, result.stdout, result.stderr) == (0, "kdsite check: no problems\n", "")
    assert not (project / "site").exists()


def test_silent_mistakes_are_one_line_each(tmp_path):
    project = copy_project(tmp_path / "project")
    section = project / "content/sections/30-temperature.md"
    section.write_text(section.read_text() + "\n[[figure: kd-training-cost]]\n")  # also in the hardware section
    models = define_resnet18_twice(project)
    result = check(project)
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and result.stdout == ""
    assert lines[-1] == "kdsite check: fix the problems above"
    hardware = project / "content/sections/50-hardware.md"
    assert (f"error: content/sections/50-hardware.md:{line_of(hardware, '[[figure: kd-training-cost]]')}: field "
            "'figure': figure 'kd-training-cost' is already placed at content/sections/30-temperature.md:"
            f"{line_of(section, '[[figure: kd-training-cost]]')} (hint: place each figure once; link to it with "
            "[its title](#kd-training-cost))") in lines
    assert (f"error: content/reference_models.yaml:{line_of(models, '- key: resnet18')}: field 'models[3].key': "
            "model 'resnet18' is also defined in content/models/resnet18.yaml (hint: define each model once: "
            "remove one of the two)") in lines
    assert all(line.startswith("error: ") for line in lines[:-1])


def test_a_model_defined_twice_is_a_warning_in_a_normal_build(tmp_path):
    project = copy_project(tmp_path / "project")
    define_resnet18_twice(project)
    lines: list[str] = []
    build(project, tmp_path / "site", lines)
    assert any("model 'resnet18' is also defined in content/models/resnet18.yaml" in line for line in lines)
