"""The main window: conversations on the left, the chat in the middle, panels on the right.

Mounting a panel (issue 13's budget slider and "Sent to cloud" review, or anything else)::

    window = create_main_window()
    window.add_panel("Budget", BudgetPanel(window.assistant))      # a tab in the right-hand dock
    window.turn_finished.connect(panel.refresh)                     # TurnResult after every turn

`add_panel(name, widget)` puts the widget in a tab of the right-hand dock ("Panels", toggled from
the View menu) and returns the dock; `turn_finished(result)` fires on the GUI thread after each turn
with the core's `TurnResult`. Panels must do database work off the GUI thread too
(`window.pools.run(fn, on_done)` runs `fn` on a worker and hands its value back on the GUI thread).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import config, paths
from . import core
from .chat import ChatView, Composer, Message, is_dark
from .dialogs import ConfirmSendDialog, ReasonsPopup
from .sidebar import Sidebar
from .worker import Pools, Reply, Turn, start_turn

MODES = [("auto", "Auto"), ("local", "Local only"), ("cloud", "Cloud")]
UNDO_MS = 8000


def shortcut(standard: QKeySequence.StandardKey, fallback: str) -> QKeySequence:
    """The platform's key for a standard action, or `fallback` where the platform has none."""
    seq = QKeySequence(standard)
    return seq if not seq.isEmpty() else QKeySequence(fallback)


