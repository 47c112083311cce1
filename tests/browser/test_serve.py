"""`kdsite serve`: an edit is rebuilt and the open page reloads; a bad edit shows its error."""

import queue
import re
import subprocess
import sys
import threading
import time

import pytest
from tests.helpers import copy_project, subprocess_env

WAIT_SECONDS = 60


@pytest.fixture
def server(tmp_path):
    project = copy_project(tmp_path / "project")
    env = subprocess_env(PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "kdsite", "serve", "--port", "0"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    deadline = time.monotonic() + WAIT_SECONDS
    url = None
    seen = []
    while url is None and time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
        url = found.group(1) if found else None
    if url is None:
        process.kill()
        pytest.fail("server did not start:\n" + "".join(seen))
    yield project, url, lines
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_for_line(lines, pattern: str) -> str:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if re.search(pattern, line):
            return line
    raise AssertionError(f"no line matching {pattern!r} within {WAIT_SECONDS} s")


def test_edit_rebuilds_and_reloads_and_errors_show_on_page(server, browser):
    project, url, lines = server
    context = browser.new_context(idle=True)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("html[data-charts-ready]")
        assert page.locator("h1").text_content() == "Knowledge Distillation"

        site = project / "content/site.yaml"
        site.write_text(site.read_text().replace("title: Knowledge Distillation", "title: Distillation, edited"))
        page.wait_for_function("() => document.querySelector('h1').textContent === 'Distillation, edited'",
                               timeout=WAIT_SECONDS * 1000)

        site.write_text(site.read_text().replace("unit: Model Reduction", "unit: [broken"))
        wait_for_line(lines, r"^error: content/site\.yaml:\d+: malformed YAML")
        page.wait_for_selector("#kdsite-build-error", timeout=WAIT_SECONDS * 1000)
        assert "content/site.yaml" in page.locator("#kdsite-build-error").text_content()
        assert page.locator("h1").text_content() == "Distillation, edited"
    finally:
        context.close()
