"""How each kind of log line is drawn (core/text/log_view_text.py sorts lines into kinds): platform lines muted
and bold, failures and errors red, warnings amber, in colours that stay readable on light and dark."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette, QTextCharFormat

from workbench.core.text.log_view_text import ERROR, PLAIN, PLATFORM, PLATFORM_FAILED, WARNING


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def line_formats(palette: QPalette) -> dict[int, QTextCharFormat]:
    """The character format of each line kind, for this palette."""
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    dark = is_dark(palette)
    muted = QColor.fromRgbF(*(t * 0.6 + b * 0.4 for t, b in zip(text.getRgbF()[:3], base.getRgbF()[:3])))
    red = QColor("#ff7b72" if dark else "#c62828")
    amber = QColor("#e3b341" if dark else "#9a6700")
    platform = QTextCharFormat()
    platform.setForeground(muted)
    platform.setFontWeight(QFont.Weight.Bold)
    failed = QTextCharFormat(platform)
    failed.setForeground(red)
    error, warning = QTextCharFormat(), QTextCharFormat()
    error.setForeground(red)
    warning.setForeground(amber)
    return {PLAIN: QTextCharFormat(), PLATFORM: platform, PLATFORM_FAILED: failed, WARNING: warning, ERROR: error}
