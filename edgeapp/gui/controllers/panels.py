"""The right-hand dock ("Panels", toggled from the View menu): the budget panel, the "Sent to
cloud" review and the Models panel, each a tab. It starts closed, so that a first window is all
chat, and opens at the next start when the user left it open (`panels/open` in window.ini).

Wiring: both ledger panels refresh when a turn ends (`refresh`, connected to the window's
`turn_finished`); a day clicked in the budget chart opens that day in the review; the review's
"Open conversation" is `open_conversation`; deleting history refreshes the budget and emits
`history_deleted` (the conversation list follows); the budget reached is said once in the banner;
a "kept local (budget)" badge brings the budget panel forward (`reasons_requested`); a model
switched in the Models panel applies to the running assistant from its next turn.

`mount_budget_and_review()` mounts placeholders at once and builds the panels once their modules
(Qt Charts, the ledger) are imported and the ledger is opened on a worker thread, so the window's
launch does not wait for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from ... import wording
from ..banner import Banner
from ..session import Session

if TYPE_CHECKING:
    from ...ledger import Ledger
    from ...ledger.history import Deleted
    from ..budget_panel import BudgetPanel
    from ..chat import AnswerRecord
    from ..models_panel import ModelsPanel
    from ..sent_to_cloud import ReviewView

LEDGER_PANELS = ("Budget", "Sent to cloud")
OPEN_KEY = "panels/open"  # in window.ini: whether the user left the dock open
DOCK_MIN_WIDTH = 240
DOCK_SHARE = 0.3  # the dock's width when it opens wider than DOCK_MAX_SHARE of the window
DOCK_MAX_SHARE = 0.45


def kept_local_for_budget(record: AnswerRecord) -> bool:
    code = record.get("reason_code") if isinstance(record, dict) else record.reason_code
    return code == wording.BUDGET


class DockScroller(QScrollArea):
    """The dock's content: asks for a modest width (a scroll area asks for its panel's whole width,
    and Qt widens the window to give a newly shown dock what it asks for)."""

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(int(DOCK_MIN_WIDTH * 1.25), super().sizeHint().height())


class PanelsController(QObject):
    open_conversation = Signal(str)  # the review's "Open conversation"
    history_deleted = Signal()
    model_switched = Signal(str)  # the model file now in local.model_path
    mounted = Signal()  # the budget and review panels are built
    dock_opened = Signal()  # the user opened the dock: the window makes room for it

    def __init__(self, session: Session, banner: Banner, window: QMainWindow, remembered: QSettings) -> None:
        super().__init__(window)
        self.session = session
        self.banner = banner
        self.window = window
        self.remembered = remembered
        self.tabs = QTabWidget(window)
        self.tabs.setDocumentMode(True)
        # the panels are wider than a narrow dock: they scroll inside it rather than push the chat
        scroller = DockScroller(window)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(self.tabs)
        scroller.setMinimumWidth(DOCK_MIN_WIDTH)
        self.dock = QDockWidget("Panels", window)
        self.dock.setObjectName("panels")
        self.dock.setWidget(scroller)
        self.dock.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea
        )
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._visibility_changed)
        self.budget: BudgetPanel | None = None
        self.review: ReviewView | None = None
        self.models: ModelsPanel | None = None
        self.ledger: Ledger | None = None

    def add(self, name: str, widget: QWidget) -> QDockWidget:
        """Mount a panel as a tab of the dock. The dock opens with the first panel only when the user
        left it open last time (it starts closed: the chat comes first)."""
        self.tabs.addTab(widget, name)
        if self.tabs.count() == 1 and self.remembered.value(OPEN_KEY, False, type=bool):
            self.dock.show()
        return self.dock

    def _visibility_changed(self, _visible: bool) -> None:
        """Remember the user's choice (shown through View ▸ Panels, a badge, or closed with its ×);
        the window opening or closing is not a choice. A dock opened wider than a share of the
        window is narrowed, so that the chat stays the main area."""
        window = self.window
        try:
            if not window.isVisible() or window.isMinimized() or self.session.closing:
                return
        except RuntimeError:  # the window is being destroyed without having been closed
            return
        is_open = not self.dock.isHidden()
        self.remembered.setValue(OPEN_KEY, is_open)
        if is_open and not self.dock.isFloating():
            QTimer.singleShot(0, self.dock_opened.emit)

    def keep_the_chat_widest(self) -> None:
        """The dock, open and docked, takes at most DOCK_MAX_SHARE of the window (the window was
        made narrower, or the dock opened with a width saved for a wider window)."""
        width = self.window.width()
        if (
            self.dock.isVisible()
            and not self.dock.isFloating()
            and self.dock.width() > DOCK_MAX_SHARE * width
        ):
            target = max(DOCK_MIN_WIDTH, int(DOCK_SHARE * width))
            self.window.resizeDocks([self.dock], [target], Qt.Orientation.Horizontal)

    def show_panel(self, widget: QWidget) -> None:
        self.dock.show()
        self.dock.raise_()
        self.tabs.setCurrentWidget(widget)

    def show_budget(self) -> None:
        if self.budget is not None:
            self.show_panel(self.budget)

    def show_sent(self) -> None:
        if self.review is not None:
            self.show_panel(self.review)

    def refresh(self, *_: object) -> None:
        """A turn ended: the ledger panels read the month and the calls again."""
        if self.budget is not None and self.review is not None:
            self.budget.refresh()
            self.review.refresh()

    def reasons_requested(self, record: AnswerRecord) -> None:
        if kept_local_for_budget(record):
            self.show_budget()

    def quiet(self) -> None:
        """Before the window closes (and closes the ledger): the budget stops polling and the queries
        in flight finish, so that none runs on a connection being closed."""
        if self.budget is None:
            return
        from ..ledger_jobs import Jobs

        self.budget.stop_polling()
        Jobs.shared().wait(3000)

    # -- the ledger panels ------------------------------------------------------------------------
    def _open_ledger(self) -> Ledger:
        """The ledger the assistant writes (or a Ledger on the same file); runs on a worker."""
        from ...ledger import Ledger

        assistant = self.session.assistant
        ledger = assistant.ledger if assistant is not None else None
        return ledger if ledger is not None else Ledger()

    def mount_budget_and_review(
        self, ledger: Ledger | None = None, *, defer: bool = True
    ) -> tuple[BudgetPanel, ReviewView] | None:
        """Mount both panels on `ledger` (default: the assistant's ledger file). With `defer` (the
        default) they appear when ready (`mounted`) and this returns None."""
        if not defer:
            return self._build(ledger if ledger is not None else self._open_ledger())
        holders: list[QWidget] = []
        for name in LEDGER_PANELS:
            holder = QLabel("Reading the ledger…")
            holder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.add(name, holder)
            holders.append(holder)

        def load() -> Ledger:
            from .. import budget_panel, sent_to_cloud  # noqa: F401  (Qt Charts and the ledger, imported here)

            return ledger if ledger is not None else self._open_ledger()

        def failed(exc: BaseException) -> None:
            for holder in holders:
                holder.setWordWrap(True)
                holder.setText(
                    f"This panel could not start: {exc}. (It needs Qt Charts: pip install PySide6-Addons.)"
                )

        from ..ledger_jobs import Jobs

        Jobs.shared().run(load, lambda opened: self._build(opened, holders), failed)
        return None

    def _build(self, ledger: Ledger, holders: list[QWidget] | None = None) -> tuple[BudgetPanel, ReviewView]:
        from ..budget_panel import BudgetPanel
        from ..sent_to_cloud import ReviewView

        budget, review = BudgetPanel(ledger), ReviewView(ledger)
        if holders:
            for holder, widget, name in zip(holders, (budget, review), LEDGER_PANELS, strict=True):
                index = self.tabs.indexOf(holder)
                current = self.tabs.currentIndex() == index
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, widget, name)
                if current:
                    self.tabs.setCurrentIndex(index)
                holder.deleteLater()
        else:
            self.add(LEDGER_PANELS[0], budget)
            self.add(LEDGER_PANELS[1], review)
        self.budget, self.review, self.ledger = budget, review, ledger
        budget.day_clicked.connect(lambda day: (review.show_day(day), self.show_panel(review)))
        review.open_conversation.connect(self.open_conversation)
        review.history_deleted.connect(self._history_deleted)
        budget.budget_reached.connect(
            lambda text: self.banner.show_message(
                text, kind="warning", button="Budget…", callback=self.show_budget
            )
        )
        self.mounted.emit()
        return budget, review

    def _history_deleted(self, _deleted: Deleted) -> None:
        if self.budget is not None:
            self.budget.invalidate()
            self.budget.refresh()
        self.history_deleted.emit()

    # -- the Models panel -------------------------------------------------------------------------
    def mount_models(self) -> ModelsPanel:
        """Choose, download and switch local models."""
        from ..models_panel import ModelsPanel

        panel = ModelsPanel()
        self.add("Models", panel)
        self.models = panel
        panel.model_switched.connect(self._model_switched)
        app = QApplication.instance()
        if app is not None:  # quitting mid-download: stop it (the partial is kept) rather than wait for it
            app.aboutToQuit.connect(panel.shutdown)
        return panel

    def refresh_models(self, *_: object) -> None:
        """The model in use changed elsewhere (the first-run card): the Models panel shows it."""
        if self.models is not None:
            self.models.refresh()

    def _model_switched(self, path: str) -> None:
        panel = self.models
        if panel is not None:
            self.session.apply_saved_settings(panel.show_error)
        self.model_switched.emit(path)
