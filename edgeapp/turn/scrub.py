"""Scrub + confirm: what an escalation would send, through the gatekeeper (the only way to the
cloud), and the user's yes or no when `privacy.confirm_before_send` asks for it.

What goes: the cloud system prompt, the newest earlier messages within `cloud.history_tokens`, and
the message, each scrubbed with the conversation's placeholder vault. A value the privacy policy
blocks in the new message blocks the escalation; one in an earlier message ends the window there
(it and what is older stay home). If scrubbing fails the turn stays local (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .. import wording
from ..conversations import Conversation
from ..errors import GatekeeperError, PolicyBlocked
from ..gatekeeper import Gatekeeper
from ..gatekeeper.payload import ScrubbedPayload
from .events import Notice
from .outcomes import Fallback

CLOUD_SYSTEM = (
    "You are a helpful, accurate assistant. Some personal details in this conversation were replaced "
    "with placeholders in angle brackets; when you refer to them, copy the placeholder exactly."
)
CUT_NOTICE = (
    "An earlier message in this conversation holds data your privacy policy blocks; the "
    "cloud got only the messages after it."
)


def history_tokens(text: str) -> int:
    """Tokens a history message is counted as against `cloud.history_tokens` (about 4 chars a token)."""
    return len(text) // 4 + 4


@dataclass(frozen=True)
class Scrubbed:
    """The payload ready to send, and how much of the conversation went with it. `cut`: an earlier
    message held a value the policy blocks, so it and the older ones stayed home."""

    payload: ScrubbedPayload
    history_sent: int
    history_left_out: int
    cut: bool = False


def history_window(messages: Sequence[dict[str, str]], budget: int) -> list[tuple[str, str]]:
    """The newest earlier messages whose estimated tokens fit `budget`, oldest first."""
    window: list[tuple[str, str]] = []
    used = 0
    for message in reversed(messages):
        content = message.get("content") or ""
        cost = history_tokens(content)
        if used + cost > budget:
            break
        window.append((message.get("role") or "user", content))
        used += cost
    window.reverse()
    return window


def _allowed_tail(gatekeeper: Gatekeeper, window: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The newest messages of `window` up to (not including) the first one the policy blocks."""
    kept: list[tuple[str, str]] = []
    for role, content in reversed(window):
        try:
            gatekeeper.check_policy(gatekeeper.find(content))
        except PolicyBlocked:
            break
        kept.append((role, content))
    kept.reverse()
    return kept


def _scrubbed(gatekeeper: Gatekeeper, conversation: Conversation, text: str, budget: int) -> Scrubbed:
    vault = conversation.vault
    window = history_window(conversation.messages, budget)
    try:
        payload = gatekeeper.scrub([("system", CLOUD_SYSTEM), *window, ("user", text)], vault)
        kept = window
    except PolicyBlocked:
        gatekeeper.check_policy(gatekeeper.find(text))  # the new message itself: the turn is blocked
        kept = _allowed_tail(gatekeeper, window)
        payload = gatekeeper.scrub([("system", CLOUD_SYSTEM), *kept, ("user", text)], vault)
    left_out = len(conversation.messages) - len(kept)
    return Scrubbed(payload, len(kept), left_out, cut=len(kept) < len(window))


def scrub(
    gatekeeper: Callable[[], Gatekeeper], conversation: Conversation, text: str, history_budget: int
) -> Scrubbed | Fallback:
    """The scrubbed payload for `text` after `conversation`, or why nothing can be sent.
    `gatekeeper` builds the gatekeeper on first use (a build that fails keeps the turn local too)."""
    try:
        return _scrubbed(gatekeeper(), conversation, text, history_budget)
    except PolicyBlocked as exc:
        why = f"{exc} The answer is the local model's."
        return Fallback("blocked", wording.PRIVACY, why, Notice(why, kind="privacy"))
    except GatekeeperError as exc:
        why = f"kept local: {exc}"
        return Fallback("local-fallback", wording.GATEKEEPER_ERROR, why, Notice(why, kind="fallback"))


def confirm_send(
    payload: ScrubbedPayload, confirm: Callable[[ScrubbedPayload], bool] | None, *, asked: bool
) -> Fallback | None:
    """With `privacy.confirm_before_send` on (`asked`), the face's `confirm` sees the payload first;
    its no, or a face that cannot ask, keeps the turn local. None: send it."""
    if not asked or (confirm is not None and confirm(payload)):
        return None
    why = (
        "you chose to keep it on this device"
        if confirm is not None
        else "privacy.confirm_before_send is on and this face cannot ask"
    )
    return Fallback(
        "local-fallback",
        wording.USER_KEPT_LOCAL,
        f"kept local: {why}",
        Notice(f"Not sent: {why}. The answer is the local model's.", kind="fallback"),
    )
