"""kdsite: a static-site generator for an interactive explainer of knowledge distillation."""

import sys

__version__ = "0.1.0"

_interrupts: list[int] = []


def _on_interrupt(signum, frame) -> None:
    _interrupts.append(signum)
    raise KeyboardInterrupt


def _quiet_about_interrupts(hook):
    def hook_without_interrupts(unraisable) -> None:
        if not issubclass(unraisable.exc_type, KeyboardInterrupt):
            hook(unraisable)
    return hook_without_interrupts


def watch_interrupts() -> None:
    """For the command line only: remember every Ctrl-C, even one CPython swallows.

    A KeyboardInterrupt raised inside a weakref callback or destructor (importlib has some) is
    printed as 'Exception ignored' and the program goes on; the CLI checks `interrupt_seen()` so
    it still stops with its one line and exit 130, and such an interrupt prints nothing else.
    `signal` is imported here, not with the package: `python -m kdsite` imports the package before
    __main__.py's handler is in place, and importing signal (and enum with it) took long enough for
    a Ctrl-C to land there and print a traceback (seen once under .ci/run)."""
    import signal

    if signal.getsignal(signal.SIGINT) is not _on_interrupt:
        signal.signal(signal.SIGINT, _on_interrupt)
        sys.unraisablehook = _quiet_about_interrupts(sys.unraisablehook)


def ignore_interrupts() -> None:
    """For the command line only, once its work is done and reported: a Ctrl-C from then on has
    nothing left to stop. Without this, one landing while Python shut down (tearing down numpy and
    the rest, tens of ms after the build's last line) killed the finished process by SIGINT."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def interrupt_seen() -> bool:
    """Whether a Ctrl-C arrived since `watch_interrupts()`, caught or not."""
    return bool(_interrupts)
