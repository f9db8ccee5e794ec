"""The window's one door into the core (no Qt here): it drives `Assistant` as docs/faces.md says.

Everything in this module runs on worker threads. Where a piece of the contract has not landed in
the core yet, the fallback is the closest thing the core already offers (noted inline); nothing here
routes, prices, scrubs or words a badge on its own when the core can.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

from .. import config
from ..errors import EdgeappError


def _w() -> Any:
    """The core's wording module (labels a face shows), or None before it lands."""
    try:
        from .. import wording
    except ImportError:  # pragma: no cover - until the core lands it
        return None
    return wording


def _contract(name: str) -> Any:
    """TurnOptions / CancelToken from the core, or None before they land. Imported on first use
    (edgeapp.assistant pulls in the model and privacy stacks: never on the window's way up)."""
    from .. import assistant as core_assistant

    found = getattr(core_assistant, name, None)
    if found is None and name == "CancelToken":
        try:
            from ..cancel import CancelToken as found
        except ImportError:
            found = None
    return found


class Cancel:
    """A stop flag the GUI thread sets. On the worker, `attach()` makes the core's CancelToken
    (when the core has one) and links it, so the core stops between tokens, chunks and sleeps."""

    def __init__(self) -> None:
        self.core: Any = None
        self._flag = threading.Event()
        self._lock = threading.Lock()

    def attach(self) -> Any:
        token_class = _contract("CancelToken")
        with self._lock:
            if self.core is None and token_class is not None:
                self.core = token_class()
                if self._flag.is_set():
                    self.core.set()
            return self.core

    def set(self) -> None:
        with self._lock:
            self._flag.set()
            core = self.core
        if core is not None:
            core.set()

    def is_set(self) -> bool:
        return self._flag.is_set()


def ask(
    assistant: Any,
    conversation: Any,
    text: str,
    *,
    mode: str | None = None,
    confirm: Callable[[Any], bool] | None = None,
    cancel: Cancel | None = None,
) -> Iterator[Any]:
    """The turn's events. With the contract: TurnOptions + CancelToken. Before it: the plain
    generator, stopped by closing it between events."""
    cancel = cancel or Cancel()
    TurnOptions = _contract("TurnOptions")  # noqa: N806
    if TurnOptions is not None:
        options = TurnOptions(mode=mode, confirm=confirm, client="gui")
        yield from assistant.ask(conversation, text, options, cancel=cancel.attach())
        return
    saved = assistant.settings
    if mode and mode != saved["router.mode"]:
        assistant.settings = saved.copy(router__mode=mode)
    events = assistant.ask(conversation, text)
    try:
        for event in events:
            yield event
            if cancel.is_set():
                break
    finally:
        events.close()
        assistant.settings = saved


def warm_up(assistant: Any, progress: Callable[[str, float], None]) -> None:
    """Load the model and the privacy filter (slow parts) before the first turn."""
    fn = getattr(assistant, "warm_up", None)
    if fn is not None:
        fn(progress=progress)
        return
    progress("model", 0.0)
    assistant.local  # noqa: B018 - builds (loads) it
    if assistant.settings["cloud.base_url"]:
        progress("privacy", 0.0)
        assistant.gatekeeper  # noqa: B018
    progress("ready", 1.0)


# -- wording: the core's words; a stand-in only until edgeapp.wording exists -------------
def badge(result: Any) -> str:
    if _w() is not None:
        return _w().badge(result)
    return {
        "local": "local",
        "cloud": "cloud",
        "local-fallback": "local (cloud unavailable)",
        "blocked": "kept local (privacy)",
    }.get(result.route, result.route)


def reasons(result: Any) -> list[str]:
    if _w() is not None:
        return list(_w().reasons(result))
    lines = [result.reason]
    if result.confidence is not None:
        lines.append(f"confidence {result.confidence:.2f} (threshold {result.threshold:.2f})")
    return lines


def escalation_notice(model: str | None, entities: dict[str, int] | None) -> str:
    if _w() is not None:
        return _w().escalation_notice(model, entities or {})
    return f"asking {model or 'the cloud'}"


def money(amount: float, currency: str = "USD", estimated: bool = False) -> str:
    if _w() is not None:
        return _w().money(amount, currency, estimated=estimated)
    return f"{amount:.4f} {currency}" + (" (estimate)" if estimated else "")


def error_action(exc: BaseException) -> Any:
    """The error's `action` (label + setting or command) when the core gives one."""
    return getattr(exc, "action", None)


