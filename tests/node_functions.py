"""Shared by the Node.js runtime tests: a function config, what one call showed, and a skip where node is missing."""

import json
import re
import shutil
from dataclasses import dataclass, field

import pytest

from workbench.core.function.function_config import FunctionConfig

needs_node = pytest.mark.skipif(shutil.which("node") is None,
                                reason="node is not on PATH: install Node.js 18 or later to run these tests")

# A log event may span lines: a multi-line console.log is one framed record on the telemetry descriptor.
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t(?P<id>[^\t]+)\t(?P<level>[A-Z]+)\t(?P<message>.*)$",
                      re.DOTALL)


@dataclass
class NodeRan:
    """One finished invocation: its result and the log lines it produced."""

    result: object
    lines: list = field(default_factory=list)

    @property
    def doc(self):
        return json.loads(self.result.payload)

    def app_lines(self):
        """(request id, level, message) of every line the runtime wrote in Lambda's text format."""
        return [m.group("id", "level", "message") for m in map(LOG_LINE.match, self.lines) if m]


def node_function(code, handler, runtime="nodejs20.x", name=None, **settings):
    env = settings.pop("environment", {})
    return FunctionConfig(name=name or re.sub(r"\W", "-", f"{handler}-{runtime}"), handler=handler,
                          runtime=runtime, code_dir=str(code), environment=tuple(env.items()), **settings)
