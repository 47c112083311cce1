"""Write the site atomically: build everything into a temporary folder beside the output, then swap.

At every instant the output path holds either the old or the new site, even if the build is
killed. On Linux the swap is one renameat2(RENAME_EXCHANGE); elsewhere (or where the file system
refuses it) the old output is renamed aside and the new one moved in, and the next build puts the
aside copy back if a kill struck between those two renames. Temporary folders carry their owner's
process id (and start time), so one build never deletes another live build's folders. Only this
module touches the output folder. The output carries a marker file so kdsite never replaces a
folder it did not make.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import tempfile
from pathlib import Path

MARKER = ".kdsite-output"
STAGING_PREFIX = ".kdsite-staging-"
RETIRED_PREFIX = ".kdsite-retired-"
AT_FDCWD = -100
RENAME_EXCHANGE = 2


class OutputError(Exception):
    """The build cannot produce its output as asked; the one-line message says why and what to do."""


def check_output_folder(out: Path, project_root: Path) -> None:
    """Refuse an output folder that holds, or lies inside, the sources or another program's files."""
    out = out.resolve()
    sources = [(project_root / "content").resolve(), (project_root / "templates").resolve()]
    protected = [project_root.resolve(), *sources, Path.home().resolve(), Path(out.anchor)]
    for folder in protected:
        if out == folder or folder.is_relative_to(out):
            raise OutputError(f"refusing to write the site to {out}: it is or contains {folder}")
    for folder in sources:
        # a site inside the sources would be read back as content (and `serve` would rebuild forever)
        if out.is_relative_to(folder):
            raise OutputError(f"refusing to write the site to {out}: it is inside {folder} "
                              "(hint: choose an --out outside content/ and templates/)")
    if out.exists() and not out.is_dir():
        raise OutputError(f"refusing to write the site to {out}: it is a file, not a folder")
    ancestor = next(folder for folder in out.parents if folder.exists())
    if not ancestor.is_dir():
        raise OutputError(f"refusing to write the site to {out}: {ancestor} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputError(f"refusing to replace {out}: it is not empty and kdsite did not create it "
                          f"(no {MARKER} file); choose another --out or empty it yourself")


def _start_time(pid: int) -> int:
    """The process's start time in clock ticks since boot (Linux /proc), or 0 where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    # the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
    fields = stat.rpartition(")")[2].split()
    return int(fields[19]) if len(fields) > 19 and fields[19].isdigit() else 0


def owner_tag() -> str:
    """This process as written into temporary folder names: `PID-STARTTIME`."""
    return f"{os.getpid()}-{_start_time(os.getpid())}"


def owner_alive(pid: int, start: int) -> bool:
    """Whether the process that made a temporary folder still runs (a reused pid counts as gone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's live process
    now = _start_time(pid)
    return not (start and now and now != start)


def leftovers(parent: Path, name: str, prefix: str) -> list[tuple[Path, int, int]]:
    """Temporary folders of output `name` with `prefix`, each with its owner's pid and start time."""
    # mkdtemp's random tail never holds '-', so an output named "site" never matches "site-old"'s
    pattern = re.compile(rf"{re.escape(prefix + name)}-(\d+)-(\d+)-[A-Za-z0-9_]+")
    found = []
    for path in parent.glob(f"{prefix}*"):
        match = pattern.fullmatch(path.name)
        if match and path.is_dir() and not path.is_symlink():
            found.append((path, int(match.group(1)), int(match.group(2))))
    return found


def recover(out: Path) -> Path | None:
    """Put the old site back if a build was killed between its two renames; return what was restored.

    That kill leaves no output and a retired copy whose owner is gone. A live owner is mid-swap
    and about to move its new site in, so its copy is left alone.
    """
    out = out.absolute()
    if os.path.lexists(out) or not out.parent.is_dir():
        return None
    dead = [path for path, pid, start in leftovers(out.parent, out.name, RETIRED_PREFIX)
            if not owner_alive(pid, start)]
    # renaming a folder updates its ctime: the newest was retired last, so it is the latest site
    for retired in sorted(dead, key=lambda path: path.stat().st_ctime_ns, reverse=True):
        try:
            os.rename(retired, out)
            return out
        except FileNotFoundError:
            continue  # another build restored or removed it first
        except OSError as problem:
            if problem.errno in (errno.EEXIST, errno.ENOTEMPTY):
                return None  # another build put a site there meanwhile
            raise
    return None


def remove_leftovers(parent: Path, name: str) -> None:
    """Recover an interrupted swap, then delete staging and retired folders whose builds are gone."""
    recover(parent / name)
    prefixes = [STAGING_PREFIX]
    if os.path.lexists(parent / name):
        prefixes.append(RETIRED_PREFIX)  # never delete a retired copy while it may be the only site left
    for prefix in prefixes:
        for leftover, pid, start in leftovers(parent, name, prefix):
            if not owner_alive(pid, start):
                shutil.rmtree(leftover, ignore_errors=True)


def staging_folder(out: Path) -> Path:
    """A new empty folder beside `out` (same file system, so the final rename is atomic)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out.parent, out.name)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f"{STAGING_PREFIX}{out.name}-{owner_tag()}-"))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
    (staging / MARKER).write_text("This folder was generated by kdsite; it is replaced on every build.\n")
    return staging


def write_file(root: Path, relative: str, data: bytes | str) -> None:
    """Write one file under `root` (UTF-8 for text)."""
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _renameat2():
    """glibc's renameat2, or None where the C library has no such symbol."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system or file system cannot."""
    function = _renameat2()
    if function is None:
        return False
    if function(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_into_place(staging: Path, out: Path) -> None:
    """Replace `out` with `staging` so that `out` holds the old or the new site at every instant."""
    out = out.resolve()
    if not os.path.lexists(out):
        try:
            os.rename(staging, out)
            return
        except OSError as problem:
            if problem.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise  # else another build made `out` meanwhile: swap with it below
    if exchange(staging, out):
        discard(staging)  # it now holds the old site
        return
    retired = Path(tempfile.mkdtemp(dir=out.parent, prefix=f"{RETIRED_PREFIX}{out.name}-{owner_tag()}-"))
    os.rmdir(retired)
    try:
        os.rename(out, retired)
    except FileNotFoundError:
        retired = None  # another build is mid-swap; moving ours in below is just as whole
    # a kill here leaves no output and the retired copy: the next build's recover() restores it
    try:
        os.rename(staging, out)
    except BaseException:
        try:
            if retired is not None:
                os.rename(retired, out)
        except OSError:
            pass  # another build's site is at `out` now; either way a whole site is there
        raise
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def discard(staging: Path) -> None:
    """Remove a staging folder after a failed build."""
    shutil.rmtree(staging, ignore_errors=True)
