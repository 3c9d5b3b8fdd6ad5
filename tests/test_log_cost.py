"""What a run's log would cost in CloudWatch Logs ingestion, beside the compute cost, in the Summary."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from workbench.core.lambda_rules.billing import (LOG_EVENT_OVERHEAD_BYTES, format_cost, invocation_cost_usd,
                                                 log_ingestion_bytes, log_ingestion_cost_usd)
from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.ui.summary_panel import SummaryPanel

LOG = ["START RequestId: 6f1c2b0e-1a2b-4c3d-8e9f-001122334455 Version: $LATEST",
       "[INFO]\t2026-12-06T16:50:07.290Z\t6f1c2b0e-1a2b-4c3d-8e9f-001122334455\tprocessing order ✓",
       "END RequestId: 6f1c2b0e-1a2b-4c3d-8e9f-001122334455",
       "REPORT RequestId: 6f1c2b0e-1a2b-4c3d-8e9f-001122334455\tDuration: 1.20 ms\tBilled Duration: 2 ms\t"
       "Memory Size: 128 MB\tMax Memory Used: 41 MB"]


def test_ingested_bytes_are_utf8_bytes_plus_the_per_event_overhead():
    """Each line is one event: its UTF-8 length (✓ is three bytes) plus 26 bytes."""
    assert log_ingestion_bytes(["ab"]) == 2 + 26
    assert log_ingestion_bytes(["✓"]) == 3 + 26
    assert log_ingestion_bytes(LOG) == sum(len(line.encode()) for line in LOG) + 4 * LOG_EVENT_OVERHEAD_BYTES
    assert log_ingestion_bytes([]) == 0


def test_a_gigabyte_of_log_costs_fifty_cents():
    """$0.50 per GB (2^30 bytes) ingested, Standard class, us-east-1."""
    line = "x" * (1024 - 26)
    assert log_ingestion_cost_usd([line] * 1024 * 1024) == pytest.approx(0.50)


def test_a_chatty_small_function_pays_more_for_its_log_than_for_its_compute():
    """Twenty 200-byte lines from a 128 MB, 2 ms call cost more to ingest than the call's compute and request."""
    log = LOG + ["[INFO] " + "y" * 193] * 20
    assert log_ingestion_cost_usd(log) > invocation_cost_usd(128, 2)


def _result() -> InvocationResult:
    return InvocationResult(request_id="6f1c2b0e-1a2b-4c3d-8e9f-001122334455", status=Status.SUCCESS, payload=b"{}",
                            error_type=None, platform_error_type=None, duration_ms=1.2, billed_duration_ms=2,
                            init_duration_ms=None, memory_size_mb=128, max_memory_used_mb=41)


@pytest.fixture
def panel(qtbot):
    widget = SummaryPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 260)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _label(panel, key) -> QLabel:
    return panel.findChild(QLabel, f"summary_{key}")


def test_summary_shows_the_log_cost_per_call_and_per_million_with_the_price_named(panel):
    """Beside 'Cost of this call': the log's ingestion cost, per call and per million, the price in the tooltip."""
    panel.show_result(_result(), LOG)
    cost = log_ingestion_cost_usd(LOG)
    assert _label(panel, "log_cost").text() == format_cost(cost)
    assert _label(panel, "log_cost_per_million").text() == format_cost(cost * 1_000_000)
    tip = _label(panel, "log_cost").toolTip()
    assert "4 log lines" in tip and "us-east-1" in tip and "$0.50 per GB" in tip and "Standard" in tip


def test_without_a_log_the_log_cost_is_blank_not_zero(panel):
    """A result shown without its log (none known) says nothing rather than $0."""
    panel.show_result(_result(), LOG)
    panel.show_result(_result())
    assert _label(panel, "log_cost").text() == "—"
    panel.show_result(_result(), LOG)
    panel.clear()
    assert _label(panel, "log_cost_per_million").text() == "—"
