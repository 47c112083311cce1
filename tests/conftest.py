"""Session fixtures every test module shares: the fixture project built once, its content and its
computed results, and the `--update-golden` switch for tests/test_golden.py.

Nothing here runs at import or collection time: the site is built (and the fixture's tiny lab
trained, into the test run's own cache) the first time a test asks for it.

Under pytest-xdist the workers share one cold build: the first worker to need the site builds it
from an empty cache and leaves a copy of that cache (and of the site) in a folder of the run, the
seed; a later worker copies the seed into its own cache and builds warm, in about a second instead
of five. The tests are ordered so that the second worker's share of the run begins with the tests
that build nothing (`pytest_collection_modifyitems`): it runs those while the first worker builds,
instead of building the same site at the same time, and every module that builds takes the seed's
copy before its own first build (`warm_cache`).
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

try:
    import fcntl  # the seed's lock; without it (Windows) each worker builds its own site, as before
except ImportError:
    fcntl = None

from kdsite.build.pipeline import build_site
from kdsite.build.results import Science
from kdsite.cli import main
from kdsite.content.load import load_content
from tests.helpers import CACHE, PROJECT, build, subprocess_env


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the fixture build instead of comparing with it")


SEED = "KDSITE_TEST_SEED"
"""The environment variable naming the run's seed folder (set by the xdist controller, inherited by
its workers)."""
SITE_FIXTURES = {"built_site", "site_dir", "science", "cold_site_dir"}


def pytest_configure(config):
    # Whatever a test builds without naming a cache (or spawns) uses the test cache, never the
    # repository's .kdsite-cache/.
    os.environ["KDSITE_CACHE"] = str(CACHE)
    # The controller of an xdist run (not a worker, not a run a test started): the seed folder, made
    # before the workers start so they inherit its name, removed when the run ends.
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput") \
            and SEED not in os.environ:
        seed = tempfile.mkdtemp(prefix="kdsite-tests-seed-")
        os.environ[SEED] = seed
        config.add_cleanup(lambda: shutil.rmtree(seed, ignore_errors=True))


def pytest_collection_modifyitems(config, items):
    """Under xdist: the tests that need the fixture site, then those whose module builds sites or runs
    kdsite, up to the middle of the list; then every test that builds nothing; then the rest.
    xdist's work stealing hands each of two workers half the list at the start, so the second worker
    begins with all the tests that build nothing (about 9 s of work) while the first builds the site
    from an empty cache (about 5 s), and then finds the seed ready (`warm_cache`)."""
    if not hasattr(config, "workerinput"):
        return
    needing = [item for item in items if SITE_FIXTURES & set(getattr(item, "fixturenames", ()))]
    rest = [item for item in items if not SITE_FIXTURES & set(getattr(item, "fixturenames", ()))]
    building = needing + [item for item in rest if builds(item)]
    plain = [item for item in rest if not builds(item)]
    half = len(items) // 2
    items[:] = building[:half] + plain + building[half:]


def pytest_collection_finish(session):
    """Move everything imported and collected so far (Altair's schema classes, numpy, Playwright,
    the test items) out of the garbage collector's sight: it is never freed before the run ends,
    and each full collection walked all of it again (measured: 4.9 s of one worker's run in gc, 3.9 s
    of it in 27 full collections)."""
    gc.freeze()


def builds(item) -> bool:
    """Whether the test's module can build a site with the test cache (it imported a builder)."""
    module = getattr(item, "module", None)
    values = vars(module).values() if module is not None else ()
    return any(value is builder for value in values for builder in (build, subprocess_env, CACHE, build_site, main))


@contextmanager
def seed_folder():
    """The run's seed folder, locked for this worker while the block runs; None outside xdist."""
    seed = os.environ.get(SEED)
    if not seed or not Path(seed).is_dir() or fcntl is None:
        yield None
        return
    with open(Path(seed) / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield Path(seed)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def cache_is_empty() -> bool:
    return not CACHE.exists() or not any(CACHE.iterdir())


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, request) -> tuple[Path, list[str]]:
    """The fixture project built once per session: the output folder and the progress lines.

    Built from an empty cache, it computed the lab, every spec and every static chart; under xdist
    it then leaves its cache and site in the seed for the other worker (the module docstring)."""
    out = tmp_path_factory.mktemp("fixture-build") / "site"
    lines: list[str] = []
    with seed_folder() as seed:
        ready = seed is not None and (seed / "ready").exists()
        if ready and cache_is_empty():
            shutil.copytree(seed / "cache", CACHE, dirs_exist_ok=True)
        cold = cache_is_empty()
        build(PROJECT, out, lines)
        if seed is not None and cold and not ready:
            shutil.copytree(CACHE, seed / "cache")
            shutil.copytree(out, seed / "site")
            (seed / "ready").touch()
    request.config.stash[COLD_SITE] = out if cold else (seed / "site" if ready else None)
    return out, lines


COLD_SITE = pytest.StashKey[Path | None]()


@pytest.fixture(scope="session")
def cold_site_dir(built_site, request) -> Path | None:
    """A fixture site built from an empty cache (this session's, or the seed's from the other
    worker), or None when neither was (an earlier test had filled the cache)."""
    return request.config.stash[COLD_SITE]


@pytest.fixture(scope="module", autouse=True)
def warm_cache(request):
    """A module that builds with the test cache (or starts a kdsite that does) fills the cache from
    the session's fixture build before its own first build: under xdist that build is the seed's
    copy, warm, instead of a second cold build of everything the seed holds (4.6 s on two cores)."""
    if builds(request.node):
        request.getfixturevalue("built_site")


@pytest.fixture(scope="session")
def site_dir(built_site) -> Path:
    return built_site[0]


@pytest.fixture(scope="session")
def content():
    """The fixture's validated content."""
    return load_content(PROJECT / "content")


@pytest.fixture(scope="session")
def science(content, built_site) -> Science:
    """The results the fixture build used (its lab read back from the test cache)."""
    return Science(content, CACHE, report=lambda line: None)
