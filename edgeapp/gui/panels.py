"""Mounting the budget panel and the "Sent to cloud" view in the main window.

`mount_budget_and_review(window)` adds both as tabs of the window's panel dock (`add_panel`) and
wires them: both refresh when a turn ends (`turn_finished`); a day clicked in the budget chart
opens that day in the review; "Open conversation" opens it in the chat; deleting history refreshes
the budget and the conversation list; the budget reached is said once in the window's banner; and
a "kept local (budget)" badge in the chat brings the budget panel forward.

By default the tabs are mounted at once as placeholders and the panels are built once their
modules (Qt Charts, the ledger) are imported and the ledger is opened on a worker thread, so the
window's launch does not wait for them. `defer=False` builds them at once and returns them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget


class _QuietOnClose(QObject):
    """Before the window closes (and closes the ledger), the panels stop polling and their
    queries in flight finish: no query may run on a connection being closed."""

    def __init__(self, window: Any, budget: Any):
        super().__init__(window)
        self.budget = budget

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Close:
            from .ledger_jobs import Jobs

            self.budget._poll.stop()
            Jobs.shared().wait(3000)
        return False


def _is_budget(result: Any) -> bool:
    code = getattr(result, "reason_code", None)
    if code is not None:
        return code == "budget"
    reason = (getattr(result, "reason", "") or "").lower()
    return getattr(result, "route", "") != "cloud" and "budget" in reason


def _open_ledger(window: Any) -> Any:
    """The ledger the assistant writes (or a Ledger on the same file); runs on a worker."""
    from ..ledger import Ledger

    assistant = getattr(window, "assistant", None)
    ledger = getattr(assistant, "ledger", None) if assistant is not None else None
    return ledger if isinstance(ledger, Ledger) else Ledger()


def mount_budget_and_review(window: Any, ledger: Any = None, *, defer: bool = True) -> tuple[Any, Any] | None:
    """Mount both panels on `ledger` (default: the assistant's ledger file). With `defer` (the
    default) they appear when ready and this returns None; `window.budget_panel` and
    `window.review_view` are set then (and `window.panels_ready` is emitted if the window has it)."""
    if not defer:
        if ledger is None:
            ledger = _open_ledger(window)
        return _build(window, ledger)
    holders = []
    for name in ("Budget", "Sent to cloud"):
        holder = QLabel("Reading the ledger…")
        holder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        window.add_panel(name, holder)
        holders.append(holder)

    def load() -> Any:
        from . import budget_panel, sent_to_cloud  # noqa: F401  (Qt Charts and the ledger, imported here)

        return ledger if ledger is not None else _open_ledger(window)

    def ready(opened: Any) -> None:
        _build(window, opened, holders)

    def failed(exc: BaseException) -> None:
        for holder in holders:
            holder.setWordWrap(True)
            holder.setText(
                f"This panel could not start: {exc}. (It needs Qt Charts: pip install PySide6-Addons.)"
            )

    from .ledger_jobs import Jobs

    Jobs.shared().run(load, ready, failed)
    return None


def _build(window: Any, ledger: Any, holders: list[QWidget] | None = None) -> tuple[Any, Any]:
    from .budget_panel import BudgetPanel
    from .sent_to_cloud import ReviewView

    budget = BudgetPanel(ledger)
    review = ReviewView(ledger)
    if holders:
        for holder, widget, name in zip(holders, (budget, review), ("Budget", "Sent to cloud"), strict=True):
            index = window.panels.indexOf(holder)
            current = window.panels.currentIndex() == index
            window.panels.removeTab(index)
            window.panels.insertTab(index, widget, name)
            if current:
                window.panels.setCurrentIndex(index)
            holder.deleteLater()
    else:
        window.add_panel("Budget", budget)
        window.add_panel("Sent to cloud", review)
    window.budget_panel, window.review_view = budget, review

    def show(widget: Any) -> None:
        window.panel_dock.show()
        window.panel_dock.raise_()
        window.panels.setCurrentWidget(widget)

    window.show_budget = lambda: show(budget)
    window.show_sent = lambda: show(review)
    window.turn_finished.connect(budget.refresh)
    window.turn_finished.connect(review.refresh)
    budget.day_clicked.connect(lambda day: (review.show_day(day), show(review)))
    if hasattr(window, "open_conversation"):
        review.open_conversation.connect(window.open_conversation)

    def deleted(_result: Any) -> None:
        budget.invalidate()
        budget.refresh()
        if hasattr(window, "refresh_conversations"):
            window.refresh_conversations()

    review.history_deleted.connect(deleted)
    banner = getattr(window, "banner", None)
    if banner is not None:
        budget.budget_reached.connect(
            lambda text: banner.show_message(
                text, kind="warning", button="Budget…", callback=window.show_budget
            )
        )

    # the chat's "kept local (budget)" badge links to the budget panel (its popup still opens). The
    # window connects each message's badge to `window.show_reasons` when the message is made, so
    # messages made from now on get this.
    original = getattr(window, "show_reasons", None)
    if original is not None:

        def show_reasons(message: Any) -> None:
            if _is_budget(getattr(message, "result", None)):
                window.show_budget()
            original(message)

        window.show_reasons = show_reasons
    window.ledger_for_panels = ledger
    window._panels_quiet_on_close = _QuietOnClose(window, budget)
    window.installEventFilter(window._panels_quiet_on_close)
    return budget, review
