"""What a face says about a turn, worded once: the route badge, the reasons behind it, the notice
shown while a question goes to the cloud, and money. The terminal, the window and the local API
import these, so they never disagree.
"""

from __future__ import annotations

import json
from typing import Any

# reason codes (TurnResult.reason_code)
CONFIDENT = "confident"
LOW_CONFIDENCE = "low-confidence"
MODE_LOCAL = "mode-local"
MODE_CLOUD = "mode-cloud"
NO_CLOUD = "no-cloud"
BUDGET = "budget"
PRIVACY = "privacy"
CLOUD_ERROR = "cloud-error"
GATEKEEPER_ERROR = "gatekeeper-error"
USER_KEPT_LOCAL = "user-kept-local"
STOPPED = "stopped"
GUARDIAN_HID = "guardian-hid"  # a guardian finding's policy hid the cloud's reply; the local answer stays
REASON_CODES = (
    CONFIDENT,
    LOW_CONFIDENCE,
    MODE_LOCAL,
    MODE_CLOUD,
    NO_CLOUD,
    BUDGET,
    PRIVACY,
    CLOUD_ERROR,
    GATEKEEPER_ERROR,
    USER_KEPT_LOCAL,
    STOPPED,
    GUARDIAN_HID,
)

_BADGES = {
    BUDGET: "kept local (budget)",
    PRIVACY: "kept local (privacy)",
    USER_KEPT_LOCAL: "kept local (your choice)",
    CLOUD_ERROR: "local (cloud unavailable)",
    GATEKEEPER_ERROR: "local (privacy check failed)",
    GUARDIAN_HID: "local (cloud reply hidden)",
}

# entity type -> (one, many)
_ENTITY_WORDS: dict[str, tuple[str, str]] = {
    "PERSON": ("name", "names"),
    "EMAIL_ADDRESS": ("e-mail", "e-mails"),
    "PHONE_NUMBER": ("phone number", "phone numbers"),
    "ADDRESS": ("address", "addresses"),
    "CREDIT_CARD": ("card number", "card numbers"),
    "US_SSN": ("social security number", "social security numbers"),
    "UK_NINO": ("National Insurance number", "National Insurance numbers"),
    "IBAN_CODE": ("IBAN", "IBANs"),
    "IP_ADDRESS": ("IP address", "IP addresses"),
    "API_KEY": ("API key", "API keys"),
    "SECRET": ("secret", "secrets"),
    "PRIVATE": ("deny-list entry", "deny-list entries"),
}

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def _get(result: Any, name: str, default: Any = None) -> Any:
    if isinstance(result, dict):
        return result.get(name, default)
    return getattr(result, name, default)


def badge(result: Any) -> str:
    """The short label of a turn's route: `local`, `cloud`, `local (cloud unavailable)`,
    `kept local (budget)`, `kept local (privacy)`, `kept local (your choice)`,
    `local (privacy check failed)`, with ` · stopped` added to a stopped turn.
    Takes a TurnResult or a ledger row (dict with route, reason_code, stopped)."""
    route = _get(result, "route", "local")
    code = _get(result, "reason_code", "") or ""
    if route == "cloud":
        label = "cloud"
    elif route == "blocked":
        label = _BADGES[PRIVACY]
    else:
        label = _BADGES.get(code, "local")
    if _get(result, "stopped", False):
        label += " · stopped"
    return label


def entity_phrase(entities: dict[str, int] | None) -> str:
    """`2 names and 1 e-mail`; empty when nothing was masked."""
    parts = []
    for kind, count in sorted((entities or {}).items(), key=lambda kv: (-kv[1], kv[0])):
        if count <= 0:
            continue
        one, many = _ENTITY_WORDS.get(
            kind, (f"{kind.lower().replace('_', ' ')} value", f"{kind.lower().replace('_', ' ')} values")
        )
        parts.append(f"{count} {one if count == 1 else many}")
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def escalation_notice(model: str | None, entities: dict[str, int] | None) -> str:
    """`asking gpt-4o-mini — your message was sent with 2 names and 1 e-mail masked`."""
    what = entity_phrase(entities)
    who = model or "the cloud"
    if what:
        return f"asking {who} — your message was sent with {what} masked"
    return f"asking {who} — nothing in your message needed masking"


