"""Light and dark palettes for the whole application (Fusion style, so both are readable everywhere)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyleFactory

_DARK = {
    QPalette.ColorRole.Window: "#1f2328", QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#16191d", QPalette.ColorRole.AlternateBase: "#22262b",
    QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#2a2f35",
    QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#2f6fb3",
    QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2a2f35",
    QPalette.ColorRole.ToolTipText: "#e6e6e6", QPalette.ColorRole.PlaceholderText: "#8b949e",
    QPalette.ColorRole.Link: "#6cb6ff", QPalette.ColorRole.Mid: "#3a4048", QPalette.ColorRole.Dark: "#111316",
}


_platform_palette: QPalette | None = None


def apply_theme(theme: str) -> None:
    """"light", "dark" or "system" (the platform's palette, as the application started with it)."""
    global _platform_palette
    app = QApplication.instance()
    if _platform_palette is None:
        _platform_palette = QPalette(app.palette())
    app.setStyle(QStyleFactory.create("Fusion"))
    if theme == "dark":
        palette = QPalette()
        for role, colour in _DARK.items():
            palette.setColor(role, QColor(colour))
        palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6e7681"))
        palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6e7681"))
        palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#6e7681"))
    elif theme == "light":
        palette = app.style().standardPalette()
    else:
        palette = _platform_palette
    app.setPalette(palette)


def palette_icon(style: QStyle, pixmap: QStyle.StandardPixmap, palette: QPalette, size: int = 16) -> QIcon:
    """One of the style's standard icons drawn in the palette's button text colour (and its disabled colour),
    so it reads on a dark toolbar as on a light one: Fusion draws some of them black whatever the palette."""
    source = style.standardIcon(pixmap)
    icon = QIcon()
    for mode, group in ((QIcon.Mode.Normal, QPalette.ColorGroup.Active),
                        (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled)):
        colour = palette.color(group, QPalette.ColorRole.ButtonText)
        for scale in (1, 2):
            shape = source.pixmap(size * scale, size * scale)
            tinted = QPixmap(shape.size())
            tinted.fill(Qt.GlobalColor.transparent)
            painter = QPainter(tinted)
            painter.drawPixmap(0, 0, shape)
            # Keep the shape's alpha, replace its colour.
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            painter.fillRect(tinted.rect(), colour)
            painter.end()
            icon.addPixmap(tinted, mode)
    return icon
