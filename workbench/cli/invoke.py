"""`lambda-workbench invoke`: run a function headless, responses on stdout, Lambda's log on stderr.

The function comes from the workspace, as the window sees it (template.yaml, workbench.json, or the
folder's default function), or from --handler/--code-dir for a bare folder. Every acceptance rule is
core/function/invocation_request.py's, so the window and this command refuse the same inputs in the same words.

Exit status: 0 when every invocation succeeded, 1 when any failed, 2 for bad usage or input (and
then nothing is invoked), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from . import resume_collector
from .arguments import CommandParser, parse_arguments
from ..core.workspace.aws_settings import AwsSettings, load_aws_settings
from .local_services import add_aws_option, local_services
from .log_output import write_log
from ..core.function.function_config import RUNTIMES, FunctionConfig
from ..core.function.invocation_request import (Overrides, PreparedInvocation, RunProblem, find_function,
                                       prepare_invocation)
from ..core.vocabulary import RunSource

if TYPE_CHECKING:
    from ..core.history.run_record import RunRecord

PROG = "lambda-workbench invoke"


class UsageError(Exception):
    """Bad usage or input: reported on stderr, exit 2, nothing invoked."""


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=PROG, description="Invoke a Lambda function locally, as Lambda would run it.",
        epilog="Without --handler, the function comes from the workspace: its template.yaml (SAM), its "
               "workbench.json, or the folder's default function — the functions the window shows.")
    parser.add_argument("function_id", nargs="?", metavar="FUNCTION",
                        help="the workspace's function to invoke (optional when it has only one)")
    parser.add_argument("--workspace", metavar="DIR", default=None, help="workspace folder (default: .)")
    parser.add_argument("-t", "--template", help="SAM template file (default: the workspace's template.yaml)")
    parser.add_argument("--env-vars", metavar="FILE",
                        help='SAM-format variables: {"FunctionLogicalId": {...}, "Parameters": {...}}')
    parser.add_argument("--parameter-overrides", metavar="KEY=VALUE", action="append", default=[],
                        help="template parameter value (repeatable)")
    parser.add_argument("--code-dir", default=None, help="with --handler: the code folder (default: the workspace)")
    parser.add_argument("--handler", help="handler of a bare folder, e.g. lambda_function.lambda_handler")
    parser.add_argument("--runtime", default=None, choices=RUNTIMES, metavar="RUNTIME",
                        help=f"runtime (default python3.12 with --handler); one of: {', '.join(RUNTIMES)}")
    parser.add_argument("--function-name", default=None, help="with --handler: the function's name "
                                                               "(default: the code folder's name); with "
                                                               "--remote: the deployed function's name or ARN")
    parser.add_argument("-e", "--event", default=None, metavar="FILE", help="event JSON file; '-' reads stdin")
    parser.add_argument("--timeout", type=int, default=None, metavar="SECONDS", help="1 to 900 (default 3)")
    parser.add_argument("--memory", type=int, default=None, metavar="MB", help="128 to 10240 (default 128)")
    parser.add_argument("--architecture", choices=("x86_64", "arm64"), default=None)
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="environment variable (repeatable; the value may contain '=')")
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="N invocations in one warm environment")
    parser.add_argument("--cold", action="store_true", help="a new environment for every invocation")
    parser.add_argument("--report-json", metavar="FILE", help="write one JSON object per invocation to FILE")
    parser.add_argument("--debug-port", type=int, default=None, metavar="PORT",
                        help="wait on 127.0.0.1:PORT for your IDE's debugger before the code runs (Python: DAP, "
                             "as debugpy; Node.js: the inspector); the timeout counts running time only")
    parser.add_argument("--no-history", action="store_true", help="do not record the runs in the workspace's history")
    parser.add_argument("--full-cpu", action="store_true",
                        help="run with this machine's full CPU instead of Lambda's share of the memory size")
    add_aws_option(parser)
    remote = parser.add_argument_group("on AWS", "--remote runs the same call against the deployed function "
                                                 "(boto3, LogType=Tail; --function-name is its name or ARN)")
    remote.add_argument("--remote", action="store_true", help="invoke the deployed function instead")
    remote.add_argument("--profile", help="AWS profile: the deployed function's with --remote; otherwise the one whose "
                                          "credentials the local function gets (default: the workspace's, else "
                                          "botocore's chain: environment, AWS_PROFILE, ~/.aws)")
    remote.add_argument("--region", help="AWS region (default: the workspace's, else the profile's)")
    remote.add_argument("--endpoint-url", metavar="URL", help="another Lambda endpoint, e.g. lambda-workbench serve")
    return parser


def _key_values(pairs: list[str], option: str) -> tuple[tuple[str, str], ...]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"{option} {pair!r}: expected KEY=VALUE")
        values[key] = value
    return tuple(values.items())


def read_event(source: str | None, stdin: BinaryIO) -> tuple[bytes, str]:
    """The event's bytes, as given, and the name problems call it by (checked by prepare_invocation)."""
    if source is None:
        return b"{}", "<default event>"
    if source == "-":
        return stdin.read(), "<stdin>"
    try:
        return Path(source).read_bytes(), source
    except OSError as error:
        raise UsageError(f"cannot read event file {source}: {error.strerror or error}") from None


