"""Which Chromium the browser tests and the benchmark drive, and how it is started.

Playwright cannot download its own browser on machines without general internet access, so the
system Chromium (Debian's `chromium` package) is preferred; KDSITE_CHROMIUM names another one.
"""

from __future__ import annotations

import os
import shutil

# Headless as root in a container: no sandbox, no GPU, and none of Chromium's own network traffic.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_HINT = ("No Chromium found. Install one: on Debian/Ubuntu `apt-get install -y chromium` "
                "(used from /usr/bin/chromium), or `python -m playwright install --with-deps chromium`; "
                "or set KDSITE_CHROMIUM to a Chromium executable.")


def system_chromium() -> str | None:
    """KDSITE_CHROMIUM, else a Chromium on PATH, else None (Playwright's own browser)."""
    configured = os.environ.get("KDSITE_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None
