"""The workbench window: composes the panels and wires their signals to the workspace and the runs."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QMainWindow, QSplitter

from ..core.lambda_rules.cold_reason import FIRST_CALL
from ..core.history.history_store import HistoryStore
from ..core.function.invocation_request import prepare_invocation
from ..core.function.new_function import handler_file
from ..core.workspace.workspace import Workspace, WorkspaceFunction, load_workspace, save_function
from ..engine.run_session import Run, RunSession
from ..engine.suite_run import session_starter
from .app_settings import AppSettings
from ..resources import resource_path
from .editors.code_locations import CodeLocations
from .editors.editor_tabs import EditorTabs
from .editors.event_editor import EventEditor
from .event_template_dialog import EventTemplateDialog
from .function_panels import FunctionPanels
from .function_settings import FunctionSettings
from .history.history_dock import HistoryDock
from .logs.log_panel import LogPanel
from .history.past_run_banner import PastRunBanner
from .preset_picker import PresetPicker
from .response_panel import ResponsePanel
from .run_toolbar import RunToolbar
from .serve_panel import ServePanel
from .summary_panel import SummaryPanel
from .testing.suite_dock import SuiteDock
from .history.tune_view import TuneView
from .preset_session import PresetSession
from .theme import apply_theme
from .editors.unsaved_question import CANCEL, DISCARD, SAVE, AskUnsaved, ask_unsaved_with_dialog
from .window_indicators import WindowIndicators
from .workspace_disk_watch import WorkspaceDiskWatch
from .window_history import WindowHistoryMixin
from .window_layout import build_layout, build_menus
from .workspace_actions import WorkspaceActionsMixin
from .workspace_tree import WorkspaceTree
from .dependencies_panel import DependenciesPanel
from .environment_section import EnvironmentSection

class MainWindow(WindowHistoryMixin, WorkspaceActionsMixin, QMainWindow):
    sig_run_finished = Signal(object)
    """A run started here finished and its result is on screen (the RunRecord)."""
    sig_run_on_aws_requested = Signal(object)
    """Run on AWS: the PreparedInvocation to send to the deployed function (the app wires who does)."""
    sig_workspace_opened = Signal(str)
    """Another workspace folder is open (serving follows it)."""

    def __init__(self, settings: AppSettings, session: RunSession | None = None,
                 ask_unsaved: AskUnsaved = ask_unsaved_with_dialog) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowIcon(QIcon(str(resource_path("icons", "lambda-workbench.svg"))))
        self.settings = settings
        self.session = session or RunSession(parent=self)
        self.current_run: Run | None = None
        self._ask_unsaved = ask_unsaved
        self.workspace: Workspace | None = None
        self.function: WorkspaceFunction | None = None

        self.toolbar = RunToolbar(self)
        self.addToolBar(self.toolbar)
        self.tree = WorkspaceTree(self)
        self.function_settings = FunctionSettings(self)
        self.tabs = EditorTabs(self)
        self.preset_picker = PresetPicker(self)
        self.event_editor = EventEditor(self)
        self.log_panel = LogPanel(self)
        self.response_panel = ResponsePanel(self)
        self.summary_panel = SummaryPanel(self)
        self.serve_panel = ServePanel(self)
        self.presets = PresetSession(self.preset_picker, self.event_editor, settings, ask_unsaved, self)
        self.workspace_watch = WorkspaceDiskWatch(self)
        self.history = HistoryDock(self)
        self.history_store: HistoryStore | None = None
        self.past_run_banner = PastRunBanner(self)
        self.code_locations = CodeLocations(self.tabs, self)
        self.dependencies_panel = DependenciesPanel(self)
        self.environment = EnvironmentSection(self.dependencies_panel, self.toolbar, self.log_panel, self.session, self)
        self.tests_dock = SuiteDock(session_starter(self.session), self)
        self.tune_view: TuneView | None = None
        self._build_layout()
        self._build_menus()
        self._connect()
        self.indicators = WindowIndicators(self)
        self.panels = FunctionPanels(self)
        self.statusBar().showMessage("Ready")
        # A first launch fits the screen; later launches restore what the user chose.
        available = self.screen().availableGeometry()
        self.resize(min(1360, int(available.width() * 0.95)), min(860, int(available.height() * 0.92)))

    # --- Composition ---------------------------------------------------------------------------

    def _build_layout(self) -> None:
        build_layout(self)

    def _build_menus(self) -> None:
        build_menus(self)

    def _connect(self) -> None:
        self.tree.sig_file_activated.connect(self.open_file)
        self.tree.sig_file_previewed.connect(lambda path: self.open_file(path, preview=True))
        self.tree.file_actions.sig_notice.connect(self._notice)
        self.tree.file_actions.sig_renamed.connect(self.tabs.follow_rename)
        self.workspace_watch.sig_definition_changed.connect(self._follow_workspace_files)
        self.log_panel.sig_location_clicked.connect(self.code_locations.open)
        self.response_panel.sig_location_clicked.connect(self.code_locations.open)
        self.code_locations.sig_notice.connect(self._notice)
        self.tabs.sig_changed_on_disk.connect(
            lambda path: self._notice(f"{Path(path).name} changed on disk: Reload or Keep Mine above it"))
        self.toolbar.sig_function_selected.connect(self.select_function)
        self.toolbar.sig_run_requested.connect(self.run)
        self.toolbar.sig_stop_requested.connect(self.stop)
        self.toolbar.sig_reset_requested.connect(self._reset_environment)
        self.function_settings.sig_config_changed.connect(self._on_config_changed)
        self.presets.sig_notice.connect(self._notice)
        self.environment.sig_notice.connect(self._notice)
        self.tests_dock.sig_notice.connect(self._notice)
        self.tests_dock.sig_run_requested.connect(self.run_tests)
        self.tests_dock.sig_case_selected.connect(self._show_case)
        self.sig_run_finished.connect(self._remember_run)
        self.history.sig_run_shown.connect(self._remember_run)
        self.tabs.sig_save_failed.connect(lambda path, reason: self._notice(f"Could not save {path}: {reason}"))
        self.tabs.sig_close_requested.connect(self._close_dirty_tab)
        self.session.environment_changed.connect(self._on_environment_changed)
        self.session.history_problem.connect(self._notice)
        self.session.run_recorded.connect(lambda _run_id: self.history.refresh())
        self.history.sig_run_shown.connect(self._show_past_run)
        self.history.sig_run_again_requested.connect(self._run_again)
        self.history.sig_save_event_requested.connect(self._save_event_as_preset)
        self.history.sig_notice.connect(self._notice)
        self.past_run_banner.sig_dismissed.connect(self._leave_past_run)

    # --- Workspace and function ----------------------------------------------------------------

    def open_workspace(self, folder: str | Path) -> None:
        workspace = load_workspace(folder)
        self.workspace = workspace
        self.workspace_watch.follow(workspace.folder)
        self.panels.forget()
        for panel in (self.log_panel, self.response_panel, self.code_locations):
            panel.set_workspace(workspace.folder)
        self.tree.set_root(workspace.folder)
        self.setWindowTitle(f"{workspace.folder.name} — Lambda Workbench")
        self.settings.remember_workspace(str(workspace.folder))
        self._open_history(workspace)
        self.environment.set_workspace(workspace.folder)
        names = workspace.function_names
        current = self.settings.last_function(str(workspace.folder))
        current = current if current in names else (names[0] if names else None)
        self.toolbar.set_functions(names, current)
        if workspace.problem:
            self._notice(workspace.problem.splitlines()[0])
        if current:
            self.select_function(current)
        self.sig_workspace_opened.emit(str(workspace.folder))

    @Slot()
    def _follow_workspace_files(self) -> None:
        """workbench.json or template.yaml changed elsewhere: the function list and settings follow."""
        if self.workspace is None:
            return
        workspace = load_workspace(self.workspace.folder)
        self.workspace = workspace
        names = workspace.function_names
        current = self.function.config.name if self.function else None
        self.toolbar.set_functions(names, current)
        if workspace.problem:
            self._notice(workspace.problem.splitlines()[0])
        if current not in names:
            if names:
                self.select_function(names[0])
            return
        function = workspace.function(current)
        if function != self.function:
            self.function = function
            self.function_settings.set_config(function.config)
            self.function_settings.set_origins(dict(function.origins))
            self._show_limits()
            self._notice(f"{current}: settings reloaded from disk")

    @Slot(str)
    def select_function(self, name: str) -> None:
        if self.workspace is None or self.workspace.function(name) is None:
            return
        self.function = self.workspace.function(name)
        config = self.function.config
        self.settings.remember_function(str(self.workspace.folder), name)
        self.panels.show_function(name)
        self.function_settings.set_config(config)
        self.function_settings.set_origins(dict(self.function.origins))
        self._show_limits()
        self.environment.set_function(config)
        self.toolbar.set_environment_state(self.session.environment_state(name))
        self.presets.set_function(str(self.workspace.folder), name)
        source = handler_file(config.code_dir, config.handler)
        if source is not None:
            self.open_file(str(source))
            if self.function.proposed:
                self._notice(f"{name}: {config.handler} ({config.runtime}) found in {source.name}; it is written to "
                             "workbench.json when you change a setting or add a function.")
        else:
            self._notice(f"{name}: no file defines {config.handler} yet. File > New Function writes a starter, "
                         "or set the Handler to a function in your code.")

    def open_file(self, path: str, preview: bool = False) -> None:
        """Open a file in a tab (the handler's file, one double-clicked), or with `preview` in the preview tab."""
        try:
            self.tabs.open_file(path, preview)
        except OSError as error:
            self._notice(f"Could not open {path}: {error.strerror or error}")

    @Slot(str)
    def _close_dirty_tab(self, path: str) -> None:
        answer = self._ask_unsaved(self, f"{Path(path).name} has unsaved changes.")
        if answer == CANCEL:
            return
        if answer == SAVE:
            try:
                self.tabs.save_file(path)
            except OSError as error:
                self._notice(f"Could not save {path}: {error.strerror or error}")
                return
        self.tabs.close_file(path)

    @Slot(object)
    def _on_config_changed(self, config) -> None:
        if self.workspace is None or self.function is None:
            return
        try:
            self.workspace = save_function(self.workspace, config)
        except (OSError, ValueError) as error:
            self._notice(f"Settings not saved: {error}")
            return
        self.workspace_watch.acknowledge(self.workspace.folder)
        previous_handler = self.function.config.handler
        self.function = self.workspace.function(config.name)
        self._show_limits()
        if config.handler != previous_handler and (source := handler_file(config.code_dir, config.handler)):
            self.open_file(str(source))  # the new handler's file is what one edits next
        self.environment.set_function(self.function.config)

    def _show_limits(self) -> None:
        config = self.function.config
        self.toolbar.set_limits(config.runtime, config.memory_mb, config.timeout_s, config.architecture)

    # --- Events -------------------------------------------------------------------------------

    def _new_event_from_template(self) -> None:
        dialog = EventTemplateDialog(self)
        if dialog.exec() and dialog.event_text():
            self.presets.start_new(dialog.suggested_name(), dialog.event_text())

    # --- Running -------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.current_run is not None

    @Slot()
    def run(self) -> None:
        if self.running:
            self._notice("A call is already running: stop it first (Shift+F5).")
            return
        prepared = self.prepare_current()
        if prepared is not None:
            self._start(self.session.run(prepared, source="window"))

    def prepare_current(self):
        """The current function and event as a call Lambda would accept (edits saved first), else None
        with the reason in the status bar."""
        if self.function is None:
            return None
        problems = self.function_settings.problems()
        if problems:
            self._notice(f"Fix the function settings first: {problems[0]}")
            return None
        problem = self.event_editor.validate_now()
        if problem is not None:
            self._notice(f"Event is not valid JSON: {problem}")
            self.event_editor.setFocus()
            return None
        try:
            self.tabs.save_all()
        except OSError as error:
            self._notice(f"Not run: could not save {error.filename}: {error.strerror}")
            return None
        current = self.presets.current
        preset = current.name if current is not None and not self.event_editor.is_modified() else None
        prepared = prepare_invocation(self.function.config, self.event_editor.text(),
                                      preset or "the event editor", preset=preset)
        if isinstance(prepared, list):
            self._notice(str(prepared[0]))
            return None
        return prepared

    def _request_run_on_aws(self) -> None:
        prepared = self.prepare_current()
        if prepared is not None:
            self.statusBar().showMessage(f"Running {prepared.config.name} on AWS…")
            self.sig_run_on_aws_requested.emit(prepared)

    @Slot(object)
    def show_remote_record(self, record) -> None:
        """A run on AWS: its log tail, response and REPORT figures, shown as a local run's are."""
        self.log_panel.append_to(record.function, [f"--- {record.function} on AWS ---", *record.log])
        self.panels.remember(record.function, record.result)
        self.response_panel.show_result(record.result)
        self.summary_panel.show_result(record.result)
        outcome = "succeeded" if record.result.succeeded else f"failed: {record.result.error_type}"
        self.statusBar().showMessage(f"{record.function} on AWS {outcome} in {record.result.duration_ms:.2f} ms "
                                     f"(billed {record.result.billed_duration_ms} ms)")

    def _start(self, run: Run) -> None:
        self.current_run = run
        run.started.connect(lambda cold, r=run: self._on_run_started(r, cold))
        # To its function's own log, whichever the panel shows.
        run.log_lines.connect(partial(self.log_panel.append_to, run.config.name))
        run.finished.connect(self._on_run_finished)

    @Slot()
    def stop(self) -> None:
        if self.current_run is not None:
            self.current_run.cancel()

    @Slot()
    def run_tests(self):
        """Save edited files, then run every preset as a test in the Tests dock; the SuiteRun, or None."""
        if self.workspace is None or not self.save_all():
            return None
        return self.tests_dock.run(self.workspace)

    @Slot()
    def tune_memory(self) -> TuneView | None:
        """Open the Tune view on the current preset (or the edited event)."""
        if self.function is None:
            return None
        current = self.presets.current
        preset = current.name if current is not None and not self.event_editor.is_modified() else None
        prepared = prepare_invocation(self.function.config, self.event_editor.text(), preset or "the event editor",
                                      preset=preset)
        if isinstance(prepared, list):
            self._notice(str(prepared[0]))
            return None
        self.tune_view = TuneView(prepared, session_starter(self.session, source="tune"), self)
        self.tune_view.show()
        return self.tune_view

    def _remember_run(self, record, _summary=None) -> None:
        """The run on screen (the last one, or one picked in History) is what Save Run as Expectation records."""
        self.tests_dock.remember_run(record, self.workspace)

    @Slot(object)
    def _show_case(self, item) -> None:
        self.panels.show_recorded(item.log, item.result)

    def _on_run_started(self, run: Run, cold: bool) -> None:
        self.panels.show_function(run.config.name)
        self.toolbar.set_running(True)
        self.toolbar.set_environment_state("running")
        self.response_panel.show_running()
        self.summary_panel.clear()
        how = f"cold start: {run.cold_reason}" if cold and run.cold_reason else ("cold start" if cold else "warm")
        self.statusBar().showMessage(f"Running {run.config.name} ({how})…")

    @Slot(object)
    def _on_run_finished(self, record) -> None:
        self.current_run = None
        result = record.result
        self.toolbar.set_running(False)
        self.response_panel.show_result(result)
        self.summary_panel.show_result(result)
        if not result.succeeded:
            self.result_tabs.setCurrentWidget(self.response_panel)
        self.code_locations.mark_failure(result)
        state = self.session.environment_state(record.function)
        if self.function is not None and self.function.config.name == record.function:
            self.toolbar.set_environment_state(state)
        outcome = "succeeded" if result.succeeded else (
            "was stopped" if result.error_type == "Sandbox.Stopped" else f"failed: {result.error_type}")
        how = ""
        if record.cold and record.cold_reason and record.cold_reason != FIRST_CALL:
            how = f"; cold start: {record.cold_reason}"
        self.statusBar().showMessage(f"{record.function} {outcome} in {result.duration_ms:.2f} ms "
                                     f"(billed {result.billed_duration_ms} ms{how})")
        if record.cold:
            self.environment.refresh()
        self.sig_run_finished.emit(record)

    @Slot(str, str)
    def _on_environment_changed(self, name: str, state: str) -> None:
        if self.function is not None and name == self.function.config.name and not self.running:
            self.toolbar.set_environment_state(state)

    def _reset_environment(self) -> None:
        if self.function is not None:
            name = self.function.config.name
            self.session.reset(name)
            self.toolbar.set_environment_state("cold")
            self._notice(f"{name}: environment discarded; the next run starts cold.")

    # --- Saving and closing --------------------------------------------------------------------

    def save_all(self) -> bool:
        try:
            self.tabs.save_all()
        except OSError as error:
            self._notice(f"Could not save {error.filename}: {error.strerror}")
            return False
        if self.event_editor.is_modified() and self.presets.current is not None:
            return self.presets.save()
        return True

    def has_unsaved(self) -> bool:
        return self.tabs.has_unsaved() or self.event_editor.is_modified()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.has_unsaved():
            names = [p.name for p in self.tabs.dirty_paths()]
            if self.event_editor.is_modified():
                current = self.presets.current
                names.append("the event" + (f" ({current.name})" if current else ""))
            answer = self._ask_unsaved(self, "Unsaved changes in: " + ", ".join(names) + ".")
            if answer == CANCEL or (answer == SAVE and not self._save_before_close()):
                event.ignore()
                return
        self.session.shutdown()
        if self.history_store is not None:
            self.history_store.close()
        self.settings.save_window(self.saveGeometry(), self.saveState(), self._splitter_states())
        self.settings.sync()
        event.accept()

    def _save_before_close(self) -> bool:
        if not self.save_all():
            return False
        if self.event_editor.is_modified():
            self._notice("The event has no preset yet: use Save As… or Discard.")
            return False
        return True

    def restore_window(self) -> None:
        if (geometry := self.settings.geometry()) is not None:
            self.restoreGeometry(geometry)
        if (state := self.settings.window_state()) is not None:
            self.restoreState(state)
        for splitter in self._splitters():
            if (saved := self.settings.splitter_state(splitter.objectName())) is not None:
                splitter.restoreState(saved)

    def _splitters(self) -> list[QSplitter]:
        return [self.main_splitter, self.left_splitter, self.right_splitter, self.centre_splitter,
                self.bottom_splitter]

    def _splitter_states(self) -> dict:
        return {s.objectName(): s.saveState() for s in self._splitters()}

    # --- Small helpers -------------------------------------------------------------------------

    def _set_theme(self, theme: str) -> None:
        self.settings.set_theme(theme)
        apply_theme(theme)

    @Slot(str)
    def _notice(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

