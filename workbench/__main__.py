"""`python -m workbench` is the `lambda-workbench` command."""

from .cli import run

run()
