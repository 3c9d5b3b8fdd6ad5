"""The toolbar's icons follow the theme: Run, Stop and Reset read on a dark toolbar as on a light one."""

from PySide6.QtGui import QColor, QPalette

from workbench.ui.run_toolbar import RunToolbar
from workbench.ui.theme import apply_theme


def _relative_luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def _contrast(first: QColor, second: QColor) -> float:
    light, dark = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _drawn_colour(toolbar: RunToolbar, action) -> QColor:
    """The mean colour of the icon's drawn pixels, as the toolbar button paints it."""
    image = toolbar.widgetForAction(action).grab().toImage()
    background = toolbar.palette().color(QPalette.ColorRole.Button)
    # The icon's pixels are the ones furthest from the button's face; take those that stand out.
    pixels = [image.pixelColor(x, y) for x in range(min(image.width(), 24)) for y in range(image.height())]
    marked = [p for p in pixels if abs(p.lightness() - background.lightness()) > 40]
    assert marked, "the icon drew nothing that stands out from the button"
    return QColor(sum(p.red() for p in marked) // len(marked), sum(p.green() for p in marked) // len(marked),
                  sum(p.blue() for p in marked) // len(marked))


def test_run_stop_and_reset_icons_read_on_the_dark_toolbar_and_again_on_the_light_one(qtbot):
    """Dark theme: the icons are light against the dark toolbar (contrast 3:1 at least, as WCAG asks of
    graphics); switching back to light, they turn dark again."""
    toolbar = RunToolbar()
    qtbot.addWidget(toolbar)
    toolbar.show()
    try:
        apply_theme("dark")
        qtbot.wait(10)
        face = toolbar.palette().color(QPalette.ColorRole.Window)
        for action in (toolbar.run_action, toolbar.reset_action):
            drawn = _drawn_colour(toolbar, action)
            assert drawn.lightness() > 150, action.text()
            assert _contrast(drawn, face) >= 3, action.text()
        apply_theme("light")
        qtbot.wait(10)
        face = toolbar.palette().color(QPalette.ColorRole.Window)
        drawn = _drawn_colour(toolbar, toolbar.run_action)
        assert drawn.lightness() < 110
        assert _contrast(drawn, face) >= 3
    finally:
        apply_theme("system")
