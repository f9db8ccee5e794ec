"""Conversations as data: new, list, load (to resume), rename, delete and search, from the ledger.

A conversation is the turns the ledger holds under one `conversation_id`; the `conversations`
table keeps only what a user set on it (a title). Faces reach this as `assistant.conversations`.
The placeholder mapping of a conversation follows `privacy.persist_mapping`: with it on, `load`
restores the mapping saved after each turn, so a resumed conversation keeps its placeholders;
off (the default), a resumed conversation starts with an empty mapping.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .config import Settings
from .errors import EdgeappError
from .gatekeeper.store import load_vault, save_vault, vault_file
from .gatekeeper.vault import PlaceholderVault
from .ledger.history import delete_history
from .ledger.ledger import Ledger
from .ledger.records import utc_now, utc_text

TITLE_CHARS = 60


class ConversationError(EdgeappError):
    """No such conversation, or a bad title."""


@dataclass
class Conversation:
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    # messages in order: {"role": "user"|"assistant"|"system", "content": ...}; a face may put any
    # list here (an API client's system messages included): fitting and scrubbing take it as it is
    messages: list[dict[str, str]] = field(default_factory=list)
    vault: PlaceholderVault = field(default_factory=PlaceholderVault)
    title: str | None = None


@dataclass(frozen=True)
class ConversationInfo:
    id: str
    title: str  # the user's title, or the start of the first question
    started_at: str  # UTC text, as in the ledger
    last_activity: str
    turns: int
    titled: bool = False  # the user set the title
    match: str | None = None  # search(): the question or answer that matched

    @property
    def turn_count(self) -> int:
        return self.turns

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_title(first_text: str | None) -> str:
    line = " ".join((first_text or "").split())
    if not line:
        return "(empty)"
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"


_LIST_SQL = """
SELECT t.conversation_id AS id, MIN(t.created_at) AS started_at, MAX(t.created_at) AS last_activity,
       COUNT(*) AS turns, c.title AS title,
       (SELECT f.user_text FROM turns f
        WHERE f.conversation_id = t.conversation_id AND f.replaced_at IS NULL
        ORDER BY f.created_at, f.id LIMIT 1) AS first_text