def _workspace_folder(args: argparse.Namespace) -> Path:
    folder = Path(args.workspace) if args.workspace else Path.cwd()
    if not folder.is_dir():
        raise UsageError(f"--workspace {args.workspace}: no such folder")
    return folder


def resolve_function(args: argparse.Namespace) -> FunctionConfig:
    """The function to run: a bare folder's (--handler), else the workspace's named one."""
    folder = _workspace_folder(args)
    if args.handler is not None:
        code_dir = Path(args.code_dir).resolve() if args.code_dir else folder.resolve()
        if not code_dir.is_dir():
            raise UsageError(f"--code-dir {args.code_dir}: no such folder")
        return FunctionConfig(name=args.function_name or code_dir.name or "function", handler=args.handler,
                              runtime=args.runtime or "python3.12", code_dir=str(code_dir))
    if args.code_dir:
        raise UsageError("--code-dir needs --handler; for a workspace's function use --workspace DIR")
    # Here, not at the top: a workspace's modules (SAM, YAML) only when it names the function; a bare
    # --handler call starts without them.
    from ..core.workspace.workspace import load_workspace

    env_vars = Path(args.env_vars).resolve() if args.env_vars else None
    if env_vars is not None and not env_vars.is_file():
        raise UsageError(f"--env-vars {args.env_vars}: no such file")
    workspace = load_workspace(folder, template=args.template,
                               extra_parameters=dict(_key_values(args.parameter_overrides, "--parameter-overrides")),
                               env_vars_path=env_vars)
    if workspace.problem and (args.template or args.env_vars):
        raise UsageError(workspace.problem.splitlines()[0])
    found = find_function(workspace, args.function_id)
    if isinstance(found, RunProblem):
        raise UsageError(str(found))
    return found


def prepare(args: argparse.Namespace, stdin: BinaryIO) -> PreparedInvocation:
    if args.repeat < 1:
        raise UsageError(f"--repeat {args.repeat}: must be 1 or more")
    function = resolve_function(args)
    region = args.region or load_aws_settings(_workspace_folder(args)).region
    overrides = Overrides(memory_mb=args.memory, timeout_s=args.timeout, architecture=args.architecture,
                          region=region,
                          runtime=args.runtime if args.handler is None else None,
                          environment=_key_values(args.env, "--env"), scale_cpu=False if args.full_cpu else None)
    event, source = read_event(args.event, stdin)
    prepared = prepare_invocation(function, event, source, overrides,
                                  preset=Path(args.event).stem if args.event not in (None, "-") else None)
    if isinstance(prepared, list):
        raise UsageError("\n".join(str(problem) for problem in prepared))
    return prepared


