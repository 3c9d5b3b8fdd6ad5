"""The bundled sample does what its description says: Run on new-order, in the window, sends the order
confirmation with SES to the order's address, and the email is in the workspace's Outbox."""

from window_helpers import make_window, workspace  # noqa: F401 - fixtures

from workbench.engine.services_client import ServicesClient
from workbench.engine.services_host import find_host, stop_host


def test_run_on_new_order_puts_the_confirmation_in_the_outbox(qtbot, make_window, workspace):  # noqa: F811
    window = make_window(workspace)
    window.event_editor.set_text((workspace / "events" / "OrderConfirmation" / "new-order.json").read_text())
    try:
        with qtbot.waitSignal(window.sig_run_finished, timeout=30_000) as blocker:
            window.toolbar.run_action.trigger()
        assert blocker.args[0].result.succeeded, blocker.args[0].result.payload_text()
        [mail] = ServicesClient(find_host(workspace)).outbox()
    finally:
        stop_host(workspace)
    assert (mail["from"], mail["to"], mail["subject"]) == (
        "Workbench Books <orders@workbench-books.example>", ["maria.garcia@example.com"],
        "Your order ORD-1001 is confirmed")
    assert "Total: 59.99 USD" in mail["text"] and "<b>59.99 USD</b>" in mail["html"]
    assert [(call.service, call.operation) for call in blocker.args[0].aws_calls] == [("ses", "SendEmail")]
