"""`lambda-workbench test` with scenarios (core/scenarios): the suite runs on an asyncio loop over Qt's, beside
a front door and an Invoke API of the test's own session registered with the workspace's services host
(serve/scenario_stage.py), so a scenario's action sets off the runs its triggers make, each recorded as a run."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TextIO

import qasync
from PySide6.QtCore import QCoreApplication

from ..engine.qt_startup import on_interrupt
from ..engine.suite_run import SuiteRun, session_starter
from ..serve.scenario_stage import ScenarioStage

PROG = "lambda-workbench test"


def run_with_scenarios(plan, session, folder: Path, args, on_case, stderr: TextIO):
    """(the finished SuiteRun, interrupted?), or (None, False) when the functions could not be served."""
    loop = qasync.QEventLoop(QCoreApplication.instance(), already_running=False)
    asyncio.set_event_loop(loop)
    stage = ScenarioStage(session, folder)
    run = SuiteRun(list(plan.cases), session_starter(session), cold=args.cold, update=args.update,
                   scenario_starter=stage.starter)
    run.case_finished.connect(on_case)

    async def everything() -> bool:
        try:
            await stage.start()
        except Exception as error:  # noqa: BLE001 - a taken port, a host that cannot start: nothing runs
            stderr.write(f"{PROG}: error: scenarios need the functions served: {error}\n")
            return False
        for line in stage.lines:
            if ": error:" in line or ": warning:" in line:
                stderr.write(f"{PROG}: {line}\n")
        done = asyncio.get_running_loop().create_future()
        run.finished.connect(lambda _results: done.done() or done.set_result(True))
        run.start()
        try:
            await done
        finally:
            await stage.stop()
        return True

    with on_interrupt(run.cancel) as interrupted:
        with loop:
            started = loop.run_until_complete(everything())
    return (run if started else None), bool(interrupted)
