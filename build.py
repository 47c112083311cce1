"""Build the site: `python build.py [--out DIR] [--debug] [--no-cache]` (same as `kdsite build`)."""

import sys

from kdsite.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
