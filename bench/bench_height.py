"""How tall the page is with every "Go deeper" fold closed (issue 16: at most about 12,000 px at 1280 x 800).

    python bench/bench_height.py [--site DIR] [--width W ...] [--parts]

Builds the shipped content (`python build.py --out TMP`, the project's cache) unless --site names a
built site, opens its index.html from file:// in headless Chromium (tests/chromium.py) at each width
(default 1280) x 800, waits for <html data-charts-ready> (every chart a reader can see drawn),
scrolling down the page a screen at a time if it has not come, closes every details.deeper, and
prints document.scrollHeight, the height of each section and of each figure panel a reader sees,
largest first; --parts adds each figure's rows (its direct children) largest first. It reports, it
is not a test: bench/run.py prints the 1280 px height as one row against its budget.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.chromium

from tests.chromium import CHROMIUM_ARGS, INSTALL_HINT, system_chromium  # noqa: E402

HEIGHT_BUDGET_PX = 12_000
VIEWPORT_HEIGHT = 800
CORE_PATH_LINE = re.compile(r"core path: ([\d,]+) words")

# Closes every fold, then (two frames later, once laid out) reads the heights. A figure inside a
# closed fold has a box Chromium keeps but a reader does not see: it is left out.
CLOSE_FOLDS = "() => document.querySelectorAll('details.deeper').forEach((fold) => { fold.open = false; })"
MEASURE = """
async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  await frame();
  const height = (element) => Math.round(element.getBoundingClientRect().height);
  const name = (element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
    + (element.classList.length ? "." + Array.from(element.classList).join(".") : "");
  const seen = (element) => !element.closest("details:not([open])") && height(element) > 0;
  return {
    scrollHeight: document.documentElement.scrollHeight,
    scrollWidth: document.documentElement.scrollWidth,
    openDetails: document.querySelectorAll("details[open]").length,
    sections: Array.from(document.querySelectorAll("main section")).map((section) =>
      ({name: section.id || name(section), height: height(section)})),
    figures: Array.from(document.querySelectorAll(".figure-panel")).filter(seen).map((panel) =>
      ({name: panel.id || name(panel), height: height(panel),
        parts: Array.from(panel.children).filter(seen).map((part) => ({name: name(part), height: height(part)}))})),
  };
}
"""


def build_site(out: Path) -> str:
    """`python build.py --out OUT` in the project root; returns its output (raises if it failed)."""
    done = subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(f"the build failed:\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def measure(browser, site: Path, width: int) -> dict:
    """The page's heights at `width` x 800 with every chart drawn and every fold closed."""
    context = browser.new_context(viewport={"width": width, "height": VIEWPORT_HEIGHT}, reduced_motion="reduce")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((site / "index.html").as_uri())
        ready = "html[data-charts-ready]"
        try:
            page.wait_for_selector(ready, state="attached", timeout=20_000)
        except Exception:  # not drawn while idle: bring every chart near the view, a screen at a time
            total = page.evaluate("document.documentElement.scrollHeight")
            for top in range(0, total, VIEWPORT_HEIGHT):
                page.evaluate(f"window.scrollTo(0, {top})")
                page.wait_for_timeout(100)
            page.wait_for_selector(ready, state="attached", timeout=60_000)
        page.evaluate("window.scrollTo(0, 0)")
        page.evaluate(CLOSE_FOLDS)
        result = page.evaluate(MEASURE)
        result["errors"] = errors
        return result
    finally:
        context.close()


def print_heights(result: dict, width: int, parts: bool) -> None:
    budget = f"<= {HEIGHT_BUDGET_PX:,} px" if width == 1280 else "-"
    verdict = ("PASS" if result["scrollHeight"] <= HEIGHT_BUDGET_PX else "FAIL") if width == 1280 else ""
    print(f"\n{width} x {VIEWPORT_HEIGHT}: page height {result['scrollHeight']:,} px  {budget}  {verdict}")
    if result["scrollWidth"] > width:
        print(f"  WARNING: the page is {result['scrollWidth']} px wide: it scrolls sideways")
    print(f"  open <details> after closing the folds: {result['openDetails']}")
    print("  sections:")
    for row in sorted(result["sections"], key=lambda r: -r["height"]):
        print(f"    {row['height']:>6,} px  {row['name']}")
    print(f"  figures a reader sees ({len(result['figures'])}, "
          f"{sum(r['height'] for r in result['figures']):,} px in all):")
    for row in sorted(result["figures"], key=lambda r: -r["height"]):
        print(f"    {row['height']:>6,} px  {row['name']}")
        if parts:
            for part in sorted(row["parts"], key=lambda r: -r["height"]):
                print(f"        {part['height']:>6,} px  {part['name'][:90]}")
    for error in result["errors"]:
        print(f"  page error: {error}")


def measure_site(site: Path, widths: list[int]) -> dict[int, dict]:
    """Heights at each width, from one Chromium (RuntimeError with the install hint if there is none)."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise RuntimeError("Playwright is not installed (`pip install playwright`); " + INSTALL_HINT)
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=system_chromium(), args=CHROMIUM_ARGS)
        except Error as error:
            raise RuntimeError(f"{INSTALL_HINT} (launch failed: {str(error).splitlines()[0]})")
        try:
            return {width: measure(browser, site, width) for width in widths}
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, metavar="DIR", help="measure this built site instead of building one")
    parser.add_argument("--width", type=int, action="append", metavar="PX",
                        help="viewport width in CSS px (repeatable; default 1280)")
    parser.add_argument("--parts", action="store_true", help="also list each figure's rows")
    args = parser.parse_args(argv)
    widths = args.width or [1280]
    with tempfile.TemporaryDirectory(prefix="kdsite-height-") as work:
        site = args.site.resolve() if args.site else Path(work) / "site"
        if not args.site:
            words = CORE_PATH_LINE.search(build_site(site))
            print(f"core path: {words.group(1) if words else '?'} words of prose with every fold closed")
        for width, result in measure_site(site, widths).items():
            print_heights(result, width, args.parts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
