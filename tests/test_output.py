"""The output swap: the old or the new site is at the output path at every instant, kills included."""

import shutil
import signal
import subprocess
import sys
import zipfile

import pytest

from kdsite.build import output
from kdsite.build.output import MARKER, RETIRED_PREFIX, STAGING_PREFIX, OutputError
from tests.helpers import PROJECT, ROOT, build, copy_project, signal_on_schedule, subprocess_env


def make_site(folder, text):
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("kdsite\n")
    (folder / "index.html").write_text(text)
    return folder


def dead_owner():
    """`PID-START` of a process that has exited."""
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                             capture_output=True, text=True, check=True)
    return f"{process.stdout.strip()}-0"


def names(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("atomic", [True, False])
def test_swap_replaces_the_old_site_and_leaves_nothing_beside_it(tmp_path, monkeypatch, atomic):
    if not atomic:
        monkeypatch.setattr(output, "exchange", lambda first, second: False)
    out = make_site(tmp_path / "site", "old")
    staging = output.staging_folder(out)
    (staging / "index.html").write_text("new")
    output.swap_into_place(staging, out)
    assert (out / "index.html").read_text() == "new"
    assert (out / MARKER).is_file()
    assert names(tmp_path) == ["site"]


def test_swap_into_a_missing_output(tmp_path):
    out = tmp_path / "site"
    staging = output.staging_folder(out)
    (staging / "index.html").write_text("new")
    output.swap_into_place(staging, out)
    assert (out / "index.html").read_text() == "new"
    assert names(tmp_path) == ["site"]


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    first = make_site(tmp_path / "a", "first")
    second = make_site(tmp_path / "b", "second")
    if not output.exchange(first, second):
        pytest.skip("this system or file system has no RENAME_EXCHANGE")
    assert (first / "index.html").read_text() == "second"
    assert (second / "index.html").read_text() == "first"


def test_a_kill_between_the_two_renames_is_recovered_by_the_next_build(tmp_path):
    # the state a SIGKILL leaves in the two-step swap: no output, the old site retired aside
    make_site(tmp_path / f"{RETIRED_PREFIX}site-{dead_owner()}-abc123", "old")
    out = tmp_path / "site"
    assert output.recover(out) == out.absolute()
    assert (out / "index.html").read_text() == "old"
    assert names(tmp_path) == ["site"]


def test_the_next_staging_folder_restores_the_old_site_first(tmp_path):
    make_site(tmp_path / f"{RETIRED_PREFIX}site-{dead_owner()}-abc123", "old")
    staging = output.staging_folder(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "old"
    assert names(tmp_path) == sorted(["site", staging.name])


def test_a_kill_before_the_swap_leaves_the_old_site_and_its_staging_is_removed(tmp_path):
    out = make_site(tmp_path / "site", "old")
    make_site(tmp_path / f"{STAGING_PREFIX}site-{dead_owner()}-abc123", "half")
    make_site(tmp_path / f"{RETIRED_PREFIX}site-{dead_owner()}-def456", "older")
    output.remove_leftovers(tmp_path, "site")
    assert (out / "index.html").read_text() == "old"
    assert names(tmp_path) == ["site"]


def test_a_live_builds_folders_are_left_alone(tmp_path):
    mine = output.owner_tag()
    make_site(tmp_path / f"{STAGING_PREFIX}site-{mine}-abc123", "being built")
    make_site(tmp_path / f"{RETIRED_PREFIX}site-{mine}-def456", "mid-swap")
    output.remove_leftovers(tmp_path, "site")
    # the live owner is about to move its new site in: its retired copy is not restored either
    assert names(tmp_path) == [f"{RETIRED_PREFIX}site-{mine}-def456", f"{STAGING_PREFIX}site-{mine}-abc123"]


def test_a_reused_pid_counts_as_gone():
    pid, start = (int(part) for part in output.owner_tag().split("-"))
    if start == 0:
        pytest.skip("no process start times on this system")
    assert output.owner_alive(pid, start)
    assert not output.owner_alive(pid, start + 1)


def test_leftovers_of_another_output_with_a_longer_name_are_not_touched(tmp_path):
    other = make_site(tmp_path / f"{STAGING_PREFIX}site-old-{dead_owner()}-abc123", "other")
    make_site(tmp_path / "site", "old")
    output.remove_leftovers(tmp_path, "site")
    assert other.is_dir()


def test_two_staging_folders_are_distinct(tmp_path):
    first = output.staging_folder(tmp_path / "site")
    second = output.staging_folder(tmp_path / "site")
    assert first != second and first.is_dir() and second.is_dir()


@pytest.mark.parametrize("inside", ["content", "templates", "content/sections"])
def test_refuses_output_inside_the_sources(tmp_path, inside):
    project = copy_project(tmp_path / "project")
    with pytest.raises(OutputError, match="it is inside .* choose an --out outside content/ and templates/"):
        output.check_output_folder(project / inside / "site", project)


def test_sigkill_at_any_moment_leaves_a_whole_site(tmp_path):
    build(PROJECT, tmp_path / "built")
    delays = (0.75, 1.25, 1.75, 2.5)  # importing, building, writing, swapping (or done)
    folders = [tmp_path / f"run-{delay}" for delay in delays]
    for folder in folders:
        shutil.copytree(tmp_path / "built", folder / "site")
    processes = signal_on_schedule(
        [([sys.executable, str(ROOT / "build.py"), "--out", str(folder / "site")], delay)
         for folder, delay in zip(folders, delays)],
        signal.SIGKILL, cwd=PROJECT, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for process, folder, delay in zip(processes, folders, delays):
        process.wait(timeout=120)
        output.remove_leftovers(folder, "site")  # what the next build does first
        assert (folder / "site" / "index.html").stat().st_size > 1000, delay
        assert (folder / "site" / MARKER).is_file(), delay
        assert names(folder) == ["site"], delay


def test_two_builds_at_once_both_succeed_and_leave_one_whole_site_and_zip(tmp_path):
    out = tmp_path / "site"
    build(PROJECT, out)
    env = subprocess_env()
    processes = [subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--zip", "--out", str(out)], cwd=PROJECT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    results = [(process.wait(timeout=300), process.stderr.read()) for process in processes]
    assert results == [(0, ""), (0, "")]
    assert (out / "index.html").stat().st_size > 1000 and (out / MARKER).is_file()
    assert names(tmp_path) == ["site", "site.zip"]
    with zipfile.ZipFile(tmp_path / "site.zip") as bundle:
        assert bundle.testzip() is None
        assert "kd-explainer/index.html" in bundle.namelist()
