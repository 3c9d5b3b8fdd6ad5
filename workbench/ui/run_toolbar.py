"""The toolbar: function picker, its runtime and limits, Run / Stop / Reset, and the environment badge."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QProgressBar, QSizePolicy, QStyle, QToolBar, QWidget

from .theme import palette_icon

_BADGE_STYLE = "QLabel {{ background: {bg}; color: white; border-radius: 4px; padding: 2px 8px; font-weight: 600; }}"
_BADGE_COLOURS = {"cold": "#5b6b7f", "building": "#805ad5", "starting": "#b7791f", "warm": "#2f855a",
                  "running": "#2b6cb0"}


class RunToolbar(QToolBar):
    sig_function_selected = Signal(str)
    """The user picked another function (its name)."""
    sig_run_requested = Signal()
    """Run (Ctrl+Enter, F5)."""
    sig_stop_requested = Signal()
    """Stop (Shift+F5)."""
    sig_reset_requested = Signal()
    """Reset environment: the next run starts cold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Run", parent)
        self.setObjectName("run_toolbar")
        self.setMovable(False)
        self.setIconSize(QSize(16, 16))
        self.function_combo = QComboBox(self)
        self.function_combo.setMinimumContentsLength(18)
        self.function_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.function_combo.setToolTip("Function")
        self.function_combo.currentTextChanged.connect(self._on_function_changed)
        self.addWidget(QLabel(" Function ", self))
        self.addWidget(self.function_combo)
        self.limits_label = QLabel(self)
        self.limits_label.setContentsMargins(6, 0, 6, 0)  # with Debug beside Run, whole at 1024 pixels
        self.addWidget(self.limits_label)
        self.interpreter_marker = QLabel(self, objectName="interpreter_marker")
        self.interpreter_marker.setStyleSheet("color: #b7791f; font-weight: bold;")
        # A widget in a toolbar is shown and hidden through its action.
        self._marker_action = self.addWidget(self.interpreter_marker)
        self._marker_action.setVisible(False)
        self.addSeparator()
        self.run_action = QAction("Run", self)
        self.run_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter"), QKeySequence("F5")])
        self.run_action.setToolTip("Run the function with the event (Ctrl+Enter, F5)")
        self.run_action.triggered.connect(self.sig_run_requested)
        self.stop_action = QAction("Stop", self)
        self.stop_action.setShortcut(QKeySequence("Shift+F5"))
        self.stop_action.setToolTip("Stop the running invocation and end its environment (Shift+F5)")
        self.stop_action.setEnabled(False)
        self.stop_action.triggered.connect(self.sig_stop_requested)
        self.reset_action = QAction("Reset environment", self)
        self.reset_action.setToolTip("Reset environment: discard the warm environment; the next run is a cold start")
        self.reset_action.setIconText("Reset")  # the toolbar's short label; menus keep the full text
        self.reset_action.triggered.connect(self.sig_reset_requested)
        self._paint_icons()
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.run_action, self.stop_action, self.reset_action):
            self.addAction(action)
        # Run is the primary action: its button reads bold.
        run_button = self.widgetForAction(self.run_action)
        font = run_button.font()
        font.setBold(True)
        run_button.setFont(font)
        run_button.setObjectName("run_button")
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)
        self.progress = QProgressBar(self)
        self.progress.setFixedWidth(140)
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self._progress_action = self.addWidget(self.progress)
        self.badge = QLabel(self)
        self.badge.setMinimumWidth(70)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addWidget(self.badge)
        self._elapsed_timer = QTimer(self, interval=50, timeout=self._tick)
        self._run_started = 0.0
        self._timeout_s = 3
        self._show_idle()
        self.set_environment_state("cold")

    # --- Public interface ----------------------------------------------------------------------

    def add_chip(self, chip: QWidget) -> None:
        """A chip that says something about the workspace (where AWS calls go), before the progress bar."""
        self.insertWidget(self._progress_action, chip)
        self.insertSeparator(self._progress_action)

    def set_functions(self, names: list[str], current: str | None) -> None:
        self.function_combo.blockSignals(True)
        self.function_combo.clear()
        self.function_combo.addItems(names)
        if current in names:
            self.function_combo.setCurrentText(current)
        self.function_combo.blockSignals(False)

    def set_limits(self, runtime: str, memory_mb: int, timeout_s: int, architecture: str) -> None:
        self._timeout_s = timeout_s
        if not self._elapsed_timer.isActive():
            self._show_idle()
        self.limits_label.setText(f"{runtime}  ·  {memory_mb} MB  ·  {timeout_s} s  ·  {architecture}")

    def set_interpreter_warning(self, warning: str | None, version: str = "") -> None:
        """A marker beside the runtime when the function runs on another interpreter version than its own."""
        self._marker_action.setVisible(bool(warning))
        self.interpreter_marker.setText(f"⚠ runs on {version}" if warning else "")
        self.interpreter_marker.setToolTip(warning or "")

    def set_running(self, running: bool) -> None:
        self.run_action.setEnabled(not running)
        self.stop_action.setEnabled(running)
        self.function_combo.setEnabled(not running)
        if running:
            self._run_started = time.monotonic()
            self.progress.setEnabled(True)
            self.progress.setValue(0)
            self._elapsed_timer.start()
            self._tick()
        else:
            self._elapsed_timer.stop()
            last = time.monotonic() - self._run_started
            self._show_idle(f"The last run took {last:.1f} s of its {self._timeout_s} s timeout")

    def pause_elapsed(self, paused: bool) -> None:
        """The debugged program stopped (True) or runs again: the bar stands still meanwhile, as the call's
        timeout does (it counts running time only)."""
        if not self.stop_action.isEnabled():
            return
        if paused and self._elapsed_timer.isActive():
            self._elapsed_timer.stop()
            self._paused_at = time.monotonic()
            self.progress.setFormat(self.progress.format() + " (paused)")
        elif not paused and not self._elapsed_timer.isActive():
            self._run_started += time.monotonic() - getattr(self, "_paused_at", time.monotonic())
            self._elapsed_timer.start()
            self._tick()

    def _show_idle(self, tip: str = "") -> None:
        # Idle: empty and greyed, naming the timeout the next run gets (it follows the settings).
        self.progress.setValue(0)
        self.progress.setEnabled(False)
        self.progress.setFormat(f"timeout {self._timeout_s} s")
        self.progress.setToolTip(tip or "The bar fills while a run goes, against the function's timeout")

    @Slot(str)
    def set_environment_state(self, state: str, cold_reason: str | None = None) -> None:
        """cold, starting, warm (ready) or running; with `cold_reason`, a warm environment that the next
        run will not use (the code or a setting changed, say) reads "cold next" and says why."""
        label = {"ready": "warm", "dead": "cold"}.get(state, state)
        if label == "warm" and cold_reason:
            self.badge.setText("cold next")
            self.badge.setStyleSheet(_BADGE_STYLE.format(bg=_BADGE_COLOURS["starting"]))
            self.badge.setToolTip(f"The next run starts a new environment: {cold_reason}")
            return
        self.badge.setText(label)
        self.badge.setStyleSheet(_BADGE_STYLE.format(bg=_BADGE_COLOURS.get(label, "#5b6b7f")))
        tip = {"cold": "No environment: the next run starts cold (Init Duration counted)",
               "warm": "A warm environment is waiting: the next run reuses it",
               "starting": "The runtime is initialising",
               "building": "Installing the function's dependencies (see the log)",
               "running": "An invocation is running"}.get(label, label)
        self.badge.setToolTip(tip + (f" ({cold_reason})" if label == "cold" and cold_reason else ""))

    # --- Qt overrides --------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        # A theme switch replaces the application's palette: the icons take its text colour again.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._paint_icons()
        super().changeEvent(event)

    # --- Internals -----------------------------------------------------------------------------

    def _paint_icons(self) -> None:
        # Qt's standard icons (one set on every platform, nothing to ship), in the palette's text colour.
        if not hasattr(self, "reset_action"):
            return  # a palette event while the toolbar is still being built
        style, palette = self.style(), self.palette()
        for action, pixmap in ((self.run_action, QStyle.StandardPixmap.SP_MediaPlay),
                               (self.stop_action, QStyle.StandardPixmap.SP_MediaStop),
                               (self.reset_action, QStyle.StandardPixmap.SP_BrowserReload)):
            action.setIcon(palette_icon(style, pixmap, palette))

    @Slot()
    def _tick(self) -> None:
        elapsed = time.monotonic() - self._run_started
        self.progress.setValue(min(1000, int(elapsed / max(self._timeout_s, 1) * 1000)))
        self.progress.setFormat(f"{elapsed:.1f} s of {self._timeout_s} s")

    @Slot(str)
    def _on_function_changed(self, name: str) -> None:
        if name:
            self.sig_function_selected.emit(name)
