"""`python -m kdsite build ...`."""

from kdsite.cli import run

run()
