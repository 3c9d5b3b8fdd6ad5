"""`python -m workbench` is the `lambda-workbench` command."""

import sys

from .cli import main

sys.exit(main())
