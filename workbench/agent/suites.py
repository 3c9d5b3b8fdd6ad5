"""The longer tools: presets run as tests, a memory sweep, the dependency report and event templates,
each driving the engine's own SuiteRun / TuneRun / environment planner, as the command line does."""

from __future__ import annotations

from pathlib import Path

from ..core.agent.workspace_documents import template_document
from ..core.child.environment_report import report_lines
from ..core.workspace.event_templates import UnknownEvent, UnknownTag, list_events, list_services, render_event
from ..core.history.history_store import history_path
from ..core.tuning.memory_sweep import DEFAULT_RUNS, parse_sizes, recommend
from ..engine.suite_run import SuiteRun, session_starter, suite_services
from .desk import SOURCE, AgentDesk, BadInput, signalled
import json
from ..core.expectations.junit_report import write_junit
from ..core.expectations.case_plan import PlanError, plan_tests
from ..core.expectations.case_report import report_document, summarise
from ..core.tuning.tune_report import cpu_note, speed_verdict, sweep_document
from ..engine.tune_run import TuneRun

# Where run_tests writes its JUnit file unless told: beside the history, in the folder git never sees.
JUNIT_NAME = "agent-tests.junit.xml"
# A sweep through an agent is meant to answer quickly: fewer calls per size than the command line's.
AGENT_TUNE_RUNS = 5


def event_templates(service: str | None) -> dict:
    services = list_services()
    if service is None:
        chosen = services
    elif service in services:
        chosen = [service]
    else:
        raise BadInput(f"service {service!r}: not a service with event templates (services: {', '.join(services)})")
    return {"services": services, "templates": [template_document(t) for s in chosen for t in list_events(s)]}


def generate_event(service: str, event: str, values: dict[str, str] | None) -> dict:
    try:
        text = render_event(service, event, values or {})
    except (UnknownEvent, UnknownTag) as error:
        raise BadInput(f"{error} (choices: {', '.join(error.choices)})") from None
    return {"service": service, "event": event, "document": json.loads(text), "text": text}


async def run_tests(desk: AgentDesk, functions: list[str] | None, preset_glob: str | None, cold: bool,
                    junit: str | None) -> dict:
    workspace = desk.workspace()
    if workspace.problem:
        raise BadInput(workspace.problem)
    try:
        plan = plan_tests(workspace, functions or None, preset_glob)
    except PlanError as error:
        raise BadInput(str(error)) from None
    if plan.problems:
        raise BadInput("\n".join(_relative(str(p), desk.folder) for p in plan.problems)
                       + f"\n{len(plan.problems)} broken file(s); nothing was run")
    if preset_glob and not plan.cases:
        raise BadInput(f"preset {preset_glob!r} matches no preset")
    junit_path = _junit_path(desk.folder, junit)
    run = SuiteRun(list(plan.cases), session_starter(desk.session, source=SOURCE), cold=cold,
                   services=suite_services(desk.session))
    finished = signalled(run.finished)
    run.start()
    await finished
    summary = summarise(run.results, run.seconds)
    write_junit(run.results, junit_path)
    document = report_document(run.results, summary)
    for case in document["cases"]:
        for key in ("presetFile", "expectationFile"):
            if case.get(key):
                case[key] = _relative(case[key], desk.folder)
    return {**document, "ok": summary.ok, "junitPath": _relative(str(junit_path), desk.folder)}


def _junit_path(folder: Path, junit: str | None) -> Path:
    if junit is None:
        path = history_path(folder).parent / JUNIT_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
    path = (folder / junit).resolve()
    if not path.parent.is_dir():
        raise BadInput(f"junitPath {junit}: no such folder {path.parent}")
    return path


def _relative(text: str, folder: Path) -> str:
    return text.replace(str(folder) + "/", "")


async def tune_memory(desk: AgentDesk, function: str, preset: str, sizes: list[int] | None,
                      runs: int | None) -> dict:
    try:
        chosen = parse_sizes(",".join(map(str, sizes))) if sizes else (128, 256, 512, 1024)
    except ValueError as error:
        raise BadInput(f"sizes: {error}") from None
    runs = AGENT_TUNE_RUNS if runs is None else runs
    if not 1 <= runs <= DEFAULT_RUNS * 10:
        raise BadInput(f"runs {runs}: from 1 to {DEFAULT_RUNS * 10}")
    prepared = desk.prepare(function, preset, None)
    results = []
    run = TuneRun(prepared, chosen, runs, session_starter(desk.session, source=SOURCE))
    run.call_finished.connect(lambda _size, sweep_run: results.append(sweep_run.result))
    finished = signalled(run.finished)
    run.start()
    await finished
    architecture = prepared.config.architecture
    recommendation = recommend(run.figures, architecture, cpu_note(results))
    return {"function": prepared.config.name, "preset": preset,
            "sizes": sweep_document(run.figures, recommendation, architecture),
            "fastestMB": recommendation.fastest, "cheapestMB": recommendation.cheapest,
            "balancedMB": recommendation.balanced, "note": recommendation.note,
            "speedVerdict": speed_verdict(recommendation, run.figures)}


def dependency_report(desk: AgentDesk, function: str) -> dict:
    """What the function's environment is made of, built or not (as `lambda-workbench deps --no-build`)."""
    config = desk.function(function)[1].config
    report = desk.session.describe_environment(config)
    return {
        "function": report.function, "runtime": report.runtime, "architecture": report.architecture,
        "interpreter": report.interpreter.report() if report.interpreter is not None else None,
        "manifest": report.manifest, "built": report.manifest is None or report.entry_built_at is not None,
        "packages": [{"name": p.name, "version": p.version} for p in report.packages],
        "layers": [layer.name for layer in report.layers], "sdk": report.sdk,
        "findings": [f"{f.package}: {f.message}" for f in report.findings],
        "sizeBytes": report.size_bytes, "overLimit": report.over_limit, "lines": report_lines(report),
    }
