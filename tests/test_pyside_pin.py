"""PySide6 stays on a release that does not corrupt None's reference count (6.12.0 on Python < 3.12)."""

import sys

import PySide6
from PySide6.QtCore import QObject


def test_void_calls_keep_none_refcount():
    """A thousand calls of a method returning nothing leave None's refcount where it was."""
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(1000):
        obj.setObjectName("x")
    after = sys.getrefcount(None)
    # Python 3.12+ makes None immortal (a constant huge count); before that a leak shows as -1000.
    assert after >= before - 10


def test_installed_pyside_respects_the_pin():
    """On Python < 3.12 the installed PySide6 is older than 6.12, as pyproject.toml pins it."""
    major, minor = (int(part) for part in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert (major, minor) < (6, 12), PySide6.__version__