def money(amount: float | None, currency: str = "USD", *, estimated: bool = False) -> str:
    """`$0.0031`, `€1.20`, `0.50 CHF`; amounts under a cent get four decimals; ` (estimated)` when
    the provider reported no usage and the cost was estimated."""
    amount = float(amount or 0.0)
    digits = 2 if amount == 0 or abs(amount) >= 0.01 else 4
    if 0 < abs(amount) < 0.0001:
        number = "<0.0001"
    else:
        number = f"{amount:.{digits}f}"
    symbol = _SYMBOLS.get(currency.upper())
    text = f"{symbol}{number}" if symbol else f"{number} {currency.upper()}"
    return text + (" (estimated)" if estimated else "")


def confidence_text(confidence: float | None) -> str:
    return "n/a" if confidence is None else f"{confidence:.2f}"


# what the guardian found in a cloud reply (edgeapp/guardian/findings.py kinds), one plain sentence each
_FINDING_WHY = {
    "asks_for_withheld": "asks for personal data that was masked before sending",
    "injection": "carries instructions aimed at the app or your tools",
    "placeholder_invented": "carries a placeholder this conversation never sent",
    "placeholder_dropped": "leaves out a placeholder of your question",
    "local_disagrees": "is one the local model disagrees with",
}


def _entity_word(placeholder: str) -> str:
    """`<ADDRESS_1>` -> `address`; `` for anything else."""
    kind = placeholder.strip("<>").rpartition("_")[0]
    return _ENTITY_WORDS.get(kind, ("", ""))[0]


def guardian_findings(result: Any) -> list[dict[str, str]]:
    """The guardian's findings of a turn as dicts (kind, placeholder, evidence, rule, action), from a
    TurnResult (Finding records) or a ledger row (its `guardian` column, JSON)."""
    found = _get(result, "guardian") or []
    if isinstance(found, str):
        try:
            found = json.loads(found)
        except ValueError:
            return []
    return [f if isinstance(f, dict) else f.to_dict() for f in found]


def finding_line(finding: dict[str, str]) -> str:
    """One sentence per finding, e.g. `The cloud's reply asks for personal data that was masked before
    sending; you do not need to give it.`"""
    kind, placeholder = finding.get("kind", ""), finding.get("placeholder", "")
    if kind == "asks_for_withheld":
        return (
            "The cloud's reply asks for personal data that was masked before sending; "
            "you do not need to give it."
        )
    if kind == "injection":
        return "The cloud's reply carries instructions aimed at the app or your tools; do not follow them."
    if kind == "placeholder_invented":
        return (
            f"The cloud's reply carries {placeholder}, a placeholder this conversation never sent; "
            "shown as written."
        )
    if kind == "placeholder_dropped":
        word = _entity_word(placeholder)
        what = f"the {word} sent as {placeholder}" if word else placeholder
        return f"The cloud's reply leaves out {what}; if it belonged in the answer, it is missing."
    if kind == "local_disagrees":
        return "The local model disagrees with the cloud's answer."
    return f"The guardian found {kind.replace('_', ' ')} in the cloud's reply."


def guardian_flag(result: Any) -> str:
    """The short flag beside the badge when the guardian found something (`⚠ 2 warnings`); empty when
    nothing was found."""
    count = len(guardian_findings(result))
    if not count:
        return ""
    return f"⚠ {count} warning" + ("" if count == 1 else "s")