def aws_settings(args: argparse.Namespace) -> AwsSettings:
    """--profile and --region over the workspace's own AWS settings; in local mode (--aws, else the
    workspace's setting) the workspace's services host, joined or started."""
    folder = _workspace_folder(args)
    saved = load_aws_settings(folder)
    region = args.region or saved.region
    try:
        local = local_services(folder, args.aws, region)
    except Exception as error:  # a bad setting, or a host that cannot start: nothing is run
        raise UsageError(f"local AWS services: {error}") from None
    return AwsSettings(args.profile or saved.profile, region, saved.endpoints, local)


def report_document(record: RunRecord, environment=None) -> dict:
    """One machine-readable line of --report-json; environment is the run's FunctionEnvironment."""
    # Here: only --report-json masks; invoke's start-up before the head start does not load it
    from ..core.privacy.secret_masking import mask_bytes, text_secrets

    result = record.result
    doc: dict = {"requestId": result.request_id, "status": result.status.value, "errorType": result.error_type}
    # A report is kept: secret values in the response are masked there (stdout has it as returned).
    payload = mask_bytes(result.payload, text_secrets(record.config.environment, record.secrets))
    try:
        body = json.loads(payload)
    except (ValueError, RecursionError):  # nested too deep to re-encode: written as its text
        body = payload.decode("utf-8", errors="replace")
    doc["error" if result.error_type else "response"] = body
    doc.update({
        "durationMs": round(result.duration_ms, 3), "billedDurationMs": result.billed_duration_ms,
        "initDurationMs": None if result.init_duration_ms is None else round(result.init_duration_ms, 3),
        "memorySizeMB": result.memory_size_mb, "maxMemoryUsedMB": result.max_memory_used_mb,
        "architecture": result.architecture, "costUSD": result.cost_usd, "coldStart": record.cold,
        "coldReason": record.cold_reason,
        "containment": result.containment.as_json() if result.containment else None,
    })
    interpreter = environment.interpreter if environment is not None else None
    doc["interpreter"] = interpreter.report() if interpreter is not None else {
        "requested": record.config.runtime, "version": None, "path": None, "matches": False}
    return doc


def run_invocations(prepared: PreparedInvocation, repeat: int, cold: bool, stdout: TextIO, stderr: TextIO,
                    report: TextIO | None, history_folder: Path | None = None,
                    aws: AwsSettings = AwsSettings(), debug_port: int | None = None) -> int:
    """Run the calls; with history_folder, each is recorded into that workspace's history (in the
    background, so recording never lengthens a call; every record is written before this returns).
    aws: the profile, region and endpoints whose credentials and settings the function gets."""
    # The first environment starts before Qt and the engine are imported: its init runs beside them.
    from ..engine.head_start import start_ahead

    if debug_port is not None:
        # Here, and the two debugging imports below: only --debug-port needs them, not the head start's path
        import socket

        from ..core.debugging.attach_notes import attach_notice  # here: only --debug-port

        try:
            socket.create_server(("127.0.0.1", debug_port)).close()
        except OSError as error:
            stderr.write(f"{PROG}: error: --debug-port {debug_port}: 127.0.0.1:{debug_port} cannot be used "
                         f"({error.strerror or error})\n")
            return 2
        # Here: only --debug-port builds a debug request
        from ..core.debugging.debug_model import DebugRequest

        for line in attach_notice(prepared.config.runtime, debug_port, prepared.config.name):
            stderr.write(line + "\n")
        stderr.flush()
        # Started by the engine with its debugger loaded first, never ahead without it.
        return _run_in_session(prepared, repeat, cold, stdout, stderr, report, history_folder, aws, None,
                               DebugRequest(port=debug_port))
    head_start = start_ahead(prepared.config, dict(os.environ), aws.profile, aws.region, dict(aws.endpoints),
                             aws.local)
    try:
        return _run_in_session(prepared, repeat, cold, stdout, stderr, report, history_folder, aws, head_start)
    finally:
        if head_start is not None:
            head_start.discard()


