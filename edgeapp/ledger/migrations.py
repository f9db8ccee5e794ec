"""The ledger schema, as a list of small migrations applied once each and recorded in a table.

Never edit a migration that has shipped: add a new one at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import sqlite_utils

MIGRATIONS_TABLE = "_edgeapp_migrations"
Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


def applied(db: sqlite_utils.Database) -> set[str]:
    if not db[MIGRATIONS_TABLE].exists():
        return set()
    return {row["name"] for row in db[MIGRATIONS_TABLE].rows}


def pending(db: sqlite_utils.Database) -> list[Migration]:
    done = applied(db)
    return [fn for fn in MIGRATIONS if fn.__name__ not in done]


def migrate(db: sqlite_utils.Database, upto: str | None = None) -> list[str]:
    """Apply the pending migrations (up to and including `upto`) inside the caller's transaction.

    The caller holds a write lock (BEGIN IMMEDIATE), so two processes opening a fresh database
    at the same moment cannot both apply a migration.
    """
    db[MIGRATIONS_TABLE].create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    done = applied(db)
    ran: list[str] = []
    for fn in MIGRATIONS:
        if fn.__name__ not in done:
            fn(db)
            db[MIGRATIONS_TABLE].insert(
                {"name": fn.__name__, "applied_at": datetime.now(timezone.utc).isoformat()}
            )
            ran.append(fn.__name__)
        if fn.__name__ == upto:
            break
    return ran


@migration
def m001_turns(db: sqlite_utils.Database) -> None:
    db["turns"].create(
        {
            "id": int,
            "created_at": str,  # UTC, fixed width: 2026-01-31T23:59:59.000000Z
            "conversation_id": str,
            "user_text": str,
            "answer": str,
            "route": str,  # local | cloud | local-fallback | blocked
            "reason": str,
            "confidence": float,
            "components": str,  # JSON object
            "threshold": float,
            "local_model": str,
            "local_prompt_tokens": int,
            "local_completion_tokens": int,
            "local_ms": float,
            "cloud_ms": float,
            "cost": float,
        },
        pk="id",
    )
    db["turns"].create_index(["created_at"])
    db["turns"].create_index(["conversation_id", "created_at"])


@migration
def m002_cloud_calls(db: sqlite_utils.Database) -> None:
    db["cloud_calls"].create(
        {
            "id": int,
            "created_at": str,
            "month": str,  # local calendar month the cost counts against: 2026-01
            "turn_id": int,
            "provider": str,
            "model": str,
            "base_url": str,
            "request_json": str,  # the exact scrubbed body that was sent
            "entities": str,  # JSON {"PERSON": 2}: types and counts only, never values
            "response_json": str,
            "input_tokens": int,
            "output_tokens": int,
            "estimated": int,  # 1 when tokens were estimated because usage was missing
            "cost": float,
            "price_source": str,
            "status": str,  # ok | error
            "error": str,
            "latency_ms": float,
        },
        pk="id",
        foreign_keys=[("turn_id", "turns", "id")],
    )
    db["cloud_calls"].create_index(["month"])
    db["cloud_calls"].create_index(["created_at"])
    db["cloud_calls"].create_index(["turn_id"])


@migration
def m003_reservations(db: sqlite_utils.Database) -> None:
    db["reservations"].create(
        {
            "id": int,
            "created_at": str,
            "month": str,
            "provider": str,
            "model": str,
            "amount": float,  # worst-case cost held against the month's budget
            "pid": int,
            "host": str,
            "expires_at": str,
            "status": str,  # held | settled | released | abandoned
            "closed_at": str,
            "note": str,
        },
        pk="id",
    )
    db["reservations"].create_index(["status", "month"])
    db["cloud_calls"].add_column("reservation_id", int)


@migration
def m004_turns_fts(db: sqlite_utils.Database) -> None:
    # populates the index from existing rows, then triggers keep it current
    db["turns"].enable_fts(["user_text", "answer", "reason"], create_triggers=True)


@migration
def m005_turn_feedback(db: sqlite_utils.Database) -> None:
    db["turns"].add_column("feedback", str)  # good | bad | NULL


@migration
def m006_turn_client_and_stop(db: sqlite_utils.Database) -> None:
    db["turns"].add_column("client", str)  # which face asked: cli | gui | api:<name>
    db["turns"].add_column("reason_code", str)  # machine-readable reason (see edgeapp/wording.py)
    db["turns"].add_column("stopped", int, not_null_default=0)  # 1: the user stopped the turn


@migration
def m007_conversations(db: sqlite_utils.Database) -> None:
    # a conversation is its turns; this table holds only what a user set on it (a title)
    db["conversations"].create({"id": str, "title": str, "updated_at": str}, pk="id")


@migration
def m008_deleted_spend(db: sqlite_utils.Database) -> None:
    # what deleted cloud calls cost, per month: deleting history never gives money back to the budget
    db["deleted_spend"].create(
        {"month": str, "cost": float, "calls": int, "updated_at": str}, pk="month", if_not_exists=True
    )
    db["cloud_calls"].create_index(["model", "created_at"], if_not_exists=True)  # review: filter by model


@migration
def m009_review_indexes(db: sqlite_utils.Database) -> None:
    # Covering indexes, so that counting, summing, filtering and paging a year of cloud calls reads
    # a few MB of index instead of the table's rows (which hold whole request and response bodies).
    db["cloud_calls"].create_index(
        [
            "created_at",
            "id",
            "turn_id",
            "model",
            "provider",
            "input_tokens",
            "output_tokens",
            "cost",
            "estimated",
            "status",
            "month",
            "entities",
        ],
        index_name="cloud_calls_review",
        if_not_exists=True,
    )
    db.execute("DROP INDEX IF EXISTS idx_cloud_calls_model_created_at")  # m008's, superseded by the next
    db["cloud_calls"].create_index(
        ["model", "created_at", "id", "turn_id", "cost"],
        index_name="cloud_calls_model_review",
        if_not_exists=True,
    )
    db["cloud_calls"].create_index(["month", "cost"], index_name="cloud_calls_month_cost", if_not_exists=True)
    db["turns"].create_index(["created_at", "route"], index_name="turns_created_route", if_not_exists=True)


@migration
def m010_turn_replaced(db: sqlite_utils.Database) -> None:
    # a turn the user replaced (Regenerate, Edit): kept for the record (what was sent, what it cost),
    # left out when the conversation is listed, reopened or searched
    db["turns"].add_column("replaced_at", str)


@migration
def m011_turn_guardian(db: sqlite_utils.Database) -> None:
    # what the guardian found in the turn's cloud replies (issue 29): a JSON list of findings (kind,
    # placeholder, evidence, rule, action), NULL when it found nothing; placeholders, never values
    db["turns"].add_column("guardian", str)
