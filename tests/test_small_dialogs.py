"""Dialogs a user reads whole: New Function's fields unclipped, About naming only folders that exist."""

from PySide6.QtWidgets import QDialogButtonBox

from workbench.ui.new_function_dialog import NewFunctionDialog


def _shows_whole(field, text: str) -> bool:
    # A line edit's text area is its width less the frame and the text margins (a few pixels each side).
    return field.width() - 12 >= field.fontMetrics().horizontalAdvance(text)


def test_new_function_opens_with_every_field_and_the_problem_readable(qtbot):
    """Opened as File > New Function opens it: the folder's hint, a long handler and the longest runtime
    show whole, the problem line is not cut, and Create and Cancel sit inside the dialog."""
    dialog = NewFunctionDialog(None, {"OrderConfirmation"})
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _shows_whole(dialog.folder, dialog.folder.placeholderText())
    dialog.handler.setText("lambda_function.lambda_handler")
    assert _shows_whole(dialog.handler, dialog.handler.text())
    longest = max((dialog.runtime.itemText(row) for row in range(dialog.runtime.count())), key=len)
    assert dialog.runtime.width() >= dialog.runtime.fontMetrics().horizontalAdvance(longest)
    dialog.name.setText("OrderConfirmation")
    problem = dialog.problem
    assert problem.text() == "OrderConfirmation already exists in this workspace."
    assert problem.height() >= problem.heightForWidth(problem.width())
    assert problem.fontMetrics().horizontalAdvance(problem.text()) <= problem.width() * 2
    for button in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel):
        shown = dialog.buttons.button(button)
        corner = shown.mapTo(dialog, shown.rect().bottomRight())
        assert dialog.rect().contains(corner)


def test_about_names_the_cache_the_engine_uses_and_says_what_is_not_created_yet(qtbot, tmp_path, monkeypatch):
    """About lists the dependency cache the engine fills (LAMBDA_WORKBENCH_CACHE here); a place that does not
    exist yet is marked so, never shown as if it were there."""
    from workbench.ui.about_dialog import AboutDialog

    cache = tmp_path / "cache"
    monkeypatch.setenv("LAMBDA_WORKBENCH_CACHE", str(cache))
    workspace = tmp_path / "project"
    workspace.mkdir()
    dialog = AboutDialog(None, workspace)
    qtbot.addWidget(dialog)
    text = dialog.text.text()
    row = text[text.index("Dependency cache"):].split("</tr>")[0]
    assert str(cache) in row and "not created yet" in row
    history_row = text[text.index("run history"):].split("</tr>")[0]
    assert "not created yet" in history_row
    workspace_row = text[text.index("functions and presets"):].split("</tr>")[0]
    assert str(workspace) in workspace_row and "not created yet" not in workspace_row
    cache.mkdir()
    again = AboutDialog(None, workspace)
    qtbot.addWidget(again)
    row = again.text.text()
    row = row[row.index("Dependency cache"):].split("</tr>")[0]
    assert str(cache) in row and "not created yet" not in row