FROM turns t LEFT JOIN conversations c ON c.id = t.conversation_id
WHERE t.replaced_at IS NULL {where}
GROUP BY t.conversation_id
ORDER BY last_activity DESC, id
LIMIT ? OFFSET ?
"""


def _info(row: Mapping[str, Any], match: str | None = None) -> ConversationInfo:
    row = dict(row)
    title = row.get("title")
    return ConversationInfo(
        id=row["id"],
        title=title or default_title(row.get("first_text")),
        started_at=row["started_at"],
        last_activity=row["last_activity"],
        turns=int(row["turns"]),
        titled=bool(title),
        match=match,
    )


class Conversations:
    """`new`, `list`, `by_client`, `get`, `load`, `turns`, `rename`, `delete`, `replace`, `search`.
    Without a ledger (use_ledger=False) nothing is kept: `list` and `search` are empty and `load`
    finds nothing."""

    def __init__(self, ledger: Callable[[], Ledger | None], settings: Callable[[], Settings]) -> None:
        self._ledger = ledger
        self._settings = settings

    def _persist(self) -> bool:
        return bool(self._settings()["privacy.persist_mapping"])

    def new(self) -> Conversation:
        return Conversation()

    def list(self, limit: int = 50, offset: int = 0) -> list[ConversationInfo]:
        """Conversations, most recent activity first, with title, last activity and turn count."""
        ledger = self._ledger()
        if ledger is None:
            return []
        rows = ledger.store.db.query(_LIST_SQL.format(where=""), [int(limit), int(offset)])
        return [_info(r) for r in rows]

    def by_client(self, client: str, limit: int = 50) -> list[ConversationInfo]:
        """The conversations a face or API client (`cli`, `gui`, `api:phone`, ...) asked in, the one
        it used last first (ordered by that client's own latest turn)."""
        ledger = self._ledger()
        if ledger is None:
            return []
        rows = ledger.store.db.execute(
            "SELECT conversation_id, MAX(created_at) AS last FROM turns WHERE client = ? "
            "GROUP BY conversation_id ORDER BY last DESC LIMIT ?",
            [client, int(limit)],
        ).fetchall()
        found = (self.get(conversation_id) for conversation_id, _ in rows)
        return [info for info in found if info is not None]

    def get(self, conversation_id: str) -> ConversationInfo | None:
        ledger = self._ledger()
        if ledger is None:
            return None
        rows = list(
            ledger.store.db.query(
                _LIST_SQL.format(where="AND t.conversation_id = ?"), [conversation_id, 1, 0]
            )
        )
        return _info(rows[0]) if rows else None

    def load(self, conversation_id: str) -> Conversation:
        """The conversation to resume: its messages (questions and final answers, in order), its
        title, and its placeholder mapping when `privacy.persist_mapping` is on."""
        ledger = self._ledger()
        rows = (
            []
            if ledger is None
            else list(
                ledger.store.db.query(
                    "SELECT user_text, answer FROM turns "
                    "WHERE conversation_id = ? AND replaced_at IS NULL ORDER BY created_at, id",
                    [conversation_id],
                )
            )
        )
        if not rows:
            raise ConversationError(f"There is no conversation {conversation_id!r} in the ledger.")
        messages: list[dict[str, str]] = []
        for row in rows:
            messages.append({"role": "user", "content": row["user_text"] or ""})
            if row["answer"]:
                messages.append({"role": "assistant", "content": row["answer"]})
        info = self.get(conversation_id)
        return Conversation(
            id=conversation_id,
            messages=messages,
            vault=load_vault(conversation_id, self._persist()),
            title=info.title if info and info.titled else None,
        )

    def save_mapping(self, conversation: Conversation) -> None:
        """Keep the placeholder mapping on disk, only when `privacy.persist_mapping` is on."""
        save_vault(conversation.id, conversation.vault, self._persist())

    def rename(self, conversation_id: str, title: str) -> None:
        title = " ".join((title or "").split())
        if not title:
            raise ConversationError("A conversation's title cannot be empty.")
        ledger = self._ledger()
        if ledger is None:
            raise ConversationError("Conversations are not kept (the ledger is off).")
        with ledger.store.write() as db:
            db["conversations"].upsert(
                {"id": conversation_id, "title": title[:200], "updated_at": utc_text(utc_now())}, pk="id"
            )

    def delete(self, conversation_id: str) -> int:
        """Delete the conversation: its turns, their cloud calls (what was sent and received), its
        title and its saved placeholder mapping, the same deletion as the window's "Sent to cloud"
        view (`ledger.history.delete_history`): the text is gone from the file,
        while what the calls cost stays counted in its month's budget. Returns the number of turns
        deleted."""
        ledger = self._ledger()
        deleted = 0
        if ledger is not None:
            deleted = delete_history(ledger, conversation_id=conversation_id).turns
        path = vault_file(conversation_id)
        if path.exists():
            path.unlink()
        return int(deleted or 0)

    def turns(self, conversation_id: str, *, include_replaced: bool = False) -> list[dict[str, Any]]:
        """The ledger rows of the conversation's current turns, oldest first: what a face needs to
        show each answer's route, confidence and reasons. Replaced turns (Regenerate, Edit) are left
        out unless `include_replaced`: the phone page shows every turn the ledger holds."""
        ledger = self._ledger()
        if ledger is None:
            return []
        current = "" if include_replaced else " AND replaced_at IS NULL"
        return [
            dict(r)
            for r in ledger.store.db.query(
                f"SELECT * FROM turns WHERE conversation_id = ?{current} ORDER BY created_at, id",
                [conversation_id],
            )
        ]

    def replace(self, turn_id: int) -> bool:
        """Mark a turn as replaced (Regenerate, Edit): it stays in the ledger (what was sent and what
        it cost are history) but no longer belongs to its conversation when that is listed, reopened
        or searched. Returns False when there is no such current turn."""
        ledger = self._ledger()
        if ledger is None:
            return False
        with ledger.store.write() as db:
            done = db.execute(
                "UPDATE turns SET replaced_at = ? WHERE id = ? AND replaced_at IS NULL",
                [utc_text(utc_now()), int(turn_id)],
            ).rowcount
        return bool(done)

    def search(self, query: str, limit: int = 20) -> list[ConversationInfo]:
        """Conversations with a question, answer or reason matching `query` (the ledger's full-text
        index), most recent match first; `match` holds the matching question."""
        ledger = self._ledger()
        query = (query or "").strip()
        if ledger is None or not query:
            return []
        db = ledger.store.db
        hits = db.execute(
            "SELECT conversation_id, user_text FROM turns WHERE id IN "
            "(SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?) AND replaced_at IS NULL "
            "ORDER BY created_at DESC, id DESC",
            [db.quote_fts(query)],
        ).fetchall()
        out: list[ConversationInfo] = []
        seen: set[str] = set()
        for conversation_id, user_text in hits:
            if conversation_id in seen:
                continue
            seen.add(conversation_id)
            info = self.get(conversation_id)
            if info is not None:
                out.append(ConversationInfo(**{**info.to_dict(), "match": user_text}))
            if len(out) >= limit:
                break
        return out
