"""The Ledger: records turns and cloud calls, prices calls, and enforces the monthly budget."""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .. import config, paths
from ..config import Settings
from ..errors import ConfigError
from .budget import BudgetStatus, compute_status, local_now, month_bounds, month_key, paced_threshold
from .db import Store
from .encryption import key_for
from .errors import BudgetExceeded, LedgerCorrupt
from .prices import Price, Prices, estimate_json_tokens, reserved_input_tokens, worst_case_cost
from .records import FEEDBACK, ROUTES, CloudCallRecord, TurnRecord, utc_text

HOST = socket.gethostname()
_EPS = 1e-9
# a month's spending: its recorded calls, plus the cost of calls deleted from the history since
# (edgeapp.ledger.history.delete_history keeps it in deleted_spend: money spent stays spent)
_SPENT_SQL = (
    "SELECT COALESCE((SELECT SUM(cost) FROM cloud_calls WHERE month = ?), 0)"
    " + COALESCE((SELECT SUM(cost) FROM deleted_spend WHERE month = ?), 0)"
)
_TURN_FIELDS = {"answer", "route", "reason", "cost", "cloud_ms", "feedback", "confidence", "threshold"}


@dataclass
class Reservation:
    """Worst-case cost held against the month's budget until `settle` or `release`."""

    id: int
    amount: float
    month: str
    provider: str
    model: str
    base_url: str
    price: Price
    input_tokens: int  # reserved input tokens (the caller's estimate plus a margin)
    max_output_tokens: int
    alert: str | None = None  # set when this reservation reaches the soft alert share
    call_id: int | None = None  # the cloud_calls row written by settle/release


