"""The Tests panel keeps its word after the run: a saved expectation updates the header, and the first failure
is in view when the run ends."""

import shutil

from window_helpers import make_window, workspace  # noqa: F401 - fixtures
from workbench.core.expectations.case_report import FAILED, PASSED
from workbench.ui.testing.case_results_model import failure_colour

RUN_TIMEOUT_MS = 60_000


def run_tests(qtbot, window):
    with qtbot.waitSignal(window.tests_dock.tests.finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.menus.run_tests.trigger()
    return blocker.args[0]


def break_new_order(workspace):
    expectation = workspace / "events" / "OrderConfirmation" / "new-order.expect.yaml"
    expectation.write_text(expectation.read_text().replace('"total": "59.99"', '"total": "59.90"'))
    return expectation


def failed_row(panel):
    return next(row for row in range(panel.model.rowCount()) if panel.model.state(row) == FAILED)


def test_save_as_expectation_turns_the_header_from_1_failed_to_0_failed(qtbot, make_window, workspace):
    """One broken expectation: the header reads "13 passed, 1 failed" in red; Save as Expectation on the failing
    row makes it pass and the header reads "14 passed, 0 failed", no longer red."""
    break_new_order(workspace)
    window = make_window(workspace)
    run_tests(qtbot, window)
    panel = window.tests_dock.panel
    assert panel.summary_label.text().startswith("13 passed, 1 failed")
    panel.select_row(failed_row(panel))
    panel.save_button.click()
    assert all(item.status == PASSED for item in panel.model.results())
    assert panel.summary_label.text().startswith("14 passed, 0 failed")
    assert failure_colour().name() not in panel.summary_label.styleSheet()


def test_saving_a_single_run_as_expectation_judges_the_tests_row_again(qtbot, make_window, workspace):
    """After Run Tests with new-order failing, Run new-order and Run > Save Run as Expectation: the Tests
    row passes and the header says 0 failed."""
    break_new_order(workspace)
    window = make_window(workspace)
    run_tests(qtbot, window)
    panel = window.tests_dock.panel
    assert panel.summary_label.text().startswith("13 passed, 1 failed")
    presets = {p.name: p for p in window.presets.presets()}
    window.preset_picker.set_presets(list(presets.values()), "new-order")
    window.presets.load(presets["new-order"])
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS):
        window.toolbar.run_action.trigger()
    window.tests_dock.save_run_action.trigger()
    assert panel.summary_label.text().startswith("14 passed, 0 failed")
    assert not any(panel.model.state(row) == FAILED for row in range(panel.model.rowCount()))


def test_the_first_failure_is_in_view_when_the_run_ends(qtbot, make_window, workspace):
    """Thirty passing presets after a failing one: when the run ends, the failing row is visible in the table
    (the run's following had scrolled to the last row)."""
    folder = workspace / "events" / "OrderConfirmation"
    for number in range(30):
        shutil.copy(folder / "new-order.json", folder / f"order-{number:02d}.json")
    expectation = break_new_order(workspace)
    shutil.copy(folder / "new-order.json", folder / "a-broken.json")
    shutil.copy(expectation, folder / "a-broken.expect.yaml")
    window = make_window(workspace)
    window.resize(1024, 700)
    run_tests(qtbot, window)
    panel = window.tests_dock.panel
    table = panel.table
    row = failed_row(panel)
    assert panel.model.rowCount() - row > 20  # far above the last row, where the run ended
    qtbot.wait(20)
    shown = table.visualRect(panel.model.index(row, 0))
    assert table.viewport().rect().contains(shown.center())
