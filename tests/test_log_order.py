"""stdout and stderr reach the log in the order they were written: as on Lambda, where both are one
pipe (RAPID hands the runtime the same writer for both, and Go's os/exec then gives it one pipe)."""

import textwrap

from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_result import Status

INTERLEAVED = textwrap.dedent('''
    import os, sys

    def handler(event, context):
        # Straight to the file descriptors, one write per line, alternating as fast as they go.
        for i in range(event["lines"]):
            os.write(1 + i % 2, b"line %d on %s\\n" % (i, b"stdout" if i % 2 == 0 else b"stderr"))
        print("printed last", flush=True)
        return "done"
''')

INTERLEAVED_NODE = textwrap.dedent('''
    exports.handler = async (event) => {
      for (let i = 0; i < event.lines; i++) {
        (i % 2 === 0 ? process.stdout : process.stderr).write(`line ${i} on ${i % 2 === 0 ? "stdout" : "stderr"}\\n`);
      }
      console.error("printed last");
      return "done";
    };
''')


def _expected(count):
    return [f"line {i} on {'stdout' if i % 2 == 0 else 'stderr'}" for i in range(count)] + ["printed last"]


def _body(ran):
    start = next(i for i, line in enumerate(ran.lines) if line.startswith("START "))
    end = next(i for i, line in enumerate(ran.lines) if line.startswith("END "))
    return ran.lines[start + 1:end]


def test_python_lines_on_stdout_and_stderr_keep_their_order(run, tmp_path):
    """2,000 lines alternating between stdout and stderr come out in exactly the order written."""
    (tmp_path / "interleave.py").write_text(INTERLEAVED)
    config = FunctionConfig(name="interleave", handler="interleave.handler", runtime="python3.12",
                            code_dir=str(tmp_path))
    for _ in range(3):  # cold, then warm: the order holds in both
        ran = run(config, {"lines": 2000})
        assert ran.result.status is Status.SUCCESS, ran.text
        assert _body(ran) == _expected(2000)


def test_node_lines_on_stdout_and_stderr_keep_their_order(run, tmp_path):
    """The same for Node's process.stdout and process.stderr (synchronous on pipes, on Linux)."""
    import shutil

    import pytest

    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    (tmp_path / "index.js").write_text(INTERLEAVED_NODE)
    config = FunctionConfig(name="interleave-node", handler="index.handler", runtime="nodejs20.x",
                            code_dir=str(tmp_path))
    ran = run(config, {"lines": 2000})
    assert ran.result.status is Status.SUCCESS, ran.text
    body = _body(ran)
    assert body[:-1] == _expected(2000)[:-1]
    assert body[-1].endswith("\tERROR\tprinted last")  # console.error in Lambda's own format
