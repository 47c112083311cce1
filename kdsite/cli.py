"""Command line: `kdsite build [--out DIR] [--debug] [--no-cache] [--strict] [--zip] [--single-file]`
and `kdsite serve [--out DIR] [--port N] [--debug]`.

Content mistakes print one line per problem and exit 1, as do operational failures (an unsafe or
unwritable output, a busy port); a traceback shows only with --debug. Ctrl-C at any moment, even
while the heavy modules are still importing, prints one line and exits 130: so this module
imports them only inside `main`.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from pathlib import Path

from kdsite import __version__, ignore_interrupts, interrupt_seen, watch_interrupts

INTERRUPTED = 130


def project_root() -> Path:
    """The folder holding content/ and templates/: the working directory."""
    return Path.cwd()


def parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    main = argparse.ArgumentParser(prog="kdsite", description="Build the knowledge-distillation explainer.")
    main.add_argument("--version", action="version", version=f"kdsite {__version__}")
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the static site")
    build.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site/)")
    build.add_argument("--debug", action="store_true", help="show Python tracebacks")
    build.add_argument("--no-cache", action="store_true", help="ignore cached results and recompute")
    build.add_argument("--strict", action="store_true",
                       help="treat warnings (broken anchors, unused data, unsourced numbers) as errors")
    build.add_argument("--zip", action="store_true", help="also write OUT.zip beside the output folder")
    build.add_argument("--allow-long-lab", action="store_true",
                       help="train the lab even when the estimate exceeds 10 minutes")
    build.add_argument("--single-file", action="store_true",
                       help="write one self-contained index.html into --out instead of a folder of files")
    serve = commands.add_parser("serve", help="preview on 127.0.0.1, rebuilding on every edit")
    serve.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site/)")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0 picks a free one)")
    serve.add_argument("--debug", action="store_true", help="show Python tracebacks")
    serve.add_argument("--open", action="store_true", help="open the page in the default browser once built")
    check = commands.add_parser("check", help="the author's CI gate: a strict build into a temporary folder "
                                              "(site/ untouched), one line per problem, exit 1 if any")
    check.add_argument("--debug", action="store_true", help="show Python tracebacks")
    commands.add_parser("schema", help="print the Markdown reference of every content file and field")
    new = commands.add_parser("new", help="write a new section or device file, or a new figure's code, to edit")
    new.add_argument("kind", choices=["section", "device", "figure"], help="what to add")
    new.add_argument("name", help="its name, e.g. 'Deploying students', 'Raspberry Pi 5' or (a figure, "
                                  "in a kdsite checkout) 'loss-landscape'")
    new.add_argument("--after", metavar="ID", help="section only: place it after this section id (default: last)")
    listing = commands.add_parser("list", help="list what an author can use")
    listing.add_argument("what", choices=["figures"], help="figures: every [[figure: NAME]], what it shows, "
                                                          "what it reads")
    return main


def interrupted(out: Path | None) -> int:
    """Report Ctrl-C in one line and return its exit code; a second Ctrl-C cannot cut the line short."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    where = f" {out}" if out is not None else " the output"
    print(f"kdsite: interrupted; no half-written site was left in{where}", file=sys.stderr, flush=True)
    return INTERRUPTED


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    out = None
    try:
        args = parser().parse_args(argv)
        if args.command == "schema":  # needs no project: it describes the content any project holds
            from kdsite.content.schema import reference_markdown
            from kdsite.figures.catalogue import catalogue_markdown
            sys.stdout.write(reference_markdown() + "\n" + catalogue_markdown())
            return 0
        if args.command == "list":
            from kdsite.figures.catalogue import catalogue_lines
            sys.stdout.write("\n".join(catalogue_lines()))
            return 0
        root = project_root()
        if args.command == "new":
            return _new(args, root)
        if args.command == "check":
            return _check(args, root)
        out = args.out if args.out.is_absolute() else root / args.out
        return _run(args, root, out)
    except KeyboardInterrupt:
        return interrupted(out)
    except Exception:
        if interrupt_seen():  # a Ctrl-C inside a C extension's import (numpy's) surfaces as another error
            return interrupted(out)
        raise


