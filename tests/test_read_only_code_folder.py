"""Lambda's code folder (/var/task) is read-only: a local run leaves the user's code folder as it found it."""

import os
from pathlib import Path

from node_functions import needs_node, node_function
from python_functions import fn


def _tree(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def test_a_python_run_writes_no_bytecode_into_the_code_folder(tmp_path, run):
    """A handler importing a module of its folder (and a package) leaves no __pycache__ behind, cold or warm."""
    code = tmp_path / "code"
    (code / "helpers").mkdir(parents=True)
    (code / "helpers" / "__init__.py").write_text("VALUE = 41\n")
    (code / "shared.py").write_text("def plus_one(value):\n    return value + 1\n")
    (code / "app.py").write_text("import shared\nimport helpers\n\n"
                                 "def handler(event, context):\n    return shared.plus_one(helpers.VALUE)\n")
    before = _tree(code)
    config = fn(code, "app.handler")
    assert run(config).text == "42"
    assert run(config).text == "42"
    assert _tree(code) == before
    assert not list(code.rglob("*.pyc"))


def test_bytecode_that_ships_with_the_code_is_left_alone(tmp_path, run):
    """Bytecode already in the folder (a package built with it) is left alone and still usable."""
    import py_compile

    code = tmp_path / "code"
    code.mkdir()
    (code / "shared.py").write_text("ANSWER = 7\n")
    compiled = py_compile.compile(str(code / "shared.py"), cfile=str(code / "__pycache__" / "shared.cpython-x.pyc"))
    (code / "app.py").write_text("import shared\n\ndef handler(event, context):\n    return shared.ANSWER\n")
    before = {path: os.stat(path).st_mtime_ns for path in map(str, code.rglob("*"))}
    assert run(fn(code, "app.handler")).text == "7"
    assert {path: os.stat(path).st_mtime_ns for path in map(str, code.rglob("*"))} == before
    assert Path(compiled).exists()


@needs_node
def test_a_node_run_writes_nothing_into_the_code_folder(code, invoke):
    """Node.js keeps no compile cache unless NODE_COMPILE_CACHE asks for one: nothing is added to the folder."""
    before = _tree(code)
    for _ in range(2):
        assert invoke(node_function(code, "intro.handler")).result.error_type is None
    assert _tree(code) == before
