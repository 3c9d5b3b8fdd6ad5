"""The pure parts of debugging: DAP framing, the paused-time clock, the clock file's note, a paused deadline."""

import time

import pytest

from workbench.core.debugging.dap_framing import FrameError, FrameReader, encode_message
from workbench.core.debugging.debug_model import clock_note
from workbench.core.debugging.pause_clock import PauseClock


def test_a_message_split_anywhere_is_read_whole_once():
    wire = encode_message({"seq": 1, "type": "event", "event": "stopped", "body": {"reason": "é"}}) * 2
    for cut in range(1, len(wire)):
        reader = FrameReader()
        messages = reader.feed(wire[:cut]) + reader.feed(wire[cut:])
        assert [m["body"]["reason"] for m in messages] == ["é", "é"]


def test_a_header_without_a_length_is_named():
    with pytest.raises(FrameError, match="Content-Length"):
        FrameReader().feed(b"Content-Type: x\r\n\r\n{}")


def test_the_pause_clock_counts_only_stopped_time_and_ignores_repeats():
    clock = PauseClock()
    assert clock.pause(10.0) and not clock.pause(11.0)
    assert clock.paused_s(12.5) == 2.5
    assert clock.resume(13.0) and not clock.resume(14.0)
    clock.pause(20.0)
    clock.resume(21.0)
    assert clock.paused_s(30.0) == 4.0


def test_the_clock_note_says_the_moved_deadline_or_the_time_left():
    assert clock_note(deadline_epoch_ms=1_700_000_000_123) == "D 1700000000123"
    assert clock_note(remaining_ms=2500.7) == "P 2500"
    assert clock_note(remaining_ms=-3) == "P 0"


def test_a_paused_deadline_does_not_expire_until_resumed(qtbot):
    from workbench.engine.deadline import Deadline

    deadline = Deadline()
    fired = []
    deadline.expired.connect(lambda: fired.append(time.monotonic()))
    deadline.start(100)
    deadline.pause()
    qtbot.wait(300)
    assert fired == [] and deadline.is_active()
    deadline.resume()
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    assert not deadline.is_active()
