"""Which Chromium the browser tests and the benchmark drive, and how it is started.

Playwright cannot download its own browser on machines without general internet access, so the
system's Chromium is preferred; KDSITE_CHROMIUM names another one. The tests drive Debian's
`chromium-headless-shell` (the same Chromium build in its lighter, old headless mode, which is what
Playwright itself runs for headless Chromium) when it is installed: on two cores it drew the fixture
page with a third less CPU than the full browser (8.6 against 12.5 CPU-seconds for three loads
with every chart drawn) and started in 0.8 instead of 2.1, and the browser tests ran in 1 min 39 s
instead of 2 min 29 s. The benchmark measures what a reader's browser does, so it drives the full
`chromium`.
"""

from __future__ import annotations

import os
import shutil

# Headless as root in a container: no sandbox, no GPU, and none of Chromium's own network traffic.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_HINT = ("No Chromium found. Install one: on Debian/Ubuntu `apt-get install -y chromium-headless-shell "
                "chromium` (used from /usr/bin), or `python -m playwright install --with-deps chromium`; "
                "or set KDSITE_CHROMIUM to a Chromium executable.")


def system_chromium(headless_shell: bool = True) -> str | None:
    """KDSITE_CHROMIUM, else a Chromium on PATH (its headless shell first, unless told not to), else
    None (Playwright's own browser)."""
    configured = os.environ.get("KDSITE_CHROMIUM")
    if configured:
        return configured
    names = ("chromium-headless-shell",) if headless_shell else ()
    for name in names + ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None