def pid_alive(pid: int) -> bool:
    """Is a process with this id still running (and not a zombie)? Unknown means alive."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate it there; rely on the expiry
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] not in ("Z", "X")
    except OSError:
        return True


class Ledger:
    """One SQLite file for turns, cloud calls, reservations. Safe across threads and processes.

    `settings` defaults to reading the settings file at each budget decision, so a limit set
    from the CLI applies to a running app at once.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        settings: Settings | None = None,
        prices: Prices | None = None,
        busy_timeout: float = 5.0,
        attempts: int = 3,
        recover: bool = True,
        clock: Callable[[], datetime] | None = None,
    ):
        self.path = Path(path) if path is not None else paths.database_file()
        self._settings = settings
        self.prices = prices or Prices()
        self._clock = clock or local_now
        key = key_for(self.path, self._wants_encryption())
        self.store = Store(self.path, busy_timeout=busy_timeout, attempts=attempts, recover=recover, key=key)
        self._notice_lock = threading.Lock()
        self._notice_taken = False

    @property
    def recovered(self) -> LedgerCorrupt | None:
        """Set when the file was damaged on open, moved aside and replaced by a fresh one."""
        return self.store.recovered

    def _wants_encryption(self) -> bool:
        """privacy.encrypt_ledger; a broken settings file is said by the budget's first decision, and
        an existing file opens by what it is (plain, or with the keyring's key) either way."""
        try:
            return bool(self.settings["privacy.encrypt_ledger"])
        except ConfigError:
            return False

    def take_recovery_notice(self) -> str | None:
        """The sentence about a damaged file replaced on open, once (None after, or without one):
        the first turn of each face that opened this ledger shows it."""
        with self._notice_lock:
            if self.recovered is None or self._notice_taken:
                return None
            self._notice_taken = True
            return str(self.recovered)

    @property
    def settings(self) -> Settings:
        return self._settings if self._settings is not None else config.load()

    def now(self) -> datetime:
        return self._clock()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- turns -----------------------------------------------------------------------------
    def record_turn(self, rec: TurnRecord) -> int:
        """Write a turn (and link rec.cloud_call_ids to it) in one transaction; returns its id."""
        if rec.route not in ROUTES:
            raise ValueError(f"route must be one of {', '.join(ROUTES)}, got {rec.route!r}")
        if rec.feedback is not None and rec.feedback not in FEEDBACK:
            raise ValueError(f"feedback must be one of {', '.join(FEEDBACK)} or None")
        row = {
            "created_at": utc_text(rec.created_at),
            "conversation_id": rec.conversation_id,
            "user_text": rec.user_text,
            "answer": rec.answer,
            "route": rec.route,
            "reason": rec.reason,
            "confidence": rec.confidence,
            "components": json.dumps(rec.components, sort_keys=True, default=str),
            "threshold": rec.threshold,
            "local_model": rec.local_model,
            "local_prompt_tokens": rec.local_prompt_tokens,
            "local_completion_tokens": rec.local_completion_tokens,
            "local_ms": rec.local_ms,
            "cloud_ms": rec.cloud_ms,
            "cost": rec.cost,
            "feedback": rec.feedback,
            "client": rec.client or None,
            "reason_code": rec.reason_code or None,
            "stopped": int(bool(rec.stopped)),
            "guardian": json.dumps(rec.guardian, ensure_ascii=False) if rec.guardian else None,
        }
        with self.store.write() as db:
            turn_id = int(db["turns"].insert(row).last_pk)
            self._link(db, turn_id, rec.cloud_call_ids)
        return turn_id

    def link_calls(self, turn_id: int, call_ids: list[int]) -> None:
        with self.store.write() as db:
            self._link(db, turn_id, call_ids)

    @staticmethod
    def _link(db: Any, turn_id: int, call_ids: list[int]) -> None:
        for call_id in call_ids:
            db.execute("UPDATE cloud_calls SET turn_id = ? WHERE id = ?", [turn_id, call_id])

    def update_turn(self, turn_id: int, **fields: Any) -> None:
        """Change some columns of a turn (answer, route, reason, cost, cloud_ms, feedback, ...)."""
        unknown = set(fields) - _TURN_FIELDS
        if unknown:
            raise ValueError(
                f"cannot update {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(_TURN_FIELDS))}"
            )
        if fields.get("feedback") not in (None, *FEEDBACK):
            raise ValueError(f"feedback must be one of {', '.join(FEEDBACK)} or None")
        if "route" in fields and fields["route"] not in ROUTES:
            raise ValueError(f"route must be one of {', '.join(ROUTES)}")
        with self.store.write() as db:
            db["turns"].update(turn_id, fields)

    def set_feedback(self, turn_id: int, feedback: str | None) -> None:
        self.update_turn(turn_id, feedback=feedback)

    def get_turn(self, turn_id: int) -> dict[str, Any]:
        return self.store.db["turns"].get(turn_id)

    # -- budget: reserve before the call, settle or release after ---------------------------
    def reserve(
        self, provider: str, model: str, base_url: str, input_tokens: int, max_output_tokens: int
    ) -> Reservation:
        """Hold the worst-case cost of a cloud call against this month's budget, or refuse.

        Raises UnknownPrice (no price for the model) or BudgetExceeded (it does not fit).
        Check-and-insert runs under SQLite's write lock, so concurrent callers in any thread or
        process can never together reserve more than the limit.
        """
        settings = self.settings
        price = self.prices.price_for(model, base_url, settings)
        amount = worst_case_cost(price, input_tokens, max_output_tokens)
        limit = settings["budget.monthly_limit"]
        share = settings["budget.alert_share"]
        ttl = settings["budget.reservation_ttl"]
        now = self.now()
        month = month_key(now)
        refused: BudgetExceeded | None = None
        reservation: Reservation | None = None
        with self.store.write() as db:
            self._sweep(db, now)
            spent, held = self._used(db, month)
            if limit is not None and spent + held + amount > limit + _EPS:
                refused = self._refusal(limit, spent, held, amount, settings["budget.currency"], now)
            else:
                row_id = (
                    db["reservations"]
                    .insert(
                        {
                            "created_at": utc_text(now),
                            "month": month,
                            "provider": provider,
                            "model": model,
                            "amount": amount,
                            "pid": os.getpid(),
                            "host": HOST,
                            "expires_at": utc_text(now + timedelta(seconds=ttl)),
                            "status": "held",
                        }
                    )
                    .last_pk
                )
                alert = None
                if limit is not None and limit > 0 and spent + held + amount >= share * limit:
                    alert = (
                        f"{(spent + held + amount) / limit:.0%} of this month's cloud budget of "
                        f"{limit:.2f} {settings['budget.currency']} is spent or reserved."
                    )
                reservation = Reservation(
                    int(row_id),
                    amount,
                    month,
                    provider,
                    model,
                    base_url,
                    price,
                    reserved_input_tokens(input_tokens),
                    max_output_tokens,
                    alert,
                )
        if refused is not None:
            raise refused
        assert reservation is not None
        return reservation

    @staticmethod
    def _refusal(
        limit: float, spent: float, held: float, amount: float, cur: str, now: datetime
    ) -> BudgetExceeded:
        left = max(0.0, limit - spent - held)
        _, end = month_bounds(now)
        if limit == 0:
            text = (
                f"The monthly cloud budget is 0 {cur}, so this question stays local. "
                "Allow cloud spending with `edgeapp budget set 5` (or any amount)."
            )
        else:
            in_flight = f" ({held:.4f} {cur} reserved by calls in flight)" if held > _EPS else ""
            text = (
                f"This question could cost up to {amount:.4f} {cur} in the cloud, but only {left:.4f} {cur} "
                f"of this month's {limit:.2f} {cur} budget is left ({spent:.4f} {cur} spent{in_flight}). "
                f"It stays local. Raise the limit with `edgeapp budget set {max(limit * 2, 1):g}`, lower "
                f"cloud.max_tokens, or wait until {end:%Y-%m-%d}."
            )
        return BudgetExceeded(text, needed=amount, left=left, limit=limit, spent=spent)

    def _used(self, db: Any, month: str) -> tuple[float, float]:
        spent = db.execute(_SPENT_SQL, [month, month]).fetchone()[0]
        held = db.execute(
            "SELECT COALESCE(SUM(amount), 0) FROM reservations WHERE status = 'held' AND month = ?", [month]
        ).fetchone()[0]
        return float(spent), float(held)

    def _stale(self, db: Any, now: datetime) -> list[tuple[int, str]]:
        stale = []
        now_text = utc_text(now)
        for rid, pid, host, expires in db.execute(
            "SELECT id, pid, host, expires_at FROM reservations WHERE status = 'held'"
        ).fetchall():
            if expires < now_text:
                stale.append((rid, f"expired at {expires} without being settled"))
            elif host == HOST and not pid_alive(pid):
                stale.append((rid, f"process {pid} ended before settling it"))
        return stale

    def _sweep(self, db: Any, now: datetime) -> None:
        for rid, note in self._stale(db, now):
            db.execute(
                "UPDATE reservations SET status = 'abandoned', closed_at = ?, note = ? WHERE id = ?",
                [utc_text(now), note, rid],
            )

    def release_stale(self) -> int:
        """Release reservations whose process died or that expired; returns how many."""
        with self.store.write() as db:
            count = len(self._stale(db, self.now()))
            self._sweep(db, self.now())
        return count

    def settle(self, reservation: Reservation, call: CloudCallRecord) -> float:
        """Record a finished call at its actual cost and free its reservation; returns the cost.

        Uses the provider's usage; a missing count is estimated from the bodies (chars/4) and the
        call is marked `estimated`. Fills call.id, call.cost, call.estimated.
        """
        return self._close(reservation, call, "settled", charge_estimates=True)

    def release(self, reservation: Reservation, call: CloudCallRecord | None = None) -> float:
        """Free a reservation after a failed or cancelled call; records the call if given.

        The cost is 0 unless the call reports usage (a provider may bill a failed stream)."""
        return self._close(reservation, call, "released", charge_estimates=False)

    def _close(
        self, reservation: Reservation, call: CloudCallRecord | None, status: str, *, charge_estimates: bool
    ) -> float:
        cost = 0.0
        row = None
        if call is not None:
            _check_entities(call.entities)
            input_tokens, output_tokens, estimated = call.input_tokens, call.output_tokens, False
            if charge_estimates:
                if input_tokens is None:
                    input_tokens, estimated = estimate_json_tokens(call.request_json), True
                if output_tokens is None:
                    output_tokens, estimated = estimate_json_tokens(call.response_json), True
                if estimated:  # an estimate never charges more than was reserved: the cap stays hard
                    input_tokens = min(input_tokens, reservation.input_tokens)
                    output_tokens = min(output_tokens, reservation.max_output_tokens)
            if input_tokens is not None or output_tokens is not None:
                cost = reservation.price.cost(input_tokens or 0, output_tokens or 0)
            call.cost, call.estimated = cost, estimated
            row = {
                "created_at": utc_text(call.created_at),
                "month": reservation.month,
                "turn_id": call.turn_id,
                "provider": call.provider,
                "model": call.model,
                "base_url": call.base_url or reservation.base_url,
                "request_json": call.request_json,
                "entities": json.dumps(call.entities, sort_keys=True),
                "response_json": call.response_json,
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                "estimated": int(estimated),
                "cost": cost,
                "price_source": reservation.price.source,
                "status": call.status,
                "error": call.error,
                "latency_ms": call.latency_ms,
                "reservation_id": reservation.id,
            }
        now = utc_text(self.now())
        with self.store.write() as db:
            current = db.execute("SELECT status FROM reservations WHERE id = ?", [reservation.id]).fetchone()
            if current is None:
                raise ValueError(f"reservation {reservation.id} does not exist in {self.path}")
            if current[0] in ("settled", "released"):
                raise ValueError(f"reservation {reservation.id} was already {current[0]}")
            # an 'abandoned' reservation (expired) still gets its call recorded: the money was spent
            db.execute(
                "UPDATE reservations SET status = ?, closed_at = ? WHERE id = ?",
                [status, now, reservation.id],
            )
            if row is not None:
                call.id = reservation.call_id = int(db["cloud_calls"].insert(row).last_pk)
        return cost

    # -- reading ---------------------------------------------------------------------------
    def month_spend(self, month: str | None = None) -> float:
        """Settled cloud cost of a month (default: the current local month), deleted calls included."""
        month = month or month_key(self.now())
        row = self.store.db.execute(_SPENT_SQL, [month, month])
        return float(row.fetchone()[0])

    def _live_reserved(self, month: str, now: datetime) -> float:
        db = self.store.db
        stale = {rid for rid, _ in self._stale(db, now)}
        return float(
            sum(
                amount
                for rid, amount in db.execute(
                    "SELECT id, amount FROM reservations WHERE status = 'held' AND month = ?", [month]
                ).fetchall()
                if rid not in stale
            )
        )

    def budget_status(self, now: datetime | None = None) -> BudgetStatus:
        now = now or self.now()
        settings = self.settings
        month = month_key(now)
        return compute_status(
            month=month,
            currency=settings["budget.currency"],
            limit=settings["budget.monthly_limit"],
            spent=self.month_spend(month),
            reserved=self._live_reserved(month, now),
            alert_share=settings["budget.alert_share"],
            now=now,
        )

    def effective_threshold(self, base: float, now: datetime | None = None) -> tuple[float, str]:
        """The escalation threshold after pacing (escalate when confidence < it) and why.

        Pacing only ever lowers the threshold: fewer turns go to the cloud when spending runs
        ahead of the month."""
        now = now or self.now()
        status = self.budget_status(now)
        return paced_threshold(
            base,
            limit=status.limit,
            used=status.used,
            now=now,
            enabled=self.settings["budget.pacing"],
            currency=status.currency,
        )

    def turns(
        self, limit: int = 20, query: str | None = None, conversation_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Recent turns, newest first; `query` is a full-text search over question, answer, reason."""
        db = self.store.db
        where, params = [], []
        if conversation_id:
            where.append("turns.conversation_id = ?")
            params.append(conversation_id)
        if query:
            where.append("turns.id IN (SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?)")
            params.append(db.quote_fts(query))
        sql = "SELECT * FROM turns"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY turns.created_at DESC, turns.id DESC LIMIT ?"
        params.append(limit)
        return [dict(r) for r in db.query(sql, params)]

    def cloud_calls(
        self, since: datetime | None = None, model: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Cloud calls, newest first, optionally since a moment and for one model."""
        where, params = [], []
        if since is not None:
            where.append("created_at >= ?")
            params.append(utc_text(since))
        if model:
            where.append("model = ?")
            params.append(model)
        sql = "SELECT * FROM cloud_calls"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at DESC, id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [dict(r) for r in self.store.db.query(sql, params)]

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        if table not in ("turns", "cloud_calls", "reservations"):
            raise ValueError(f"unknown table {table}")
        yield from self.store.db.query(f"SELECT * FROM {table} ORDER BY id")


def _check_entities(entities: dict[str, int]) -> None:
    """Entity types and counts only: refuse anything that could be a value or a mapping."""
    for name, count in entities.items():
        if not isinstance(name, str) or isinstance(count, bool) or not isinstance(count, int):
            raise ValueError("CloudCallRecord.entities must map entity types to counts, e.g. {'PERSON': 2}")
