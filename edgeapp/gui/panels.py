"""Mounting the budget panel and the "Sent to cloud" view in the main window.

`mount_budget_and_review(window)` adds both as tabs of the window's panel dock (`add_panel`) and
wires them: both refresh when a turn ends (`turn_finished`); a day clicked in the budget chart
opens that day in the review; "Open conversation" opens it in the chat; deleting history refreshes
the budget and the conversation list; the budget reached is said once in the window's banner; and
a "kept local (budget)" badge in the chat brings the budget panel forward.
"""

from __future__ import annotations

from typing import Any

from ..ledger import Ledger
from .budget_panel import BudgetPanel
from .review import ReviewView


def _is_budget(result: Any) -> bool:
    code = getattr(result, "reason_code", None)
    if code is not None:
        return code == "budget"
    reason = (getattr(result, "reason", "") or "").lower()
    return getattr(result, "route", "") != "cloud" and "budget" in reason


def mount_budget_and_review(window: Any, ledger: Ledger | None = None) -> tuple[BudgetPanel, ReviewView]:
    """Build both panels on `ledger` (default: the ledger file the assistant uses) and mount them."""
    ledger = ledger or Ledger()  # its own connections to the same file; settings read at each decision
    budget = BudgetPanel(ledger)
    review = ReviewView(ledger)
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
            lambda text: banner.show_message(text, kind="warning", button="Budget…", callback=window.show_budget))

    # the chat's "kept local (budget)" badge links to the budget panel (its popup still opens)
    original = getattr(window, "show_reasons", None)
    if original is not None:
        def show_reasons(message: Any) -> None:
            if _is_budget(getattr(message, "result", None)):
                window.show_budget()
            original(message)

        window.show_reasons = show_reasons
    window.ledger_for_panels = ledger
    return budget, review
