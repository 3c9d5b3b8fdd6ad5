"""The `lambda-workbench` command: the window, or a headless subcommand (one module each in this package).

Subcommands are imported only when named, so `invoke` does not pay for the window's imports.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys

# subcommand -> module in this package with `main(argv) -> int`
SUBCOMMANDS = {
    "invoke": "invoke",
    "generate-event": "generate_event",
    "test": "test",
    "serve": "serve",
    "history": "history",
    "services": "services",
    "deps": "deps",
    "tune": "tune",
    "mcp": "mcp",
}
# What `lambda-workbench --help` says of each (every key of SUBCOMMANDS has one; a test checks).
SUBCOMMAND_SUMMARIES = {
    "invoke": "run a function as Lambda would: response on stdout, Lambda's log on stderr",
    "test": "run the presets as tests against their expectations (JUnit with --junit)",
    "tune": "run a preset at several memory sizes and compare Duration and cost",
    "serve": "the functions behind a local Lambda Invoke API and HTTP front door",
    "history": "the recorded runs: list, show RUN, diff RUN RUN",
    "deps": "show and build the functions' environments (dependencies, layers, SDK)",
    "services": "the workspace's local AWS services (moto)",
    "generate-event": "print a sample event (S3, SQS, API Gateway, ...) as JSON",
    "mcp": "the workbench for coding agents, over the Model Context Protocol (stdio)",
}
# Subcommands whose process has nothing left to do once main returns: it ends there, without tearing down
# the interpreter and Qt (about 30 ms of every `invoke`). Their environments are gone and their files
# closed by then; stdout and stderr are flushed first.
ENDS_AT_ONCE = {"invoke"}
# run() turned the cycle collector off for a one-shot command's start-up (resume_collector() ends that).
_collector_held_back = False


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SUBCOMMANDS:
        module = importlib.import_module(f"{__name__}.{SUBCOMMANDS[argv[0]]}")
        return module.main(argv[1:])
    # Here: a subcommand (invoke first of all) never builds the window's parser
    from .arguments import parse_arguments, window_parser

    # --help, --version and bad usage are answered here, before the window's imports.
    parsed = parse_arguments(window_parser(), argv)
    if isinstance(parsed, int):
        return parsed
    from ..app import main as app_main  # here: the window's imports, never paid by a subcommand
    return app_main(argv)


def run() -> None:
    """The `lambda-workbench` program: main(), then the process ends."""
    global _collector_held_back
    one_shot = sys.argv[1:2] and sys.argv[1] in ENDS_AT_ONCE
    if one_shot:
        # Start-up only imports and builds long-lived objects: the cycle collector finds nothing to free
        # there, and its passes cost `invoke` about 5 ms. It is off until the first call has finished
        # (resume_collector()); a command that goes on then collects on the Qt thread.
        gc.disable()
        _collector_held_back = True
    status = main()
    if one_shot:
        # Here, not at the top: only a one-shot command (which has it loaded already) stands its environments
        # down; `history`, `generate-event` and the window never load the engine for it.
        from ..engine.environment_group import stand_down

        stand_down()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(status if isinstance(status, int) else 1)
    sys.exit(status)


def resume_collector(parent) -> None:
    """After a one-shot command's start-up (run() keeps the cycle collector off): collect on the Qt
    thread from now on (engine/qt_startup.py), with what was built until now set aside as permanent so
    that later passes do not walk it again. parent: the application the collector lives under.
    Elsewhere (the window's process, tests) the collector is left as it is."""
    global _collector_held_back
    if not _collector_held_back:
        return
    # Here, not at the top: this package is the `invoke` start-up path, which imports Qt after its head start.
    from ..engine.qt_startup import collect_on_qt_thread

    _collector_held_back = False
    gc.freeze()
    collect_on_qt_thread(parent)


if __name__ == "__main__":
    run()
