"""Speed of the "Sent to cloud" view and the budget panel on a year of history.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_review.py [--calls 50000] [--repeats 20]

The ledger is written with the real ledger code (reserve -> settle -> record_turn for each escalated
turn, plus a local turn for every second one), spread over 365 days up to now, and kept in
~/.cache/edgeapp/ between runs. Measured on the GUI thread, wall clock, through the event loop
(the queries run on the worker pool, so each figure includes the thread hop and the model reset):

- open:    ReviewView(ledger) constructed and shown until its first page is in the model and painted
- filter:  a filter change (model, text search, last 7 days, any time, a single day) until the new
           first page is in
- scroll:  the next page appended (fetchMore) deep into the history
- budget:  BudgetPanel.refresh() until the snapshot (status, pacing, month by day) is applied

Targets (issue 13): open <= 300 ms, filter <= 300 ms, budget refresh <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("EDGEAPP_HOME", tempfile.mkdtemp(prefix="edgeapp-bench-review-"))

TARGETS = {"open": 300.0, "filter": 300.0, "budget": 50.0}


def build(path: Path, calls: int) -> float:
    from edgeapp.ledger import Ledger
    from edgeapp.ledger.review import count_calls
    from tests.review_history import Clock, fill

    if path.exists():
        with Ledger(path) as led:
            if count_calls(led) == calls:
                return 0.0
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    clock = Clock(datetime.now().astimezone())
    started = time.perf_counter()
    with Ledger(path, clock=clock) as led:
        fill(led, clock, calls, days=365, end=datetime.now().astimezone() - timedelta(minutes=5))
    return time.perf_counter() - started


def stats(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {
        "n": len(s), "min": round(s[0], 1), "median": round(statistics.median(s), 1),
        "p90": round(s[min(len(s) - 1, int(round(0.9 * (len(s) - 1))))], 1), "max": round(s[-1], 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calls", type=int, default=50_000)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "review.json")
    args = ap.parse_args()
    db = args.db or Path.home() / ".cache" / "edgeapp" / f"bench-review-{args.calls}.db"
    built = build(db, args.calls)

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from edgeapp.gui.budget_panel import BudgetPanel
    from edgeapp.gui.review import ReviewView
    from edgeapp.ledger import Ledger
    from edgeapp.ledger.limits import set_monthly_limit
    from edgeapp.ledger.review import count_calls

    app = QApplication.instance() or QApplication([])
    set_monthly_limit(50)

    def wait(signal, action) -> float:
        loop = QEventLoop()
        signal.connect(loop.quit)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(10_000)
        t0 = time.perf_counter()
        action()
        loop.exec()
        app.processEvents()  # paint
        ms = (time.perf_counter() - t0) * 1000
        signal.disconnect(loop.quit)
        if not timer.isActive():
            raise RuntimeError("timed out")
        return ms

    ledger = Ledger(db)
    total = count_calls(ledger)
    results: dict[str, list[float]] = {"open": [], "filter": [], "scroll": [], "budget": []}

    # open: a fresh view each time (the first one also warms SQLite's page cache, as the app's start would)
    views = []
    for i in range(args.repeats + 1):
        loop = QEventLoop()
        t0 = time.perf_counter()
        view = ReviewView(ledger)
        view.resize(1280, 760)
        view.show()
        view.model.loaded.connect(loop.quit)
        if view.model._fetching:
            loop.exec()
        app.processEvents()
        ms = (time.perf_counter() - t0) * 1000
        assert view.model.rowCount() > 0
        if i:
            results["open"].append(ms)
        views.append(view)
        if len(views) > 1:
            old = views.pop(0)
            old.close()
            old.deleteLater()
    view = views[-1]
    view.table.selectRow(0)

    models = view.model.models
    day = (datetime.now().astimezone() - timedelta(days=40)).date()
    def quietly(*widgets, then=None):
        def action() -> None:
            for w in widgets:
                w.blockSignals(True)
            try:
                then()
            finally:
                for w in widgets:
                    w.blockSignals(False)
            view.apply_filters()
        return action

    filters = [  # each change answers with one query, as the user's would
        lambda: view.model_box.setCurrentIndex(view.model_box.findData(models[1])),
        quietly(view.search, then=lambda: view.search.setText("sourdough")),  # search, past its debounce
        lambda: view.period.setCurrentIndex(view.PERIODS.index("Last 7 days")),
        quietly(view.search, view.model_box, then=lambda: (view.search.clear(), view.model_box.setCurrentIndex(0))),
        lambda: view.period.setCurrentIndex(0),
        lambda: view.show_day(day),
        lambda: view.period.setCurrentIndex(0),
    ]
    while len(results["filter"]) < args.repeats * 2:
        for change in filters:
            results["filter"].append(wait(view.model.loaded, change))

    # scroll: pages deep into the history
    fetched = 0
    while fetched < args.repeats and view.model.canFetchMore():
        results["scroll"].append(wait(view.model.page_loaded, view.model.fetchMore))
        fetched += 1

    panel = BudgetPanel(ledger, poll_ms=0)
    panel.resize(420, 640)
    panel.show()
    wait(panel.refreshed, lambda: None) if panel._in_flight else None
    for _ in range(args.repeats * 2):
        results["budget"].append(wait(panel.refreshed, panel.refresh))

    report = {
        "calls": total,
        "turns": ledger.store.db["turns"].count,
        "db_mb": round(db.stat().st_size / 2**20, 1),
        "built_s": round(built, 1),
        "machine": f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "ms": {k: stats(v) for k, v in results.items() if v},
        "targets_ms": TARGETS,
    }
    report["pass"] = {k: report["ms"][k]["max"] <= t for k, t in TARGETS.items()}
    print(f"ledger: {total:,} cloud calls, {report['turns']:,} turns, {report['db_mb']} MB"
          + (f" (built in {built:.0f} s)" if built else " (cached)"))
    print(f"{'':8} {'n':>4} {'min':>7} {'median':>7} {'p90':>7} {'max':>7}   target")
    for key, s in report["ms"].items():
        target = TARGETS.get(key)
        verdict = "" if target is None else f"<= {target:.0f} ms {'ok' if s['max'] <= target else 'MISSED'}"
        print(f"{key:8} {s['n']:>4} {s['min']:>7} {s['median']:>7} {s['p90']:>7} {s['max']:>7}   {verdict}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    ledger.close()
    return 0 if all(report["pass"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
