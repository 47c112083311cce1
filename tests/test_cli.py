"""The CLI's failures are one line each: Ctrl-C, bad settings, unwritable output or cache, unsafe paths."""

import signal
import subprocess
import sys
import time

import pytest

from kdsite.cli import main
from kdsite.errors import ContentErrors
from kdsite.build.output import MARKER, OutputError
from kdsite.build.package import single_file_html
from kdsite.build.pipeline import BuildOptions, build_site, links_outside
from tests.helpers import CACHE, PROJECT, ROOT, copy_project, signal_on_schedule, subprocess_env

INTERRUPTED_LINE = "kdsite: interrupted; no half-written site was left in "
HANG_GUARD = 180


def run_cli(args, cwd, **env):
    return subprocess.run([sys.executable, "-m", "kdsite", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=HANG_GUARD, env=subprocess_env(**env))


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(PROJECT)
    monkeypatch.setenv("KDSITE_CACHE", str(CACHE))


def startup_traceback(stderr: str) -> bool:
    """Whether a KeyboardInterrupt struck while Python was still starting (site-packages' .pth files),
    before build.py or any kdsite module ran: the first ~50 ms, no code of this project can catch it."""
    frames = [line for line in stderr.splitlines() if line.strip().startswith('File "')]
    ours = (str(ROOT / "kdsite"), str(ROOT / "build.py"))  # not a virtual environment inside the checkout
    # "build.py", line 0: the script's frame exists but none of its lines has run yet (seen under .ci/run)
    ran = [line for line in frames if any(path in line for path in ours)
           and not line.strip().endswith("line 0, in <module>")]
    return stderr.rstrip().endswith("KeyboardInterrupt") and not ran


ARGV0_CHECK = "Failed checking if argv[0] is an import path entry"  # CPython's own words, pymain_run_python


@pytest.mark.parametrize("command", [["build.py"], ["-m", "kdsite", "build"]])
def test_ctrl_c_at_any_moment_prints_one_line_and_exits_130(tmp_path, command):
    env = subprocess_env()
    if command[0] == "build.py":
        command = [str(ROOT / "build.py")]
    delays = (0.1, 0.5, 1.0, 2.0)  # starting, importing, building, writing (or done)
    outs = [tmp_path / f"site-{delay}" for delay in delays]
    processes = signal_on_schedule(
        [([sys.executable, *command, "--out", str(out)], delay) for out, delay in zip(outs, delays)],
        signal.SIGINT, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    codes = []
    for process, out, delay in zip(processes, outs, delays):
        stdout, stderr = process.communicate(timeout=HANG_GUARD)
        codes.append(process.returncode)
        if process.returncode in (1, -signal.SIGINT) and startup_traceback(stderr):
            # the signal beat the interpreter to our code: nothing of kdsite could run yet (during
            # site's startup Python exits 1; during runpy's search for the module, by the signal)
            continue
        if process.returncode == -signal.SIGINT and stderr == "":
            continue  # earlier still (a loaded machine): before Python installed its SIGINT handler
        if process.returncode == 0 and stderr.startswith(ARGV0_CHECK) and startup_traceback(stderr):
            # it struck while Python checked whether build.py is a zip archive: Python printed the
            # interrupt and went on to run the script, which then built the whole site (seen under .ci/run)
            assert (out / "index.html").is_file() and (out / MARKER).is_file()
            continue
        if process.returncode == 130:
            # before the arguments are parsed the line cannot name the folder yet
            assert stderr.splitlines() in ([INTERRUPTED_LINE + str(out)], [INTERRUPTED_LINE + "the output"]), \
                (delay, stderr)
            assert not out.exists() or (out / "index.html").is_file()
        else:
            assert (process.returncode, stderr) == (0, ""), (delay, process.returncode, stderr)
            assert (out / "index.html").is_file() and (out / MARKER).is_file()
    assert 130 in codes, codes


@pytest.mark.usefixtures("built_site")  # a warm cache: the child's build takes about a second
def test_ctrl_c_after_the_build_reported_its_total_exits_cleanly(tmp_path):
    """A Ctrl-C just after the build's last line lands while Python shuts down (tens of ms of
    tearing down numpy and the rest): the site is whole, and the process exits 0 saying nothing,
    or 130 with its one line, never killed by the signal (-2, as it was before ignore_interrupts)."""
    out = tmp_path / "site"
    process = subprocess.Popen([sys.executable, "-m", "kdsite", "build", "--out", str(out)], cwd=PROJECT,
                               env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in process.stdout:
        if line.lstrip().startswith("total"):
            break
    time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=HANG_GUARD)
    assert (process.returncode, stderr) in ((0, ""), (130, INTERRUPTED_LINE + str(out) + "\n")), \
        (process.returncode, stderr)
    assert (out / "index.html").is_file() and (out / MARKER).is_file()


@pytest.mark.parametrize("value, message", [
    ("soon", "error: SOURCE_DATE_EPOCH='soon' is not a whole number of seconds"),
    ("-5", "error: SOURCE_DATE_EPOCH='-5' is not a whole number of seconds"),
    ("1.5", "error: SOURCE_DATE_EPOCH='1.5' is not a whole number of seconds"),
    ("4354819199", "error: SOURCE_DATE_EPOCH=4354819199 is after 2107-12-31, the last date a zip can store"),
])
def test_a_bad_source_date_epoch_is_one_line_before_anything_is_written(tmp_path, monkeypatch, capsys, in_root,
                                                                        value, message):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    out = tmp_path / "nested" / "site"
    assert main(["build", "--zip", "--out", str(out)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), lines
    assert list(tmp_path.iterdir()) == []


def test_the_last_time_a_zip_holds_is_accepted(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4354819198")
    from kdsite.build.package import zip_timestamp
    assert zip_timestamp() == (2107, 12, 31, 23, 59, 58)


def test_an_output_whose_parent_is_a_file_is_one_line(tmp_path, capsys, in_root):
    (tmp_path / "notes.txt").write_text("not a folder")
    out = tmp_path / "notes.txt" / "site"
    assert main(["build", "--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: refusing to write the site to {out}: {tmp_path / 'notes.txt'} is a file, not a folder"]


def test_an_os_error_while_writing_is_one_line(tmp_path, monkeypatch, capsys, in_root):
    # what a read-only or full file system does, here also for root (who may write anywhere)
    def refuse(out):
        raise PermissionError(13, "Permission denied", str(out.parent))

    monkeypatch.setattr("kdsite.build.output.staging_folder", refuse)
    out = tmp_path / "site"
    assert main(["build", "--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: cannot write the site to {out}: Permission denied ({tmp_path})"]


def test_single_file_refuses_a_relative_link_and_keeps_anchors_and_https(tmp_path):
    csp = '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'
    site = tmp_path / "site"
    site.mkdir()
    page = f'<html><head>{csp}</head><body><a href="#top">a</a> <a href="https://example.org/x">b</a>%s</body></html>'
    (site / "index.html").write_text(page % "")
    assert '<a href="#top">' in single_file_html(site)
    (site / "index.html").write_text(page % ' <a href="notes/week1.pdf">c</a>')
    with pytest.raises(OutputError, match=r"^--single-file: the page links to the file 'notes/week1.pdf', "):
        single_file_html(site)


def test_single_file_cli_names_the_relative_link(tmp_path):
    project = copy_project(tmp_path / "project")
    section = project / "content/sections/30-temperature.md"
    section.write_text(section.read_text() + "\nSee [the notes](notes.pdf), [above](#temperature) and "
                       "[the paper](https://arxiv.org/abs/1503.02531).\n")
    result = run_cli(["build", "--single-file", "--out", str(tmp_path / "one")], project)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "error: --single-file: the page links to the file 'notes.pdf', which one file cannot carry "
        "(hint: link to an https:// address or a #section, or build a folder)"]
    assert not (tmp_path / "one").exists()


def test_content_symlinked_outside_the_project_is_refused(tmp_path):
    project = copy_project(tmp_path / "project")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "content/examples.yaml").rename(outside / "examples.yaml")
    (project / "content/examples.yaml").symlink_to(outside / "examples.yaml")
    (project / "content/models").rename(outside / "models")
    (project / "content/models").symlink_to(outside / "models")
    result = run_cli(["build", "--out", str(tmp_path / "site")], project)
    assert result.returncode == 1
    hint = "(hint: copy the file into the project instead of linking to it)"
    assert result.stderr.splitlines() == [
        f"error: content/examples.yaml: is a symbolic link that leads outside the project, so it is not read {hint}",
        f"error: content/models: is a symbolic link that leads outside the project, so it is not read {hint}",
        f"kdsite: 2 content problem(s); {tmp_path / 'site'} left unchanged"]
    assert not (tmp_path / "site").exists()


def test_symlinks_inside_the_project_are_fine_and_loops_are_refused(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "content/same-models").symlink_to(project / "content/models")
    (project / "content/self").symlink_to(project / "content")
    assert links_outside(project, [project / "content", project / "templates"]) == []
    (project / "templates/loop").symlink_to(project / "templates/loop")
    assert links_outside(project, [project / "content", project / "templates"]) == [project / "templates/loop"]


def test_a_templates_folder_linked_outside_is_refused(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "templates").rename(tmp_path / "templates")
    (project / "templates").symlink_to(tmp_path / "templates")
    with pytest.raises(ContentErrors) as caught:
        build_site(BuildOptions(project, tmp_path / "site", cache_dir=CACHE), report=lambda line: None)
    assert [error.file for error in caught.value.errors] == ["templates"]


def test_output_inside_content_is_one_line(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_cli(["build", "--out", "content/site"], project)
    assert result.returncode == 1
    out = (project / "content/site").resolve()
    assert result.stderr.splitlines() == [
        f"error: refusing to write the site to {out}: it is inside {(project / 'content').resolve()} "
        "(hint: choose an --out outside content/ and templates/)"]


def test_cache_problem_names_a_file_an_unwritable_folder_or_nothing(tmp_path, monkeypatch):
    from kdsite import diskcache
    (tmp_path / "file").write_text("")
    assert diskcache.cache_problem(tmp_path / "file") == "it is a file, not a folder"
    assert diskcache.cache_problem(tmp_path / "file" / "below") == "Not a directory"
    assert diskcache.cache_problem(tmp_path / "fresh") is None
    assert list((tmp_path / "fresh").iterdir()) == []

    def read_only(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(diskcache, "write_atomically", read_only)
    assert diskcache.cache_problem(tmp_path / "fresh") == "Permission denied"


SWALLOWED = """
import signal, sys, weakref
import kdsite
kdsite.watch_interrupts()
class Thing:
    pass
thing = Thing()
# a Ctrl-C raised inside a weakref callback, as importlib has: CPython swallows the exception
reference = weakref.ref(thing, lambda _: kdsite._on_interrupt(signal.SIGINT, None))
del thing
from kdsite.cli import run
run(["build", "--out", sys.argv[1]])
"""


def test_a_ctrl_c_that_cpython_swallows_still_stops_the_build_with_one_line(tmp_path):
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, "-c", SWALLOWED, str(out)], cwd=PROJECT, env=subprocess_env(),
                            capture_output=True, text=True, timeout=HANG_GUARD)
    assert (result.returncode, result.stderr.splitlines()) == (130, [INTERRUPTED_LINE + str(out)])
    assert not out.exists()


@pytest.mark.usefixtures("built_site")  # a warm cache
def test_a_ctrl_c_that_nh3_swallows_is_an_interrupt_not_a_content_problem(tmp_path, monkeypatch, capsys):
    """nh3 calls the sanitizer's attribute filter from Rust and swallows what it raises, dropping
    the attribute: a Ctrl-C landing there made a section read as "the sanitizer would change the
    HTML" (seen under load). The CLI reports the interrupt alone, and the previous site stays."""
    import kdsite
    from kdsite.content import sanitize

    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    build_site(BuildOptions(project, out, cache_dir=CACHE), report=lambda line: None)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(kdsite, "_interrupts", [])
    monkeypatch.setattr(sys, "unraisablehook", kdsite._quiet_about_interrupts(sys.unraisablehook))
    original = sanitize._attribute_filter

    def interrupted_once(tag, attribute, value):
        from_nh3 = sys._getframe(1).f_code.co_name != "_describe"  # nh3's call, not the allowlist pass's
        if from_nh3 and attribute == "href" and not kdsite.interrupt_seen():
            kdsite._on_interrupt(signal.SIGINT, None)  # what the CLI's SIGINT handler does
        return original(tag, attribute, value)

    monkeypatch.setattr(sanitize, "_attribute_filter", interrupted_once)
    monkeypatch.chdir(project)
    handler = signal.getsignal(signal.SIGINT)
    try:
        assert main(["build", "--out", str(out)]) == 130
    finally:
        signal.signal(signal.SIGINT, handler)  # interrupted() ignores a second Ctrl-C
    assert capsys.readouterr().err == INTERRUPTED_LINE + str(out) + "\n"
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.usefixtures("built_site")  # a warm cache
def test_a_build_that_saw_a_ctrl_c_keeps_the_old_site(tmp_path, monkeypatch):
    """A Ctrl-C some library swallowed while the site was being made may have changed it: the
    build stops before the swap, and the previous site is left as it was."""
    import kdsite
    from kdsite.build import output

    out = tmp_path / "site"
    build_site(BuildOptions(PROJECT, out, cache_dir=CACHE), report=lambda line: None)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(kdsite, "_interrupts", [])
    write_file = output.write_file

    def write_and_see_a_swallowed_interrupt(*args):
        kdsite._interrupts.append(signal.SIGINT)
        return write_file(*args)

    monkeypatch.setattr(output, "write_file", write_and_see_a_swallowed_interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_site(BuildOptions(PROJECT, out, cache_dir=CACHE), report=lambda line: None)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left


@pytest.mark.parametrize("error", [ImportError("PyCapsule_Import could not import module 'datetime'"),
                                   RuntimeError("Error calling __set_name__ on 'cached_property' instance")])
def test_an_interrupt_that_a_c_extension_turned_into_another_error_is_still_an_interrupt(
        monkeypatch, capsys, tmp_path, error):
    """Ctrl-C while numpy imports can surface as an ImportError or a RuntimeError (seen in CI): the
    SIGINT handler has recorded it, so the CLI still stops with its one line and 130."""
    import kdsite
    import kdsite.cli

    def import_interrupted(*args, **kwargs):
        monkeypatch.setattr(kdsite, "_interrupts", [signal.SIGINT])
        raise error

    def import_failed(*args, **kwargs):
        raise error

    handler = signal.getsignal(signal.SIGINT)
    try:
        monkeypatch.setattr(kdsite.cli, "_run", import_interrupted)
        assert main(["build", "--out", str(tmp_path / "site")]) == 130
        assert capsys.readouterr().err == INTERRUPTED_LINE + str(tmp_path / "site") + "\n"
        monkeypatch.setattr(kdsite, "_interrupts", [])
        monkeypatch.setattr(kdsite.cli, "_run", import_failed)
        with pytest.raises(type(error)):  # without an interrupt it is a real error
            main(["build", "--out", str(tmp_path / "site")])
    finally:
        signal.signal(signal.SIGINT, handler)  # interrupted() ignores a second Ctrl-C


def test_version_prints_the_package_version(capsys):
    from importlib.metadata import version

    import kdsite

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"kdsite {kdsite.__version__}\n"
    assert version("kdsite") == kdsite.__version__  # pyproject.toml reads it from kdsite/__init__.py


def test_the_readme_shows_the_error_format_the_build_prints(tmp_path, monkeypatch, capsys):
    """The README's example of a content mistake is what `kdsite build` really prints for it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("A logit typed as\n  `6.8x`")[1].split("```text\n", 1)[1].split("```", 1)[0]
    expected = [line.strip() for line in block.splitlines() if line.strip()]
    project = copy_project(tmp_path / "project")
    examples = project / "content/examples.yaml"
    text = examples.read_text(encoding="utf-8")
    assert "logits: [6.8," in text
    examples.write_text(text.replace("logits: [6.8,", "logits: [6.8x,", 1), encoding="utf-8")
    assert f"examples.yaml:{line_of_text(examples, '6.8x')}:" in expected[0]
    monkeypatch.chdir(project)
    assert main(["build", "--out", "site"]) == 1
    printed = capsys.readouterr().err.replace(str(project), "/home/you/kdsite")
    assert printed.splitlines() == expected


def line_of_text(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)
