"""`python -m packgen` runs the same command as the `packgen` script."""

import sys

from packgen.cli import main

sys.exit(main())
