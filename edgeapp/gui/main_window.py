"""The main window: conversations on the left, the chat in the middle, panels on the right.

The window builds the widgets, the menus and the status bar, remembers its geometry, and hands
each job to a controller (edgeapp/gui/controllers/): `loading`, `turns`, `answers`,
`conversations`, `settings`, `panels`, `companion`, `first_run`. It wires them to each other here
and nowhere else.

Mounting a panel (anything beside the budget, "Sent to cloud" and Models panels)::

    window = create_main_window()
    window.panels.add("My panel", widget)          # a tab in the right-hand dock
    window.turn_finished.connect(widget.refresh)   # the core's TurnResult after every turn

Panels must do database work off the GUI thread too (`window.session.pools.run(fn, on_done)` runs
`fn` on a worker and hands its value back on the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter, QToolButton, QVBoxLayout, QWidget

from .. import paths
from ..errors import EdgeappError
from .banner import Banner, error_text
from .chat import ChatView, is_dark
from .composer import ComposerBar
from .controllers.answers import AnswerActions
from .controllers.companion import CompanionMenu
from .controllers.conversations import ConversationsController
from .controllers.first_run import FirstRunController
from .controllers.loading import LoadingController
from .controllers.panels import PanelsController
from .controllers.settings import SettingsController
from .controllers.turns import TurnController
from .model_suggestion import SuggestionCard
from .session import Session
from .sidebar import Sidebar
from .window_style import style_sheet

if TYPE_CHECKING:
    from ..assistant import Assistant
    from ..conversations import Conversation


SIDEBAR_MIN = 160
SIDEBAR_SHARE = 0.22  # the conversation list's widest share of a narrow window


def shortcut(standard: QKeySequence.StandardKey, fallback: str) -> QKeySequence:
    """The platform's key for a standard action, or `fallback` where the platform has none."""
    seq = QKeySequence(standard)
    return seq if not seq.isEmpty() else QKeySequence(fallback)


