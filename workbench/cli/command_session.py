"""The run session of a headless command (test, tune, invoke --remote): one Qt core application, runs recorded
through the workspace's history writer unless --no-history, and on leaving every environment stopped and the
history written and closed, whether the runs finished, failed or were interrupted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ..engine.history_writer import history_writer_for
from ..engine.qt_startup import headless_qt
from ..engine.run_session import RunSession
from .local_services import apply_aws


@contextmanager
def command_session(prog: str, history_folder: Path | None, stderr: TextIO, workspace_folder: Path | None = None,
                    aws_mode: str | None = None) -> Iterator[RunSession]:
    """A RunSession whose runs are recorded in history_folder's history (None: not recorded); what the history
    has to say (a damaged file moved aside, a write that failed) is a warning on stderr under prog's name,
    not a failure of the command. With workspace_folder, the function's AWS calls go where aws_mode (or the
    workspace's setting) says: a bad setting or a services host that cannot start ends the command (exit 2)."""
    with headless_qt() as app:
        session = RunSession(parent=app)
        session.history_problem.connect(lambda text: stderr.write(f"{prog}: warning: {text}\n"))
        if history_folder is not None:
            session.set_history(history_writer_for(history_folder, app))
        try:
            if workspace_folder is not None:
                try:
                    apply_aws(session, workspace_folder, aws_mode)
                except Exception as error:  # noqa: BLE001 - said in one line; nothing is run
                    stderr.write(f"{prog}: error: local AWS services: {error}\n")
                    raise SystemExit(2) from None
            yield session
        finally:
            session.shutdown()  # closes the history writer: every run reaches the file
