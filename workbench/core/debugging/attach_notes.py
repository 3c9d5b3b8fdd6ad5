"""What `invoke --debug-port` prints so an IDE can attach: VS Code's launch.json entry (and where Chrome's
DevTools find a Node.js function). The code runs from the workspace itself, so no path mappings are needed."""

from __future__ import annotations

import json

from ..function.function_config import runtime_family


def launch_json(runtime: str, port: int, function_name: str) -> str:
    """A VS Code launch.json configuration that attaches to the function on 127.0.0.1:port."""
    name = f"Attach to {function_name} (Lambda Workbench)"
    if runtime_family(runtime) == "nodejs":
        entry = {"name": name, "type": "node", "request": "attach", "address": "127.0.0.1", "port": port,
                 "continueOnAttach": True}
    else:
        # debugpy's own attach configuration (the Python Debugger extension).
        entry = {"name": name, "type": "debugpy", "request": "attach",
                 "connect": {"host": "127.0.0.1", "port": port}, "justMyCode": False}
    return json.dumps({"version": "0.2.0", "configurations": [entry]}, indent=2)


def attach_notice(runtime: str, port: int, function_name: str) -> list[str]:
    """The lines `invoke --debug-port` prints on stderr before the function starts."""
    family = runtime_family(runtime)
    if family == "nodejs":
        waiting = (f"[workbench] Debugging: Node.js's inspector waits on 127.0.0.1:{port} before your code runs. "
                   f"Chrome: open chrome://inspect and add 127.0.0.1:{port} (the DevTools address is in "
                   f"http://127.0.0.1:{port}/json/list). VS Code's launch.json:")
    else:
        waiting = (f"[workbench] Debugging: a debugger (DAP, as debugpy --listen --wait-for-client) waits on "
                   f"127.0.0.1:{port} before your code runs. VS Code's launch.json:")
    return [waiting, *launch_json(runtime, port, function_name).splitlines()]
