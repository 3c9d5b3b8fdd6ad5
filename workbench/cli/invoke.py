"""`lambda-workbench invoke`: run a function headless, responses on stdout, Lambda's log on stderr.

Exit status: 0 when every invocation succeeded, 1 when any failed, 2 for bad usage or input (and
then nothing is invoked).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sys
from pathlib import Path
from typing import TextIO

from ..core.function_config import RUNTIMES, FunctionConfig, validate_config
from ..core.invocation_result import InvocationResult
from ..core.json_check import check_json
from ..core.lambda_errors import MAX_REQUEST_BYTES, request_too_large_message


class UsageError(Exception):
    """Bad usage or input: reported on stderr, exit 2, nothing invoked."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lambda-workbench invoke",
        description="Invoke a Lambda function locally, as Lambda would run it.",
        epilog="Without --handler, the function comes from a SAM template (template.yaml in the current folder).")
    parser.add_argument("function_id", nargs="?", metavar="FUNCTION_LOGICAL_ID",
                        help="the template's function to invoke (optional when it has only one)")
    parser.add_argument("-t", "--template", help="SAM template file (default: ./template.yaml or ./template.yml)")
    parser.add_argument("--env-vars", metavar="FILE",
                        help='SAM-format variables: {"FunctionLogicalId": {...}, "Parameters": {...}}')
    parser.add_argument("--parameter-overrides", metavar="KEY=VALUE", action="append", default=[],
                        help="template parameter value (repeatable)")
    parser.add_argument("--code-dir", default=None, help="folder holding the function's code (default: .)")
    parser.add_argument("--handler", help="handler, e.g. lambda_function.lambda_handler")
    parser.add_argument("--runtime", default=None, choices=RUNTIMES, metavar="RUNTIME",
                        help=f"runtime (default python3.12); one of: {', '.join(RUNTIMES)}")
    parser.add_argument("--function-name", default=None, help="function name (default: the code folder's name)")
    parser.add_argument("-e", "--event", default=None, metavar="FILE", help="event JSON file; '-' reads stdin")
    parser.add_argument("--timeout", type=int, default=None, metavar="SECONDS", help="1 to 900 (default 3)")
    parser.add_argument("--memory", type=int, default=None, metavar="MB", help="128 to 10240 (default 128)")
    parser.add_argument("--architecture", choices=("x86_64", "arm64"), default=None)
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="environment variable (repeatable; the value may contain '=')")
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="N invocations in one warm environment")
    parser.add_argument("--cold", action="store_true", help="a new environment for every invocation")
    parser.add_argument("--report-json", metavar="FILE", help="write one JSON object per invocation to FILE")
    return parser


def _key_values(pairs: list[str], option: str) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"{option} {pair!r}: expected KEY=VALUE")
        values[key] = value
    return values


def read_event(source: str | None, stdin: TextIO) -> bytes:
    """The event bytes, checked as Lambda's Invoke API would check them."""
    if source is None:
        return b"{}"
    name = "<stdin>" if source == "-" else source
    try:
        text = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read event file {name}: {error}") from None
    problem = check_json(text)
    if problem is not None:
        raise UsageError(f"{name}:{problem.line}:{problem.column}: event is not valid JSON: {problem.message}")
    data = text.encode("utf-8")
    if len(data) > MAX_REQUEST_BYTES:
        raise UsageError(f"{name}: {request_too_large_message(len(data))}")
    return data


def _template_config(args: argparse.Namespace) -> FunctionConfig:
    from ..core.env_vars_file import EnvVarsFileError, apply_env_vars, load_env_vars_file
    from ..core.sam_template import TemplateError, find_template, load_template

    path = Path(args.template) if args.template else find_template(Path.cwd())
    if path is None:
        raise UsageError("no --handler given and no template.yaml in the current folder; "
                         "give --handler (and --code-dir) or -t TEMPLATE")
    overrides = _key_values(args.parameter_overrides, "--parameter-overrides")
    try:
        template = load_template(path, overrides)
    except (TemplateError, OSError) as error:
        raise UsageError(str(error)) from None
    ids = template.function_ids
    if args.function_id is None:
        if len(ids) != 1:
            raise UsageError(f"{path.name} has {len(ids)} functions; name one: {', '.join(ids) or 'none'}")
        function = template.functions[0]
    else:
        try:
            function = template.function(args.function_id)
        except KeyError as error:
            raise UsageError(error.args[0]) from None
    if args.env_vars:
        try:
            function = apply_env_vars(function, load_env_vars_file(args.env_vars))
        except EnvVarsFileError as error:
            raise UsageError(str(error)) from None
    if not function.runnable:
        raise UsageError(f"{function.logical_id} cannot run locally: {function.not_runnable_reason}")
    return function.config


def _direct_config(args: argparse.Namespace) -> FunctionConfig:
    code_dir = Path(args.code_dir or ".").resolve()
    if not code_dir.is_dir():
        raise UsageError(f"--code-dir {args.code_dir}: no such folder")
    runtime = args.runtime or "python3.12"
    handler = args.handler or ""
    return FunctionConfig(name=args.function_name or code_dir.name or "function", handler=handler,
                          runtime=runtime, code_dir=str(code_dir))


