"""Hand-out forms of a built site: a deterministic zip, and one self-contained HTML file.

Both are made from a finished site folder, so they hold exactly what was built.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

from kdsite.build.output import MARKER, OutputError
from kdsite.page.early_loader import SWITCH, script_hash, without_early_loader

# ZIP cannot store dates before 1980; with no SOURCE_DATE_EPOCH every entry gets this one.
DEFAULT_EPOCH = 315532800  # 1980-01-01T00:00:00Z
README = """{heading}
{rule}

1. Unzip this archive (do not open the files from inside the zip viewer).
2. Open the folder {folder} and double-click index.html.

It opens in any current web browser and needs no internet connection and no server.
"""


# ZIP stores years up to 1980 + 127 and even seconds: 2107-12-31T23:59:58Z is the last time it can hold.
LAST_EPOCH = 4354819198


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH in seconds (unset or empty: DEFAULT_EPOCH); OutputError if a zip cannot hold it."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return DEFAULT_EPOCH
    if not text.isascii() or not text.isdigit():
        raise OutputError(f"SOURCE_DATE_EPOCH={text[:40]!r} is not a whole number of seconds "
                          "(hint: e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it)")
    if int(text) > LAST_EPOCH:
        raise OutputError(f"SOURCE_DATE_EPOCH={text[:40]} is after 2107-12-31, the last date a zip can store "
                          f"(hint: at most {LAST_EPOCH})")
    return int(text)


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """Entry time from SOURCE_DATE_EPOCH (reproducible builds), clamped to ZIP's 1980 minimum."""
    return time.gmtime(max(source_date_epoch(), DEFAULT_EPOCH))[:6]


def readme(title: str, subtitle: str, folder: str) -> str:
    """The hand-out's README.txt: the site's title and how to open it."""
    heading = f"{title} — {subtitle}"
    return README.format(heading=heading, rule="=" * len(heading), folder=folder)


def write_zip(site: Path, archive: Path, folder: str, readme_text: str) -> Path:
    """Zip `site` under the top folder `folder` with sorted entries, fixed times and modes, and
    `readme_text` as README.txt.

    Written to a temporary name of its own (two builds at once never share one) and renamed, so
    a failed run leaves any older archive intact.
    """
    stamp = zip_timestamp()
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.name != MARKER)
    handle, temporary = tempfile.mkstemp(dir=archive.parent, prefix=f".{archive.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream, \
                zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
            entries = [(f"{folder}/README.txt", readme_text.encode("utf-8"))]
            entries += [(f"{folder}/{p.relative_to(site).as_posix()}", p.read_bytes()) for p in files]
            for name, data in sorted(entries):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, so the mode bits above mean the same everywhere
                bundle.writestr(info, data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the archive is meant to be handed out
        os.replace(temporary, archive)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return archive


STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
SCRIPT = re.compile(r'<script defer src="([^"]+)"></script>\n?')
RUNTIME = re.compile(r' data-runtime="([^"]+)"')
# A chart's container as templates/chart.html writes it, naming its spec file: the tag, not any text
# that reads like the attribute (text in a section may; it must never name a file to inline).
SPEC_FILE = re.compile(r'(<div class="chart" id="[^"]*") data-chart="(assets/specs/[\w.-]+\.js)"')
ICON = re.compile(r'<link rel="icon"[^>]*>\n?')
STATIC_IMAGE = re.compile(r'<img src="(assets/charts/[^"]+\.svg)" alt="([^"]*)" class="static-chart">')


def _inline_code(code: str) -> str:
    # "</script" would end the element early; "<\/script" means the same inside JavaScript strings.
    return code.replace("</script", "<\\/script")


def single_file_html(site: Path) -> str:
    """index.html with its stylesheets, scripts and static chart SVGs inlined; it loads nothing else."""
    # The runtime is inline here: the early loader gives way to the layout switch alone.
    html = without_early_loader((site / "index.html").read_text(encoding="utf-8"))
    switch = [SWITCH] if f"<script>{SWITCH}</script>" in html else []
    html = ICON.sub("", html)
    html = STYLESHEET.sub(lambda m: "<style>" + (site / m.group(1)).read_text(encoding="utf-8") + "</style>", html)
    # Inline scripts cannot be deferred: they move to the end of the body, where they run after parsing.
    # Only the site's own script files, read from the site folder, are inlined and allowed; the
    # allowed hashes come from them, never from scanning the page, so a script that got into the
    # page some other way stays blocked by the policy.
    # The Vega runtime, which site.js loads from <html data-runtime> when a chart first needs it,
    # comes first here, so the page finds it present and loads nothing; so do the charts' spec
    # files, which register the specs site.js then finds registered (each chart's data-chart, the
    # file to load, is left empty: there is none).
    runtime = RUNTIME.findall(html)[:1]
    html = RUNTIME.sub("", html, count=1)
    written = {f"assets/specs/{path.name}" for path in (site / "assets/specs").glob("*.js")}
    specs = list(dict.fromkeys(name for _, name in SPEC_FILE.findall(html) if name in written))
    html = SPEC_FILE.sub(r'\1 data-chart=""', html)
    codes = [_inline_code((site / name).read_text(encoding="utf-8"))
             for name in runtime + specs + SCRIPT.findall(html)]
    scripts = "".join(f"<script>{code}</script>\n" for code in codes)
    html = SCRIPT.sub("", html).replace("</body>", scripts + "</body>", 1)

    def svg(match: re.Match) -> str:
        markup = (site / match.group(1)).read_text(encoding="utf-8")
        markup = re.sub(r"^<\?xml[^>]*>\s*", "", markup)
        return (f'<span class="static-chart" role="img" aria-label="{match.group(2)}">'
                f"{markup}</span>")

    html = STATIC_IMAGE.sub(svg, html)
    # Inline scripts run only if the policy names them: allow exactly these, by hash.
    hashes = " ".join(script_hash(code) for code in switch + codes)
    if html.count("script-src 'self'") != 1:
        raise ValueError("single-file page: expected one Content-Security-Policy with script-src 'self'")
    html = html.replace("script-src 'self'", f"script-src {hashes}", 1)
    markup = INLINE_CODE.sub("", html)  # a script's own "href =" is code, not a link
    for link in LINK.findall(markup):
        if not SELF_CONTAINED_LINK.match(link):
            raise OutputError(f"--single-file: the page links to the file {link[:120]!r}, which one file cannot "
                              "carry (hint: link to an https:// address or a #section, or build a folder)")
    return html


INLINE_CODE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
LINK = re.compile(r"""\s(?:src|href|xlink:href|poster|action)\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
# what a lone file may point at: its own anchors, other sites and inline data; a relative file would be missing
SELF_CONTAINED_LINK = re.compile(r"#|https?:|mailto:|data:", re.IGNORECASE)
