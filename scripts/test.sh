#!/usr/bin/env bash
# Install everything the test suite needs, then run the whole suite.
# Used by the README's test command and by .ci/run, so both run exactly the same thing.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet -e '.[test]'

# The browser tests need Chromium. Prefer the system one: Debian's `chromium-headless-shell` (the
# same build in its lighter headless mode; a third less CPU for the tests, tests/chromium.py), with
# `chromium` beside it for the benchmark; Playwright cannot download its own browser on machines
# without general internet access.
if [ -z "${KDSITE_CHROMIUM:-}" ] && ! { command -v chromium-headless-shell && command -v chromium; } >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "scripts/test.sh: installing Debian's chromium-headless-shell and chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell chromium >/dev/null \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null  # no shell package: the full browser
  elif ! command -v chromium-headless-shell >/dev/null 2>&1 && ! command -v chromium >/dev/null 2>&1; then
    echo "scripts/test.sh: no chromium found; trying Playwright's own browser"
    python3 -m playwright install chromium || true
  fi
fi

# Both cores (pytest-xdist): each worker builds the fixture site once into its own temporary cache.
python3 -m pytest -n auto --dist worksteal --durations=15 "$@"