def resolve_config(args: argparse.Namespace) -> FunctionConfig:
    """The function to run: from the flags, or from a template with the flags on top."""
    if args.repeat < 1:
        raise UsageError(f"--repeat {args.repeat}: must be 1 or more")
    config = _template_config(args) if not args.handler and (args.template or args.function_id
                                                             or not args.code_dir) else _direct_config(args)
    changes: dict = {}
    if args.timeout is not None:
        changes["timeout_s"] = args.timeout
    if args.memory is not None:
        changes["memory_mb"] = args.memory
    if args.architecture:
        changes["architecture"] = args.architecture
    if args.runtime and args.handler is None:
        changes["runtime"] = args.runtime
    if args.env:
        env = config.env_dict()
        env.update(_key_values(args.env, "--env"))
        changes["environment"] = tuple(env.items())
    config = dataclasses.replace(config, **changes)
    problems = validate_config(config)
    if problems:
        raise UsageError("; ".join(p.message for p in problems))
    return config


def report_document(result: InvocationResult, cold: bool | None) -> dict:
    """One machine-readable line of --report-json."""
    doc: dict = {"requestId": result.request_id, "status": result.status.value, "errorType": result.error_type}
    try:
        body = json.loads(result.payload)
    except ValueError:
        body = result.payload_text()
    doc["error" if result.error_type else "response"] = body
    doc.update({
        "durationMs": round(result.duration_ms, 3), "billedDurationMs": result.billed_duration_ms,
        "initDurationMs": None if result.init_duration_ms is None else round(result.init_duration_ms, 3),
        "memorySizeMB": result.memory_size_mb, "maxMemoryUsedMB": result.max_memory_used_mb,
        "architecture": result.architecture, "costUSD": result.cost_usd, "coldStart": bool(cold),
    })
    return doc


def _write_lines(stream: TextIO, lines: list[str], tty: bool) -> None:
    text = "".join(f"{line}\n" for line in lines)
    stream.write(text.replace("\r", "\n") if tty else text)
    stream.flush()


def run_invocations(config: FunctionConfig, event: bytes, repeat: int, cold: bool,
                    stdout: TextIO, stderr: TextIO, report: TextIO | None) -> int:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from ..engine.engine import Engine, InvokeOptions

    app = QCoreApplication.instance() or QCoreApplication([])
    engine = Engine(app)
    failed = False
    # Lambda joins a Python error's lines with CR; on a terminal that would overwrite itself.
    tty = stderr.isatty()
    interrupted = _stop_on_interrupt(engine)
    try:
        for _ in range(repeat):
            if interrupted:
                break
            invocation = engine.invoke(config, event, InvokeOptions(cold=cold))
            interrupted.current = invocation
            loop = QEventLoop()
            invocation.log_lines.connect(lambda lines: _write_lines(stderr, lines, tty))
            invocation.finished.connect(loop.quit)
            loop.exec()
            result = invocation.result
            stdout.write(result.payload_text().replace("\n", "\\n") + "\n")
            stdout.flush()
            if report is not None:
                report.write(json.dumps(report_document(result, invocation.cold)) + "\n")
            failed = failed or not result.succeeded
    finally:
        engine.shutdown()
        interrupted.restore()
    if interrupted:
        stderr.write("lambda-workbench invoke: interrupted\n")
        return 130
    return 1 if failed else 0


class _Interrupt:
    """Ctrl+C or SIGTERM: stop the running call (killing its environment) instead of leaving it behind."""

    def __init__(self) -> None:
        self.current = None
        self.seen = False
        self._previous = {}

    def __bool__(self) -> bool:
        return self.seen

    def handle(self, _signum, _frame) -> None:
        self.seen = True
        if self.current is not None:
            self.current.cancel()

    def restore(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


def _stop_on_interrupt(engine) -> _Interrupt:
    from PySide6.QtCore import QTimer

    interrupt = _Interrupt()
    for signum in (signal.SIGINT, signal.SIGTERM):
        interrupt._previous[signum] = signal.signal(signum, interrupt.handle)
    # Python runs signal handlers only between bytecodes: a tick lets it in while Qt waits.
    ticker = QTimer(engine, interval=100)
    ticker.timeout.connect(lambda: None)
    ticker.start()
    return interrupt


def main(argv: list[str], stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
    try:
        config = resolve_config(args)
        event = read_event(args.event, stdin)
        report = open(args.report_json, "w", encoding="utf-8") if args.report_json else None
    except UsageError as error:
        stderr.write(f"lambda-workbench invoke: error: {error}\n")
        return 2
    except OSError as error:
        stderr.write(f"lambda-workbench invoke: error: cannot write {args.report_json}: {error.strerror}\n")
        return 2
    try:
        return run_invocations(config, event, args.repeat, args.cold, stdout, stderr, report)
    finally:
        if report is not None:
            report.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
