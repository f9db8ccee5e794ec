"""What a face passes to a turn (`TurnOptions`) and what it gets back: the events `Assistant.ask`
yields while the turn runs, and the `TurnResult` that `TurnDone` carries at the end.

The faces import these from `edgeapp.assistant` (re-exported there); the contract is docs/faces.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import ConfigError
from ..gatekeeper.payload import ScrubbedPayload
from ..guardian.findings import Finding
from .route import MODES


# -- what a face passes ---------------------------------------------------------------------
@dataclass
class TurnOptions:
    """Per-turn options; None means: the setting."""

    mode: str | None = None  # auto | local | cloud (router.mode)
    threshold: float | None = None  # router.threshold
    max_tokens: int | None = None  # local.max_tokens
    # called on the worker thread with what would be sent, before an escalation leaves the machine,
    # only when privacy.confirm_before_send is on; False keeps the turn local
    confirm: Callable[[ScrubbedPayload], bool] | None = None
    client: str = ""  # which face: cli | gui | api:<name> (recorded in the ledger)

    def check(self) -> None:
        if self.mode is not None and self.mode not in MODES:
            raise ConfigError(f"mode must be one of: {', '.join(MODES)} (got {self.mode!r}).")
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise ConfigError(f"threshold must be between 0 and 1 (got {self.threshold!r}).")
        if self.max_tokens is not None and not 1 <= self.max_tokens <= 32768:
            raise ConfigError(f"max_tokens must be between 1 and 32768 (got {self.max_tokens!r}).")


# -- events a face receives ---------------------------------------------------------------
@dataclass(frozen=True)
class LocalToken:
    text: str


@dataclass(frozen=True)
class Escalating:
    reason: str
    confidence: float | None
    reason_code: str = ""
    cloud_model: str = ""  # the model about to be asked (cloud.model)


@dataclass(frozen=True)
class CloudToken:
    text: str


@dataclass(frozen=True)
class CloudRestart:
    reason: str


@dataclass(frozen=True)
class Notice:
    text: str
    # sending (the escalation notice: what leaves, with what masked), alert (budget), fallback (the
    # turn stays local), collab (how the local model and the cloud share the answer), privacy,
    # ledger (the ledger file was damaged and recovered, or the disk is too full to record the turn)
    kind: str = ""


@dataclass
class TurnResult:
    answer: str
    route: str  # local | cloud | local-fallback | blocked
    reason: str
    confidence: float | None
    components: dict[str, Any]
    threshold: float
    mode: str
    conversation_id: str
    local_model: str = ""
    local_answer: str = ""
    local_prompt_tokens: int = 0
    local_completion_tokens: int = 0
    local_ms: float = 0.0
    local_tokens_per_s: float = 0.0
    cloud_model: str | None = None
    cloud_provider: str | None = None
    cloud_input_tokens: int | None = None
    cloud_output_tokens: int | None = None
    cloud_ms: float | None = None
    cloud_attempts: int = 0
    masked_entities: dict[str, int] = field(default_factory=dict)
    cost: float = 0.0
    cost_estimated: bool = False
    latency_ms: float = 0.0
    turn_id: int | None = None
    cloud_call_ids: list[int] = field(default_factory=list)
    collab: dict[str, Any] = field(default_factory=dict)  # what the collaboration settings did
    reason_code: str = ""  # machine-readable: see edgeapp/wording.py REASON_CODES
    stopped: bool = False  # the user stopped the turn; `answer` is what it had
    client: str = ""
    history_sent: int = 0  # earlier messages sent with an escalation
    history_left_out: int = 0  # earlier messages left out of it (token budget, or a blocked value)
    guardian: list[Finding] = field(default_factory=list)  # what the guardian found in cloud replies

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TurnDone:
    result: TurnResult


Event = LocalToken | Escalating | CloudToken | CloudRestart | Notice | TurnDone
