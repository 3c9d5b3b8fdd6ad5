"""The Tests panel in the real window: Run Tests fills the table live, failures are red with their first
difference, a selected row shows its run, Save as Expectation records it, Stop keeps what ran."""

import json
from pathlib import Path

from PySide6.QtCore import Qt

from window_helpers import make_window, workspace  # noqa: F401 - fixtures
from workbench.core.expectations.case_report import CANCELLED, FAILED, PASSED
from workbench.ui.testing.case_results_model import COLUMNS, CaseResultsModel, failure_colour

RUN_TIMEOUT_MS = 60_000


def run_tests(qtbot, window):
    with qtbot.waitSignal(window.tests_dock.tests.finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.menus.run_tests.trigger()
    return blocker.args[0]


def cell(model, row, column_name, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, COLUMNS.index(column_name)), role)


def row_of(model, function, preset):
    return next(r for r in range(model.rowCount())
                if cell(model, r, "Function") == function and cell(model, r, "Preset") == preset)


def test_run_tests_fills_the_table_and_the_summary_stays(qtbot, make_window, workspace, qtmodeltester):
    """Every preset of both functions is a row with its figures; the summary stays until the next run."""
    window = make_window(workspace)
    panel = window.tests_dock.panel
    seen_running = []
    panel.model.dataChanged.connect(lambda *_: seen_running.append(
        [panel.model.state(r) for r in range(panel.model.rowCount())].count("running")))
    results = run_tests(qtbot, window)
    model = panel.model
    qtmodeltester.check(model)
    assert model.rowCount() == 14 and max(seen_running) == 1  # filled live, one case at a time
    assert [cell(model, r, "Outcome") for r in range(14)] == ["passed"] * 14
    row = row_of(model, "OrderConfirmation", "new-order")
    assert cell(model, row, "Duration").endswith(" ms") and cell(model, row, "Max Memory Used").endswith(" MB")
    assert cell(model, row, "Cost").startswith("$")
    assert "shared by every function" in cell(model, row_of(model, "OrderConfirmation", "empty"), "Preset",
                                              Qt.ItemDataRole.ToolTipRole)
    assert panel.summary_label.text().startswith("14 passed, 0 failed")
    assert all(item.status == PASSED for item in results)
    window.select_function("OrderConfirmationNode")
    qtbot.wait(50)
    assert panel.summary_label.text().startswith("14 passed, 0 failed")


def test_a_failure_is_red_with_its_difference_and_selecting_it_shows_its_run(qtbot, make_window, workspace):
    expectation = Path(workspace) / "events" / "OrderConfirmation" / "new-order.expect.yaml"
    expectation.write_text(expectation.read_text().replace("maxMemoryUsedMB: 128", "maxMemoryUsedMB: 1"))
    window = make_window(workspace)
    run_tests(qtbot, window)
    panel = window.tests_dock.panel
    model = panel.model
    row = row_of(model, "OrderConfirmation", "new-order")
    assert cell(model, row, "Outcome") == "FAILED"
    assert cell(model, row, "First difference").startswith("budget maxMemoryUsedMB: Max Memory Used ")
    assert cell(model, row, "First difference", Qt.ItemDataRole.ForegroundRole) == failure_colour()
    assert cell(model, 0, "Outcome", Qt.ItemDataRole.ForegroundRole) is None
    assert panel.summary_label.text().startswith("13 passed, 1 failed")
    assert failure_colour().name() in panel.summary_label.styleSheet()
    # Another row's run first, then the failing one: the panels follow the selection.
    panel.select_row(row_of(model, "OrderConfirmationNode", "missing-email"))
    assert "Missing required field 'customer.email'" in window.response_panel.payload_text()
    panel.select_row(row)
    item = model.result(row)
    assert window.log_panel.full_text().splitlines() == list(item.log)
    assert item.result.request_id in window.log_panel.full_text()
    assert json.loads(window.response_panel.payload_text()) == json.loads(item.result.payload)
    assert "ORD-1001" in window.response_panel.payload_text()
    assert "✗ budget maxMemoryUsedMB" in panel.difference_view.toPlainText()
    # Save as Expectation records the run: the row passes, the file keeps its comment and other rules.
    assert panel.save_button.isEnabled()
    panel.save_button.click()
    assert model.result(row).status == FAILED  # a kept budget the run breaks is reported, not deleted
    expectation.write_text(expectation.read_text().replace("maxMemoryUsedMB: 1\n", "maxMemoryUsedMB: 128\n"))
    panel.save_button.click()
    assert model.result(row).status == PASSED and cell(model, row, "Outcome") == "passed"
    assert expectation.read_text().startswith("# A small order")
    assert "Saved new-order.expect.yaml" in window.statusBar().currentMessage()


