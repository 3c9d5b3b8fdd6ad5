"""The run session of a headless command that runs presets (test, tune): one Qt core application, the
workspace's history unless --no-history, and on leaving every environment stopped and the history closed,
whether the runs finished, failed or were interrupted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..core.history.history_store import HistoryStore
    from ..engine.run_session import RunSession


def open_history(folder: Path, prog: str, stderr: TextIO) -> HistoryStore:
    """The workspace's history store; its notices (a damaged file moved aside, ...) are warnings on stderr
    under the command's own name."""
    from ..core.history.history_store import HistoryStore

    return HistoryStore.for_workspace(folder, on_notice=lambda text: stderr.write(f"{prog}: warning: {text}\n"))


@contextmanager
def command_session(prog: str, workspace_folder: Path, record: bool, stderr: TextIO,
                    aws_mode: str | None = None) -> Iterator[RunSession]:
    """A RunSession whose runs are recorded in the workspace's history when `record`; a history it cannot
    write to is a warning on stderr under prog's name, not a failure of the command."""
    from PySide6.QtCore import QCoreApplication

    from ..engine.main_thread_collector import MainThreadCollector
    from ..engine.run_session import RunSession

    app = QCoreApplication.instance() or QCoreApplication([])
    collector = MainThreadCollector(app)
    history = open_history(workspace_folder, prog, stderr) if record else None
    session = RunSession(history=history, parent=app)
    session.history_problem.connect(lambda text: stderr.write(f"{prog}: warning: {text}\n"))
    try:
        from .local_services import apply_aws

        try:
            apply_aws(session, workspace_folder, aws_mode)
        except Exception as error:  # a bad setting, or a host that cannot start: nothing is run
            stderr.write(f"{prog}: error: local AWS services: {error}\n")
            raise SystemExit(2) from None
        yield session
    finally:
        session.shutdown()
        if history is not None and hasattr(history, "close"):
            history.close()
        collector.stop()
        collector.deleteLater()
