"""The window's side of debugging (a collaborator of the main window, which only builds it and connects it):
breakpoints set in the code tabs' gutter and kept per workspace (.workbench/debug.json), the Debug actions,
and the panels of a stopped program. It follows every debugged run of the window's run session, whoever
started it (the window's Debug, Serve, a trigger, a test), so a stop anywhere shows here: the file opens at
the line (a dependency's read-only), the call stack, the selected frame's variables, the watches, and the
console evaluating in that frame."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from ...core.debugging.debug_book import DebugBook, load_book, save_book
from ...core.debugging.debug_model import Breakpoint, DebugRequest, StackFrame
from ...engine.run_session import Run, RunSession
from ..editors.editor_tabs import EditorTabs
from ..run_toolbar import RunToolbar
from ..testing.suite_dock import SuiteDock
from .call_stack_panel import CallStackPanel
from .debug_actions import DebugActions
from .debug_console import DebugConsole
from .variables_panel import VariablesPanel
from .watches_panel import WatchesPanel

AskText = Callable[[str, str, str], "str | None"]
"""ask_text(title, label, current) -> the text entered, or None when cancelled."""


def ask_with_dialog(parent: QWidget) -> AskText:
    def ask(title: str, label: str, current: str) -> str | None:
        text, accepted = QInputDialog.getText(parent, title, label, text=current)
        return text if accepted else None
    return ask


class WindowDebug(QObject):
    sig_debug_requested = Signal(object)
    """Debug was pressed: run the current preset with this DebugRequest (the window runs it as Run does)."""
    sig_notice = Signal(str)
    """A line for the status bar."""

    def __init__(self, session: RunSession, tabs: EditorTabs, toolbar: RunToolbar, tests_dock: SuiteDock,
                 workspace: Callable, parent: QWidget, ask_text: AskText | None = None) -> None:
        """workspace() is the open Workspace (or None); the toolbar names the current function and gets
        the Debug button, beside Run; the Tests dock gets Debug Case."""
        super().__init__(parent)
        self._session = session
        self._tabs = tabs
        self._workspace = workspace
        self._function_name = lambda: toolbar.function_combo.currentText() or None
        self._tests = tests_dock
        self._toolbar = toolbar
        self._ask_text = ask_text or ask_with_dialog(parent)
        self.actions = DebugActions(parent)
        toolbar.insertAction(toolbar.stop_action, self.actions.debug)
        # Its icon alone (the name in the tooltip and the Run menu): the toolbar stays whole at 1024 pixels.
        toolbar.widgetForAction(self.actions.debug).setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        # Debug is a way to run: it can start when Run can.
        toolbar.run_action.changed.connect(lambda: self.actions.debug.setEnabled(toolbar.run_action.isEnabled()))
        toolbar.sig_function_selected.connect(lambda _name: self.refresh_function())
        self.call_stack = CallStackPanel(parent)
        self.variables = VariablesPanel(parent)
        self.watches = WatchesPanel(parent)
        self.console = DebugConsole(parent)
        self.dock = None
        """The DebugDock holding the panels, once the window's layout has placed it (ui/window_layout.py)."""
        self.book = DebugBook()
        self._folder: Path | None = None
        self.run: Run | None = None
        """The debugged run the panels follow."""
        self.debug_session = None
        self._output_from = None
        self.frame: StackFrame | None = None
        self._marked = None  # the editor holding the stopped line's mark
        self._line_counts: dict[str, int] = {}
        self.actions.debug.triggered.connect(self.debug)
        self.actions.resume.triggered.connect(lambda: self._step("resume"))
        self.actions.step_over.triggered.connect(lambda: self._step("step_over"))
        self.actions.step_into.triggered.connect(lambda: self._step("step_into"))
        self.actions.step_out.triggered.connect(lambda: self._step("step_out"))
        self.actions.stop.triggered.connect(self.stop)
        self.actions.debug_next.toggled.connect(self._arm_next)
        tabs.sig_gutter_clicked.connect(self.toggle_breakpoint)
        tabs.sig_gutter_menu_requested.connect(self._gutter_menu)
        tabs.sig_file_opened.connect(self._on_file_opened)
        session.run_started.connect(self._follow)
        session.debug_armed.connect(lambda _name, _armed: self.refresh_function())
        self.call_stack.sig_frame_selected.connect(self.select_frame)
        self.watches.sig_added.connect(lambda text: self._set_book(self.book.with_watch(text)))
        self.watches.sig_removed.connect(lambda text: self._set_book(self.book.without_watch(text)))
        self.console.sig_evaluate_requested.connect(self.evaluate)
        panel = tests_dock.panel
        panel.sig_debug_requested.connect(self.debug_case)

    # --- Breakpoints -------------------------------------------------------------------------------

    def _current_book(self) -> DebugBook:
        """The open workspace's book, read when the workspace changed."""
        workspace = self._workspace()
        folder = Path(workspace.folder).resolve() if workspace is not None else None
        if folder != self._folder:
            self._folder = folder
            self.book, problem = load_book(folder) if folder is not None else (DebugBook(), "")
            if problem:
                self.sig_notice.emit(problem)
            self.watches.set_watches(self.book.watches)
            self._paint_all()
        return self.book

    @Slot(str, int)
    def toggle_breakpoint(self, path: str, line: int) -> None:
        self._set_book(self._current_book().toggled(_real(path), line))

    def set_breakpoint(self, path: str, line: int, condition: str = "", log_message: str = "") -> None:
        """Set the breakpoint on that line, with a condition or as a log point."""
        self._set_book(self._current_book().with_point(Breakpoint(_real(path), line, condition, log_message)))

    def request(self) -> DebugRequest:
        return DebugRequest(self._current_book().breakpoints)

    def _set_book(self, book: DebugBook) -> None:
        self._current_book()
        if book == self.book:
            return
        self.book = book
        if self._folder is not None:
            try:
                save_book(self._folder, book)
            except OSError as error:
                self.sig_notice.emit(f"Breakpoints not saved in {self._folder / '.workbench'}: {error}")
        self.watches.set_watches(book.watches)
        self._paint_all()
        session = self.debug_session
        if session is not None and not session.ended:
            session.set_breakpoints(book.breakpoints)
        name = self._function_name()
        if name and self._session.debug_armed_for(name):
            self._session.arm_debug(name, self.request())
        if self.frame is not None:
            self._evaluate_watches()

    def _paint_all(self) -> None:
        for path in self._tabs.open_paths():
            self._paint(str(path))

    def _paint(self, path: str) -> None:
        editor = self._tabs.editor_for(path)
        if editor is not None:
            marks = {line: "log" if p.log_message else "condition" if p.condition else "plain"
                     for line, p in self.book.in_file(_real(path)).items()}
            editor.gutter().set_marks(marks)

    @Slot(str)
    def _on_file_opened(self, path: str) -> None:
        self._current_book()
        self._paint(path)
        editor = self._tabs.editor_for(path)
        if editor is not None:
            self._line_counts[path] = editor.document().blockCount()
            editor.document().contentsChange.connect(
                lambda position, _removed, _added, p=path, e=editor: self._follow_edit(p, e, position))

    def _follow_edit(self, path: str, editor, position: int) -> None:
        """Lines inserted or removed above a breakpoint move it with its code."""
        count = editor.document().blockCount()
        delta = count - self._line_counts.get(path, count)
        self._line_counts[path] = count
        if delta and self.book.in_file(_real(path)):
            line = editor.document().findBlock(position).blockNumber() + 1
            self._set_book(self.book.moved_lines(_real(path), line + 1, delta))

    @Slot(str, int, QPoint)
    def _gutter_menu(self, path: str, line: int, at: QPoint) -> None:
        point = self._current_book().at(_real(path), line)
        menu = QMenu(self._tabs)
        if point is None:
            menu.addAction("Add Breakpoint", lambda: self.toggle_breakpoint(path, line))
        else:
            menu.addAction("Remove Breakpoint", lambda: self.toggle_breakpoint(path, line))
        menu.addAction("Add Conditional Breakpoint…" if point is None else "Edit Condition…",
                       lambda: self.edit_condition(path, line))
        menu.addAction("Add Log Point…" if point is None else "Edit Log Message…",
                       lambda: self.edit_log_message(path, line))
        menu.exec(at)

    def edit_condition(self, path: str, line: int) -> None:
        point = self._current_book().at(_real(path), line)
        text = self._ask_text("Breakpoint Condition", f"Stop at line {line} only when this expression is true:",
                              point.condition if point else "")
        if text is not None:
            self.set_breakpoint(path, line, text.strip(), point.log_message if point else "")

    def edit_log_message(self, path: str, line: int) -> None:
        point = self._current_book().at(_real(path), line)
        text = self._ask_text("Log Point", f"At line {line}, print this instead of stopping ({{expression}} "
                              "is replaced by its value):", point.log_message if point else "")
        if text is not None:
            self.set_breakpoint(path, line, point.condition if point else "", text.strip())

    # --- Debugging a call ----------------------------------------------------------------------------

    @Slot()
    def debug(self) -> None:
        self.sig_debug_requested.emit(self.request())

    @Slot(object)
    def debug_case(self, case) -> None:
        """A test case run under the debugger (the Tests panel's Debug Case)."""
        workspace = self._workspace()
        if workspace is None or case.prepared is None:
            return
        self._session.arm_debug(case.function, self.request())
        if self._tests.tests.run_case(case) is None:
            self._session.arm_debug(case.function, None)

    @Slot(bool)
    def _arm_next(self, checked: bool) -> None:
        name = self._function_name()
        if name and checked != self._session.debug_armed_for(name):
            self._session.arm_debug(name, self.request() if checked else None)
            if checked:
                self.sig_notice.emit(f"{name}: its next call, from anywhere, runs under the debugger")

    @Slot()
    def refresh_function(self) -> None:
        """The toggle shows whether the current function's next call is armed."""
        name = self._function_name()
        self.actions.debug_next.blockSignals(True)
        self.actions.debug_next.setChecked(bool(name) and self._session.debug_armed_for(name))
        self.actions.debug_next.blockSignals(False)

    @Slot(object)
    def _follow(self, run: Run) -> None:
        if run.invocation.options.debug is None or self.run is not None:
            return
        self.run = run
        self.actions.stop.setEnabled(True)
        run.invocation.debug_session_started.connect(self._attach)
        run.invocation.debug_paused.connect(self._toolbar.pause_elapsed)
        run.finished.connect(self._run_finished)
        if self.dock is not None:
            self.dock.bring_forward()
        self.call_stack.clear(f"Debugging {run.config.name}: running until a breakpoint…")

    @Slot(object)
    def _attach(self, session) -> None:
        if self.debug_session is session:
            return
        self._detach_session()
        self.debug_session = session
        session.sig_stopped.connect(self._on_stopped)
        session.sig_continued.connect(self._on_continued)
        session.sig_ended.connect(self._on_ended)
        if session is not self._output_from:
            # Output (log points) is followed until another session comes: it may land after the call ended.
            if self._output_from is not None:
                try:
                    self._output_from.sig_output.disconnect(self.console.append_output)
                except (RuntimeError, TypeError):
                    pass
            self._output_from = session
            session.sig_output.connect(self.console.append_output)
        if session.is_stopped:  # stopped in init code before the call was followed
            self._on_stopped(None)

    def _detach_session(self) -> None:
        session, self.debug_session = self.debug_session, None
        if session is None:
            return
        for signal, slot in ((session.sig_stopped, self._on_stopped), (session.sig_continued, self._on_continued),
                             (session.sig_ended, self._on_ended)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    @Slot(object)
    def _on_stopped(self, info) -> None:
        session = self.debug_session
        if session is None or session.stopped_thread is None:
            return
        self.actions.set_stopped(True)
        thread_id = session.stopped_thread
        why = getattr(info, "reason", "") or "paused"

        def threads_listed(threads) -> None:
            names = {thread.id: thread.name for thread in threads} if isinstance(threads, list) else {}
            session.stack_trace(thread_id, lambda frames: self._show_frames(frames, names.get(thread_id,
                                                                                              str(thread_id)), why))
        session.threads(threads_listed)
        self.sig_notice.emit(f"Stopped ({why}): F8 continues, F10 steps over, F11 steps into")

    def _show_frames(self, frames, thread: str, why: str) -> None:
        if not isinstance(frames, list) or self.debug_session is None or not self.debug_session.is_stopped:
            return
        self.call_stack.set_frames(frames, thread, why, str(self._folder) if self._folder else None)

    @Slot(object)
    def select_frame(self, frame: StackFrame) -> None:
        session = self.debug_session
        if session is None or frame is None:
            return
        self.frame = frame
        self._show_line(frame)
        session.scopes(frame.id, lambda scopes: self.variables.show_scopes(
            scopes if isinstance(scopes, list) else [], session.variables))
        self._evaluate_watches()

    def _show_line(self, frame: StackFrame) -> None:
        self._clear_line()
        if not frame.path or not os.path.isfile(frame.path):
            return
        outside = self._folder is None or not _real(frame.path).startswith(str(self._folder) + os.sep)
        try:
            editor = self._tabs.open_file(frame.path, read_only=outside)
        except OSError as error:
            self.sig_notice.emit(f"Could not open {frame.path}: {error.strerror or error}")
            return
        editor.go_to(frame.line, frame.column)
        editor.set_debug_line(frame.line)
        self._marked = editor

    def _clear_line(self) -> None:
        editor, self._marked = self._marked, None
        if editor is not None:
            try:
                editor.set_debug_line(None)
            except RuntimeError:
                pass  # its tab was closed

    def _evaluate_watches(self) -> None:
        session, frame = self.debug_session, self.frame
        for expression in self.book.watches:
            if session is None or frame is None or not session.is_stopped:
                continue
            session.evaluate(expression, frame.id, lambda answer, e=expression: self.watches.set_value(
                e, answer.value, answer.error))

    @Slot(str)
    def evaluate(self, expression: str) -> None:
        session = self.debug_session
        if session is None or not session.is_stopped or self.frame is None:
            self.console.append_answer(expression, "", "(the program is not stopped: nothing to evaluate in)")
            return
        session.evaluate(expression, self.frame.id,
                         lambda answer: self.console.append_answer(expression, answer.value, answer.error))

    def _step(self, name: str) -> None:
        session = self.debug_session
        if session is not None and session.is_stopped:
            getattr(session, name)()

    @Slot()
    def _on_continued(self) -> None:
        self.actions.set_stopped(False)
        self.frame = None
        self._clear_line()
        self.variables.clear_frame()
        self.watches.mark_running()
        if self.run is not None:
            self.call_stack.clear(f"Debugging {self.run.config.name}: running…")

    @Slot(str)
    def _on_ended(self, why: str) -> None:
        if why:
            self.console.append_output(f"[debugger] {why}")
        self._on_continued()
        self._detach_session()

    @Slot()
    def stop(self) -> None:
        """Stop the debugged call: its environment is killed, as the toolbar's Stop does."""
        if self.run is not None:
            self.run.cancel()

    @Slot(object)
    def _run_finished(self, record) -> None:
        run, self.run = self.run, None
        if run is not None:
            run.invocation.debug_session_started.disconnect(self._attach)
            run.invocation.debug_paused.disconnect(self._toolbar.pause_elapsed)
        self._on_continued()
        self._detach_session()  # the session may stay attached to the warm environment; the panels let go
        self.actions.stop.setEnabled(False)
        result = record.result
        self.call_stack.clear(f"{record.function}: the debugged call finished ({result.status.value})"
                              if hasattr(result.status, "value") else "The debugged call finished")


def _real(path: str) -> str:
    return os.path.realpath(path)