def hidden_reason(kinds: list[str]) -> str:
    """The reason a hidden cloud reply is recorded with: `the cloud's reply was hidden: it asks for
    personal data that was masked before sending`."""
    why = " and ".join(dict.fromkeys(_FINDING_WHY.get(k, k) for k in kinds))
    return f"the cloud's reply was hidden: it {why}; the local answer is shown"


def reasons(result: Any, currency: str = "USD") -> list[str]:
    """The lines of the "why" popup: why the turn went where it did, what was sent, what it cost."""
    lines: list[str] = []
    code = _get(result, "reason_code", "") or ""
    conf = _get(result, "confidence")
    threshold = _get(result, "threshold")
    if conf is not None and threshold is not None:
        relation = "at or above" if conf >= threshold else "below"
        lines.append(
            f"The local model's confidence was {conf:.2f}, {relation} the threshold {threshold:.2f}."
        )
    for part in (_get(result, "reason", "") or "").split("; "):
        part = part.strip()
        if part and not part.startswith("confidence "):
            lines.append(part[0].upper() + part[1:] + ("" if part.endswith(".") else "."))
    if code == STOPPED or _get(result, "stopped", False):
        lines.append("You stopped this answer; it shows what was written until then.")
    masked = _get(result, "masked_entities") or {}
    if _get(result, "route") == "cloud" or _get(result, "cloud_call_ids"):
        model = _get(result, "cloud_model") or "the cloud"
        what = entity_phrase(masked)
        lines.append(f"Sent to {model}" + (f" with {what} masked." if what else "; nothing needed masking."))
        cost = _get(result, "cost", 0.0) or 0.0
        lines.append(
            "Cost: " + money(cost, currency, estimated=bool(_get(result, "cost_estimated", False))) + "."
        )
    lines += [finding_line(finding) for finding in guardian_findings(result)]
    return lines


def status_line(result: Any, currency: str = "USD") -> str:
    """One line under an answer (the terminal): badge · confidence · threshold · tokens · cost ·
    masked · time."""
    parts = [
        badge(result),
        f"confidence {confidence_text(_get(result, 'confidence'))}",
        f"threshold {(_get(result, 'threshold') or 0.0):.2f}",
    ]
    if _get(result, "route") == "cloud" or _get(result, "cloud_call_ids"):
        model = _get(result, "cloud_model")
        tin, tout = _get(result, "cloud_input_tokens"), _get(result, "cloud_output_tokens")
        if tin is None and tout is None:
            parts.append(f"{model}, no usage reported")
        else:
            parts.append(f"{model}, {tin or 0}+{tout or 0} tokens")
        parts.append(
            money(_get(result, "cost", 0.0), currency, estimated=bool(_get(result, "cost_estimated")))
        )
        what = entity_phrase(_get(result, "masked_entities") or {})
        if what:
            parts.append(f"masked {what}")
    parts.append(f"{(_get(result, 'latency_ms') or 0.0) / 1000:.1f}s")
    return "[" + " · ".join(parts) + f"] {_get(result, 'reason', '')}"


def ledger_recovered(path: str, turns: int, calls: int, kept_at: str) -> str:
    """The one sentence every face shows after a damaged ledger file was replaced on open."""
    if turns or calls:
        return (
            f"The ledger file {path} was damaged: {turns} {'turn' if turns == 1 else 'turns'} and "
            f"{calls} cloud {'call' if calls == 1 else 'calls'} were recovered into a fresh one (this "
            f"month's spending still counts against the budget), and the damaged file was kept as {kept_at}."
        )
    return (
        f"The ledger file {path} was damaged and nothing could be recovered from it: a fresh ledger was "
        f"started, and the damaged file was kept as {kept_at}."
    )


def ledger_full(path: str) -> str:
    """What a face says when the disk is too full to record a turn (its answer is still shown)."""
    return (
        f"The disk holding the ledger {path} is full, so this turn was not recorded (earlier turns are "
        "safe and cloud questions stay local meanwhile). Free some disk space: the next turn is recorded."
    )