def test_stop_keeps_what_ran_and_marks_the_rest(qtbot, make_window, workspace):
    """Stop while the second case runs: the first keeps its result, the running one and the rest are not run."""
    window = make_window(workspace)
    panel = window.tests_dock.panel
    with qtbot.waitSignal(window.tests_dock.tests.finished, timeout=RUN_TIMEOUT_MS) as blocker:
        run = window.run_tests()
        started = []

        def on_started(_case):
            started.append(_case)
            if len(started) == 2:
                assert panel.stop_button.isEnabled() and not panel.run_button.isEnabled()
                panel.stop_button.click()

        run.case_started.connect(on_started)
    results = blocker.args[0]
    assert len(results) == 14 and len(started) == 2
    assert results[0].status == PASSED
    assert results[1].status == CANCELLED and results[1].reason == "stopped while running"
    assert all(item.status == CANCELLED for item in results[2:])
    assert cell(panel.model, 7, "Outcome") == "not run"
    assert panel.summary_label.text().startswith("1 passed, 0 failed, 13 not run (stopped)")
    assert panel.run_button.isEnabled() and not panel.stop_button.isEnabled()


def test_a_broken_expectation_is_named_and_nothing_runs(qtbot, make_window, workspace):
    broken = Path(workspace) / "events" / "OrderConfirmationNode" / "big-order.expect.yaml"
    broken.write_text("outcome: success\nbudget:\n  durationMs: fast\n")
    window = make_window(workspace)
    assert window.run_tests() is None
    panel = window.tests_dock.panel
    assert panel.model.rowCount() == 0
    assert "events/OrderConfirmationNode/big-order.expect.yaml:3:15:" in panel.difference_view.toPlainText()
    assert panel.summary_label.text().startswith("Not run: events/OrderConfirmationNode/big-order.expect.yaml:3:15")


def test_the_model_before_any_run(qtmodeltester):
    qtmodeltester.check(CaseResultsModel())


def test_save_run_as_expectation_after_a_single_run(qtbot, make_window, workspace):
    """Run > Save Run as Expectation records the last run of the current preset."""
    expectation = Path(workspace) / "events" / "OrderConfirmation" / "new-order.expect.yaml"
    expectation.unlink()
    window = make_window(workspace)
    presets = {p.name: p for p in window.presets.presets()}
    window.preset_picker.set_presets(list(presets.values()), "new-order")
    window.presets.load(presets["new-order"])
    assert not window.tests_dock.save_run_action.isEnabled()
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS):
        window.toolbar.run_action.trigger()
    assert window.tests_dock.save_run_action.isEnabled()
    window.tests_dock.save_run_action.trigger()
    text = expectation.read_text()
    assert "outcome: success" in text and "ORD-1001" in text
    results = run_tests(qtbot, window)
    assert all(item.status == PASSED for item in results)


def test_save_a_run_picked_in_history_as_expectation(qtbot, make_window, workspace):
    """A past run selected in History is what Save Run as Expectation records."""
    expectation = Path(workspace) / "events" / "OrderConfirmation" / "big-order.expect.yaml"
    expectation.unlink()
    window = make_window(workspace)
    for name in ("big-order", "new-order"):
        presets = {p.name: p for p in window.presets.presets()}
        window.preset_picker.set_presets(list(presets.values()), name)
        window.presets.load(presets[name])
        with qtbot.waitSignals([window.run_finished, window.session.run_recorded], timeout=RUN_TIMEOUT_MS):
            window.toolbar.run_action.trigger()
    panel = window.history.panel
    older = panel.model.summary(1).id
    assert panel.model.summary(1).preset == "big-order" and panel.select_run(older)
    window.tests_dock.save_run_action.trigger()
    assert "ORD-1002" in expectation.read_text() and "outcome: success" in expectation.read_text()
