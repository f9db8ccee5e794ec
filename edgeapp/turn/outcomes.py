"""Small records the stages of an escalation hand to the turn's sheet (see sheet.py): each says
what one step did. The stages' own outcomes live with them (`draft.LocalDraft`, `route.Decision`,
`scrub.Scrubbed`, `settle.CloudBooking`); these are the ones several stages share.
"""

from __future__ import annotations

from dataclasses import dataclass

from .events import Notice


@dataclass(frozen=True)
class Fallback:
    """The escalation ends and the turn keeps the local answer: the route and reason it is recorded
    with, and the notice that tells the face."""

    route: str  # blocked | local-fallback
    code: str  # edgeapp/wording.py: privacy, gatekeeper-error, user-kept-local, budget, cloud-error
    reason: str
    notice: Notice


@dataclass(frozen=True)
class CloudTarget:
    """A cloud call begins: the model and provider it asks."""

    model: str
    provider: str


@dataclass(frozen=True)
class Shaped:
    """The message as the cloud gets it (before scrubbing): compressed (collab.compress) and with an
    option exclusion hint (collab.exclusion_hints) when those are on and did something."""

    text: str
    compress: dict[str, float | str] | None = None  # kept_words, max_drop, sent
    hint: str | None = None


@dataclass(frozen=True)
class StoppedStream:
    """The turn was stopped while the cloud's answer streamed to the face: what had come, restored."""

    answer: str


@dataclass(frozen=True)
class CloudAnswer:
    """The cloud's answer, placeholders restored; `model` as the provider named it ("" if not)."""

    text: str
    model: str


@dataclass(frozen=True)
class CloudPart:
    """collab.mode align / shepherd: the plan or the first steps the cloud wrote, restored."""

    mode: str
    text: str


@dataclass(frozen=True)
class Alignment:
    """collab.mode align: how closely the local answer followed the cloud's plan (cosine)."""

    mode: str
    score: float


@dataclass(frozen=True)
class AskedForAnswer:
    """collab.mode align: the local answer strayed from the plan; the cloud is asked for the answer."""

    mode: str


@dataclass(frozen=True)
class LocalFinish:
    """collab.mode align / shepherd: the local model's answer from the cloud's part. `stopped`: the
    turn was stopped while it wrote (`answer` is what it had)."""

    mode: str
    answer: str
    stopped: bool = False
