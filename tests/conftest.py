"""Session fixtures every test module shares: the fixture project built once, its content and its
computed results, and the `--update-golden` switch for tests/test_golden.py.

Nothing here runs at import or collection time: the site is built (and the fixture's tiny lab
trained, into the test run's own cache) the first time a test asks for it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kdsite.build.results import Science
from kdsite.content.load import load_content
from tests.helpers import CACHE, PROJECT, build


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the fixture build instead of comparing with it")


def pytest_configure(config):
    # Whatever a test builds without naming a cache (or spawns) uses the test cache, never the
    # repository's .kdsite-cache/.
    os.environ["KDSITE_CACHE"] = str(CACHE)


@pytest.fixture(scope="session")
def cache_was_empty() -> bool:
    """Whether the test cache held nothing when the session's build began, so that build computed
    the lab, every spec and every static chart (as it does when it is the process's first build)."""
    return not CACHE.exists() or not any(CACHE.iterdir())


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, cache_was_empty) -> tuple[Path, list[str]]:
    """The fixture project built once per session: the output folder and the progress lines."""
    out = tmp_path_factory.mktemp("fixture-build") / "site"
    lines: list[str] = []
    build(PROJECT, out, lines)
    return out, lines


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
