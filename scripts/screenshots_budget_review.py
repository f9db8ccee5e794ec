"""Render the budget panel and the "Sent to cloud" view (with a highlighted payload) to PNG.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_budget_review.py [OUT_DIR]

Builds a throwaway ledger in a temporary EDGEAPP_HOME with the real ledger code (a month of turns,
some escalated with masked names), then grabs each widget. Writes docs/screenshots/budget-panel.png,
budget-reached.png (the limit set below the month's spend) and review-view.png (a call with masked
names selected) and window-budget.png (the panels in the window's dock) by default. No display needed (Qt's offscreen platform).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def build_history(home: Path):
    os.environ["EDGEAPP_HOME"] = str(home)
    from edgeapp.ledger import Ledger
    from edgeapp.ledger.limits import set_monthly_limit
    from tests.review_history import Clock, add_call, add_local

    set_monthly_limit(5.0)
    now = datetime.now().astimezone().replace(hour=9, minute=0, second=0, microsecond=0)
    clock = Clock(now)
    ledger = Ledger(clock=clock)
    start = now.replace(day=1)
    day = start
    i = 0
    while day <= now:
        for k in range((day.day * 7) % 5 + 2):
            clock.now = day + timedelta(hours=8 + k, minutes=13 * k)
            add_local(ledger, clock, conversation=f"c{day.day:02d}", text=f"Local question {i}", answer="Sure.")
            i += 1
        if day.day % 6 == 4:  # a few questions that wanted the cloud but stayed local
            clock.now = day + timedelta(hours=18)
            add_local(ledger, clock, conversation=f"c{day.day:02d}", text="Kept local", answer="Local answer.",
                      route="local-fallback", reason="kept local: budget")
        for k in range((day.day * 3) % 4 + 1):
            clock.now = day + timedelta(hours=12 + k, minutes=7 * k)
            add_call(ledger, clock, conversation=f"c{day.day:02d}", text=f"Cloud question {i} about tax forms",
                     answer="You can file it online.", model=["gpt-4o-mini", "gpt-4.1-mini", "claude-3-5-haiku"][k % 3],
                     provider=["openai", "openai", "openrouter"][k % 3], tokens=(5200 + 300 * k, 2800), entities={"PERSON": 1})
            i += 1
        day += timedelta(days=1)
    clock.now = now + timedelta(minutes=30)
    text = ("Draft a short note to Maria Keller (maria.keller@example.com) saying that the Lisbon trip "
            "moves to 14 June and that Tom Baker will bring the tickets.")
    body = ('{"model": "gpt-4o-mini", "messages": [{"role": "system", "content": "Placeholders like <PERSON_1> stand '
            'for private values: keep them exactly as written."}, {"role": "user", "content": "Draft a short note to '
            '<PERSON_1> (<EMAIL_ADDRESS_1>) saying that the <LOCATION_1> trip moves to 14 June and that <PERSON_2> '
            'will bring the tickets."}], "max_tokens": 1024, "stream": true}')
    answer = ("Hi Maria,\n\nA quick update: the Lisbon trip now starts on 14 June. Tom Baker will bring the "
              "tickets.\n\nSee you soon!")
    add_call(ledger, clock, conversation="trip-note", text=text, answer=answer, request_json=body,
             entities={"PERSON": 2, "EMAIL_ADDRESS": 1, "LOCATION": 1}, tokens=(96, 41),
             reason="low confidence 0.22 < threshold 0.55: escalated")
    clock.now = datetime.now().astimezone()
    return ledger


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="edgeapp-shots-"))
    ledger = build_history(home)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    from edgeapp.gui.budget_panel import BudgetPanel
    from edgeapp.gui.sent_to_cloud import ReviewView

    def wait(signal_owner, attr: str) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        getattr(signal_owner, attr).connect(loop.quit)
        QTimer.singleShot(10000, loop.quit)
        loop.exec()

    panel = BudgetPanel(ledger, poll_ms=0)
    panel.resize(420, 640)
    panel.show()
    wait(panel, "refreshed")
    app.processEvents()
    panel.grab().save(str(out / "budget-panel.png"))
    panel.set_limit(0.40)  # below what the month has spent: the budget is reached, said once
    wait(panel, "refreshed")
    app.processEvents()
    panel.grab().save(str(out / "budget-reached.png"))

    view = ReviewView(ledger)
    view.resize(1280, 760)
    view.show()
    wait(view.model, "loaded")
    view.select_call(next(r["id"] for r in view.model.rows if r["conversation_id"] == "trip-note"))
    wait(view, "detail_shown")
    app.processEvents()
    view.grab().save(str(out / "review-view.png"))
    panel.set_limit(5.0)
    wait(panel, "refreshed")

    # the panels mounted in the window's dock (the window without its model: no conversation)
    from edgeapp.gui.app import create_main_window

    window = create_main_window(load=False, panels=True)
    window.resize(1400, 820)
    window.show()
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(3000, loop.quit)
    loop.exec()
    window.grab().save(str(out / "window-budget.png"))
    print(f"wrote budget-panel.png, budget-reached.png, review-view.png and window-budget.png in {out}")
    window.close()
    ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
