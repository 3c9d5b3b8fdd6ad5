"""The no-credentials notice reads whole in the window's log at 1024x700: short lines, headline first."""

from PySide6.QtWidgets import QPlainTextEdit

from workbench.core.services.settings import ACCOUNT, ServicesSettings, save_services_settings
from window_helpers import make_window, workspace  # noqa: F401 - fixtures


def test_the_credentials_warning_fits_the_log_pane_at_1024(qtbot, make_window, workspace, tmp_path, monkeypatch):
    """No AWS credentials anywhere and a handler that imports boto3: every line of the warning fits the log's
    width at 1024x700 (no line cut at the pane's edge), the headline says SDK calls will fail, and the fix is
    there too."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials-here"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config-here"))
    handler = workspace / "order_confirmation" / "lambda_function.py"
    handler.write_text("import boto3  # noqa: F401\n" + handler.read_text())
    # The user's own account is where the calls go: local mode gives the function credentials of its own.
    save_services_settings(workspace, ServicesSettings(calls=ACCOUNT))
    window = make_window(workspace)
    window.resize(1024, 700)
    with qtbot.waitSignal(window.sig_run_finished, timeout=30000):
        window.toolbar.run_action.trigger()
    qtbot.waitUntil(lambda: "REPORT RequestId" in window.log_panel.full_text(), timeout=3000)
    text = window.log_panel.full_text()
    start = text.index("WARNING: no AWS credentials found")
    lines = text[start:].splitlines()[:5]
    assert "AWS SDK calls will fail" in lines[0]
    assert "aws configure" in "\n".join(lines)
    view = window.log_panel.findChild(QPlainTextEdit, "log_view")
    room = view.viewport().width()
    # The log wraps by default: a line wider than the pane goes on below, never past its edge.
    if view.lineWrapMode() == QPlainTextEdit.LineWrapMode.NoWrap:
        for line in lines:
            assert view.fontMetrics().horizontalAdvance(line) <= room, line
    else:
        assert view.horizontalScrollBar().maximum() == 0
