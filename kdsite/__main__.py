"""`python -m kdsite build ...`."""

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
    print("kdsite: interrupted; no half-written site was left in the output", file=sys.stderr)
    sys.exit(130)

run()
