"""The command line as a user meets it, as real processes: --help names every command, --version, one-line
bad usage with the way to --help, unknown names exit 2, and a function's tracebacks keep their line breaks."""

import subprocess
import sys
from importlib.metadata import version

import pytest

from workbench.cli import SUBCOMMAND_SUMMARIES, SUBCOMMANDS


def workbench(*args, cwd=None, stdin="", timeout=60):
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True,
                          input=stdin, cwd=cwd, timeout=timeout)


def test_help_lists_every_subcommand():
    """`lambda-workbench --help` names each command with a line about it, and how to get a command's help."""
    assert set(SUBCOMMAND_SUMMARIES) == set(SUBCOMMANDS)
    done = workbench("--help")
    assert done.returncode == 0 and done.stderr == ""
    listed = {line.split()[0] for line in done.stdout.split("commands:\n", 1)[1].splitlines() if line.startswith("  ")}
    assert listed == set(SUBCOMMANDS)
    assert "'lambda-workbench COMMAND --help'" in done.stdout


def test_version_prints_the_installed_version():
    done = workbench("--version")
    assert done.returncode == 0 and done.stdout == f"lambda-workbench {version('lambda-workbench')}\n"


@pytest.mark.parametrize("command", [[], ["invoke"], ["test"], ["tune", "Fn", "--preset", "p"], ["serve"],
                                     ["history"], ["history", "show", "x"], ["deps"], ["services"], ["mcp"]])
def test_a_bad_option_is_one_line_and_the_way_to_help(command):
    """Exit 2, and on stderr the complaint and `Try '... --help'`: not the whole usage block."""
    done = workbench(*command, "--no-such-option")
    prog = " ".join(["lambda-workbench", *command[:2 if command[:1] == ["history"] and len(command) > 1 else 1]])
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [f"{prog}: error: unrecognized arguments: --no-such-option",
                                        f"Try '{prog} --help' for more information."]
    assert done.stdout == ""


def test_history_of_an_unknown_function_exits_2_naming_the_functions(tmp_path):
    """Like `invoke UNKNOWN`: exit 2 and the functions there are, not an empty list and 0."""
    (tmp_path / "app.py").write_text("def lambda_handler(event, context):\n    return 1\n")
    (tmp_path / "workbench.json").write_text('{"functions": [{"name": "Orders", "handler": "app.lambda_handler", '
                                             '"runtime": "python3.12"}]}')
    done = workbench("history", "UNKNOWN", "--workspace", str(tmp_path))
    assert done.returncode == 2
    assert "no function 'UNKNOWN'" in done.stderr and "(functions: Orders)" in done.stderr
    done = workbench("history", "Orders", "--workspace", str(tmp_path))
    assert done.returncode == 0 and "No runs recorded for Orders." in done.stderr


def test_a_functions_tracebacks_keep_their_line_breaks_on_stderr(tmp_path):
    """Stderr redirected (not a terminal): a logged exception and an unhandled one read line by line, with no
    carriage return left to overwrite them, and the print after a logged exception starts its own line."""
    (tmp_path / "app.py").write_text(
        "import logging\nlogger = logging.getLogger()\nlogger.setLevel(logging.INFO)\n\n"
        "def handler(event, context):\n"
        "    try:\n        {}['missing']\n    except KeyError:\n        logger.exception('lookup failed')\n"
        "    print('after the log')\n"
        "    raise ValueError('boom')\n")
    done = workbench("invoke", "--code-dir", str(tmp_path), "--handler", "app.handler", "-e", "-", stdin="{}")
    assert done.returncode == 1
    assert "\r" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines.count("Traceback (most recent call last):") == 2
    assert "KeyError: 'missing'" in lines and "after the log" in lines
    error = lines.index("[ERROR] ValueError: boom")
    assert lines[error + 1] == "Traceback (most recent call last):"
    assert lines[error + 2].lstrip("\u00a0 ").startswith('File "')
