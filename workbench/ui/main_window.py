"""The workbench window: composes the panels and wires their signals to the workspace and the runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QMainWindow

from ..core.function.new_function import handler_file
from ..core.history.run_words import finished_words, started_words
from ..core.vocabulary import EnvironmentState, RunSource
from ..core.workspace.workspace import Workspace, WorkspaceFunction, load_workspace, save_function
from ..engine.run_session import Run, RunSession
from ..engine.suite_run import session_starter
from ..resources import resource_path
from .about_dialog import AboutDialog
from .app_settings import AppSettings
from .aws.window_aws import WindowAws
from .window_triggers import WindowTriggers
from .debug.window_debug import WindowDebug
from .dependencies_panel import DependenciesPanel
from .editors.code_locations import CodeLocations
from .editors.editor_tabs import EditorTabs
from .editors.event_editor import EventEditor
from .editors.unsaved_question import CANCEL, DISCARD, SAVE, AskUnsaved, ask_unsaved_with_dialog
from .environment_section import EnvironmentSection
from .function_panels import FunctionPanels
from .function_settings import FunctionSettings
from .history.history_dock import HistoryDock
from .history.past_run_banner import PastRunBanner
from .history.tune_view import TuneView
from .logs.log_panel import LogPanel
from .preset_picker import PresetPicker
from .preset_session import PresetSession
from .response_panel import ResponsePanel
from .run_preparation import prepare_from_editors
from .run_toolbar import RunToolbar
from .serve_panel import ServePanel
from .workspace_switch import WorkspaceSwitch
from .shortcuts_dialog import ShortcutsDialog
from .status_line import Notice, NoticeKind, StatusLine
from .summary_panel import SummaryPanel
from .testing.suite_dock import SuiteDock
from .theme import apply_theme
from .window_history import WindowHistory
from .window_indicators import WindowIndicators
from .window_layout import WindowMenus, build_layout, build_menus, restore_window_state
from .workspace_actions import WorkspaceActions
from .workspace_disk_watch import WorkspaceDiskWatch
from .workspace_tree import WorkspaceTree


class MainWindow(QMainWindow):
    """Creates the panels and their collaborators and makes every connection between them (_connect)."""

    run_finished = Signal(object)
    """A run started here finished and its result is on screen (the RunRecord)."""
    run_on_aws_requested = Signal(object)
    """Run on AWS: the PreparedInvocation to send to the deployed function (the app wires who does)."""
    workspace_opened = Signal(str)
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
        self.past_run_banner = PastRunBanner(self)
        self.code_locations = CodeLocations(self.tabs, self)
        self.dependencies_panel = DependenciesPanel(self)
        self.environment = EnvironmentSection(self.dependencies_panel, self.toolbar, self.log_panel, self.session, self)
        self.tests_dock = SuiteDock(session_starter(self.session), self)
        self.tune_view: TuneView | None = None
        self.status = StatusLine(self.statusBar(), self)
        self.panels = FunctionPanels(self.log_panel, self.response_panel, self.summary_panel, self.past_run_banner,
                                     self.tests_dock, lambda: self.workspace, self._current_function_name, self)
        self.indicators = WindowIndicators(self.toolbar, self.session, self._current_config, lambda: self.running,
                                           self)
        self.run_history = WindowHistory(self.session, self.history, self.panels, self.past_run_banner, self.presets,
                                         self.preset_picker, lambda: self.workspace, lambda: self.running, self)
        self.workspace_actions = WorkspaceActions(self, settings, lambda: self.workspace, self._may_leave, self)
        self.aws = WindowAws(self.session, lambda: self.run_history.store, self)
        self.triggers = WindowTriggers(lambda: self.run_history.store, self)
        self.debug = WindowDebug(self.session, self.tabs, self.toolbar, self.tests_dock, lambda: self.workspace, self)
        self.panes = build_layout(self)
        self.workspace_switch = WorkspaceSwitch(self, self)
        self.menus = build_menus(self, settings.theme())
        self._connect()
        self._connect_menus(self.menus)
        self.status.progress("Ready")

    # --- Composition ---------------------------------------------------------------------------

    def _connect(self) -> None:
        notice = self.status.say
        self.tree.file_activated.connect(self.open_file)
        self.tree.file_previewed.connect(lambda path: self.open_file(path, preview=True))
        self.tree.file_actions.notice.connect(notice)
        self.tree.file_actions.renamed.connect(self.tabs.follow_rename)
        self.workspace_watch.definition_changed.connect(self._follow_workspace_files)
        self.log_panel.location_clicked.connect(self.code_locations.open)
        self.response_panel.location_clicked.connect(self.code_locations.open)
        self.code_locations.notice.connect(notice)
        self.tabs.changed_on_disk.connect(
            lambda path: notice(f"{Path(path).name} changed on disk: Reload or Keep Mine above it"))
        self.tabs.save_failed.connect(lambda path, reason: notice(f"Could not save {path}: {reason}"))
        self.tabs.close_requested.connect(self._close_dirty_tab)
        # A saved file or a reloaded one may mean the next run starts cold: the badge says so.
        self.tabs.file_saved.connect(self.indicators.refresh_badge)
        self.tabs.reloaded.connect(self.indicators.refresh_badge)
        self.toolbar.function_selected.connect(self.select_function)
        self.toolbar.function_selected.connect(self.indicators.refresh_soon)
        self.toolbar.run_requested.connect(self.run)
        self.toolbar.stop_requested.connect(self.stop)
        self.toolbar.reset_requested.connect(self._reset_environment)
        self.function_settings.config_changed.connect(self._on_config_changed)
        # After the window has stored the new settings.
        self.function_settings.config_changed.connect(lambda _config: QTimer.singleShot(0, self._settings_edited))
        self.event_editor.validity_changed.connect(
            lambda valid: valid and self.status.resolve(NoticeKind.EVENT_INVALID))
        self.presets.notice.connect(notice)
        self.environment.notice.connect(notice)
        self.tests_dock.notice.connect(notice)
        self.tests_dock.run_requested.connect(self.run_tests)
        self.tests_dock.case_selected.connect(lambda item: self.panels.show_recorded(item.log, item.result))
        self.run_finished.connect(self.panels.run_finished)
        self.run_finished.connect(self._remember_run)
        self.run_finished.connect(self.indicators.refresh_badge)
        self.session.environment_changed.connect(self._on_environment_changed)
        self.session.environment_changed.connect(self.indicators.refresh_soon)
        self.session.history_problem.connect(notice)
        self.session.run_recorded.connect(self.history.refresh)
        self.history.run_shown.connect(self._remember_run)
        self.history.run_shown.connect(self.run_history.show_past_run)
        self.history.run_again_requested.connect(self.run_history.run_again)
        self.history.save_event_requested.connect(self.run_history.save_event_as_preset)
        self.history.notice.connect(notice)
        self.past_run_banner.dismissed.connect(self.run_history.leave_past_run)
        self.run_history.notice.connect(notice)
        self.run_history.run_requested.connect(self._run_again)
        self.workspace_actions.open_requested.connect(self.open_workspace)
        self.workspace_actions.notice.connect(notice)
        self.environment.local_services = self.aws.local_services
        self.aws.notice.connect(notice)
        self.aws.dock.run_requested.connect(self.run_history.reveal_run)
        self.triggers.notice.connect(notice)
        self.aws.dock.send_as_s3_event_requested.connect(self.triggers.send_as_s3_event)
        self.triggers.save_event_requested.connect(lambda function, text: (
            self.toolbar.function_combo.setCurrentText(function), self.run_history.save_event_as_preset(text)))
        self.debug.debug_requested.connect(lambda request: self.run(request))
        self.debug.notice.connect(notice)

    def _connect_menus(self, menus: WindowMenus) -> None:
        menus.open_folder.triggered.connect(self.workspace_actions.choose_workspace)
        menus.env_vars_file.triggered.connect(self.workspace_actions.choose_env_vars_file)
        menus.new_function.triggered.connect(lambda: self.workspace_actions.new_function())
        menus.recent.open_requested.connect(self.workspace_actions.open_recent)
        menus.save_all.triggered.connect(self.save_all)
        menus.quit.triggered.connect(self.close)
        menus.run_tests.triggered.connect(self.run_tests)
        menus.tune.triggered.connect(self.tune_memory)
        menus.run_on_aws.triggered.connect(self._request_run_on_aws)
        menus.serve.triggered.connect(lambda: self.panes.result_tabs.setCurrentWidget(self.serve_panel))
        menus.new_from_template.triggered.connect(lambda: self.presets.new_from_template(self))
        menus.find_in_logs.triggered.connect(self.log_panel.focus_search)
        for theme, action in menus.themes.items():
            action.triggered.connect(lambda _=False, t=theme: self._set_theme(t))
        menus.shortcuts.triggered.connect(lambda: ShortcutsDialog(self).exec())
        menus.about.triggered.connect(
            lambda: AboutDialog(self, self.workspace.folder if self.workspace else None).exec())

    # --- Workspace and function ----------------------------------------------------------------

    def open_workspace(self, folder: str | Path) -> None:
        workspace = load_workspace(folder)
        self.workspace_switch.leave(self.workspace, workspace)
        self.workspace = workspace
        self.workspace_watch.follow(workspace.folder)
        for panel in (self.log_panel, self.response_panel, self.code_locations):
            panel.set_workspace(workspace.folder)
        self.tree.set_root(workspace.folder)
        self.setWindowTitle(f"{workspace.folder.name} — Lambda Workbench")
        self.settings.remember_workspace(str(workspace.folder))
        self.run_history.open(workspace)
        self.aws.set_workspace(workspace.folder)
        self.triggers.set_workspace(workspace.folder)
        self.environment.set_workspace(workspace.folder)
        names = workspace.function_names
        current = self.settings.last_function(str(workspace.folder))
        current = current if current in names else (names[0] if names else None)
        self.toolbar.set_functions(names, current)
        if workspace.problem:
            self.status.say(workspace.problem.splitlines()[0])
        if current:
            self.select_function(current)
        self.workspace_opened.emit(str(workspace.folder))

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
            self.status.say(workspace.problem.splitlines()[0])
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
            self.status.say(f"{current}: settings reloaded from disk")

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
                self.status.say(f"{name}: {config.handler} ({config.runtime}) found in {source.name}; it is written to "
                             "workbench.json when you change a setting or add a function.")
        else:
            self.status.say(f"{name}: no file defines {config.handler} yet. File > New Function writes a starter, "
                         "or set the Handler to a function in your code.")

    def open_file(self, path: str, preview: bool = False) -> None:
        """Open a file in a tab (the handler's file, one double-clicked), or with `preview` in the preview tab."""
        try:
            self.tabs.open_file(path, preview)
        except OSError as error:
            self.status.say(f"Could not open {path}: {error.strerror or error}")

    @Slot(str)
    def _close_dirty_tab(self, path: str) -> None:
        answer = self._ask_unsaved(self, f"{Path(path).name} has unsaved changes.")
        if answer == CANCEL:
            return
        if answer == SAVE:
            try:
                self.tabs.save_file(path)
            except OSError as error:
                self.status.say(f"Could not save {path}: {error.strerror or error}")
                return
        self.tabs.close_file(path)

    @Slot(object)
    def _on_config_changed(self, config) -> None:
        if self.workspace is None or self.function is None:
            return
        try:
            self.workspace = save_function(self.workspace, config)
        except (OSError, ValueError) as error:
            self.status.say(f"Settings not saved: {error}")
            return
        self.workspace_watch.acknowledge(self.workspace.folder)
        previous_handler = self.function.config.handler
        self.function = self.workspace.function(config.name)
        self.function_settings.set_origins(dict(self.function.origins))  # workbench.json now, not the template
        self._show_limits()
        if config.handler != previous_handler and (source := handler_file(config.code_dir, config.handler)):
            self.open_file(str(source))  # the new handler's file is what one edits next
        self.environment.set_function(self.function.config)

    @Slot()
    def _settings_edited(self) -> None:
        if not self.function_settings.problems():
            self.status.resolve(NoticeKind.SETTINGS_INVALID)
        self.indicators.refresh_badge()

    def _current_config(self):
        return self.function.config if self.function is not None else None

    def _current_function_name(self) -> str | None:
        return self.function.config.name if self.function is not None else None

    def _show_limits(self) -> None:
        config = self.function.config
        self.toolbar.set_limits(config.runtime, config.memory_mb, config.timeout_s, config.architecture)

    # --- Running -------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.current_run is not None

    @Slot()
    def run(self, debug=None) -> None:
        if self.running:
            self.status.say("A call is already running: stop it first (Shift+F5).")
            return
        prepared = self.prepare_current()
        if prepared is not None:
            self._start(self.session.run(prepared, source=RunSource.WINDOW, debug=debug))  # debug: a DebugRequest

    def prepare_current(self):
        """The current function and event as a call Lambda would accept (edits saved first), else None
        with the reason in the status bar."""
        if self.function is None:
            return None
        prepared = prepare_from_editors(self.function.config, self.function_settings, self.event_editor, self.tabs,
                                        self.presets)
        if isinstance(prepared, Notice):
            self.status.show(prepared)
            return None
        return prepared

    def _request_run_on_aws(self) -> None:
        prepared = self.prepare_current()
        if prepared is not None:
            self.status.progress(f"Running {prepared.config.name} on AWS…")
            self.run_on_aws_requested.emit(prepared)

    @Slot(object)
    def show_remote_record(self, record) -> None:
        """A run on AWS: its log tail, response and REPORT figures, shown as a local run's are."""
        self.panels.show_remote(record)
        self.status.progress(finished_words(record.function, record.result, where=f" on AWS ({record.config.region})"))

    @Slot(object)
    def _run_again(self, prepared) -> None:
        """A past run's event, run again as a window run of its function (which the window then shows)."""
        name = prepared.config.name
        if self.function is not None and name != self.function.config.name \
                and self.workspace is not None and self.workspace.function(name) is not None:
            # The run writes to its function's log and result: the window shows that function.
            self.toolbar.function_combo.setCurrentText(name)
        self._start(self.session.run(prepared, source=RunSource.WINDOW))

    def _start(self, run: Run) -> None:
        self.current_run = run
        run.started.connect(lambda cold, r=run: self._on_run_started(r, cold))
        # To its function's own log, whichever the panel shows, as a group of its own from its first line.
        self.log_panel.follow_run(run)
        run.response_chunk.connect(self.response_panel.append_piece)
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
        """Open the Tune view on the current preset (or the edited event), checked and saved as Run does."""
        prepared = self.prepare_current()
        if prepared is None:
            return None
        self.tune_view = TuneView(prepared, session_starter(self.session, source=RunSource.TUNE), self)
        self.tune_view.show()
        return self.tune_view

    def _remember_run(self, record, _summary=None) -> None:
        """The run on screen (the last one, or one picked in History) is what Save Run as Expectation records."""
        self.tests_dock.remember_run(record, self.workspace)

    def _on_run_started(self, run: Run, cold: bool) -> None:
        self.panels.show_function(run.config.name)
        self.toolbar.set_running(True)
        self.toolbar.set_environment_state(EnvironmentState.RUNNING)
        self.response_panel.show_running()
        self.summary_panel.clear()
        self.status.progress(started_words(run.config.name, cold, run.cold_reason))

    @Slot(object)
    def _on_run_finished(self, record) -> None:
        self.current_run = None
        result = record.result
        self.toolbar.set_running(False)
        self.response_panel.show_result(result)
        self.summary_panel.show_result(result, record.log)
        if not result.succeeded:
            self.panes.result_tabs.setCurrentWidget(self.response_panel)
        self.code_locations.mark_failure(result)
        state = self.session.environment_state(record.function)
        if self.function is not None and self.function.config.name == record.function:
            self.toolbar.set_environment_state(state)
        self.status.progress(finished_words(record.function, result, record.cold, record.cold_reason))
        if record.cold:
            self.environment.refresh()
        self.run_finished.emit(record)

    @Slot(str, str)
    def _on_environment_changed(self, name: str, state: str) -> None:
        if self.function is not None and name == self.function.config.name and not self.running:
            self.toolbar.set_environment_state(state)

    def _reset_environment(self) -> None:
        if self.function is not None:
            name = self.function.config.name
            self.session.reset(name)
            self.toolbar.set_environment_state(EnvironmentState.COLD)
            self.status.say(f"{name}: environment discarded; the next run starts cold.")

    # --- Saving and closing --------------------------------------------------------------------

    def save_all(self) -> bool:
        try:
            self.tabs.save_all()
        except OSError as error:
            self.status.say(f"Could not save {error.filename}: {error.strerror}")
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
        self.aws.close()
        self.triggers.close()
        self.run_history.close()
        self.settings.save_window(self.saveGeometry(), self.saveState(), self.panes.states())
        self.settings.sync()
        event.accept()

    def _may_leave(self) -> bool:
        """Before another workspace opens: unsaved edits are saved or discarded as the user says."""
        if not self.has_unsaved():
            return True
        answer = self._ask_unsaved(self, "This workspace has unsaved changes.")
        return answer == DISCARD or (answer == SAVE and self._save_before_close())

    def _save_before_close(self) -> bool:
        # An unnamed event is named first (asked), never dropped; each refusal says why in the status bar.
        return self.save_all() and self.presets.save_or_name()

    def restore_window(self) -> None:
        """The size, docks and splitters as the user left them."""
        restore_window_state(self, self.settings, self.panes)

    # --- Small helpers -------------------------------------------------------------------------

    def _set_theme(self, theme: str) -> None:
        self.settings.set_theme(theme)
        apply_theme(theme)


