"""The cycle collector runs on the Qt thread only: garbage a Runtime API thread makes room for is freed on the
Qt thread, where its Qt objects may be destroyed safely."""

import gc
import threading
import weakref

from PySide6.QtCore import QObject, QTimer, QThread

from workbench.engine.main_thread_collector import MainThreadCollector, collect_due


def test_collect_due_follows_cpythons_thresholds():
    thresholds = (700, 10, 10)
    assert collect_due((10, 0, 0), thresholds) is None
    assert collect_due((701, 3, 0), thresholds) == 0
    assert collect_due((701, 11, 4), thresholds) == 1
    assert collect_due((701, 11, 11), thresholds) == 2
    assert collect_due((5, 11, 11), thresholds) is None  # nothing young to start from
    assert collect_due((701, 11, 11), (0, 10, 10)) is None  # threshold 0: collection off


class _Cyclic(QObject):
    """A Qt object with a running timer, kept alive only by a reference cycle: garbage for the collector."""

    def __init__(self) -> None:
        super().__init__()
        self.me = self
        self.timer = QTimer(self, interval=10)
        self.timer.start()


def test_garbage_is_freed_on_the_qt_thread_not_where_allocation_made_it_due(qapp, qtbot):
    assert isinstance(qapp.findChildren(MainThreadCollector)[0], MainThreadCollector)  # conftest's, as the app's
    assert not gc.isenabled()
    freed_in = []
    garbage = _Cyclic()
    garbage.destroyed.connect(lambda: freed_in.append(QThread.currentThread() is qapp.thread()))
    alive = weakref.ref(garbage)
    del garbage

    kept = []

    def allocate():  # objects that stay: far past the first generation's threshold, on a thread of its own
        kept.extend([] for _ in range(5 * gc.get_threshold()[0]))

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert alive() is not None, "collected on the allocating thread"
    qtbot.waitUntil(lambda: alive() is None, timeout=3000)
    assert freed_in == [True]


def test_a_full_collection_waits_until_it_would_take_at_most_two_percent_of_the_time(qapp, monkeypatch):
    """Counts that call for a full collection twice in a row: the second waits (a young collection instead)
    until fifty times the first one's duration has passed."""
    import workbench.engine.main_thread_collector as module

    collected = []
    clock = [100.0]
    monkeypatch.setattr(module.gc, "get_count", lambda: (701, 11, 11))
    monkeypatch.setattr(module.gc, "get_threshold", lambda: (700, 10, 10))
    monkeypatch.setattr(module.gc, "collect", lambda generation: (collected.append(generation),
                                                                   clock.__setitem__(0, clock[0] + 0.1)))
    monkeypatch.setattr(module.time, "monotonic", lambda: clock[0])
    collector = MainThreadCollector(qapp)
    try:
        collector.collect_if_due()
        collector.collect_if_due()
        clock[0] += 5.0  # 50 x the 0.1 s the full collection took
        collector.collect_if_due()
        assert collected == [2, 1, 2]
    finally:
        collector.stop()
        collector.deleteLater()