class Banner(QFrame):
    """A line at the top of the chat: a notice or an error in plain words, with its action."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 8, 8)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.text, 1)
        self.button = QPushButton(self)
        self.button.hide()
        row.addWidget(self.button)
        self.close_button = QPushButton("Dismiss", self)
        self.close_button.setFlat(True)
        self.close_button.clicked.connect(self.dismiss)
        row.addWidget(self.close_button)
        self._callback = None
        self.kind = ""
        self.button.clicked.connect(self._clicked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    def show_message(
        self, text: str, *, kind: str = "info", button: str | None = None, callback=None, timeout_ms: int = 0
    ) -> None:
        self.kind = kind
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.text.setText(text)
        self._callback = callback
        self.button.setText(button or "")
        self.button.setVisible(bool(button))
        self._timer.stop()
        if timeout_ms:
            self._timer.start(timeout_ms)
        self.show()

    def _clicked(self) -> None:
        callback = self._callback
        self.dismiss()
        if callback is not None:
            callback()

    def dismiss(self) -> None:
        self._timer.stop()
        self.kind = ""
        self.hide()


class MainWindow(QMainWindow):
    """Build with `edgeapp.gui.app.create_main_window()`."""

    turn_finished = Signal(object)  # the core's TurnResult, after every turn (for panels)
    ready_changed = Signal(bool)  # the model finished loading (True) or failed (False)
    conversations_changed = Signal()
    loading_progress = Signal(str, float)  # emitted on the model thread; Qt queues it to the GUI thread
    assistant_built = Signal(object)  # the same, once the assistant exists (built on the model thread)

    def __init__(
        self, assistant: Any = None, *, factory: Any = None, qsettings: QSettings | None = None
    ) -> None:
        """`assistant`: a ready `Assistant`; or None and `factory()` builds one on the model thread
        (so importing the model and privacy stacks never delays the window)."""
        super().__init__()
        self.assistant = assistant
        self.factory = factory
        self.pools = Pools()
        self.store: Any = None
        self.qsettings = qsettings or QSettings(
            str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat
        )
        self.conversation: Any = None  # created on the model thread by the first turn, or loaded
        self.turns: list[tuple[Turn, Message]] = []
        self.ready = False
        self.load_error: BaseException | None = None
        self._closing = False
        self._pending_delete: tuple[str, QTimer] | None = None
        self._search = ""
        self._reopen: str | None = None
        self.setWindowTitle("edgeapp")
        self.resize(1100, 760)
        self._build()
        self._menus()
        self._restore()
        self._first_run_notice()
        if assistant is not None:
            self._assistant_ready(assistant)

    def settings(self) -> config.Settings:
        """The settings in force (the assistant's, or config.toml while it is being built)."""
        if self.assistant is not None:
            return self.assistant.settings
        if getattr(self, "_settings_cache", None) is None:
            self._settings_cache = config.load()
        return self._settings_cache

    def conversation_for_turn(self) -> Any:
        """Runs on the model thread: the current conversation, made when there is none yet."""
        if self.conversation is None:
            self.conversation = (
                self.store.new()
                if self.store is not None and not getattr(self.store, "read_only", False)
                else self.assistant.new_conversation()
            )
        return self.conversation

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.sidebar = Sidebar(self)
        self.sidebar.read_only = bool(getattr(self.store, "read_only", False))
        self.sidebar.new_requested.connect(self.new_chat)
        self.sidebar.open_requested.connect(self.open_conversation)
        self.sidebar.rename_requested.connect(self.rename_conversation)
        self.sidebar.delete_requested.connect(self.delete_conversation)
        self.sidebar.search_changed.connect(self._search_changed)

        center = QWidget(self)
        center.setObjectName("center")
        col = QVBoxLayout(center)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.banner = Banner(center)
        col.addWidget(self.banner)
        self.chat = ChatView(center)
        col.addWidget(self.chat, 1)

        bottom = QFrame(center)
        bottom.setObjectName("composerBar")
        brow = QVBoxLayout(bottom)
        brow.setContentsMargins(24, 8, 24, 12)
        self.composer = Composer(bottom)
        self.composer.submitted.connect(self.send)
        brow.addWidget(self.composer)
        controls = QHBoxLayout()
        self.mode_box = QComboBox(bottom)
        self.mode_box.setAccessibleName("Routing")
        self.mode_box.setToolTip(
            "Auto: the cloud helps when the local model is unsure. "
            "Local only: nothing leaves this computer. Cloud: always ask the cloud."
        )
        for value, label in MODES:
            self.mode_box.addItem(label, value)
        current = self.settings()["router.mode"]
        self.mode_box.setCurrentIndex(
            max(0, [m for m, _ in MODES].index(current) if current in dict(MODES) else 0)
        )
        self.mode_box.currentIndexChanged.connect(self._mode_changed)
        controls.addWidget(QLabel("Routing:", bottom))
        controls.addWidget(self.mode_box)
        controls.addStretch(1)
        self.hint = QLabel("", bottom)
        self.hint.setObjectName("hint")
        controls.addWidget(self.hint)
        self.stop_button = QPushButton("Stop", bottom)
        self.stop_button.setToolTip("Stop the answer (Esc)")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.hide()
        controls.addWidget(self.stop_button)
        self.send_button = QPushButton("Send", bottom)
        self.send_button.setDefault(True)
        self.send_button.setToolTip("Send (Enter)")
        self.send_button.clicked.connect(lambda: self.send(self.composer.toPlainText()))
        controls.addWidget(self.send_button)
        brow.addLayout(controls)
        col.addWidget(bottom)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(center)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 840])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        # the right-hand dock for panels (issue 13: budget slider, "Sent to cloud" review)
        self.panels = QTabWidget(self)
        self.panels.setDocumentMode(True)
        self.panel_dock = QDockWidget("Panels", self)
        self.panel_dock.setObjectName("panels")
        self.panel_dock.setWidget(self.panels)
        self.panel_dock.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel_dock)
        self.panel_dock.hide()

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.model_label = QLabel("Loading the local model…", self)
        self.statusBar().addWidget(self.model_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.loading_progress.connect(self._on_progress)
        self.assistant_built.connect(self._assistant_ready)
        self.apply_style()

    def add_panel(self, name: str, widget: QWidget) -> QDockWidget:
        """Mount a panel as a tab of the right-hand dock and show it. See the module docstring."""
        self.panels.addTab(widget, name)
        self.panel_dock.show()
        return self.panel_dock

    def _menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.new_action = self._action(
            file, "&New chat", shortcut(QKeySequence.StandardKey.New, "Ctrl+N"), self.new_chat
        )
        self.settings_action = self._action(
            file, "&Settings…", shortcut(QKeySequence.StandardKey.Preferences, "Ctrl+,"), self.open_settings
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self._action(
            file, "&Companion: phone and other apps…", QKeySequence("Ctrl+Shift+M"), self.open_companion
        )
        file.addSeparator()
        quit_action = self._action(
            file, "&Quit", shortcut(QKeySequence.StandardKey.Quit, "Ctrl+Q"), self.close
        )
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        edit = bar.addMenu("&Edit")
        self.find_action = self._action(
            edit,
            "&Search conversations",
            shortcut(QKeySequence.StandardKey.Find, "Ctrl+F"),
            self.focus_search,
        )
        self._action(edit, "Rename conversation", QKeySequence(Qt.Key.Key_F2), self.sidebar.rename_current)
        chat = bar.addMenu("&Chat")
        self.send_action = self._action(
            chat, "&Send", QKeySequence("Ctrl+Return"), lambda: self.send(self.composer.toPlainText())
        )
        self.stop_action = self._action(
            chat, "S&top", QKeySequence(QKeySequence.StandardKey.Cancel), self.stop
        )
        self._action(chat, "&Regenerate last answer", QKeySequence("Ctrl+R"), self.regenerate_last)
        self._action(chat, "&Edit last message", QKeySequence("Ctrl+E"), self.edit_last)
        self._action(chat, "Focus the message box", QKeySequence("Ctrl+L"), self.composer.setFocus)
        view = bar.addMenu("&View")
        toggle = self.panel_dock.toggleViewAction()
        toggle.setShortcut(QKeySequence("Ctrl+Shift+P"))
        view.addAction(toggle)

    def _action(self, menu, text: str, keys: QKeySequence, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def apply_style(self) -> None:
        dark = is_dark(self)
        bubble = "#2b3440" if dark else "#e3e9f1"
        text = "#e6edf3" if dark else "#1f2328"
        hover = "#222a33" if dark else "#f0f3f7"
        muted = "#9198a1" if dark else "#656d76"
        accent = "#4493f8" if dark else "#0969da"
        warn_bg, warn_fg = ("#3d2e00", "#ffe08a") if dark else ("#fff8c5", "#4d3800")
        err_bg, err_fg = ("#4a1d1d", "#ffb4b4") if dark else ("#ffebe9", "#82071e")
        info_bg, info_fg = ("#10263f", "#cfe3ff") if dark else ("#ddf4ff", "#0a3069")
        cloud = "#a371f7" if dark else "#8250df"
        local = "#3fb950" if dark else "#1a7f37"
        kept = "#d29922" if dark else "#9a6700"
        self.setStyleSheet(f"""
            QFrame#bubble {{ background: {bubble}; border-radius: 12px; }}
            QLabel#status {{ color: {muted}; font-style: italic; }}
            QLabel#draft {{ color: {muted}; border-left: 3px solid {muted}; padding-left: 8px; }}
            QLabel#hint {{ color: {muted}; }}
            QToolButton {{ color: {muted}; padding: 2px 6px; border-radius: 6px; }}
            QToolButton:checked {{ color: {accent}; }}
            QToolButton#badge {{ font-weight: 600; border: 1px solid {muted}; border-radius: 9px; padding: 1px 8px; }}
            QToolButton#badge[route="local"] {{ color: {local}; border-color: {local}; }}
            QToolButton#badge[route="cloud"] {{ color: {cloud}; border-color: {cloud}; }}
            QToolButton#badge[route="local-fallback"], QToolButton#badge[route="blocked"] {{ color: {kept}; border-color: {kept}; }}
            QFrame#banner {{ background: {info_bg}; color: {info_fg}; }}
            QFrame#banner QLabel {{ color: {info_fg}; }}
            QFrame#banner[kind="warning"] {{ background: {warn_bg}; }}
            QFrame#banner[kind="warning"] QLabel {{ color: {warn_fg}; }}
            QFrame#banner[kind="error"] {{ background: {err_bg}; }}
            QFrame#banner[kind="error"] QLabel {{ color: {err_fg}; }}
            QPlainTextEdit#composer {{ border: 1px solid {muted}; border-radius: 10px; padding: 6px; }}
            QPlainTextEdit#composer:focus {{ border-color: {accent}; }}
            QListWidget#conversations {{ border: none; }}
            QListWidget#conversations::item {{ padding: 6px 4px; border-radius: 6px; color: {text}; }}
            QListWidget#conversations::item:selected {{ background: {bubble}; color: {text}; font-weight: 600; }}
            QListWidget#conversations::item:hover:!selected {{ background: {hover}; }}
        """)

    def changeEvent(self, event) -> None:  # noqa: N802 - the system switched light/dark
        from PySide6.QtCore import QEvent

        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.apply_style()
        super().changeEvent(event)

    # -- state remembered between runs ------------------------------------------------------
    def _restore(self) -> None:
        s = self.qsettings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
            self.panel_dock.setVisible(self.panels.count() > 0 and self.panel_dock.isVisible())
        split = s.value("window/splitter")
        if isinstance(split, QByteArray):
            self.splitter.restoreState(split)
        last = s.value("chat/last_conversation")
        if last:
            self._reopen = str(last)  # opened once the conversation store is up

    def save_state(self) -> None:
        s = self.qsettings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        current = (
            self.conversation.id if self.conversation is not None and self.conversation.messages else None
        )
        s.setValue("chat/last_conversation", current or self.sidebar.current_id or "")
        s.sync()

    def _first_run_notice(self) -> None:
        if self.settings()["cloud.base_url"] or self.qsettings.value("notices/no_cloud_shown"):
            return
        self.qsettings.setValue("notices/no_cloud_shown", True)
        self.banner.show_message(
            "Everything stays on this computer: the local model answers every question. Escalation to a "
            "cloud model is off until you set one up.",
            kind="info",
            button="Set up a cloud model…",
            callback=lambda: self.open_settings("cloud"),
        )

    # -- the model --------------------------------------------------------------------------
    def load_after_first_paint(self) -> None:
        """Start loading once the window has painted; if it is not shown within a moment, anyway."""
        self._load_pending = True
        QTimer.singleShot(1500, self._start_pending_load)

    def _start_pending_load(self) -> None:
        if getattr(self, "_load_pending", False):
            self._load_pending = False
            self.start_loading()

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if getattr(self, "_load_pending", False):
            QTimer.singleShot(0, self._start_pending_load)

    def start_loading(self) -> None:
        """Build the assistant (if needed) and load the model and privacy filter on the model thread;
        turns queue behind it."""

        def progress(stage: str, share: float) -> None:
            try:
                self.loading_progress.emit(stage, share)
            except RuntimeError:  # the window is gone
                pass

        def build_and_warm() -> bool:
            if self.assistant is None:  # built here, on the model thread, before anything else runs on it
                progress("model", 0.0)
                if self.factory is not None:
                    built = self.factory()
                else:
                    from ..assistant import Assistant

                    built = Assistant()
                self.assistant = built
                try:
                    self.assistant_built.emit(built)  # the GUI thread sets up the conversation list
                except RuntimeError:  # the window is gone
                    return False
            core.warm_up(self.assistant, progress)
            return True

        self.pools.run(build_and_warm, self._loaded, self._load_failed, pool="model")

    def _assistant_ready(self, assistant: Any) -> None:
        self.assistant = assistant
        self._settings_cache = None
        self.store = core.conversations(assistant)
        read_only = bool(getattr(self.store, "read_only", False))
        self.sidebar.read_only = read_only
        if self._reopen and not self.turns:
            self.open_conversation(self._reopen)
        self._reopen = None
        self.refresh_conversations()

    def _on_progress(self, stage: str, share: float) -> None:
        if not self.ready:
            words, overall = core.overall_progress(stage, share)
            self.model_label.setText(f"{words}…" if overall < 1 else words)
            self.progress.setValue(int(overall * 100))
            self.progress.show()

    def _loaded(self, value: Any) -> None:
        if not value:
            return
        self.ready = True
        self.progress.hide()
        name = ""
        try:
            local = getattr(self.assistant, "_local", None)
            name = getattr(local, "name", "") or ""
        except Exception:  # noqa: BLE001
            pass
        self.model_label.setText(f"Local model ready{': ' + name if name else ''}")
        self.ready_changed.emit(True)
        for _turn, message in self.turns:
            if message.streaming and not message.text:
                message.set_status("")

    def _load_failed(self, exc: BaseException) -> None:
        self.load_error = exc
        self.progress.hide()
        self.model_label.setText("The local model did not load")
        self.show_error(exc)
        self.ready_changed.emit(False)

    # -- a turn ------------------------------------------------------------------------------
    def route_mode(self) -> str:
        return self.mode_box.currentData()

    def busy(self) -> bool:
        return bool(self.turns)

    def send(self, text: str, *, mode: str | None = None) -> Message | None:
        """Send `text` (or queue it behind the running turn / the model load)."""
        text = (text or "").strip()
        if not text:
            return None
        self.composer.last_sent = text
        if self.composer.toPlainText().strip() == text:
            self.composer.clear()
        self.chat.scroll_to_end()
        self.chat.add(Message("user", text))
        return self._start(text, mode)

    def _start(self, text: str, mode: str | None) -> Message:
        answer = self.chat.add(Message("assistant"))
        self._wire(answer)
        answer.actions.hide()  # badge, thumbs and actions once the answer is done
        answer.streaming = True
        answer.render_now()
        if not self.ready:
            answer.set_status("Waiting for the local model to load…")
        elif self.turns:
            answer.set_status("Waiting for the answer above to finish…")
        self._start_pending_load()  # the load goes first on the model thread; this turn queues behind it
        turn = Turn(self, text, mode or self.route_mode(), parent=self)
        turn.event.connect(lambda event, m=answer, t=turn: self._on_event(t, m, event))
        turn.failed.connect(lambda exc, m=answer, t=turn: self._on_failed(t, m, exc))
        turn.finished.connect(lambda m=answer, t=turn: self._on_finished(t, m))
        turn.confirm.connect(self._on_confirm)
        self.turns.append((turn, answer))
        self._busy_changed()
        start_turn(self.pools, turn)
        return answer

    def _on_event(self, turn: Turn, message: Message, event: Any) -> None:
        name = type(event).__name__
        if message not in self.chat.messages:  # the user moved to another conversation meanwhile
            if name == "TurnDone":
                self.turn_finished.emit(event.result)
            return
        if name == "LocalToken":
            if message.status.text().startswith("Waiting"):
                message.set_status("")
            message.append(event.text)
        elif name == "Escalating":
            message.set_draft(message.text)
            message.set_text("")
            message.set_status(event.reason)  # the core's words; the "asking <model> …" notice follows
            message.escalated = True
        elif name == "CloudToken":
            if message.status.text().startswith("Waiting"):
                message.set_status("")
            message.append(event.text)
        elif name == "CloudRestart":
            message.set_text("")  # the broken text goes; the retry streams afresh
            message.set_status(f"The cloud answer broke off ({event.reason}); retrying…")
        elif name == "Notice":
            kind = getattr(event, "kind", "")
            if kind == "alert":  # budget alert: for the whole window, not just this answer
                self.banner.show_message(event.text, kind="warning")
            else:  # sending: "asking <model> — … masked"; fallback, collab, privacy
                message.set_status(event.text)
        elif name == "TurnDone":
            self._done(message, event.result)

    def _done(self, message: Message, result: Any) -> None:
        message.streaming = False
        message.set_text(result.answer)
        message.render_now()
        if result.route != "cloud":
            message.set_draft("")
        elif not message.draft and result.local_answer:
            message.set_draft(result.local_answer)
        if message.status.text().startswith("Waiting"):
            message.set_status("")
        message.set_result(result, currency=self.settings().get("budget.currency", "USD"))
        message.actions.show()
        self.chat._mark_last()
        self.turn_finished.emit(result)

    def _on_failed(self, turn: Turn, message: Message, exc: BaseException) -> None:
        if message not in self.chat.messages:
            self.show_error(exc)
            return
        message.streaming = False
        message.set_text("")
        message.render_now()
        message.set_status(f"No answer: {core.user_message(exc)}")
        # nothing typed is lost: the question goes back into an empty box
        if not self.composer.toPlainText().strip():
            self.composer.setPlainText(turn.text)
        self.show_error(exc)

    def _on_finished(self, turn: Turn, message: Message) -> None:
        self.turns = [(t, m) for t, m in self.turns if t is not turn]
        if message in self.chat.messages and message.streaming:  # ended without TurnDone (stopped early)
            message.streaming = False
            message.render_now()
            if not message.status.text().startswith("No answer"):
                message.set_status("Stopped.")
                message.actions.show()
        if self.turns and self.turns[0][1] in self.chat.messages:
            nxt = self.turns[0][1]
            if nxt.status.text().startswith("Waiting for the answer"):
                nxt.set_status("")
        turn.deleteLater()
        self._busy_changed()
        if not self._closing:
            self.refresh_conversations()

    def _busy_changed(self) -> None:
        busy = bool(self.turns)
        self.stop_button.setVisible(busy)
        self.hint.setText("Generating… Esc stops" if busy else "")

    def stop(self) -> None:
        """Stop the running answer and drop queued ones."""
        for turn, _ in self.turns:
            turn.cancel.set()

    def _on_confirm(self, payload: Any, reply: Reply) -> None:
        if self._closing:
            reply.answer(False)
            return
        dialog = ConfirmSendDialog(payload, self.settings()["cloud.model"], self)
        self.confirm_dialog = dialog
        dialog.finished.connect(lambda code: reply.answer(code == QDialog.DialogCode.Accepted))
        dialog.open()

    # -- per-answer actions -----------------------------------------------------------------
    def _last_exchange(self) -> tuple[Message | None, Message | None]:
        return self.chat.last("user"), self.chat.last("assistant")

    def _drop_last_exchange(self) -> str | None:
        """Remove the last question and answer from the view and from the history sent to the model."""
        if self.turns:
            return None
        user, answer = self._last_exchange()
        if user is None:
            return None
        msgs = self.conversation.messages if self.conversation is not None else []
        if len(msgs) >= 2 and msgs[-2].get("role") == "user" and msgs[-2].get("content") == user.text:
            del msgs[-2:]
        if answer is not None:
            turn_id = answer.turn_id()
            if (
                turn_id is not None and self.store is not None
            ):  # reopened later, the conversation shows the new answer only
                self.pools.run(lambda: self.store.replace(turn_id), None, self.show_error)
            self.chat.remove(answer)
        return user.text

    def regenerate_last(self, mode: str | None = None) -> None:
        user, answer = self._last_exchange()
        if user is None or self.turns:
            return
        text = self._drop_last_exchange()
        if text is not None:
            self._start(text, mode)

    def ask_cloud_anyway(self) -> None:
        self.regenerate_last(mode="cloud")

    def edit_last(self) -> None:
        user, _ = self._last_exchange()
        if user is None or self.turns:
            return
        text = self._drop_last_exchange()
        self.chat.remove(user)
        self.composer.setPlainText(text or "")
        self.composer.setFocus()
        self.composer.moveCursor(self.composer.textCursor().MoveOperation.End)

    def feedback(self, message: Message, value: str) -> None:
        """Thumbs up/down: the ledger's set_feedback, as `edgeapp feedback` records it."""
        turn_id = message.turn_id()
        if turn_id is None:
            return
        checked = (message.good if value == "good" else message.bad).isChecked()

        def record() -> None:
            ledger = self.assistant.ledger if self.assistant is not None else None
            if ledger is not None:
                ledger.set_feedback(turn_id, value if checked else None)

        self.pools.run(
            record, lambda _v: self.statusBar().showMessage("Feedback recorded.", 3000), self.show_error
        )

    def show_reasons(self, message: Message) -> None:
        if message.result is None:
            return
        self.reasons_popup = ReasonsPopup(message.result, self)
        self.reasons_popup.show_below(message.badge)

    def _wire(self, message: Message) -> None:
        message.cloud_ok = bool(self.settings()["cloud.base_url"])
        message.badge_clicked.connect(self.show_reasons)
        message.feedback.connect(self.feedback)
        message.regenerate.connect(lambda _m: self.regenerate_last())
        message.cloud_anyway.connect(lambda _m: self.ask_cloud_anyway())
        message.edit.connect(lambda _m: self.edit_last())

    # -- conversations -------------------------------------------------------------------------
    def new_chat(self) -> None:
        if self.turns:
            self.stop()
        self.conversation = None  # made by the next turn, on the model thread
        self.chat.clear()
        self.sidebar.current_id = None
        self.sidebar.list.clearSelection()
        self.composer.setFocus()
        self.refresh_conversations()

    def refresh_conversations(self) -> None:
        if self.store is None:
            return
        query = self._search

        def fetch() -> list[dict[str, Any]]:
            items = self.store.search(query) if query else self.store.list(limit=500)
            return [core.summary(i) for i in items]

        self.pools.run(fetch, self._fill_list, lambda exc: self.show_error(exc))

    def _fill_list(self, items: list[dict[str, Any]]) -> None:
        if self._pending_delete is not None:
            items = [i for i in items if i["id"] != self._pending_delete[0]]
        self.sidebar.fill(items, self.conversation.id if self.conversation is not None else None)
        self.conversations_changed.emit()

    def _search_changed(self, query: str) -> None:
        self._search = query
        self.refresh_conversations()

    def focus_search(self) -> None:
        self.sidebar.search.setFocus()
        self.sidebar.search.selectAll()

    def open_conversation(self, conversation_id: str) -> None:
        if self.store is None:
            self._reopen = conversation_id
            return
        if self.turns:
            self.stop()

        def load() -> Any:
            conversation = self.store.load(conversation_id)
            return conversation, self.store.turns(conversation_id)  # each answer's badge, from its ledger row

        def shown(loaded: Any) -> None:
            conversation, rows = loaded
            self.conversation = conversation
            self.show_conversation(conversation, rows)
            self.sidebar.select(conversation_id)

        def gone(exc: BaseException) -> None:  # deleted meanwhile: start afresh, say nothing
            if self.sidebar.current_id == conversation_id:
                self.sidebar.current_id = None

        self.pools.run(load, shown, gone)

    def show_conversation(self, conversation: Any, rows: list[dict] | None = None) -> None:
        """Put a loaded conversation in the view (in slices, so a long one never stalls the window).
        `rows`: the ledger's turns of it, oldest first, for the badges of the answers."""
        self.chat.clear()
        messages = list(conversation.messages)
        answers = [r for r in (rows or []) if r.get("answer")]
        if len(answers) != sum(1 for m in messages if m.get("role") == "assistant"):
            answers = []  # history edited elsewhere: show the text without badges rather than wrong ones
        badges = iter(answers)

        def add_slice(start: int = 0) -> None:
            if conversation is not self.conversation:
                return
            for item in messages[start : start + 10]:
                m = Message(item.get("role", "user"), item.get("content", ""))
                m.render_now()
                self.chat.add(m)
                if m.role == "assistant":
                    self._wire(m)
                    row = next(badges, None)
                    if row is not None:
                        m.set_result(row)
            if start + 10 < len(messages):
                QTimer.singleShot(0, lambda: add_slice(start + 10))
            else:
                self.chat.scroll_to_end()

        add_slice()

    def rename_conversation(self, conversation_id: str, title: str) -> None:
        self.pools.run(
            lambda: self.store.rename(conversation_id, title),
            lambda _v: self.refresh_conversations(),
            self.show_error,
        )

    def delete_conversation(self, conversation_id: str) -> None:
        """Hide it at once; really delete after a few seconds unless Undo is pressed."""
        self._commit_delete()
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(self._commit_delete)
        self._pending_delete = (conversation_id, timer)
        timer.start(UNDO_MS)
        title = next(
            (
                self.sidebar.list.item(i).text()
                for i in range(self.sidebar.list.count())
                if self.sidebar.list.item(i).data(Qt.ItemDataRole.UserRole) == conversation_id
            ),
            "",
        )
        if self.conversation is not None and conversation_id == self.conversation.id:
            self.new_chat()
        else:
            self.refresh_conversations()
        self.banner.show_message(
            f"Deleted “{title}”.", kind="info", button="Undo", callback=self._undo_delete, timeout_ms=UNDO_MS
        )

    def _undo_delete(self) -> None:
        if self._pending_delete is not None:
            self._pending_delete[1].stop()
            self._pending_delete = None
        self.refresh_conversations()

    def _commit_delete(self, *, wait: bool = False) -> None:
        if self._pending_delete is None:
            return
        conversation_id, timer = self._pending_delete
        timer.stop()
        self._pending_delete = None
        if wait:
            self.store.delete(conversation_id)
            return
        self.pools.run(
            lambda: self.store.delete(conversation_id),
            lambda _v: self.refresh_conversations(),
            self.show_error,
        )

    # -- settings and routing ---------------------------------------------------------------
    def _mode_changed(self, _index: int) -> None:
        mode = self.route_mode()

        def save() -> None:
            settings = config.load()
            settings.set("router.mode", mode)
            settings.save()
            if self.assistant is not None:
                core.reload_settings(self.assistant)

        self.pools.run(save, None, self.show_error)

    def open_settings(self, focus: str | None = None, value: Any = None) -> None:
        from .settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.assistant, self.pools, self, focus=focus, value=value)
        self.settings_dialog = dialog
        dialog.saved.connect(self._settings_saved)
        dialog.open()

    def _settings_saved(self) -> None:
        self._settings_cache = None
        mode = self.settings()["router.mode"]
        index = [m for m, _ in MODES].index(mode) if mode in dict(MODES) else 0
        self.mode_box.blockSignals(True)
        self.mode_box.setCurrentIndex(index)
        self.mode_box.blockSignals(False)
        if self.banner.kind in ("info", "error"):
            self.banner.dismiss()

    # -- errors ---------------------------------------------------------------------------------
    def show_error(self, exc: BaseException) -> None:
        action = core.error_action(exc)
        label, callback = None, None
        if action is not None:
            label = action.label
            if getattr(action, "setting", None):
                callback = lambda a=action: self.open_settings(a.setting, getattr(a, "value", None))  # noqa: E731
            elif getattr(action, "command", None):

                def callback(a=action) -> None:
                    QGuiApplication.clipboard().setText(a.command)
                    self.statusBar().showMessage(f"Copied “{a.command}”: run it in a terminal.", 8000)

        self.banner.show_message(core.user_message(exc), kind="error", button=label, callback=callback)

    # -- quitting ---------------------------------------------------------------------------------
    def open_companion(self) -> None:
        """The companion switch (edgeapp serve in-process, LAN opt-in, pairing QR, token rotation).
        The server's modules load only when the user opens it."""
        from .companion import CompanionController, CompanionDialog

        if getattr(self, "companion", None) is None:
            self.companion = CompanionController(lambda: self.assistant)
        CompanionDialog(self.companion, self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._closing = True
        self.save_state()
        self.stop()
        if getattr(self, "companion", None) is not None:
            self.companion.stop()
        dialog = getattr(self, "confirm_dialog", None)
        if dialog is not None and dialog.isVisible():
            dialog.reject()
        self.pools.close(15000)
        try:
            self._commit_delete(wait=True)
        except Exception:  # noqa: BLE001 - quitting: never print a traceback
            pass
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Close the model and the database (also for tests that never show the window)."""
        if self.assistant is None:
            return
        try:
            self.assistant.close()
        except Exception:  # noqa: BLE001
            pass
        ledger = getattr(self.assistant, "_ledger", None)
        if ledger is not None:
            try:
                ledger.close()
            except Exception:  # noqa: BLE001
                pass
