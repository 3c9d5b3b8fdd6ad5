"""The Summary panel: REPORT figures as Lambda prints them, the memory bar, status colours and cost."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QProgressBar

from workbench.core.lambda_rules.billing import format_cost, invocation_cost_usd
from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.ui.summary_panel import SummaryPanel

REQUEST_ID = "6f1c2b0e-1a2b-4c3d-8e9f-001122334455"


def result(**changes) -> InvocationResult:
    fields = dict(request_id=REQUEST_ID, status=Status.SUCCESS, payload=b"{}", error_type=None,
                  platform_error_type=None, duration_ms=12.3456, billed_duration_ms=96, init_duration_ms=83.111,
                  memory_size_mb=128, max_memory_used_mb=41)
    fields.update(changes)
    return InvocationResult(**fields)


@pytest.fixture
def panel(qtbot):
    widget = SummaryPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 220)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def value(panel: SummaryPanel, key: str) -> str:
    return panel.findChild(QLabel, f"summary_{key}").text()


def status_colour(panel: SummaryPanel):
    return panel.findChild(QLabel, "summary_status").palette().color(QPalette.ColorRole.WindowText)


def test_figures_read_as_lambda_prints_them(qtbot, panel):
    """Durations with two decimals, billed duration and memory as whole numbers, and a cold start named."""
    panel.show_result(result())
    assert value(panel, "request_id") == REQUEST_ID
    assert value(panel, "status") == "Succeeded"
    assert value(panel, "duration") == "12.35 ms"
    assert value(panel, "billed_duration") == "96 ms"
    assert value(panel, "init_duration") == "83.11 ms"
    assert value(panel, "init_note") == "cold start"
    assert value(panel, "memory_size") == "128 MB"
    assert value(panel, "max_memory_used") == "41 MB"
    assert value(panel, "architecture") == "x86_64"


def test_warm_invocation_has_no_init_duration(qtbot, panel):
    """A warm call shows a dash and says warm."""
    panel.show_result(result(init_duration_ms=None))
    assert value(panel, "init_duration") == "—"
    assert value(panel, "init_note") == "warm"


def test_memory_bar_measures_use_against_the_size(qtbot, panel):
    """The bar runs from zero to the memory size and stands at the memory used."""
    panel.show_result(result(memory_size_mb=512, max_memory_used_mb=128))
    bar = panel.findChild(QProgressBar, "summary_memory_bar")
    assert (bar.minimum(), bar.maximum(), bar.value()) == (0, 512, 128)
    assert bar.text() == "25% of 512 MB"


def test_memory_near_the_size_changes_the_bar_colour(qtbot, panel):
    """Memory close to the limit draws the bar in a warning colour."""
    bar = panel.findChild(QProgressBar, "summary_memory_bar")
    panel.show_result(result(max_memory_used_mb=40))
    normal = bar.palette().color(QPalette.ColorRole.Highlight)
    panel.show_result(result(max_memory_used_mb=125))
    assert bar.palette().color(QPalette.ColorRole.Highlight) != normal


def test_cost_of_the_call_and_of_a_million(qtbot, panel):
    """The call's cost and a million such calls use the billing rules, per architecture."""
    panel.show_result(result(memory_size_mb=1024, billed_duration_ms=1000, architecture="arm64"))
    one = invocation_cost_usd(1024, 1000, "arm64")
    assert value(panel, "cost") == format_cost(one)
    assert value(panel, "cost_per_million") == "$13.53"  # 1 GB-s at $0.0000133334 plus $0.20 per million
    assert value(panel, "architecture") == "arm64"


def test_cost_given_by_the_engine_wins(qtbot, panel):
    """When the result carries its cost, that figure is the one shown."""
    panel.show_result(result(cost_usd=0.0000025))
    assert value(panel, "cost") == "$0.0000025"
    assert value(panel, "cost_per_million") == "$2.50"


def test_status_names_failures_and_timeouts_in_colour(qtbot, panel):
    """Success, a failure with its error type, and a timeout read differently and in different colours."""
    panel.show_result(result())
    succeeded = status_colour(panel)
    panel.show_result(result(status=Status.ERROR, error_type="Runtime.ExitError",
                             platform_error_type="Runtime.ExitError"))
    assert value(panel, "status") == "Failed: Runtime.ExitError"
    failed = status_colour(panel)
    panel.show_result(result(status=Status.TIMEOUT, error_type="Sandbox.Timedout"))
    assert value(panel, "status") == "Timed out"
    assert succeeded != failed
    assert failed.red() > failed.green() and succeeded.green() > succeeded.red()


def test_function_error_is_a_failure_even_without_a_status(qtbot, panel):
    """A handler that raised is shown as failed, with the exception's type."""
    panel.show_result(result(error_type="KeyError"))
    assert value(panel, "status") == "Failed: KeyError"


def test_clear_blanks_every_figure(qtbot, panel):
    """After clear no figure of the previous call remains."""
    panel.show_result(result())
    panel.clear()
    for key in ("request_id", "status", "duration", "billed_duration", "init_duration", "memory_size",
                "max_memory_used", "cost", "cost_per_million", "architecture"):
        assert value(panel, key) == "—"
    assert panel.findChild(QProgressBar, "summary_memory_bar").value() == 0


def test_narrow_panel_stacks_the_columns(qtbot, panel):
    """In a narrow dock the second column moves below the first instead of being squeezed."""
    panel.show_result(result())
    wide_top = panel.findChild(QLabel, "summary_memory_size").mapTo(panel, panel.rect().topLeft()).y()
    panel.resize(400, 400)
    qtbot.waitUntil(lambda: panel.findChild(QLabel, "summary_memory_size").mapTo(
        panel, panel.rect().topLeft()).y() > wide_top + 40)
