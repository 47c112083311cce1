"""`kdsite serve`: a live preview on 127.0.0.1 that rebuilds on every edit and reloads the page.

A watcher polls content/ and templates/ for changes and rebuilds; a change to kdsite's own Python
code restarts the command on the same port (the running process holds the old code). Pages served get one extra
script (only in this mode) that long-polls the server and reloads when a new build is ready, or
shows the build error on the page; the terminal shows it too, and the server keeps running.
"""

from __future__ import annotations

import errno
import http.server
import json
import threading
import traceback
import webbrowser
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from kdsite.errors import ContentError, ContentErrors
from kdsite.build.output import OutputError
from kdsite.build.pipeline import BuildOptions, build_site

POLL_SECONDS = 20
LIVE_SCRIPT = """(function () {
  "use strict";
  var state = { version: %(version)d, error: "" };
  function banner(text) {
    var box = document.getElementById("kdsite-build-error");
    if (!box) {
      box = document.createElement("pre");
      box.id = "kdsite-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;margin:0;padding:1rem;z-index:1000;" +
        "background:#7f1d1d;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;max-height:40vh;overflow:auto";
      document.body.appendChild(box);
    }
    box.textContent = "kdsite: the last edit did not build; showing the previous site.\\n" + text;
  }
  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", "/__kdsite__/poll?version=" + state.version + "&error=" + encodeURIComponent(state.error));
    request.onload = function () {
      var status = JSON.parse(request.responseText);
      if (status.version !== state.version) {
        location.reload();
        return;
      }
      if (status.error !== state.error) {
        state.error = status.error;
        if (status.error) { banner(status.error); } else { location.reload(); return; }
      }
      poll();
    };
    request.onerror = function () { setTimeout(poll, 1000); };
    request.send();
  }
  poll();
})();
"""


class Preview:
    """The build state shared by the watcher and the HTTP handlers."""

    def __init__(self, options: BuildOptions, debug: bool = False):
        self.options = options
        self.debug = debug
        self.version = 0
        self.error = ""
        self.changed = threading.Condition()

    def rebuild(self) -> None:
        """Build once; on success bump the version, on a content mistake keep the old site."""
        try:
            build_site(self.options, report=lambda line: print(line, flush=True))
            error = ""
        except (ContentError, ContentErrors) as problem:
            errors = problem.errors if isinstance(problem, ContentErrors) else [problem]
            error = "\n".join(f"error: {e}" for e in errors)
        except OutputError as problem:
            error = f"error: {problem}"
        except Exception as problem:  # keep serving whatever goes wrong in one build
            error = f"internal error: {type(problem).__name__}: {problem}"
            if self.debug:
                traceback.print_exc()
        if error:
            print(error, flush=True)
        with self.changed:
            if not error:
                self.version += 1
            self.error = error
            self.changed.notify_all()

    def wait(self, version: int, error: str, timeout: float) -> dict:
        """Block until the state differs from what the page has (or `timeout`); return the state."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != version or self.error != error, timeout)
            return {"version": self.version, "error": self.error}


def snapshot(folders: list[Path]) -> tuple:
    """Names, sizes and modification times of every file under `folders`."""
    return tuple(sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns)
                        for folder in folders for p in folder.rglob("*") if p.is_file()))


def code_snapshot(package: Path) -> tuple:
    """Names, sizes and modification times of the generator's own Python files."""
    return tuple(sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in package.rglob("*.py")))


def watch(preview: Preview, folders: list[Path], interval: float, stop: threading.Event,
          code: Path | None = None, on_code_change: Callable[[], None] | None = None) -> None:
    """Rebuild whenever a file under `folders` changes, until `stop` is set; when a Python file
    under `code` changes, call `on_code_change` instead (the running process holds the old code)."""
    seen = snapshot(folders)
    seen_code = code_snapshot(code) if code is not None else ()
    while not stop.wait(interval):
        if code is not None and on_code_change is not None and code_snapshot(code) != seen_code:
            print("kdsite: code changed, restarting", flush=True)
            on_code_change()
            return
        current = snapshot(folders)
        if current != seen:
            seen = current
            print("kdsite: change seen, rebuilding", flush=True)
            preview.rebuild()


