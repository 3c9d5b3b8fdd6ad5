"""The MCP server: the workspace's tools and resources on the official SDK's MCPServer.

Every tool declares its input schema (its typed parameters) and output schema (agent/schemas.py) and
answers with structured JSON. Annotations say which tools only read (readOnlyHint) and which change
things; changing tools refuse unless the server was started with --allow-write. Bad input is a tool
error (isError) whose text names what and where, and the server goes on serving.
"""

from __future__ import annotations

import asyncio

import json
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from . import schemas
from .desk import AgentDesk, BadInput
from .local_aws import LocalAws, LocalAwsUnavailable, NoLocalAws
from .suites import dependency_report, event_templates
from .suites import generate_event as generate_event_document
from .suites import run_tests as run_tests_document
from .suites import tune_memory as tune_memory_document
from importlib.metadata import PackageNotFoundError, version

NAME = "lambda-workbench"
INSTRUCTIONS = (
    "Lambda Workbench runs this workspace's AWS Lambda functions locally, as Lambda runs them (the Runtime "
    "API, warm and cold environments, the timeout and memory size enforced), with no Docker and no AWS "
    "account. Start with list_functions and list_presets; invoke returns the response or the error (its "
    "frames relative to the workspace), the log, every REPORT figure and the cost, and a runId that "
    "show_run and diff_runs take. Every run is kept in the workspace's history (source \"agent\").")
WRITE_REFUSED = ("{tool} changes the workspace and this server is read-only: start it with "
                 "`lambda-workbench mcp --allow-write` to allow it")

READ = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
# A call runs the user's code: it writes history and may do anything the function does.
RUNS_CODE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False,
                            open_world_hint=True)
WRITES = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False)

FunctionName = Annotated[str, Field(description="the workspace's function, as list_functions names it")]
RunId = Annotated[str, Field(description="a run id (8 hex digits) or an unambiguous prefix of one")]


def _version() -> str:
    try:
        return version("lambda-workbench")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0"


def _bad(error: Exception) -> ToolError:
    return ToolError(str(error))