def user_message(exc: BaseException) -> str:
    if isinstance(exc, EdgeappError):
        return str(exc)
    return f"Something went wrong inside edgeapp ({type(exc).__name__}: {exc})."


def reload_settings(assistant: Any) -> None:
    """Apply a saved config.toml to the running assistant now (the contract: a running Assistant
    picks up changed settings on its next turn; this also covers one built with explicit settings)."""
    fresh = config.load()
    apply = getattr(assistant, "apply_settings", None)
    if apply is not None:
        apply(fresh)
        return
    old = assistant.settings
    assistant.settings = fresh
    cloud_keys = [k for k in config.SCHEMA if k.startswith("cloud.")]
    if any(old[k] != fresh[k] for k in cloud_keys) and hasattr(assistant, "_cloud"):
        assistant._cloud = None  # rebuilt from the new settings on next use


STAGES = {
    "model": ("Loading the local model", 0.0, 0.7),
    "privacy": ("Preparing the privacy filter", 0.7, 0.95),
    "ledger": ("Opening the history", 0.95, 1.0),
    "ready": ("Ready", 1.0, 1.0),
}


def overall_progress(stage: str, share: float) -> tuple[str, float]:
    """The core's (stage, share of that stage) as words and a share of the whole load."""
    words, lo, hi = STAGES.get(stage, (stage, 0.0, 1.0))
    return words, lo + (hi - lo) * max(0.0, min(1.0, share))


# -- conversations ------------------------------------------------------------------------
def conversations(assistant: Any) -> Any:
    """`assistant.conversations` (the contract); before it lands, a read-only view of the ledger."""
    store = getattr(assistant, "conversations", None)
    return store if store is not None else LedgerConversations(assistant)


def summary(item: Any) -> dict[str, Any]:
    """One conversation-list entry as {id, title, updated, turns}, whatever shape the store gives."""

    def pick(*names: str, default: Any = None) -> Any:
        for name in names:
            value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
            if value is not None:
                return value
        return default

    return {
        "id": pick("id", "conversation_id"),
        "title": pick("title", default="") or "New chat",
        "updated": pick("last_activity", "updated_at", "updated", default=""),
        "turns": pick("turn_count", "turns", default=0),
        "snippet": pick("snippet", "match", default=""),
    }


class LedgerConversations:
    """Stand-in for `edgeapp.conversations` built on the ledger's turns table (read-only: no rename
    or delete). Replaced by `assistant.conversations` as soon as the core has it."""

    read_only = True

    def __init__(self, assistant: Any) -> None:
        self.assistant = assistant

    def new(self) -> Any:
        return self.assistant.new_conversation()

    def list(self, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
        ledger = self.assistant.ledger
        if ledger is None:
            return []
        rows = ledger.store.db.execute(
            "SELECT conversation_id, MAX(created_at), COUNT(*), "
            "(SELECT user_text FROM turns t2 WHERE t2.conversation_id = turns.conversation_id ORDER BY id LIMIT 1) "
            "FROM turns GROUP BY conversation_id ORDER BY MAX(created_at) DESC LIMIT ? OFFSET ?",
            [limit, offset],
        ).fetchall()
        return [
            {"id": r[0], "updated": r[1], "turns": r[2], "title": " ".join((r[3] or "").split())[:60]}
            for r in rows
        ]

    def load(self, conversation_id: str) -> Any:
        conversation = self.assistant.new_conversation()
        conversation.id = conversation_id
        ledger = self.assistant.ledger
        for row in reversed(ledger.turns(limit=10000, conversation_id=conversation_id)):
            conversation.messages.append({"role": "user", "content": row["user_text"]})
            conversation.messages.append({"role": "assistant", "content": row["answer"]})
        return conversation

    def search(self, query: str) -> list[dict[str, Any]]:
        ledger = self.assistant.ledger
        seen: dict[str, dict[str, Any]] = {}
        for row in ledger.turns(limit=200, query=query):
            seen.setdefault(
                row["conversation_id"],
                {
                    "id": row["conversation_id"],
                    "updated": row["created_at"],
                    "turns": 0,
                    "title": " ".join((row["user_text"] or "").split())[:60],
                },
            )
        return list(seen.values())

    def rename(self, conversation_id: str, title: str) -> None:
        raise EdgeappError("Renaming conversations needs a newer edgeapp core.")

    def delete(self, conversation_id: str) -> None:
        raise EdgeappError("Deleting conversations needs a newer edgeapp core.")
