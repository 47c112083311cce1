"""Build the site: `python build.py [--out DIR] [--debug] [--no-cache] ...` (same as `kdsite build`)."""

import os
import signal
import sys

try:
    import kdsite
    kdsite.watch_interrupts()
    from kdsite.cli import run
except BaseException as error:  # Ctrl-C before the CLI could catch it: still one line and 130
    # An interrupt inside a C extension's import (numpy's) surfaces as an ImportError: the
    # interrupt, not the error, is what happened.
    seen = getattr(sys.modules.get("kdsite"), "interrupt_seen", lambda: False)
    if not isinstance(error, KeyboardInterrupt) and not seen():
        raise
    # Leave at once, as kdsite.cli.run does: through CPython's normal exit, a run interrupted this
    # early was seen (under .ci/run) to print the line and still die by SIGINT (-2), not exit 130.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("kdsite: interrupted; no half-written site was left in the output", file=sys.stderr, flush=True)
    os._exit(130)

if __name__ == "__main__":
    run(["build", *sys.argv[1:]])
