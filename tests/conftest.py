"""Test set-up: offscreen Qt before any QApplication exists, and no touching the user's settings."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