def poll_state(query: str) -> tuple[int, str] | None:
    """The (version, error) a live page reports in its poll query, or None if the query is malformed."""
    try:
        fields = parse_qs(query, strict_parsing=bool(query), max_num_fields=10)
        (version,) = fields.get("version", ["0"])
        (error,) = fields.get("error", [""])
        if not version.isascii() or not version.isdigit() or len(version) > 18:
            return None
        return int(version), error
    except ValueError:  # also a repeated field: unpacking one value from two
        return None


def handler_for(preview: Preview):
    """An HTTP handler class that serves the output folder with the live-reload script added."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.options.out), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

        def do_GET(self):  # noqa: N802 - the base class's name
            url = urlparse(self.path)
            if url.path == "/__kdsite__/live.js":
                return self._send(LIVE_SCRIPT % {"version": preview.version}, "text/javascript")
            if url.path == "/__kdsite__/poll":
                state = poll_state(url.query)
                if state is None:
                    return self.send_error(400, "expected /__kdsite__/poll?version=N&error=TEXT")
                return self._send(json.dumps(preview.wait(*state, POLL_SECONDS)), "application/json")
            if url.path in ("/", "/index.html"):
                index = preview.options.out / "index.html"
                page = (index.read_text(encoding="utf-8") if index.is_file() else
                        "<!DOCTYPE html><title>kdsite preview</title><body><p>No successful build yet.</p></body>")
                page = page.replace("</body>", '<script src="/__kdsite__/live.js"></script>\n</body>')
                # the live-reload script long-polls this server, which the built policy forbids
                page = page.replace("connect-src 'none'", "connect-src 'self'")
                return self._send(page, "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, text: str, content_type: str) -> None:
            data = text.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

    return Handler


def bind(preview: Preview, port: int) -> http.server.ThreadingHTTPServer:
    """A server on 127.0.0.1:`port` (0 picks a free one); OutputError, one line, if it cannot listen there."""
    if not 0 <= port <= 65535:
        raise OutputError(f"cannot serve on port {port}: ports run from 0 to 65535 (hint: 0 picks a free one)")
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler_for(preview))
    except OSError as problem:
        hint = ("another program is using it; pick another --port, or 0 for a free one"
                if problem.errno == errno.EADDRINUSE else "pick another --port, or 0 for a free one")
        raise OutputError(f"cannot serve on 127.0.0.1:{port}: {problem.strerror or problem} (hint: {hint})") from None
    server.daemon_threads = True
    return server


def serve(options: BuildOptions, port: int = 8000, interval: float = 0.3, debug: bool = False,
          open_browser: bool = False) -> int | None:
    """Serve on 127.0.0.1:`port` (0 picks a free port), build, and rebuild on changes until Ctrl-C.

    The port is taken before the first build, so a busy port fails at once. Ctrl-C propagates
    (KeyboardInterrupt) once the server is closed. `open_browser` opens the page once it is built.
    When the generator's own code changes, the server stops and the port is returned, so the
    caller can start a fresh process on it (the command line does); otherwise None.
    """
    preview = Preview(options, debug)
    server = bind(preview, port)
    try:
        preview.rebuild()
    except BaseException:
        server.server_close()
        raise
    stop = threading.Event()
    restart = threading.Event()

    def on_code_change() -> None:
        restart.set()
        server.shutdown()

    watcher = threading.Thread(target=watch, args=(preview, [options.content, options.templates], interval, stop,
                                                   Path(__file__).resolve().parent.parent, on_code_change),
                               daemon=True)
    watcher.start()
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"kdsite: serving {address} (Ctrl-C stops)", flush=True)
    if open_browser:
        webbrowser.open(address)
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()
    return server.server_address[1] if restart.is_set() else None
