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

TARGETS = {"open": 300.0, "filter": 300.0, "budget": 50.0, "budget after a turn": 50.0}


def build(path: Path, calls: int) -> float:
    from edgeapp.ledger import Ledger
    from edgeapp.ledger.history import count_calls
    from tests.review_history import Clock, fill

    if path.exists():
        with Ledger(path) as led:
            if count_calls(led) >= calls:  # (a run adds a few calls for "budget after a turn")
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
    from edgeapp.gui.sent_to_cloud import ReviewView
    from edgeapp.ledger import Ledger
    from edgeapp.ledger.history import count_calls
    from edgeapp.ledger.limits import set_monthly_limit

    app = QApplication.instance() or QApplication([])
    set_monthly_limit(50)

    cpu: list[float] = []  # process CPU time of the last measurement (all threads)

    def wait(signal, action) -> float:
        loop = QEventLoop()
        signal.connect(loop.quit)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(10_000)
        t0, c0 = time.perf_counter(), time.process_time()
        action()
        loop.exec()
        app.processEvents()  # paint
        ms = (time.perf_counter() - t0) * 1000
        cpu.append((time.process_time() - c0) * 1000)
        signal.disconnect(loop.quit)
        if not timer.isActive():
            raise RuntimeError("timed out")
        return ms

    ledger = Ledger(db)
    total = count_calls(ledger)
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    results: dict[str, list[float]] = {k: [] for k in (
        "open", "open+count", "filter", "filter+count", "scroll", "budget", "budget after a turn")}
    cpu_results: dict[str, list[float]] = {k: [] for k in ("open", "filter", "budget", "budget after a turn")}

    # open: a fresh view each time (the first one also warms SQLite's page cache, as the app's start would)
    views = []
    for i in range(args.repeats + 1):
        first, done = QEventLoop(), QEventLoop()
        t0, c0 = time.perf_counter(), time.process_time()
        view = ReviewView(ledger)
        view.resize(1280, 760)
        view.show()
        view.model.first_page.connect(first.quit)
        view.model.loaded.connect(done.quit)
        if not view.model._paged:
            first.exec()
        app.processEvents()  # painted
        shown, shown_cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        if not view.model._counted:
            done.exec()
        app.processEvents()
        complete = (time.perf_counter() - t0) * 1000
        assert view.model.rowCount() > 0
        if i:
            results["open"].append(shown)
            results["open+count"].append(complete)
            cpu_results["open"].append(shown_cpu)
        views.append(view)
        if len(views) > 1:
            old = views.pop(0)
            old.close()
            old.deleteLater()
    view = views[-1]
    view.table.selectRow(0)
    app.processEvents()

    def quietly(*widgets, then):
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

    models = view.model.models or ["gpt-4o-mini", "gpt-4.1-mini"]
    day = (datetime.now().astimezone() - timedelta(days=40)).date()
    filters = [  # each change answers with one query, as the user's would
        lambda: view.model_box.setCurrentIndex(view.model_box.findData(models[1])),
        quietly(view.search, then=lambda: view.search.setText("sourdough")),  # search, past its debounce
        lambda: view.period.setCurrentIndex(view.PERIODS.index("Last 7 days")),
        quietly(view.search, view.model_box, then=lambda: (view.search.clear(), view.model_box.setCurrentIndex(0))),
        lambda: view.period.setCurrentIndex(0),
        lambda: view.show_day(day),
        lambda: view.period.setCurrentIndex(0),
    ]
    def measure(change) -> tuple[float, float]:
        first, done = QEventLoop(), QEventLoop()
        view.model.first_page.connect(first.quit)
        view.model.loaded.connect(done.quit)
        t0, c0 = time.perf_counter(), time.process_time()
        change()
        if view.model._fetching:
            first.exec()
        app.processEvents()  # painted
        shown = (time.perf_counter() - t0) * 1000
        cpu_results["filter"].append((time.process_time() - c0) * 1000)
        if not view.model._counted:
            done.exec()
        app.processEvents()
        complete = (time.perf_counter() - t0) * 1000
        view.model.first_page.disconnect(first.quit)
        view.model.loaded.disconnect(done.quit)
        return shown, complete

    while len(results["filter"]) < args.repeats * 2:
        for change in filters:
            shown, complete = measure(change)
            results["filter"].append(shown)
            results["filter+count"].append(complete)
    # scroll: pages deep into the history
    fetched = 0
    while fetched < args.repeats and view.model.canFetchMore():
        results["scroll"].append(wait(view.model.page_loaded, view.model.fetchMore))
        fetched += 1

    panel = BudgetPanel(ledger, poll_ms=0)
    panel.resize(420, 640)
    panel.show()
    if panel._in_flight:
        wait(panel.refreshed, lambda: None)
    for _ in range(args.repeats * 2):
        results["budget"].append(wait(panel.refreshed, panel.refresh))
        cpu_results["budget"].append(cpu[-1])
    from tests.review_history import Clock, add_call

    clock = Clock(datetime.now().astimezone())
    for i in range(args.repeats):
        clock.now = datetime.now().astimezone()
        add_call(ledger, clock, conversation="bench", text=f"bench question {i}", answer="ok")  # a turn that spent
        results["budget after a turn"].append(wait(panel.refreshed, panel.refresh))
        cpu_results["budget after a turn"].append(cpu[-1])

    report = {
        "calls": total,
        "turns": ledger.store.db["turns"].count,
        "db_mb": round(db.stat().st_size / 2**20, 1),
        "built_s": round(built, 1),
        "machine": f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_average_1min": load_before,
        "ms": {k: stats(v) for k, v in results.items() if v},
        "cpu_ms": {k: stats(v) for k, v in cpu_results.items() if v},
        "targets_ms": TARGETS,
    }
    report["pass_p90"] = {k: report["ms"][k]["p90"] <= t for k, t in TARGETS.items()}
    print(f"ledger: {total:,} cloud calls, {report['turns']:,} turns, {report['db_mb']} MB"
          + (f" (built in {built:.0f} s)" if built else " (cached)"))
    if load_before is not None:
        print(f"load average before the run: {load_before:.1f} on {os.cpu_count()} CPUs")
    print(f"{'ms':20} {'n':>4} {'min':>7} {'median':>7} {'p90':>7} {'max':>7}   target (p90)")
    for key, s in report["ms"].items():
        target = TARGETS.get(key)
        verdict = "" if target is None else f"<= {target:.0f} {'ok' if s['p90'] <= target else 'MISSED'}"
        print(f"{key:20} {s['n']:>4} {s['min']:>7} {s['median']:>7} {s['p90']:>7} {s['max']:>7}   {verdict}")
    print("process CPU time of the same operations (all threads; what they cost without other load):")
    for key, s in report["cpu_ms"].items():
        print(f"{key + ' (cpu)':20} {s['n']:>4} {s['min']:>7} {s['median']:>7} {s['p90']:>7} {s['max']:>7}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    ledger.close()
    return 0 if all(report["pass_p90"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
