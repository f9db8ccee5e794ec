"""What the guardian finds in a cloud reply: one `Finding` per thing a careful user would want to
know before trusting or acting on the reply. The kinds, and what the ledger keeps of each."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

PLACEHOLDER_DROPPED = "placeholder_dropped"  # a placeholder of the question is missing from the reply
PLACEHOLDER_INVENTED = "placeholder_invented"  # a placeholder-like spelling this conversation never sent
ASKS_FOR_WITHHELD = "asks_for_withheld"  # the reply asks for the masked values, or for personal data
INJECTION = "injection"  # instructions aimed at the app, the model or the user's tools
LOCAL_DISAGREES = "local_disagrees"  # the local model's second opinion (off: it does not predict errors)
KINDS = (PLACEHOLDER_DROPPED, PLACEHOLDER_INVENTED, ASKS_FOR_WITHHELD, INJECTION, LOCAL_DISAGREES)

# what a policy does with a finding (guardian.<kind> in the settings)
SHOW, HIDE, OFF = "show", "hide", "off"
POLICIES = (SHOW, HIDE, OFF)


@dataclass(frozen=True)
class Finding:
    """One finding. `placeholder`: the placeholder concerned, as the reply wrote it (placeholder
    kinds); `evidence`: the words that decided it, as the cloud wrote them (placeholders, never the
    values behind them, so the ledger may keep it); `rule`: which rule fired; `action`: the policy
    that applied (show | hide)."""

    kind: str
    placeholder: str = ""
    evidence: str = ""
    rule: str = ""
    action: str = SHOW

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            kind=str(data.get("kind", "")),
            placeholder=str(data.get("placeholder", "")),
            evidence=str(data.get("evidence", "")),
            rule=str(data.get("rule", "")),
            action=str(data.get("action", SHOW)),
        )
