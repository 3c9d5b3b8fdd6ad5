"""Whether the window can have a display here, decided before Qt is asked (Qt aborts without one)."""

from __future__ import annotations

import ctypes.util
import os
import re
from collections.abc import Callable, Mapping

HEADLESS_HINT = ("the headless commands need none: lambda-workbench invoke FUNCTION, "
                 "lambda-workbench generate-event SERVICE EVENT (see --help)")


def display_problem(environ: Mapping[str, str], platform: str,
                    path_exists: Callable[[str], bool] = os.path.exists,
                    find_library: Callable[[str], str | None] = ctypes.util.find_library) -> str | None:
    """One line saying why no window can open, with how to get a display; None when one can.

    Only Linux and the BSDs are checked (macOS and Windows always have their own platform).
    A QT_QPA_PLATFORM chosen by the user (offscreen, vnc, eglfs, ...) is trusted.
    """
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith(("xcb", "wayland")):
        return None
    if environ.get("WAYLAND_DISPLAY") and not chosen.startswith("xcb"):
        return None
    display = environ.get("DISPLAY", "")
    if not display:
        return ("no display found (DISPLAY and WAYLAND_DISPLAY are not set): open it from a desktop "
                "session, over ssh -X, or under xvfb-run -a lambda-workbench; " + HEADLESS_HINT)
    local = re.fullmatch(r"(?:unix)?:(\d+)(?:\.\d+)?", display)
    if local and not path_exists(f"/tmp/.X11-unix/X{local.group(1)}"):
        return (f"no X server answers at DISPLAY={display} (no /tmp/.X11-unix/X{local.group(1)}): "
                "start one, or run under xvfb-run -a lambda-workbench; " + HEADLESS_HINT)
    if find_library("xcb-cursor") is None:
        # Qt 6.5+ needs it for X11 and otherwise aborts with a message about its platform plugin.
        return ("the X11 library libxcb-cursor0 is missing (Qt needs it to open a window): install it, "
                "e.g. sudo apt-get install libxcb-cursor0; " + HEADLESS_HINT)
    return None
