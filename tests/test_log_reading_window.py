"""The log in the real window reads as a person reads it, keeps the exact lines for Copy, Save and Raw, and
puts a run's own output (its cold-start reason, its init error) in that run's group."""

import re

from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from window_helpers import make_window, workspace  # noqa: F401 - fixtures

RUN_TIMEOUT_MS = 20000
INFO_LINE = re.compile(r"INFO  \d\d:\d\d:\d\d\.\d{3} ")


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.sig_run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    qtbot.waitUntil(lambda: window.log_panel.is_caught_up()
                    and window.log_panel.visible_lines()[-1].startswith("REPORT RequestId"), timeout=5000)
    return blocker.args[0]


def test_logger_lines_show_the_message_first_and_the_request_id_once(qtbot, make_window, workspace):
    """The sample's logger lines read `INFO  hh:mm:ss.mmm message`; the request id appears on START only."""
    window = make_window(workspace)
    record = run_and_wait(qtbot, window)
    shown = window.log_panel.visible_text()
    request_id = record.result.request_id
    info = [line for line in shown if line.startswith("INFO ")]
    assert info and all(INFO_LINE.match(line) for line in info)
    assert [line for line in shown if request_id in line and "Received order event" not in line] \
        == [f"START RequestId: {request_id} Version: $LATEST"]
    report = shown[-1]
    assert report.startswith("REPORT Duration: ") and "Max Memory Used: " in report


def test_copy_save_and_raw_give_the_lines_as_written(qtbot, make_window, workspace, tmp_path):
    """Copy of selected lines, Save and Show Raw Lines all give the runtime's own text, tabs and ids included."""
    window = make_window(workspace)
    run_and_wait(qtbot, window)
    panel = window.log_panel
    raw = panel.full_text().split("\n")
    info_raw = next(line for line in raw if line.startswith("[INFO]\t"))
    view = panel.findChild(QPlainTextEdit, "log_view")
    cursor = view.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    panel.copy_to_clipboard()
    assert info_raw in QGuiApplication.clipboard().text().split("\n")
    panel.save_log(tmp_path / "run.log")
    assert info_raw in (tmp_path / "run.log").read_text().split("\n")
    panel.raw_action.trigger()
    qtbot.waitUntil(panel.is_caught_up)
    assert info_raw in panel.visible_text()
    panel.raw_action.trigger()
    qtbot.waitUntil(panel.is_caught_up)
    assert info_raw not in panel.visible_text()


def test_the_filter_matches_the_written_line(qtbot, make_window, workspace):
    """Filtering by the request id (shown only on START) still finds every line of the run that carries it."""
    window = make_window(workspace)
    record = run_and_wait(qtbot, window)
    panel = window.log_panel
    panel._filter_button.click()
    panel._search.setText(record.result.request_id)
    shown = panel.visible_text()
    assert any(line.startswith("INFO ") for line in shown) and shown[-1].startswith("REPORT ")


def test_a_runs_cold_start_line_and_init_error_are_in_its_own_group(qtbot, make_window, workspace):
    """After a working run, the code breaks at import: the next run's cold-start reason and init error fold
    with that run, and the first run's folded group shows none of them."""
    window = make_window(workspace)
    panel = window.log_panel
    run_and_wait(qtbot, window)
    code = workspace / "order_confirmation" / "lambda_function.py"
    code.write_text('raise RuntimeError("broken at import")\n' + code.read_text())
    qtbot.waitUntil(lambda: "broken at import" in window.tabs.editor_for(code).toPlainText(), timeout=5000)
    run_and_wait(qtbot, window)
    folds = panel.folds()
    assert len(folds.run_starts()) == 2 and folds.collapsed_runs() == 1
    shown = panel.visible_text()
    first_report = next(index for index, line in enumerate(shown) if line.startswith("REPORT "))
    later = shown[first_report + 1:]
    assert later[0].startswith("[workbench] Cold start: code changed")
    assert any("broken at import" in line for line in later)
    assert not any("broken at import" in line for line in shown[:first_report + 1])
    folds.toggle(folds.run_starts()[1])
    assert not any("broken at import" in line for line in panel.visible_text())


def test_a_runs_build_output_is_in_its_own_group(qtbot, make_window, workspace, tmp_path):
    """A requirements.txt added after a run: the next run's `[build] installing …` and `[build] done` lines open
    that run's group, and folding it hides them; the first run's folded group shows none of them."""
    import os
    import shutil

    from wheels import make_wheel, offline_index
    from workbench.engine.engine import Engine
    from workbench.engine.run_session import RunSession

    wheelhouse, cache = tmp_path / "wheels", tmp_path / "cache"
    make_wheel(wheelhouse, "shouting", "0.3.0", {"shouting.py": "def shout(text):\n    return text.upper()\n"})
    shutil.copytree(os.environ["LAMBDA_WORKBENCH_CACHE"] + "/sdk", cache / "sdk", symlinks=True)
    engine = Engine(host_env=dict(os.environ, LAMBDA_WORKBENCH_CACHE=str(cache), **offline_index(wheelhouse)))
    window = make_window(workspace, session=RunSession(engine=engine))
    panel = window.log_panel
    run_and_wait(qtbot, window)
    (workspace / "order_confirmation" / "requirements.txt").write_text("shouting\n")
    run_and_wait(qtbot, window)
    folds = panel.folds()
    assert len(folds.run_starts()) == 2 and folds.collapsed_runs() == 1
    shown = panel.visible_text()
    first_report = next(index for index, line in enumerate(shown) if line.startswith("REPORT "))
    assert not any(line.startswith("[build]") for line in shown[:first_report + 1])
    second = shown[first_report + 1:]
    assert any(line.startswith("[build] installing") for line in second)
    assert any(line.startswith("[build] done in") for line in second)
    folds.toggle(folds.run_starts()[1])
    assert not any(line.startswith("[build] done in") for line in panel.visible_text())
