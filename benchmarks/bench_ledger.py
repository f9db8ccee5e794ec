"""The ledger under faults and at rest (issue 28), two tables for docs/ledger-and-budget.md.

Part 1 (recovery): a ledger of 300 cloud turns (one call each) is damaged each way of
tests/ledger_damage.py and opened again; the table lists the rows carried into the fresh ledger,
the method, the month's spend after recovery against what was written (the copies made mid-write
saw 50 or 60 more turns), and the time the open took.

Part 2 (encryption at rest): the same work on a plain and on an encrypted (SQLCipher) ledger,
interleaved (plain, encrypted, encrypted, plain, ...) on files that already hold --turns turns:
record one turn, read the history (the 20 newest turns, then a full-text search), open the file
(which runs PRAGMA quick_check over it) and close it. Medians per operation, and the overhead.

    .venv/bin/python benchmarks/bench_ledger.py [--turns 1000] [--rounds 4] [--writes 100]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def recovery_table(work: Path) -> list[str]:
    from edgeapp.ledger import Ledger
    from tests import ledger_damage as damage

    healthy = work / "healthy.db"
    spent = damage.build(healthy, 300)
    lines = [
        "| damage | method | turns | cloud calls | reservations | month's spend: recovered / written | open |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, spoil in damage.DAMAGES.items():
        folder = work / name.replace(" ", "-").replace("/", "")
        folder.mkdir()
        path = folder / "edgeapp.db"
        shutil.copyfile(healthy, path)
        written = spent * (300 + spoil(path, folder)) / 300  # every call costs the same
        started = time.perf_counter()
        with Ledger(path, settings=damage.settings(100)) as led:
            took = time.perf_counter() - started
            report = led.recovered
            if report is None or report.recovery is None:
                lines.append(f"| {name} | not detected (SQLite opened it) | | | | | {took:.2f} s |")
                continue
            rows = report.recovery.rows
            lines.append(
                f"| {name} | {report.recovery.method} | {rows.get('turns', 0)} | {rows.get('cloud_calls', 0)} | "
                f"{rows.get('reservations', 0)} | {led.month_spend():.4f} / {written:.4f} | {took:.2f} s |"
            )
    return lines


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def encryption_table(work: Path, turns: int, rounds: int, writes: int) -> list[str]:
    import keyring
    from keyring.backend import KeyringBackend

    from edgeapp.ledger import Ledger, TurnRecord
    from tests import ledger_damage as damage

    class MemoryKeyring(KeyringBackend):
        priority = 1
        store: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    keyring.set_keyring(MemoryKeyring())  # never the machine's own keyring
    files, settings = {}, {}
    for mode in ("plain", "encrypted"):
        s = damage.settings(1000)
        s.set("privacy.encrypt_ledger", mode == "encrypted")
        settings[mode], files[mode] = s, work / f"{mode}.db"
        with Ledger(files[mode], settings=s) as led:
            damage.add_cloud_turns(led, 0, turns)
    times: dict[str, dict[str, list[float]]] = {m: {"write": [], "read": [], "open": []} for m in files}
    order = ["plain", "encrypted"]
    for r in range(rounds):
        for mode in order if r % 2 == 0 else order[::-1]:
            with Ledger(files[mode], settings=settings[mode]) as led:
                for i in range(writes):
                    rec = TurnRecord(f"bench{i}", f"question {i} about pears", "answer " * 40, "local", "r", 0.9,
                                     {}, 0.5, "smol")  # fmt: skip
                    times[mode]["write"].append(_timed(lambda rec=rec: led.record_turn(rec)))
                    times[mode]["read"].append(
                        _timed(lambda: (led.turns(limit=20), led.turns(limit=20, query="apples")))
                    )
            for _ in range(5):
                times[mode]["open"].append(_timed(lambda m=mode: Ledger(files[m], settings=settings[m]).close()))
    size = {m: files[m].stat().st_size / 1e6 for m in files}
    lines = [
        f"| per operation (median, {turns}+ turns, {size['plain']:.1f} MB file) | plain | encrypted | overhead |",
        "|---|---|---|---|",
    ]
    labels = {
        "write": "record a turn",
        "read": "read history (20 newest + a search)",
        "open": "open the file (quick_check) and close",
    }
    for op, label in labels.items():
        plain, enc = statistics.median(times["plain"][op]), statistics.median(times["encrypted"][op])
        lines.append(f"| {label} | {plain * 1000:.2f} ms | {enc * 1000:.2f} ms | {(enc / plain - 1) * 100:+.0f}% |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--writes", type=int, default=100)
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as folder:
        work = Path(folder)
        import os

        os.environ["EDGEAPP_HOME"] = str(work / "home")  # settings of our own, not the user's
        print("\n".join(recovery_table(work)))
        print()
        print("\n".join(encryption_table(work, args.turns, args.rounds, args.writes)))


if __name__ == "__main__":
    main()