def _run(args: argparse.Namespace, root: Path, out: Path, quiet: bool = False) -> int:
    # imported here, not at the top: numpy, Altair and vl-convert take seconds to import, and
    # a Ctrl-C meanwhile must reach main's handler rather than print a traceback
    from kdsite.errors import ContentError, ContentErrors
    from kdsite.build.output import OutputError
    from kdsite.build.pipeline import BuildOptions, build_site

    if interrupt_seen():  # a Ctrl-C that CPython swallowed while importing
        raise KeyboardInterrupt

    try:
        if args.command == "serve":
            from kdsite.build.serve import serve
            restart_on = serve(BuildOptions(root, out), port=args.port, debug=args.debug, open_browser=args.open)
            if restart_on is not None:  # kdsite's own code changed: the same command, fresh, on the same port
                argv = [sys.executable, "-m", "kdsite", "serve", "--out", str(out), "--port", str(restart_on)]
                os.execv(sys.executable, argv + (["--debug"] if args.debug else []))
            return 0
        if not quiet:
            print(f"kdsite: building {out}", flush=True)
        build_site(BuildOptions(root, out, use_cache=not args.no_cache, strict=args.strict,
                                single_file=args.single_file, zip=args.zip,
                                allow_long_lab=args.allow_long_lab),
                   report=(lambda line: None) if quiet else print)
        return 0
    except (ContentError, ContentErrors) as problem:
        if interrupt_seen():
            # A Ctrl-C swallowed inside a library can fake a content problem: raised in the
            # sanitizer's attribute callback, which nh3 calls from Rust, it dropped an attribute,
            # and a section read as "the sanitizer would change the HTML at '<div>'". It was the
            # interrupt, not the content.
            raise KeyboardInterrupt from problem
        errors = problem.errors if isinstance(problem, ContentErrors) else [problem]
        for warning in getattr(problem, "warnings", []):  # a misspelled key is often why one is "missing"
            print("warning: " + one_line(warning), file=sys.stderr)
        for error in errors:  # one line each, even if a quoted value holds a line break
            print("error: " + one_line(error), file=sys.stderr)
        if not quiet:
            print(f"kdsite: {len(errors)} content problem(s); {out} left unchanged", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return 1
    except (OutputError, OSError) as problem:  # the machine's doing (permissions, disk, port), not a bug
        if interrupt_seen():  # likewise
            raise KeyboardInterrupt from problem
        print("error: " + one_line(problem), file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return 1
    except Exception as problem:  # a bug in kdsite, not in the content: say so in one line
        if interrupt_seen():  # unless a Ctrl-C, caught somewhere inside a library, caused it
            raise KeyboardInterrupt from problem
        print(f"internal error: {type(problem).__name__}: {one_line(problem)} "
              "(run with --debug for the traceback; the output was left unchanged)", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return 2


def _new(args: argparse.Namespace, root: Path) -> int:
    """Write a scaffold (kdsite/content/scaffold.py, kdsite/build/figure_scaffold.py) and say what to do next."""
    from kdsite.content.scaffold import new_device, new_section
    from kdsite.errors import ContentError

    try:
        if args.kind != "section" and args.after is not None:
            where = {"device": "content/devices", "figure": "kdsite/figures"}[args.kind]
            raise ContentError(where, None, "", f"--after places sections, not {args.kind}s")
        if args.kind == "figure":
            return _new_figure(root, args.name)
        if args.kind == "section":
            path = new_section(root / "content", args.name, args.after)
            advice = ("replace each TODO with its text; place a figure with [[figure: NAME]] (kdsite list "
                      "figures names them); kdsite check names any TODO left")
        else:
            path = new_device(root / "content", args.name)
            advice = "replace each TODO with a cited or derived number; kdsite check names any left"
    except ContentError as error:
        print("error: " + one_line(error), file=sys.stderr)
        return 1
    print(f"kdsite: wrote {path.relative_to(root)}: {advice}")
    return 0


def _new_figure(root: Path, name: str) -> int:
    """Write a new figure's code and register it (kdsite/build/figure_scaffold.py); list it and the next steps."""
    from kdsite.build.figure_scaffold import new_figure
    from kdsite.errors import ContentError

    try:
        written, edited = new_figure(root, name)
    except ContentError as error:
        print("error: " + one_line(error), file=sys.stderr)
        return 1
    module = written[0].stem
    for path in written:
        print(f"kdsite: wrote {path.relative_to(root)}")
    for path in edited:
        print(f"kdsite: registered it in {path.relative_to(root)}")
    print(f"""next steps (docs/architecture.md, "Adding a figure"):
  1. place [[figure: {name}]] on a line of its own in a section of content/sections/
  2. python3 -m kdsite build --strict, then python3 -m pytest tests/browser/test_{module}.py
  3. replace the placeholders: the formula (kdsite/science/{module}.py), the chart (kdsite/charts/{module}.py),
     the readouts and text (kdsite/figures/{module}.py, templates/figures/{name}.html), what it shows
     (kdsite/figures/catalogue.py, then python3 -m kdsite schema > docs/content.md), and the test""")
    return 0


def _check(args: argparse.Namespace, root: Path) -> int:
    """A strict build into a temporary folder: every warning is a problem (broken anchors, duplicate
    ids, unused or unknown references, a model defined twice, unsourced numbers, the core path's
    budget, key ideas first); the site/ folder is never touched."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kdsite-check-") as folder:
        args.strict, args.no_cache, args.single_file, args.zip, args.allow_long_lab = True, False, False, False, False
        code = _run(args, root, Path(folder) / "site", quiet=True)
    print("kdsite check: no problems" if code == 0 else "kdsite check: fix the problems above",
          file=sys.stdout if code == 0 else sys.stderr)
    return code


def one_line(problem: object) -> str:
    """The text of an error with its line breaks folded into spaces."""
    return " ".join(str(problem).splitlines())


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point: run `main(argv)` and exit with its code."""
    try:
        watch_interrupts()
        code = main(argv)
        if code != INTERRUPTED and interrupt_seen():  # one CPython swallowed: still stop as interrupted
            code = interrupted(None)
        if code != INTERRUPTED:
            ignore_interrupts()  # done: a Ctrl-C during Python's own exit would kill it by SIGINT
    except KeyboardInterrupt:  # between main's return and the exit
        code = interrupted(None)
    if code == INTERRUPTED:
        # Leave at once, with exactly this code: under load, `python -m kdsite` was seen to print this
        # line and then die by SIGINT (-2) in CPython's normal exit (which re-raises SIGINT when it
        # believes a KeyboardInterrupt went unhandled). Nothing is left to clean up: the build removed
        # its temporary folder before main returned.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(INTERRUPTED)
    sys.exit(code)
