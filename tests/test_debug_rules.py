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


def test_the_debug_book_toggles_moves_and_round_trips_relative_to_the_workspace(tmp_path):
    from workbench.core.debugging.debug_book import BOOK_FILE, DebugBook, load_book, save_book
    from workbench.core.debugging.debug_model import Breakpoint

    app = str(tmp_path / "app.py")
    book = DebugBook().toggled(app, 3).toggled(app, 9).with_point(Breakpoint(app, 5, "x > 1"))
    assert [p.line for p in book.breakpoints] == [3, 5, 9]
    assert book.toggled(app, 3).in_file(app).keys() == {5, 9}
    # Two lines inserted at line 4: the points below follow; three removed from line 4: line 5 goes.
    assert [p.line for p in book.moved_lines(app, 4, 2).breakpoints] == [3, 7, 11]
    assert [p.line for p in book.moved_lines(app, 4, -3).breakpoints] == [3, 6]
    book = book.with_watch(" total ").with_watch("total")
    save_book(tmp_path, book)
    assert '"path": "app.py"' in (tmp_path / BOOK_FILE).read_text()
    assert load_book(tmp_path) == (book, "")


def test_a_broken_debug_book_names_the_entry_and_keeps_the_rest(tmp_path):
    from workbench.core.debugging.debug_book import BOOK_FILE, load_book
    from workbench.core.debugging.pause_clock import paused_figure

    (tmp_path / BOOK_FILE).parent.mkdir()
    (tmp_path / BOOK_FILE).write_text('{"breakpoints": [{"path": "a.py", "line": 0}, {"path": "b.py", "line": 2}]}')
    book, problem = load_book(tmp_path)
    assert [p.line for p in book.breakpoints] == [2]
    assert "debug.json: breakpoints[0] left out (line below 1)" in problem
    assert (paused_figure(850), paused_figure(999.6), paused_figure(12_400), paused_figure(185_000)) == (
        "850 ms", "1.0 s", "12.4 s", "3 min 5 s")
