"""The Tune view in the real window: a sweep fills the chart and the table, labelled a local estimate;
Stop keeps what was measured."""

from window_helpers import make_window, workspace  # noqa: F401 - fixtures

TIMEOUT_MS = 60_000


def open_view(window, preset="new-order"):
    presets = {p.name: p for p in window.presets.presets()}
    window.preset_picker.set_presets(list(presets.values()), preset)
    window.presets.load(presets[preset])
    return window.tune_memory()


def test_a_sweep_fills_the_chart_and_the_table(qtbot, make_window, workspace):
    window = make_window(workspace)
    view = open_view(window)
    assert view.windowTitle() == "Tune memory — OrderConfirmation · new-order"
    view.sizes_field.setText("128,512")
    view.runs_field.setValue(2)
    with qtbot.waitSignal(view.sweep_finished, timeout=TIMEOUT_MS) as blocker:
        view.start_button.click()
        assert view.stop_button.isEnabled()
    figures = blocker.args[0]
    assert [f.memory_mb for f in figures] == [128, 512] and all(f.runs == 2 for f in figures)
    assert view.table.rowCount() == 2 and view.table.item(1, 0).text() == "512 MB"
    assert view.table.item(0, 1).text().endswith(" ms") and view.table.item(0, 6).text().startswith("$")
    assert view.positions() == {128: 0, 512: 1} and list(view._p50.getData()[0]) == [0, 1]
    assert view.note_label.text().startswith("Local estimate: measured on this machine, not on AWS.")
    assert view.verdict_label.text().startswith("Local estimate: ")
    if not all(f.cpu_scaled for f in figures):
        assert "cannot estimate speed" in view.note_label.text() and "fastest" not in view.verdict_label.text()
    assert view.start_button.isEnabled() and not view.stop_button.isEnabled()


def test_stop_keeps_the_sizes_measured(qtbot, make_window, workspace):
    window = make_window(workspace)
    view = open_view(window)
    view.sizes_field.setText("128,256,512,1024")
    view.runs_field.setValue(2)
    with qtbot.waitSignal(view.sweep_finished, timeout=TIMEOUT_MS) as blocker:
        run = view.start()
        run.size_finished.connect(lambda figures: view.stop_button.click())
    assert [f.memory_mb for f in blocker.args[0]] == [128]
    assert view.table.rowCount() == 1 and view.verdict_label.text().startswith("Stopped. ")


def test_bad_sizes_are_refused(qtbot, make_window, workspace):
    window = make_window(workspace)
    view = open_view(window)
    view.sizes_field.setText("128,64")
    assert view.start() is None
    assert view.verdict_label.text() == "Not started: 64 MB is outside Lambda's range (128 to 10240 MB)"