def build_server(desk: AgentDesk, allow_write: bool = False, local_aws: LocalAws | None = None) -> MCPServer:
    """The server for one workspace. local_aws: its local AWS services (local_aws.HostLocalAws)."""
    server = MCPServer(NAME, title="Lambda Workbench", version=_version(), instructions=INSTRUCTIONS,
                       log_level="WARNING")
    aws = local_aws or NoLocalAws()

    def writable(tool: str) -> None:
        if not allow_write:
            raise ToolError(WRITE_REFUSED.format(tool=tool))

    # --- The workspace ------------------------------------------------------------------------------

    @server.tool(annotations=READ)
    async def list_functions() -> schemas.FunctionList:
        """The workspace's functions (template.yaml, workbench.json or the folder's handler)."""
        return desk.list_functions()

    @server.tool(annotations=READ)
    async def describe_function(function: FunctionName) -> schemas.FunctionDetail:
        """One function's configuration, each setting with where it came from; secret-looking variables masked."""
        try:
            return desk.describe_function(function)
        except BadInput as error:
            raise _bad(error) from None

    @server.tool(annotations=READ)
    async def list_presets(function: FunctionName) -> schemas.PresetList:
        """The function's presets (its own, then the shared ones), broken files named with their problem."""
        try:
            return desk.list_presets(function)
        except BadInput as error:
            raise _bad(error) from None

    @server.tool(annotations=READ)
    async def read_preset(function: FunctionName,
                    name: Annotated[str, Field(description="the preset's name, without .json")]) -> schemas.PresetContent:
        """One preset's event (parsed) and its text as written."""
        try:
            return desk.read_preset(function, name)
        except BadInput as error:
            raise _bad(error) from None

    @server.tool(annotations=WRITES)
    async def save_preset(name: Annotated[str, Field(description="the preset's name, without .json")],
                    event: Annotated[Any, Field(description="the event: any JSON value, or its JSON text")],
                    function: Annotated[str | None, Field(description="the function it belongs to; "
                                                          "omitted: shared by every function")] = None,
                    ) -> schemas.SavedPreset:
        """Write a preset file (events/<Function>/<name>.json, or events/<name>.json when shared). Needs --allow-write."""
        writable("save_preset")
        text = event if isinstance(event, str) else json.dumps(event, indent=2, ensure_ascii=False)
        try:
            return desk.save_preset(function, name, text)
        except BadInput as error:
            raise _bad(error) from None

    @server.tool(annotations=READ)
    async def list_event_templates(service: Annotated[str | None, Field(description="one service (s3, sqs, apigateway, "
                                                                  "...); omitted: all")] = None
                             ) -> schemas.TemplateList:
        """The sample events `generate_event` makes (the same as `sam local generate-event`), with their parameters."""
        try:
            return event_templates(service)
        except BadInput as error:
            raise _bad(error) from None

    @server.tool(annotations=READ)
    async def generate_event(service: str, event: str,
                       values: Annotated[dict[str, str] | None, Field(description="template parameters, "
                                                                      "e.g. {\"bucket\": \"my-bucket\"}")] = None,
                       ) -> schemas.GeneratedEvent:
        """A sample event from a template, parameters filled in (defaults otherwise)."""
        try:
            return generate_event_document(service, event, values)
        except BadInput as error:
            raise _bad(error) from None

    # --- Calls ------------------------------------------------------------------------------------

    @server.tool(annotations=RUNS_CODE)
    async def invoke(function: FunctionName,
                     preset: Annotated[str | None, Field(description="a preset's name (list_presets)")] = None,
                     event: Annotated[Any, Field(description="the event instead of a preset: any JSON value, "
                                                 "or its JSON text; omitted with no preset: {}")] = None,
                     cold: Annotated[bool, Field(description="start a new execution environment")] = False,
                     timeout: Annotated[int | None, Field(description="seconds, 1 to 900, for this call")] = None,
                     memory: Annotated[int | None, Field(description="MB, 128 to 10240, for this call")] = None,
                     variables: Annotated[dict[str, str] | None, Field(description="environment variables "
                                                                       "set for this call")] = None,
                     ) -> schemas.RunResult:
        """Run the function once, as Lambda would: the response or the error (type, message, frames), the
        log, every REPORT figure and the cost. The run is recorded in history (runId)."""
        text = None if event is None else (event if isinstance(event, str) else json.dumps(event))
        try:
            prepared = desk.prepare(function, preset, text, memory, timeout, variables)
        except BadInput as error:
            raise _bad(error) from None
        return await desk.invoke(prepared, cold)

    @server.tool(annotations=RUNS_CODE)
    async def run_tests(functions: Annotated[list[str] | None, Field(description="only these functions")] = None,
                        preset: Annotated[str | None, Field(description="only presets whose name matches "
                                                            "this glob, e.g. 'order-*'")] = None,
                        cold: bool = False,
                        junit_path: Annotated[str | None, Field(description="where to write JUnit XML, relative "
                                                                "to the workspace (default .workbench/"
                                                                "agent-tests.junit.xml)")] = None,
                        ) -> schemas.TestResults:
        """Every preset run as a test against its expectation (<preset>.expect.yaml): results as data and the JUnit file."""
        try:
            return await run_tests_document(desk, functions, preset, cold, junit_path)
        except BadInput as error:
            raise _bad(error) from None

    @server.tool(annotations=RUNS_CODE)
    async def tune_memory(function: FunctionName, preset: str,
                          sizes: Annotated[list[int] | None, Field(description="memory sizes in MB "
                                                                   "(default 128, 256, 512, 1024)")] = None,
                          runs: Annotated[int | None, Field(description="calls per size, the first cold "
                                                            "(default 5)")] = None,
                          ) -> schemas.TuneResults:
        """Run a preset at several memory sizes: Duration and cost per size, fastest, cheapest and balanced (a local estimate)."""
        try:
            return await tune_memory_document(desk, function, preset, sizes, runs)
        except BadInput as error:
            raise _bad(error) from None

    @server.tool(annotations=READ)
    async def dependencies(function: FunctionName) -> schemas.DependencyReport:
        """The function's environment: interpreter, requirements built or not, layers, SDK, deploy parity, size."""
        try:
            return dependency_report(desk, function)
        except BadInput as error:
            raise _bad(error) from None

    # --- History ----------------------------------------------------------------------------------

    @server.tool(annotations=READ)
    async def list_runs(function: Annotated[str | None, Field(description="only this function's runs")] = None,
                        status: Annotated[str | None, Field(description="success, error or timeout")] = None,
                        limit: Annotated[int, Field(description="newest N runs")] = 20) -> schemas.RunList:
        """Recorded runs, newest first: the window's, the command line's, serve's and this server's."""
        try:
            return await desk.list_runs(function, status, limit)
        except BadInput as error:
            raise _bad(error) from None

    @server.tool(annotations=READ)
    async def show_run(run_id: RunId) -> schemas.StoredRun:
        """One recorded run in full: event, configuration, response or error, log, figures."""
        try:
            return desk.show_run(run_id)
        except BadInput as error:
            raise _bad(error) from None

    @server.tool(annotations=READ)
    async def diff_runs(before: RunId, after: RunId) -> schemas.RunDiff:
        """What changed between two runs (the window's Compare): the response path by path, event,
        configuration and code changes, every REPORT figure with its delta, and the log."""
        try:
            return desk.diff_runs(before, after)
        except BadInput as error:
            raise _bad(error) from None

    # --- Local AWS (the workspace's services host, off the loop's thread: local_aws.py) ------------------

    @server.tool(annotations=READ)
    async def local_resources(service: Annotated[str | None, Field(description="one service (s3, dynamodb, sqs, "
                                                             "...); omitted: all")] = None) -> schemas.LocalResources:
        """The local AWS resources the functions use (buckets, tables, queues ...)."""
        try:
            return await asyncio.to_thread(aws.resources, service)
        except LocalAwsUnavailable as error:
            raise _bad(error) from None

    @server.tool(annotations=READ)
    async def outbox(limit: int = 50) -> schemas.Outbox:
        """What the functions sent out of the local AWS services (mail, notifications), newest first."""
        try:
            return await asyncio.to_thread(aws.outbox, limit)
        except LocalAwsUnavailable as error:
            raise _bad(error) from None

    @server.tool(annotations=WRITES)
    async def reset_local_aws(services: Annotated[list[str] | None, Field(
            description="the services to return to the seed (s3, dynamodb, sqs, sns, ses, events, "
                        "secretsmanager, ssm); omitted: all")] = None) -> schemas.ResetDone:
        """Return local AWS services to the workspace's seed state (what the functions wrote since is lost).
        Needs --allow-write."""
        writable("reset_local_aws")
        try:
            return await asyncio.to_thread(aws.reset, services)
        except LocalAwsUnavailable as error:
            raise _bad(error) from None

    _resources(server, desk)
    return server


