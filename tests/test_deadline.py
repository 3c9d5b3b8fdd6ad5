"""A Sandbox's deadline (a call's timeout, an init's limit) never fires before its time, and not at all
once stopped."""

import time

from workbench.engine.deadline import Deadline


def test_a_deadline_never_fires_early(qtbot):
    deadline = Deadline()
    for wait_ms in (1, 15, 45, 250):
        started = time.monotonic()
        with qtbot.waitSignal(deadline.expired, timeout=5000):
            deadline.start(wait_ms)
        assert (time.monotonic() - started) * 1000 >= wait_ms
        assert not deadline.is_active()


def test_a_stopped_deadline_does_not_fire(qtbot):
    deadline = Deadline()
    fired = []
    deadline.expired.connect(lambda: fired.append(True))
    deadline.start(30)
    deadline.stop()
    qtbot.wait(120)
    assert not fired and not deadline.is_active()


def test_a_restarted_deadline_counts_from_the_restart(qtbot):
    deadline = Deadline()
    deadline.start(10_000)
    started = time.monotonic()
    with qtbot.waitSignal(deadline.expired, timeout=5000):
        deadline.start(60)
    assert (time.monotonic() - started) * 1000 >= 60
