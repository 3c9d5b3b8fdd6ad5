"""The `lambda-workbench` command: the window, or a headless subcommand."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "invoke":
        from .cli_invoke import main as invoke_main
        return invoke_main(argv[1:])
    if argv and argv[0] == "generate-event":
        from .cli_generate_event import main as generate_main
        return generate_main(argv[1:])
    from .app import main as app_main
    return app_main(argv)


if __name__ == "__main__":
    sys.exit(main())
