"""How a subcommand reads its command line: argparse answers --help and bad usage itself (on stdout or
stderr) and then raises SystemExit; the subcommand turns that into its exit status instead of ending the
process, so main(argv) can be called from the window's process and from tests."""

from __future__ import annotations

import argparse


def parse_arguments(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | int:
    """The parsed arguments, or the exit status once argparse has answered: 0 after --help, 2 for bad
    usage (nothing run)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