class MainWindow(QMainWindow):
    """Build with `edgeapp.gui.app.create_main_window()`."""

    turn_finished = Signal(object)  # the core's TurnResult, after every turn (for panels)
    ready_changed = Signal(bool)  # the model finished loading (True) or failed (False)
    conversations_changed = Signal()

    def __init__(
        self,
        assistant: Assistant | None = None,
        *,
        factory: Callable[[], Assistant] | None = None,
        qsettings: QSettings | None = None,
    ) -> None:
        """`assistant`: a ready `Assistant`; or None and `factory()` (default: `Assistant()`) builds
        one on the model thread (so importing the model and privacy stacks never delays the window)."""
        super().__init__()
        self.session = Session(assistant, factory)
        # a child of the window, so Qt deletes it with the window on the GUI thread: owned by Python
        # alone it died wherever the garbage collector freed the window's cycle, often the model thread
        self.qsettings = qsettings or QSettings(
            str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat, self
        )
        self.setWindowTitle("edgeapp")
        self.resize(1100, 760)
        self._build()
        self._make_controllers()
        self._wire()
        self._menus()
        self._restore()
        self.settings.first_run_notice(self.qsettings)
        self.apply_style()
        if assistant is not None:
            self.conversations.assistant_ready()

    @property
    def assistant(self) -> Assistant | None:
        return self.session.assistant

    @property
    def conversation(self) -> Conversation | None:
        """The conversation on screen (None: a new chat, made by its first turn)."""
        return self.session.conversation

    @property
    def ready(self) -> bool:
        """The local model has loaded."""
        return self.loading.ready

    @property
    def load_error(self) -> BaseException | None:
        return self.session.load_error

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.sidebar = Sidebar(self)
        center = QWidget(self)
        center.setObjectName("center")
        col = QVBoxLayout(center)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.banner = Banner(center)
        col.addWidget(self.banner)
        self.suggestion = SuggestionCard(center)  # the first run's better model for this machine
        col.addWidget(self.suggestion)
        self.chat = ChatView(center)
        col.addWidget(self.chat, 1)
        self.bar = ComposerBar(center)
        self.composer = self.bar.composer
        col.addWidget(self.bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(center)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 840])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

    def _make_controllers(self) -> None:
        session, show_error = self.session, self.show_error
        self.loading = LoadingController(session, show_error, self)
        self.statusBar().addWidget(self.loading.label, 1)
        self.statusBar().addPermanentWidget(self.loading.bar)
        self.turns = TurnController(session, self.chat, self.bar, self.banner, self.loading, show_error, self)
        self.answers = AnswerActions(
            session, self.chat, self.composer, self.turns, show_error, self._say, self
        )
        turns = self.turns
        self.conversations = ConversationsController(
            session,
            self.sidebar,
            self.chat,
            self.composer,
            self.banner,
            turns.stop,
            turns.busy,
            show_error,
            self,
        )
        self.settings = SettingsController(session, self.bar, self.banner, show_error, self)
        self.panels = PanelsController(session, self.banner, self, self.qsettings)
        self.panels_button = QToolButton(self)  # the closed dock's way back, where it is seen
        self.panels_button.setDefaultAction(self.panels.dock.toggleViewAction())
        self.panels_button.setToolTip("Show or hide the panels: budget, sent to cloud, models")
        self.panels_button.setAutoRaise(True)
        self.statusBar().addPermanentWidget(self.panels_button)
        self.companion = CompanionMenu(session, self)
        self.first_run = FirstRunController(session, self.suggestion, self.qsettings, self)

    def _wire(self) -> None:
        self.composer.submitted.connect(self.turns.send)
        self.bar.send_clicked.connect(self.turns.send)
        self.bar.stop_button.clicked.connect(self.turns.stop)
        self.loading.assistant_ready.connect(self._assistant_ready)
        self.loading.ready_changed.connect(self.ready_changed)
        self.turns.turn_finished.connect(self.turn_finished)
        self.turns.turn_finished.connect(self.panels.refresh)
        self.turns.turn_ended.connect(self.conversations.refresh)
        self.conversations.changed.connect(self.conversations_changed)
        self.answers.reasons_requested.connect(self.panels.reasons_requested)
        self.panels.open_conversation.connect(self.conversations.open)
        self.panels.history_deleted.connect(self.conversations.refresh)
        self.panels.model_switched.connect(self.loading.show_model_switched)
        self.panels.dock_opened.connect(self.keep_the_chat_widest)
        self.loading.ready_changed.connect(self.first_run.check)
        self.first_run.model_switched.connect(self.loading.show_model_switched)
        self.first_run.model_switched.connect(self.panels.refresh_models)

    def _assistant_ready(self) -> None:
        self.session.forget_settings()
        self.conversations.assistant_ready()

    def _menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.new_action = self._action(
            file, "&New chat", shortcut(QKeySequence.StandardKey.New, "Ctrl+N"), self.conversations.new_chat
        )
        preferences = shortcut(QKeySequence.StandardKey.Preferences, "Ctrl+,")
        self.settings_action = self._action(file, "&Settings…", preferences, self.settings.open)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        companion = QKeySequence("Ctrl+Shift+M")
        self._action(file, "&Companion: phone and other apps…", companion, self.companion.open)
        file.addSeparator()
        quit_action = self._action(
            file, "&Quit", shortcut(QKeySequence.StandardKey.Quit, "Ctrl+Q"), self.close
        )
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        edit = bar.addMenu("&Edit")
        find = shortcut(QKeySequence.StandardKey.Find, "Ctrl+F")
        self.find_action = self._action(edit, "&Search conversations", find, self.sidebar.focus_search)
        self._action(edit, "Rename conversation", QKeySequence(Qt.Key.Key_F2), self.sidebar.rename_current)
        chat = bar.addMenu("&Chat")
        send = QKeySequence("Ctrl+Return")
        self.send_action = self._action(
            chat, "&Send", send, lambda: self.turns.send(self.composer.toPlainText())
        )
        self.stop_action = self._action(
            chat, "S&top", QKeySequence(QKeySequence.StandardKey.Cancel), self.turns.stop
        )
        self._action(chat, "&Regenerate last answer", QKeySequence("Ctrl+R"), self.answers.regenerate_last)
        self._action(chat, "&Edit last message", QKeySequence("Ctrl+E"), self.answers.edit_last)
        self._action(chat, "Focus the message box", QKeySequence("Ctrl+L"), self.composer.setFocus)
        view = bar.addMenu("&View")
        toggle = self.panels.dock.toggleViewAction()
        toggle.setShortcut(QKeySequence("Ctrl+Shift+P"))
        view.addAction(toggle)

    def _action(self, menu: QMenu, text: str, keys: QKeySequence, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def apply_style(self) -> None:
        self.setStyleSheet(style_sheet(is_dark(self)))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - the system switched light/dark
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.apply_style()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.keep_the_chat_widest()

    def keep_the_chat_widest(self) -> None:
        """A narrower window, or the dock opening, takes width from the sidebar and the dock, not
        from the chat."""
        sizes = self.splitter.sizes()
        widest_sidebar = max(SIDEBAR_MIN, int(SIDEBAR_SHARE * self.width()))
        if len(sizes) == 2 and sizes[0] > widest_sidebar:
            self.splitter.setSizes([widest_sidebar, sum(sizes) - widest_sidebar])
        self.panels.keep_the_chat_widest()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        self.loading.window_painted()

    def _say(self, text: str) -> None:
        self.statusBar().showMessage(text, 3000)

    def show_error(self, exc: BaseException) -> None:
        """The error in plain words in the banner, with its action as a button: open the setting to
        change, or copy the command to run."""
        action = exc.action if isinstance(exc, EdgeappError) else None
        label, callback = None, None
        if action is not None:
            label = action.label
            setting, value, command = action.setting, action.value, action.command
            if setting:
                callback = lambda: self.settings.open(setting, value)  # noqa: E731
            elif command:

                def callback() -> None:
                    QGuiApplication.clipboard().setText(command)
                    self.statusBar().showMessage(f"Copied “{command}”: run it in a terminal.", 8000)

        self.banner.show_message(error_text(exc), kind="error", button=label, callback=callback)

    # -- state remembered between runs ------------------------------------------------------
    def _restore(self) -> None:
        s = self.qsettings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
            self.panels.dock.setVisible(self.panels.tabs.count() > 0 and self.panels.dock.isVisible())
        split = s.value("window/splitter")
        if isinstance(split, QByteArray):
            self.splitter.restoreState(split)
        last = s.value("chat/last_conversation")
        if last:
            self.conversations.reopen_id = str(last)  # opened once the assistant is up

    def save_state(self) -> None:
        s = self.qsettings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        conversation = self.session.conversation
        current = conversation.id if conversation is not None and conversation.messages else None
        s.setValue("chat/last_conversation", current or self.sidebar.current_id or "")
        s.sync()

    # -- quitting ---------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.panels.quiet()  # no ledger query may still run when the ledger closes
        self.session.closing = True
        self.save_state()
        self.turns.close()
        self.companion.stop()
        self.first_run.shutdown()
        self.session.pools.close(15000)
        try:
            self.conversations.commit_delete(wait=True)
        except Exception:  # noqa: BLE001 - quitting: never print a traceback
            pass
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Close the model and the database (also for tests that never show the window)."""
        assistant = self.session.assistant
        if assistant is None:
            return
        try:
            assistant.close()
        except Exception:  # noqa: BLE001
            pass
