"""The `lambda-workbench` command: the window, or a headless subcommand (one module each in this package).

Subcommands are imported only when named, so `invoke` does not pay for the window's imports.
"""

from __future__ import annotations

import importlib
import sys

# subcommand -> module in this package with `main(argv) -> int`
SUBCOMMANDS = {
    "invoke": "invoke",
    "generate-event": "generate_event",
    "test": "test",
    "serve": "serve",
    "history": "history",
    "deps": "deps",
    "tune": "tune",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SUBCOMMANDS:
        module = importlib.import_module(f"{__name__}.{SUBCOMMANDS[argv[0]]}")
        return module.main(argv[1:])
    from ..app import main as app_main
    return app_main(argv)


if __name__ == "__main__":
    sys.exit(main())
