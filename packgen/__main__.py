"""`python -m packgen` runs the same command as the `packgen` script."""

from packgen.cli import run

run()
