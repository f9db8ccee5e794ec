"""The only thing the cloud client accepts: a payload that went through the gatekeeper.

A `ScrubbedPayload` can only be built with the module-private seal that `Gatekeeper.scrub`
holds, so code that forgets to scrub cannot produce one by accident.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

_SEAL = object()


@dataclass(frozen=True)
class ScrubbedPayload:
    messages: tuple[tuple[str, str], ...]  # (role, scrubbed content)
    entities: dict[str, int] = field(default_factory=dict)  # entity type -> count masked
    _seal: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._seal is not _SEAL:
            raise TypeError("A ScrubbedPayload can only be created by Gatekeeper.scrub().")

    def as_messages(self) -> list[dict[str, str]]:
        return [{"role": role, "content": content} for role, content in self.messages]

    def request_body(self, **options: Any) -> dict[str, Any]:
        """The exact JSON body sent to /v1/chat/completions."""
        return {"messages": self.as_messages(), **options}

    def to_json(self, **options: Any) -> str:
        return json.dumps(self.request_body(**options), ensure_ascii=False)


def seal(messages: list[tuple[str, str]], entities: dict[str, int]) -> ScrubbedPayload:
    """Only the gatekeeper calls this."""
    return ScrubbedPayload(tuple(messages), dict(entities), _SEAL)
