"""Without a display the window says so in one line and exits 2, instead of Qt's abort."""

import os
import subprocess
import sys

from workbench.core.text.display_check import display_problem

FOUND = lambda _name: "libxcb-cursor.so.0"  # noqa: E731
MISSING = lambda _name: None  # noqa: E731


def test_no_display_variables_is_a_problem_with_the_ways_out():
    """No DISPLAY and no WAYLAND_DISPLAY on Linux: the line names xvfb-run and the headless commands."""
    problem = display_problem({}, "linux", find_library=FOUND)
    assert problem.startswith("no display found")
    assert "xvfb-run" in problem and "lambda-workbench invoke" in problem


def test_a_dead_local_display_is_named():
    """DISPLAY=:7 with no X server socket says which display does not answer."""
    problem = display_problem({"DISPLAY": ":7"}, "linux", path_exists=lambda _p: False, find_library=FOUND)
    assert "DISPLAY=:7" in problem and "/tmp/.X11-unix/X7" in problem


def test_missing_xcb_cursor_is_named():
    """An X display without libxcb-cursor0 names the package instead of Qt's plugin message."""
    problem = display_problem({"DISPLAY": ":0"}, "linux", path_exists=lambda _p: True, find_library=MISSING)
    assert "libxcb-cursor0" in problem


def test_working_setups_pass():
    """Wayland, a live X display, a chosen platform such as offscreen, and macOS are fine."""
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", find_library=MISSING) is None
    assert display_problem({"DISPLAY": ":0"}, "linux", path_exists=lambda _p: True, find_library=FOUND) is None
    assert display_problem({"DISPLAY": "remote:10.0"}, "linux", find_library=FOUND) is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "darwin") is None


def test_the_command_without_a_display_exits_2_with_one_line(tmp_path):
    """`lambda-workbench` on a terminal with no display: exit 2, one line on stderr, no abort."""
    environ = {key: value for key, value in os.environ.items()
               if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    environ["HOME"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "workbench"], env=environ, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lambda-workbench: no display found")
    assert "xcb-cursor" not in done.stderr
