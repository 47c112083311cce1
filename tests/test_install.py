"""A non-editable install builds the site: `pip install --no-deps .` of a copy of the repository into
a fresh venv (the running interpreter's site-packages on its path for the dependencies, so no
network, whether the suite runs in a venv of its own or not), then `kdsite build` from that venv in a
project folder. Catches modules or data the package forgets to ship, and code that only works from
the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import CACHE, ROOT, copy_project

CHECK_IMPORTS = """
import importlib, pkgutil, sys
import kdsite
names = [m.name for m in pkgutil.walk_packages(kdsite.__path__, "kdsite.") if m.name != "kdsite.__main__"]
for name in names:
    importlib.import_module(name)
print(kdsite.__file__)
print(len(names))
print("\\n".join(m.__file__ for n, m in sys.modules.items() if n.startswith("kdsite") and m.__file__))
"""


def test_a_non_editable_install_builds_the_site(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "kdsite", source / "kdsite", ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The dependencies (and pip) from wherever this suite runs: its site-packages folders added to
    # the venv's path by a .pth file. Their own .pth files are not read from there, so an editable
    # kdsite installed in them stays invisible: the venv's kdsite can only be the one installed below.
    venv_site = next((venv / "lib").glob("python*/site-packages"))
    outer = [path for path in sys.path if path.endswith("site-packages") and Path(path).is_dir()]
    (venv_site / "suite-dependencies.pth").write_text("\n".join(outer) + "\n")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["KDSITE_CACHE"] = str(CACHE)
    # the system pip, run by the venv's interpreter, installs into the venv
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                              "--no-build-isolation", str(source)], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
    assert install.returncode == 0, install.stderr
    shutil.rmtree(source)  # nothing may be read from the copy either
    project = copy_project(tmp_path / "project")
    built = subprocess.run([str(venv / "bin" / "kdsite"), "build", "--out", "site"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert (project / "site" / "index.html").stat().st_size > 1000
    imported = subprocess.run([str(python), "-c", CHECK_IMPORTS], cwd=project, env=env,
                              capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    package_file, count, files = imported[0], int(imported[1]), imported[2:]
    site_packages = str(venv / "lib")
    assert package_file.startswith(site_packages), package_file
    assert count >= 30 and len(files) > count
    assert all(path.startswith(site_packages) for path in files), [p for p in files if not p.startswith(site_packages)]