def _resources(server: MCPServer, desk: AgentDesk) -> None:
    @server.resource("workbench://template", name="template", mime_type="text/plain",
                     description="The workspace's template.yaml (SAM), or its workbench.json when it has none")
    async def template() -> str:
        workspace = desk.workspace()
        path = workspace.template or desk.folder / "workbench.json"
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise ResourceError(f"{path.name}: {error.strerror or error}") from None

    @server.resource("workbench://presets/{function}/{name}", name="preset", mime_type="application/json",
                     description="A preset's event, as its file holds it")
    async def preset(function: str, name: str) -> str:
        try:
            return desk.preset(function, name)[1].text
        except BadInput as error:
            raise ResourceError(str(error)) from None

    @server.resource("workbench://runs/{run_id}/log", name="run log", mime_type="text/plain",
                     description="A recorded run's log, START to REPORT")
    async def run_log(run_id: str) -> str:
        try:
            return "\n".join(desk.show_run(run_id)["logs"]) + "\n"
        except BadInput as error:
            raise ResourceError(str(error)) from None

    @server.resource("workbench://runs/{run_id}/result", name="run result", mime_type="application/json",
                     description="A recorded run's outcome: the response or the error, REPORT figures, cost")
    async def run_result(run_id: str) -> str:
        try:
            document = desk.show_run(run_id)
        except BadInput as error:
            raise ResourceError(str(error)) from None
        keys = ("runId", "function", "status", "response", "error", "report", "costUSD", "coldStart")
        return json.dumps({key: document[key] for key in keys}, indent=2)
