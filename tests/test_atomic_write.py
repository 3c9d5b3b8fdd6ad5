"""Interrupted saves: a writer killed with SIGKILL mid-save leaves its temporary file behind, and the
next save or listing in that folder removes it for good once it is stale (never a live writer's)."""

import os
import signal
import subprocess
import sys
import textwrap
import time

from workbench.core.workspace.atomic_write import ABANDONED_AFTER_S, STALE_AFTER_S, remove_stale_temp_files, write_text_atomic
from workbench.core.workspace.preset_store import PresetStore

# Saves a big preset; the disk "hangs" in fsync (as a slow or failing disk does), so the kill lands mid-save.
KILLED_WRITER = textwrap.dedent('''
    import os, sys, time
    from workbench.core.workspace.atomic_write import write_text_atomic

    def hanging_fsync(fd):
        print("in fsync", flush=True)
        time.sleep(600)

    os.fsync = hanging_fsync
    write_text_atomic(sys.argv[1], '{"big": "' + "x" * (4 << 20) + '"}')
''')


def _hidden(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _age(folder, seconds):
    for path in folder.iterdir():
        if path.name.startswith("."):
            stamp = time.time() - seconds
            os.utime(path, (stamp, stamp))


def test_saves_killed_mid_write_leave_nothing_for_good(tmp_path):
    """Five writers killed with SIGKILL mid-save leave five temporary files (20 MB); once stale, opening
    the workspace (listing its presets) removes them all, and the preset keeps its last good content."""
    events = tmp_path / "events"
    events.mkdir()
    preset = events / "order.json"
    preset.write_text('{"order": 1}')
    for _ in range(5):
        writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(preset)], stdout=subprocess.PIPE,
                                  text=True)
        assert writer.stdout.readline() == "in fsync\n"
        writer.send_signal(signal.SIGKILL)
        writer.wait(10)
    leftovers = _hidden(events)
    assert len(leftovers) == 5, leftovers
    # Fresh leftovers may still be someone's write in progress: kept.
    assert PresetStore(tmp_path).list("OrderFunction") and _hidden(events) == leftovers
    _age(events, STALE_AFTER_S + 1)
    listed = PresetStore(tmp_path).list("OrderFunction")
    assert _hidden(events) == []
    assert [(p.name, p.text) for p in listed] == [("order", '{"order": 1}')]


def test_a_save_removes_stale_leftovers_beside_it_but_not_a_live_writers(tmp_path):
    """Stale: its writer's pid is gone, or it has no pid (older versions), or it is over a day old.
    Kept: younger than a minute, or a running process's; files that only look alike stay too."""
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        names = {
            "dead_writer": f".a.json.{dead.pid}-0123abcd.tmp",
            "no_pid": ".a.json.89abcdef.tmp",
            "live_writer": f".a.json.{live.pid}-00000000.tmp",
            "live_writer_ancient": f".b.json.{live.pid}-11111111.tmp",
            "fresh_dead_writer": f".c.json.{dead.pid}-22222222.tmp",
            "lookalike": ".notes.tmp",
            "plain": "draft.tmp",
        }
        for name in names.values():
            (tmp_path / name).write_text("partial")
        stale = time.time() - STALE_AFTER_S - 1
        for key in ("dead_writer", "no_pid", "live_writer", "lookalike", "plain"):
            os.utime(tmp_path / names[key], (stale, stale))
        ancient = time.time() - ABANDONED_AFTER_S - 1
        os.utime(tmp_path / names["live_writer_ancient"], (ancient, ancient))
        write_text_atomic(tmp_path / "a.json", "{}")
        left = {p.name for p in tmp_path.iterdir()}
        assert left == {"a.json", names["live_writer"], names["fresh_dead_writer"], names["lookalike"],
                        names["plain"]}
        assert remove_stale_temp_files(tmp_path / "missing") == []
    finally:
        live.kill()
        live.wait()
