"""How a subcommand reads its command line: argparse answers --help and bad usage itself (on stdout or
stderr) and then raises SystemExit; the subcommand turns that into its exit status instead of ending the
process, so main(argv) can be called from the window's process and from tests."""

from __future__ import annotations

import argparse


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser whose bad usage is one line and the way to --help, not the whole usage block:
    `lambda-workbench invoke: error: unrecognized arguments: --bogus` then
    `Try 'lambda-workbench invoke --help' for more information.`, exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\nTry '{self.prog} --help' for more information.\n")


def parse_arguments(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | int:
    """The parsed arguments, or the exit status once argparse has answered: 0 after --help, 2 for bad
    usage (nothing run)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2



def package_version() -> str:
    # Here: importlib.metadata costs milliseconds; only --version reads it, not invoke's start-up
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lambda-workbench")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def window_parser() -> argparse.ArgumentParser:
    """`lambda-workbench [PATH]`: the window; its --help names every subcommand."""
    # Here: cycle cli/__init__ -> arguments -> cli/__init__ (the package imports this module inside main())
    from . import SUBCOMMAND_SUMMARIES

    width = max(map(len, SUBCOMMAND_SUMMARIES))
    commands = "\n".join(f"  {name:<{width}}  {summary}" for name, summary in SUBCOMMAND_SUMMARIES.items())
    parser = CommandParser(
        prog="lambda-workbench", formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="lambda-workbench [PATH]\n       lambda-workbench COMMAND [--help] ...",
        description="Write and run AWS Lambda functions locally: the window, or a headless command.",
        epilog=f"commands:\n{commands}\n\n'lambda-workbench COMMAND --help' describes a command's options.")
    parser.add_argument("path", nargs="?", help="workspace folder to open in the window (default: the last "
                                                "one, else the bundled sample)")
    parser.add_argument("--version", action="version", version=f"lambda-workbench {package_version()}")
    return parser
