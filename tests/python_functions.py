"""Shared by the Python engine tests: a function over the fixture handlers, and readers of what a call logged."""

import re

from workbench.core.function.function_config import FunctionConfig

TIMESTAMP_MS = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"


def fn(code, handler, name=None, **changes):
    values = dict(name=name or re.sub(r"[^A-Za-z0-9]", "-", handler), handler=handler, runtime="python3.12",
                  code_dir=str(code))
    values.update(changes)
    return FunctionConfig(**values)


def platform_lines(ran):
    return [line for line in ran.lines if line.startswith(("START ", "END ", "REPORT ", "INIT_REPORT "))]


def report_of(ran):
    reports = [line for line in ran.lines if line.startswith("REPORT ")]
    assert len(reports) == 1, ran.lines
    return reports[0]


def stack_entry(path, line, function, source):
    return f'  File "{path}", line {line}, in {function}\n    {source}\n'
