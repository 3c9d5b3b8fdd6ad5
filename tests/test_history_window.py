"""The window keeps every run: the History dock lists it, a past run shows in the usual panels, Run Again repeats it."""

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from window_helpers import make_window, workspace  # noqa: F401 - fixtures

RUN_TIMEOUT_MS = 30_000


def run_and_wait(qtbot, window, trigger=None):
    """Run, and wait until the run is on screen and in the history (it is written in the background)."""
    finished = []
    window.run_finished.connect(finished.append)
    with qtbot.waitSignals([window.run_finished, window.session.run_recorded], timeout=RUN_TIMEOUT_MS):
        (trigger or window.toolbar.run_action.trigger)()
    window.run_finished.disconnect(finished.append)
    return finished[0]


def load_preset(window, name):
    presets = {p.name: p for p in window.presets.presets()}
    window.preset_picker.set_presets(list(presets.values()), name)
    window.presets.load(presets[name])


def test_window_runs_are_listed_shown_as_past_and_run_again(qtbot, make_window, workspace):  # noqa: F811
    """Two runs appear newest first; selecting the older shows its response under a past-run banner; Run Again
    records a third run with the same event."""
    window = make_window(workspace)
    panel = window.history.panel
    assert panel.model.total() == 0
    if window.height() < 860:  # a small screen: History waits behind View > History
        window.history.toggleViewAction().trigger()
    assert window.history.isVisible()
    load_preset(window, "new-order")
    first = run_and_wait(qtbot, window)
    load_preset(window, "big-order")
    second = run_and_wait(qtbot, window)
    assert panel.model.total() == 2
    assert [panel.model.summary(r).preset for r in range(2)] == ["big-order", "new-order"]
    assert panel.model.data(panel.model.index(1, 8)) == "cold" and panel.model.data(panel.model.index(0, 8)) == "warm"
    assert (workspace / ".workbench" / ".gitignore").is_file()

    older = panel.model.summary(1).id
    assert panel.select_run(older)
    assert window.past_run_banner.isVisible() and older in window.past_run_banner.label.text()
    assert json.loads(window.response_panel.payload_text()) == json.loads(first.result.payload)
    assert first.result.request_id in window.log_panel.full_text()
    assert second.result.request_id not in window.log_panel.full_text()
    # Closing the banner brings back the function's own log and latest result: a past run is never shown unmarked.
    qtbot.mouseClick(window.past_run_banner.findChild(QToolButton, "past_run_close"), Qt.MouseButton.LeftButton)
    assert not window.past_run_banner.isVisible() and panel.selected_ids() == []
    assert json.loads(window.response_panel.payload_text()) == json.loads(second.result.payload)
    own_log = window.log_panel.full_text()
    assert own_log.index(first.result.request_id) < own_log.index(second.result.request_id)
    assert panel.select_run(older) and window.past_run_banner.isVisible()

    again = run_and_wait(qtbot, window, panel.run_again_action.trigger)
    assert not window.past_run_banner.isVisible()
    assert again.event == first.event and again.preset == "new-order"
    assert panel.model.total() == 3 and panel.selected_ids() == [older]
    stored = window.run_history.store.get(panel.model.summary(0).id)
    assert stored.result.request_id == again.result.request_id


def test_a_past_runs_event_saved_as_a_new_preset(qtbot, make_window, workspace):  # noqa: F811
    """Save Event as Preset writes the past run's exact event to a new preset file the picker lists."""
    window = make_window(workspace)
    load_preset(window, "big-order")
    ran = run_and_wait(qtbot, window)
    load_preset(window, "new-order")
    panel = window.history.panel
    panel.select_run(panel.model.summary(0).id)
    window.preset_picker._ask_text = lambda *_args: ("from-history", True)  # the name dialog, answered
    panel.save_event_action.trigger()
    saved = workspace / "events" / "OrderConfirmation" / "from-history.json"
    assert saved.read_bytes() == ran.event
    assert "from-history" in [p.name for p in window.presets.presets()]


def test_the_window_and_invoke_in_another_process_record_at_once(qtbot, make_window, workspace):  # noqa: F811
    """`invoke --repeat` in another process writes the same history while the window runs: every run is kept."""
    import subprocess
    import sys

    window = make_window(workspace)
    window.history.show()  # a short test window starts with History closed
    notices = []
    window.run_history.store._on_notice = notices.append
    window.session.history_problem.connect(notices.append)  # the writer's store says busy files here
    load_preset(window, "new-order")
    cli = subprocess.Popen([sys.executable, "-m", "workbench", "invoke", "OrderConfirmation", "--workspace",
                            str(workspace), "-e", str(workspace / "events" / "OrderConfirmation" / "new-order.json"),
                            "--repeat", "40"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(6):
        run_and_wait(qtbot, window)
    _, err = cli.communicate(timeout=60)
    assert cli.returncode == 0, err.decode()
    assert b"warning" not in err and notices == []
    # The dock looks at the file by itself: the other process's runs appear without a refresh asked.
    qtbot.waitUntil(lambda: window.history.panel.model.total() == 46, timeout=5000)
    sources = [window.run_history.store.summary(run.id).source for run in window.run_history.store.list(limit=100)]
    assert sources.count("window") == 6 and sources.count("cli") == 40
    assert window.history.panel.model.total() == 46


def test_the_copied_command_repeats_the_run(qtbot, make_window, workspace):  # noqa: F811
    """Copy as Command gives a shell line that, run as is in a fresh shell (the .venv not on PATH), returns the
    same response as the past run."""
    import os
    import shlex
    import subprocess
    import sys
    from pathlib import Path

    from PySide6.QtGui import QGuiApplication

    window = make_window(workspace)
    load_preset(window, "big-order")
    ran = run_and_wait(qtbot, window)
    panel = window.history.panel
    panel.select_run(panel.model.summary(0).id)
    panel.copy_command_action.trigger()
    line = QGuiApplication.clipboard().text()
    assert shlex.split(line.split(" | ", 1)[1])[0] == str(Path(sys.executable).parent / "lambda-workbench")
    env = {"HOME": os.environ["HOME"], "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    proc = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=60, env=env,
                          cwd=str(Path(workspace).parent))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == json.loads(ran.result.payload)
    assert "REPORT RequestId:" in proc.stderr and "Memory Size: 512 MB" in proc.stderr
