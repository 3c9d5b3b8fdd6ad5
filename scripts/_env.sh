# Sourced by scripts/run and scripts/test: makes .venv on first use and keeps it in step with pyproject.toml.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.installed-from"
want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ]; then
  echo "First run: creating a Python environment in $VENV" >&2
  "${PYTHON:-python3}" -m venv "$VENV"
fi
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  # Name what is being installed: the first install takes a while, and silence looks like a hang.
  names="$("$VENV/bin/python" -c 'import re, sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
wanted = project["dependencies"] + project["optional-dependencies"]["test"]
print(", ".join(dict.fromkeys(re.split(r"[<>=;\[ ]", d)[0] for d in wanted)))' "$ROOT/pyproject.toml" 2>/dev/null \
    || echo "the dependencies in pyproject.toml")"
  echo "Installing Lambda Workbench into $VENV with $names (PySide6 is about 280 MB; this takes a minute the first time)…" >&2
  started=$SECONDS
  # pip's own progress (each package collected, downloaded, installed) on stderr, so stdout stays the
  # command's own (scripts/run invoke ... | jq).
  "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar on -e "$ROOT[test]" 1>&2
  # Start-up cost of every command: Shiboken's support modules as plain files (its documented SBK_EMBED=0
  # switch) and everything compiled ahead, as a regular install has it; stale bytecode is simply ignored.
  SBK_EMBED=0 "$VENV/bin/python" -c "import PySide6.QtCore"
  "$VENV/bin/python" -m compileall -q -j 0 "$ROOT/workbench" \
    "$("$VENV/bin/python" -c 'import pathlib, shiboken6; print(pathlib.Path(shiboken6.__file__).parent / "files.dir")')" \
    >/dev/null || true
  echo "$want" > "$STAMP"
  echo "Installed in $((SECONDS - started)) s." >&2
fi
