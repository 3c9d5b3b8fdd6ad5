"""One build of what a function's environment lacks (engine/environment_builder.py starts it): the
dependency cache entry (uv or pip, npm ci), its layers' entries and the runtime's SDK.

Installs run as QProcesses, never on the UI thread; their output streams out line by line; a build can
be cancelled. Each entry is built in a temporary folder and renamed into place.

An install dies with the workbench: it runs under a small shell that the kernel signals when its parent
dies (setpriv --pdeathsig), and that shell then kills the install's whole process group (uv, pip and
the build backends they start). The temporary folder names its builder's pid, so the next build removes
the folders of builds whose process is gone.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal, Slot

from ..core.child.dependency_cache import ENTRY_FILE, leftover_temporaries, temporary_name
from ..core.function.function_config import FunctionConfig
from ..core.child.built_environment import BuildFailure
from ..core.text.line_splitter import LineSplitter
from .environment_planner import BuildPlan, BuildStep
from ..core.vocabulary import ErrorType

if TYPE_CHECKING:
    from .environment_builder import EnvironmentBuilder


class EnvironmentBuild(QObject):
    """One build. Signals: output(list[str]) with the installers' lines, progress(str) saying what runs,
    finished(FunctionEnvironment | BuildFailure) exactly once (cancel() finishes it with a failure)."""

    output = Signal(list)
    progress = Signal(str)
    finished = Signal(object)

    def __init__(self, builder: "EnvironmentBuilder", config: FunctionConfig, plan: BuildPlan) -> None:
        super().__init__(builder)
        self._builder = builder
        self.config = config
        self._plan = plan
        self._steps = list(plan.steps)
        self._step: BuildStep | None = None
        self._temporary: Path | None = None
        self._commands: list[list[str]] = []
        self._process: QProcess | None = None
        self._splitters: dict[str, LineSplitter] = {}
        self._tail: list[str] = []
        self._done = False
        self._attempted: set[Path] = set()
        self.started_at = time.monotonic()

    def start(self) -> None:
        QTimer.singleShot(0, self._next_step)

    def cancel(self) -> None:
        if self._done:
            return
        self._kill()
        self._discard_temporary()
        self._finish(BuildFailure(ErrorType.STOPPED, "The environment build was cancelled."))

    # --- Internals -----------------------------------------------------------------------------

    def _finish(self, outcome: object) -> None:
        if not self._done:
            self._done = True
            self.finished.emit(outcome)

    def _next_step(self) -> None:
        if self._done:
            return
        if not self._steps and self._plan.plans_again:
            self._plan_again()
            if self._done:
                return
        if not self._steps:
            self._finish(self._builder._assemble(self.config, self._plan))
            return
        self._step = step = self._steps.pop(0)
        self._attempted.add(step.final)
        if step.adds_to:
            return self._add_in_place(step)
        if (step.final / ENTRY_FILE).is_file():  # built meanwhile by another function's build
            return self._next_step()
        step.final.parent.mkdir(parents=True, exist_ok=True)
        for leftover in leftover_temporaries(step.final.parent, _alive, time.time()):
            shutil.rmtree(leftover, ignore_errors=True)  # an interrupted build's: its process is gone
        self._temporary = step.final.parent / temporary_name(step.final.name, os.getpid(), os.urandom(4).hex())
        self._temporary.mkdir(parents=True)
        for source in step.copy_in:
            shutil.copy2(source, self._temporary)
        self._commands = [[part.replace("{target}", str(self._temporary)) for part in command]
                          for command in step.commands]
        self.progress.emit(step.description)
        self.output.emit([f"[build] {step.description}", *step.warnings])
        self._tail = []
        self._run_command()

    def _plan_again(self) -> None:
        """The plan once its steps have run, keeping what they said (a failed optional step's warning); a step
        runs at most once per build."""
        again = self._builder._plan(self.config)
        if again.failure is not None:
            self._finish(again.failure)
            return
        again.notices = self._plan.notices + [notice for notice in again.notices if notice not in self._plan.notices]
        self._plan = again
        self._steps = [step for step in again.steps if step.final not in self._attempted]

    def _add_in_place(self, step: BuildStep) -> None:
        """Packages added to a built entry (an SDK client imported for the first time): the installer runs in
        the entry itself, which stays usable meanwhile (npm adds beside what is there)."""
        if all((step.final / name).is_file() for name in step.adds_to):  # added meanwhile by another build
            return self._next_step()
        self._temporary = None
        self._commands = [[part.replace("{target}", str(step.final)) for part in command] for command in step.commands]
        self.progress.emit(step.description)
        self.output.emit([f"[build] {step.description}", *step.warnings])
        self._tail = []
        self._run_command()

    def _run_command(self) -> None:
        command = self._commands.pop(0)
        process = QProcess(self)
        self._process = process
        self._splitters = {"out": LineSplitter(), "err": LineSplitter()}
        environment = QProcessEnvironment()
        for key, value in self._builder.host_env.items():
            environment.insert(key, value)
        process.setProcessEnvironment(environment)
        process.setWorkingDirectory(self._step.workdir or str(self._temporary or self._step.final))
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        process.setUnixProcessParameters(QProcess.UnixProcessFlag.CreateNewSession)
        program, arguments = dies_with_parent(command)
        process.start(program, arguments)

    def _lines(self, channel: str, data: bytes) -> None:
        lines = [line.rstrip("\r") for line in self._splitters[channel].feed(data)]
        if lines:
            self._tail = (self._tail + lines)[-self._tail_size():]
            self.output.emit(lines)

    @Slot()
    def _read_stdout(self) -> None:
        if self._process is not None:
            self._lines("out", bytes(self._process.readAllStandardOutput()))

    @Slot()
    def _read_stderr(self) -> None:
        if self._process is not None:
            self._lines("err", bytes(self._process.readAllStandardError()))

    @Slot(QProcess.ProcessError)
    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and not self._done:
            self._step_failed(f"{self._process.program()} could not be started: {self._process.errorString()}")

    @Slot(int, QProcess.ExitStatus)
    def _on_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        if self._done or self._process is None:
            return
        self._read_stdout()
        self._read_stderr()
        for channel in ("out", "err"):
            rest = self._splitters[channel].flush()
            if rest:
                self._tail = (self._tail + rest)[-self._tail_size():]
                self.output.emit(rest)
        self._process.deleteLater()
        self._process = None
        if code != 0:
            self._step_failed("\n".join(line for line in self._tail if line.strip()) or f"exit status {code}")
            return
        if self._commands:
            self._run_command()
            return
        step = self._step
        if step.adds_to:
            (step.final / ENTRY_FILE).write_text(step.metadata, encoding="utf-8")
            self.output.emit([f"[build] done in {time.monotonic() - self.started_at:.1f} s"])
            return self._next_step()
        (self._temporary / ENTRY_FILE).write_text(step.metadata, encoding="utf-8")
        try:
            os.rename(self._temporary, step.final)
        except OSError:  # another build put the same entry in place first: same content, keep theirs
            self._discard_temporary()
        self._temporary = None
        self.output.emit([f"[build] done in {time.monotonic() - self.started_at:.1f} s"])
        self._next_step()

    def _tail_size(self) -> int:
        return 400 if self._step is not None and self._step.whole_output else 20

    def _step_failed(self, message: str) -> None:
        step = self._step
        self._kill()
        self._discard_temporary()
        if step.failure_text is not None:
            message = step.failure_text(message)
        if not step.fatal:
            if step.marker is not None:
                step.marker.parent.mkdir(parents=True, exist_ok=True)
                step.marker.write_text(message, encoding="utf-8")
            self._plan.notices.append(f"WARNING: {step.description} failed, running without it: "
                                      f"{message.splitlines()[-1] if message else ''}")
            self._next_step()
            return
        self._finish(BuildFailure(step.failure_type, f"{step.description} failed:\n{message}"))

    def _kill(self) -> None:
        process = self._process
        if process is not None and process.state() != QProcess.ProcessState.NotRunning:
            try:
                os.killpg(process.processId(), 9)
            except (ProcessLookupError, PermissionError):
                process.kill()
            process.waitForFinished(2000)
        self._process = None

    def _discard_temporary(self) -> None:
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None


# Runs the install as a child and waits; on SIGTERM (the parent-death signal) kills the whole process group
# (this shell leads a new session: the install and everything it started are in it).
_GUARD_SCRIPT = 'trap "kill -KILL 0" TERM HUP; "$@" & wait $!'


def dies_with_parent(command: list[str]) -> tuple[str, list[str]]:
    """The program and arguments that run `command` so that it and its children die with this process."""
    setpriv = shutil.which("setpriv")
    sh = shutil.which("sh") or "/bin/sh"
    if setpriv is None:
        return command[0], command[1:]
    return setpriv, ["--pdeathsig", "TERM", "--", sh, "-c", _GUARD_SCRIPT, "lambda-workbench-install", *command]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
