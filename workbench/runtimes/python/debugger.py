"""The runtime's side of debugging: loads debugpy (from a folder the workbench names, added to the end of
sys.path, so the handler's own imports are untouched) and waits for a debugger to attach, then runs on.

Asked for by the environment's _LAMBDA_WORKBENCH_DEBUG variable (before the function's init: a breakpoint
in init code stops) or by a call's Lambda-Runtime-Workbench-Debug header (a warm environment attaches).
Both carry JSON: {"port": P, "path": folder holding debugpy, "clock": file}. Standard library only, except
for debugpy itself.
"""

import json
import os
import sys
import time

_debugpy = None
_failed = False


def spec_of(text):
    try:
        spec = json.loads(text)
    except ValueError:
        return None
    return spec if isinstance(spec, dict) and isinstance(spec.get("port"), int) else None


def attach(text):
    """Listen on 127.0.0.1:port once (the environment keeps its debugger), then wait until a debugger is
    attached (at once when one already is). A debugger that cannot load is said once, and the call runs."""
    global _debugpy, _failed
    spec = spec_of(text)
    if spec is None or _failed:
        return
    if _debugpy is None:
        folder = spec.get("path") or ""
        if folder and folder not in sys.path:
            sys.path.append(folder)
        # Python 3.11+: without this, debugpy warns at length about frozen modules (microsoft/debugpy#1251).
        os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        try:
            import debugpy

            # The adapter inside this process: no second process in the environment.
            debugpy.listen(("127.0.0.1", spec["port"]), in_process_debug_adapter=True)
        except Exception as exc:  # noqa: BLE001 - any failure leaves the call to run undebugged
            _failed = True
            sys.stderr.write("[workbench] The debugger could not start: %s: %s\n" % (type(exc).__name__, exc))
            return
        finally:
            os.environ.pop("PYDEVD_DISABLE_FILE_VALIDATION", None)
        _debugpy = debugpy
    if spec.get("wait", True):
        _debugpy.wait_for_client()


def clock_file(text):
    spec = spec_of(text) if text else None
    return (spec or {}).get("clock") or None


def remaining_ms(clock, deadline_ms):
    """get_remaining_time_in_millis() of a debugged call: the workbench's clock file says either the
    deadline moved on by the time spent stopped ("D epoch-ms") or, while stopped, the time left ("P ms")."""
    try:
        with open(clock, encoding="ascii") as file:
            kind, value = file.read().split()
        if kind == "P":
            return max(int(value), 0)
        deadline_ms = int(value)
    except (OSError, ValueError):
        pass
    return max(deadline_ms - int(time.time() * 1000), 0)
