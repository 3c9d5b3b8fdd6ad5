"""What the agent's tools do, over one workspace: its functions and presets read afresh from the files,
calls made through the run session (source "agent", recorded in the workspace's history like every other
run), history read back, tests and tuning run through the engine's SuiteRun and TuneRun.

Every method is a coroutine on the qasync loop the Qt engine shares; bad input raises BadInput with the
command line's words (file, line, column or field), and nothing is run then.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from ..core.agent.run_documents import diff_document, run_document, stored_run_document
from ..core.agent.workspace_documents import function_document, function_summary, preset_document
from ..core.history.history_codec import OUTCOMES
from ..core.history.history_store import HistoryStore, RunNotFound
from ..core.function.invocation_request import Overrides, RunProblem, find_function, prepare_invocation
from ..core.workspace.preset_store import PresetError, PresetStore, check_preset_name
from ..core.history.run_record import RunRecord
from ..core.workspace.workspace import Workspace, load_workspace
from ..core.vocabulary import RunSource
from ..engine.run_session import RunSession
from ..core.history.history_codec import summary_from_row, summary_values

SOURCE = RunSource.AGENT
# How long list_runs waits for this server's own newest runs to reach the file (written in the background).
RECORDING_WAIT_S = 3.0
# Runs this server made and history has not confirmed yet are answered from memory, at most this many.
MAX_UNCONFIRMED = 500


class BadInput(ValueError):
    """The request cannot be carried out as asked: the message says what and where; nothing ran."""


def _problems(problems: list[RunProblem]) -> BadInput:
    return BadInput("\n".join(str(problem) for problem in problems))


async def signalled(signal) -> object:
    """What a Qt signal carries next, awaited on the qasync loop."""
    future = asyncio.get_running_loop().create_future()

    def deliver(*values) -> None:
        if not future.done():
            future.set_result(values[0] if len(values) == 1 else values)

    signal.connect(deliver)
    try:
        return await future
    finally:
        signal.disconnect(deliver)


class AgentDesk:
    """The workspace's functions, presets, runs, tests and tuning for the agent's tools."""

    def __init__(self, folder: Path, session: RunSession) -> None:
        self.folder = Path(folder).resolve()
        self.session = session
        self._store: HistoryStore | None = None
        self._unconfirmed: dict[str, RunRecord] = {}
        self._confirmed = asyncio.Event()
        session.run_recorded.connect(self._on_recorded)

    # --- The workspace --------------------------------------------------------------------------

    def workspace(self) -> Workspace:
        """Read afresh each time: the files are the truth (the window or an editor may change them)."""
        return load_workspace(self.folder)

    def function(self, name: str):
        workspace = self.workspace()
        found = find_function(workspace, name)
        if isinstance(found, RunProblem):
            raise _problems([found])
        return workspace, workspace.function(found.name)

    def list_functions(self) -> dict:
        workspace = self.workspace()
        return {"workspace": str(self.folder), "functions": [function_summary(f, self.folder)
                                                             for f in workspace.functions],
                "problem": workspace.problem or None}

    def describe_function(self, name: str) -> dict:
        workspace = self.workspace()
        function = workspace.function(name)
        if function is None:
            found = find_function(workspace, name)  # its message lists the functions there are
            raise _problems([found] if isinstance(found, RunProblem) else [])
        return function_document(workspace, function)

    # --- Presets --------------------------------------------------------------------------------

    def list_presets(self, function: str) -> dict:
        _workspace, found = self.function(function)
        presets = PresetStore(self.folder).list(found.config.name)
        return {"function": found.config.name, "presets": [preset_document(p, self.folder) for p in presets]}

    def preset(self, function: str, name: str):
        _workspace, found = self.function(function)
        presets = PresetStore(self.folder).list(found.config.name)
        # The function's own preset wins over a shared one of the same name, as in the window.
        preset = next((p for p in presets if p.name == name), None)
        if preset is None:
            names = ", ".join(dict.fromkeys(p.name for p in presets)) or "none"
            raise BadInput(f"{found.config.name} has no preset {name!r} (its presets: {names})")
        return found, preset

    def read_preset(self, function: str, name: str) -> dict:
        return preset_document(self.preset(function, name)[1], self.folder, with_event=True)

    def save_preset(self, function: str | None, name: str, text: str) -> dict:
        """Write a preset: the function's own (events/<Function>/name.json), or shared with function None."""
        problem = check_preset_name(name)
        if problem:
            raise BadInput(f"name {name!r}: {problem}")
        owner = self.function(function)[1].config.name if function else None
        try:
            saved = PresetStore(self.folder).save(name, text, owner)
        except PresetError as error:
            raise BadInput(str(error).replace(str(self.folder) + "/", "")) from None
        return {"name": saved.name, "scope": saved.scope, "file": str(saved.path.relative_to(self.folder))}

    # --- Calls ----------------------------------------------------------------------------------

    def prepare(self, function: str, preset: str | None, event: str | None, memory_mb: int | None = None,
                timeout_s: int | None = None, variables: dict[str, str] | None = None):
        """The call as Lambda would accept it, or BadInput with every reason it would not."""
        if preset is not None and event is not None:
            raise BadInput("give either preset or event, not both")
        if preset is not None:
            found, chosen = self.preset(function, preset)
            config, text, source = found.config, chosen.text, str(chosen.path.relative_to(self.folder))
        else:
            config = self.function(function)[1].config
            text, source = ("{}" if event is None else event), "event"
        overrides = Overrides(memory_mb=memory_mb, timeout_s=timeout_s,
                              environment=tuple((variables or {}).items()))
        prepared = prepare_invocation(config, text, source, overrides, preset=preset)
        if isinstance(prepared, list):
            raise _problems(prepared)
        return prepared

    async def invoke(self, prepared, cold: bool = False) -> dict:
        run = self.session.run(prepared, SOURCE, cold=cold)
        record = await signalled(run.finished)
        if run.run_id is not None:
            self._remember(run.run_id, record)
        return run_document(record, run.run_id, self.folder)

    # --- History --------------------------------------------------------------------------------

    def store(self) -> HistoryStore:
        if self._store is None:
            self._store = HistoryStore.for_workspace(self.folder)
        return self._store

    async def list_runs(self, function: str | None, status: str | None, limit: int) -> dict:
        if status is not None and status not in OUTCOMES:
            raise BadInput(f"status {status!r}: one of {', '.join(OUTCOMES)}")
        if not 1 <= limit <= 1000:
            raise BadInput(f"limit {limit}: from 1 to 1000")
        await self._recorded()
        store = self.store()
        return {"runs": [run.to_json() for run in store.list(function, status, limit=limit)],
                "total": store.count(function, status)}

    def show_run(self, run_id: str) -> dict:
        summary, record = self._run(run_id)
        return stored_run_document(summary, record, self.folder)

    def diff_runs(self, before: str, after: str) -> dict:
        from ..core.history.run_diff import diff_runs  # deepdiff only when diffing

        (left, left_record), (right, right_record) = self._run(before), self._run(after)
        return diff_document(diff_runs(left_record, right_record), left.id, right.id)

    def _run(self, run_id: str):
        wanted = run_id.strip().lower()
        mine = [rid for rid in self._unconfirmed if wanted and rid.startswith(wanted)]
        if len(mine) == 1:
            record = self._unconfirmed[mine[0]]
            return summary_from_row((mine[0], *summary_values(record))), record
        try:
            store = self.store()
            summary = store.summary(run_id)
            return summary, store.get(summary.id)
        except RunNotFound as error:
            raise BadInput(f"run {run_id!r}: {error}") from None

    def _remember(self, run_id: str, record: RunRecord) -> None:
        self._unconfirmed[run_id] = record
        self._confirmed.clear()
        while len(self._unconfirmed) > MAX_UNCONFIRMED:
            self._unconfirmed.pop(next(iter(self._unconfirmed)))

    def _on_recorded(self, run_id: str) -> None:
        self._unconfirmed.pop(run_id, None)
        if not self._unconfirmed:
            self._confirmed.set()

    async def _recorded(self) -> None:
        if self._unconfirmed:
            try:
                await asyncio.wait_for(self._confirmed.wait(), RECORDING_WAIT_S)
            except asyncio.TimeoutError:
                pass  # a busy file: what is written is listed; the rest is there on the next call

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