def _run_in_session(prepared: PreparedInvocation, repeat: int, cold: bool, stdout: TextIO, stderr: TextIO,
                    report: TextIO | None, history_folder: Path | None, aws: AwsSettings, head_start,
                    debug=None) -> int:
    # Imported here, after the head start: its runtime's init runs while Qt and the engine load.
    from PySide6.QtCore import QEventLoop

    from ..engine.qt_startup import core_application, on_interrupt  # here: after the head start, as Qt is
    from ..engine.run_session import RunSession  # here: after the head start: the engine loads beside the init
    from .stream_output import StreamedStdout  # here: after the head start (imports QtCore)

    app = core_application()  # its cycle collector comes after the first call (resume_collector)
    session = RunSession(parent=app)
    session.history_problem.connect(lambda text: stderr.write(f"{PROG}: warning: {text}\n"))
    if history_folder is not None:
        from ..engine.history_writer import history_writer_for  # here: --no-history never loads the writer

        session.set_history(history_writer_for(history_folder, app))
    session.engine.builder.set_aws(aws.profile, aws.region, dict(aws.endpoints), aws.local)
    failed = False
    running = [None]  # the call under way, for Ctrl+C
    # Ctrl+C or SIGTERM stops the running call (killing its environment) instead of leaving it behind.
    with on_interrupt(lambda: running[0] is not None and running[0].cancel()) as interrupted:
        try:
            for number in range(repeat):
                if interrupted:
                    break
                if number == 1:
                    resume_collector(app)  # off for the start-up only (cli.run)
                run = session.run(prepared, source=RunSource.CLI, cold=cold, head_start=head_start, debug=debug)
                head_start = None
                running[0] = run
                loop = QEventLoop()
                run.log_lines.connect(lambda lines: write_log(stderr, lines))
                streamed = StreamedStdout(stdout)
                run.response_chunk.connect(streamed.write_piece)
                run.finished.connect(loop.quit)
                loop.exec()
                record = run.record
                if not streamed.finish(record.result):
                    stdout.write(record.result.payload_text().replace("\n", "\\n") + "\n")
                    stdout.flush()
                if report is not None:
                    report.write(json.dumps(report_document(record, run.invocation.environment)) + "\n")
                failed = failed or not record.result.succeeded
        finally:
            session.shutdown()
    if interrupted:
        stderr.write(f"{PROG}: interrupted\n")
        return 130
    return 1 if failed else 0


def main(argv: list[str], stdin: BinaryIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin.buffer
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = parse_arguments(build_parser(), argv)
    if isinstance(args, int):
        return args
    try:
        prepared = prepare(args, stdin)
        report = open(args.report_json, "w", encoding="utf-8") if args.report_json else None
    except UsageError as error:
        for line in str(error).splitlines():
            stderr.write(f"{PROG}: error: {line}\n")
        return 2
    except OSError as error:
        stderr.write(f"{PROG}: error: cannot write {args.report_json}: {error.strerror}\n")
        return 2
    folder = None if args.no_history else _workspace_folder(args)
    try:
        if args.remote:
            from .invoke_remote import run_remote  # here: only --remote needs boto3's side of the house

            return run_remote(prepared, args, stdout, stderr, report, folder)
        try:
            aws = aws_settings(args)
        except UsageError as error:
            stderr.write(f"{PROG}: error: {error}\n")
            return 2
        if args.debug_port is not None and not 1 <= args.debug_port <= 65535:
            stderr.write(f"{PROG}: error: --debug-port: {args.debug_port} is not a port (1 to 65535)\n")
            return 2
        return run_invocations(prepared, args.repeat, args.cold, stdout, stderr, report, folder, aws,
                               args.debug_port)
    finally:
        if report is not None:
            report.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
