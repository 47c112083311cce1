"""`kdsite serve` without a browser: the port asked for, a busy port, bad poll queries, --debug."""

import json
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from kdsite.build import serve as serve_module
from kdsite.cli import main
from kdsite.build.pipeline import BuildOptions
from kdsite.build.serve import Preview, bind, poll_state
from tests.helpers import PROJECT, ROOT, subprocess_env

HANG_GUARD = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def kdsite_serve(port, out):
    env = subprocess_env(PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-m", "kdsite", "serve", "--port", str(port), "--out", str(out)],
                            cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("query, state", [
    ("version=0&error=", (0, "")), ("version=3&error=a%20b", (3, "a b")), ("", (0, "")),
    ("version=abc", None), ("version=-1", None), ("version=1&version=2", None), ("version", None),
    ("version=" + "9" * 5000, None), ("version=1e3", None),
])
def test_poll_query(query, state):
    assert poll_state(query) == state


@pytest.fixture
def preview_server(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<!DOCTYPE html><title>t</title><body><p>built</p></body>")
    server = bind(Preview(BuildOptions(PROJECT, out)), 0)
    # shutdown() waits for the loop's next poll: 0.5 s by default, a wait at every test's end
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("query", ["version=abc", "version=1&version=2", "version=%ff", "version"])
def test_a_malformed_poll_is_400(preview_server, query):
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{preview_server}/__kdsite__/poll?{query}", timeout=HANG_GUARD)
    assert caught.value.code == 400


def test_a_poll_from_an_older_page_answers_at_once_and_the_page_gets_the_live_script(preview_server):
    with urllib.request.urlopen(f"{preview_server}/__kdsite__/poll?version=7&error=", timeout=HANG_GUARD) as reply:
        assert json.loads(reply.read()) == {"version": 0, "error": ""}
    with urllib.request.urlopen(f"{preview_server}/", timeout=HANG_GUARD) as reply:
        page = reply.read().decode()
    assert '<p>built</p><script src="/__kdsite__/live.js"></script>' in page


def test_cli_passes_port_and_debug_to_serve(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(serve_module, "serve", lambda options, port, debug, open_browser:
                        calls.append((options.out, port, debug, open_browser)))
    monkeypatch.chdir(PROJECT)
    assert main(["serve", "--port", "8765", "--debug", "--open", "--out", str(tmp_path / "s")]) == 0
    assert main(["serve", "--out", str(tmp_path / "s")]) == 0
    assert calls == [(tmp_path / "s", 8765, True, True), (tmp_path / "s", 8000, False, False)]


@pytest.mark.parametrize("debug", [True, False])
def test_debug_shows_the_traceback_of_a_failed_rebuild(monkeypatch, capsys, tmp_path, debug):
    def broken(options, report):
        raise RuntimeError("boom")

    monkeypatch.setattr(serve_module, "build_site", broken)
    preview = Preview(BuildOptions(PROJECT, tmp_path / "site"), debug=debug)
    preview.rebuild()
    captured = capsys.readouterr()
    assert preview.error == "internal error: RuntimeError: boom"
    assert ("Traceback" in captured.err) is debug


def test_a_busy_port_is_one_line_and_exit_1(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = kdsite_serve(port, tmp_path / "site")
        stdout, stderr = process.communicate(timeout=HANG_GUARD)
    assert process.returncode == 1
    assert stderr.splitlines() == [f"error: cannot serve on 127.0.0.1:{port}: Address already in use "
                                   "(hint: another program is using it; pick another --port, or 0 for a free one)"]
    assert not (tmp_path / "site").exists()


def test_serves_on_exactly_the_port_asked_for_and_ctrl_c_exits_130(tmp_path):
    port = free_port()
    out = tmp_path / "site"
    process = kdsite_serve(port, out)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        deadline = time.monotonic() + HANG_GUARD
        seen = []
        while not any("serving" in line for line in seen) and time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=1))
            except queue.Empty:
                assert process.poll() is None, process.stderr.read()
        assert f"kdsite: serving http://127.0.0.1:{port}/ (Ctrl-C stops)\n" in seen, seen
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=HANG_GUARD) as reply:
            page = reply.read().decode()
        assert "<title>Knowledge Distillation" in page
        assert '<script src="/__kdsite__/live.js"></script>' in page
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=HANG_GUARD) == 130
        assert process.stderr.read().splitlines() == [f"kdsite: interrupted; no half-written site was left in {out}"]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_open_shows_the_page_and_a_code_change_restarts_on_the_same_port(tmp_path):
    """--open hands the address to the browser (BROWSER names a stand-in that writes it down); a
    change to kdsite's own Python code (here a copy of the package) restarts the command, which
    serves again on the same port."""
    package = tmp_path / "pkg"
    shutil.copytree(ROOT / "kdsite", package / "kdsite", ignore=shutil.ignore_patterns("__pycache__"))
    opened = tmp_path / "opened.txt"
    stand_in = tmp_path / "browser.py"
    stand_in.write_text(f"import sys\nopen({str(opened)!r}, 'a').write(sys.argv[1] + '\\n')\n")
    port = free_port()
    env = subprocess_env(PYTHONUNBUFFERED="1", BROWSER=f"{sys.executable} {stand_in} %s")
    env["PYTHONPATH"] = str(package)
    process = subprocess.Popen([sys.executable, "-m", "kdsite", "serve", "--port", str(port), "--open",
                                "--out", str(tmp_path / "site")], cwd=PROJECT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    serving = f"kdsite: serving http://127.0.0.1:{port}/ (Ctrl-C stops)\n"

    def wait_for(line: str, seen: list) -> None:
        deadline = time.monotonic() + HANG_GUARD
        while line not in seen and time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=1))
            except queue.Empty:
                assert process.poll() is None, process.stderr.read()
        assert line in seen, seen

    try:
        first: list = []
        wait_for(serving, first)
        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text() == f"http://127.0.0.1:{port}/\n"
        code = package / "kdsite/figures/catalogue.py"
        code.write_text(code.read_text() + "\n# edited\n")
        after: list = []
        wait_for(serving, after)
        assert after[0] == "kdsite: code changed, restarting\n"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=HANG_GUARD) as reply:
            assert "<title>Knowledge Distillation" in reply.read().decode()
        assert opened.read_text().count("\n") == 1  # the restart does not open a second page
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=HANG_GUARD) == 130
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
