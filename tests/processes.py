"""Looking at processes from tests: has a pid ended, and what still runs in a folder (Linux /proc)."""

import os


def process_gone(pid: int) -> bool:
    """True once pid has exited (a zombie waiting to be reaped counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def processes_in(folder) -> list[int]:
    """Live processes working in folder: a runtime and everything it starts run in the code folder."""
    folder = os.path.realpath(folder)
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and os.readlink(f"/proc/{entry}/cwd") == folder:
                found.append(int(entry))
        except OSError:
            continue  # gone meanwhile, or a zombie (no cwd left)
    return found
