"""What happens to each kind of personal data: `mask` (default), `block` or `allow`, as the settings
`privacy.policy.<type>`, `privacy.deny_list`, `privacy.score_threshold` and
`privacy.persist_mapping` say (declared in edgeapp.config.schema)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .. import config
from ..errors import ConfigError
from .entities import ACTIONS, DEFAULT_SCORE_THRESHOLD, ENTITY_TYPES, MASK, policy_key


@dataclass(frozen=True)
class PrivacyPolicy:
    actions: Mapping[str, str] = field(default_factory=dict)  # entity type -> action; missing: mask
    deny_list: tuple[str, ...] = ()
    score_threshold: float = DEFAULT_SCORE_THRESHOLD
    persist_mapping: bool = False

    def __post_init__(self) -> None:
        for kind, action in self.actions.items():
            if action not in ACTIONS:
                raise ConfigError(
                    f"The privacy policy for {kind} is '{action}'; use one of: {', '.join(ACTIONS)}."
                )

    def action_for(self, entity_type: str) -> str:
        return self.actions.get(entity_type, MASK)

    @classmethod
    def from_settings(cls, settings: config.Settings) -> PrivacyPolicy:
        actions = {kind: settings[policy_key(kind)] for kind in ENTITY_TYPES}
        return cls(
            actions={k: v for k, v in actions.items() if v != MASK},
            deny_list=tuple(str(v) for v in settings["privacy.deny_list"]),
            score_threshold=float(settings["privacy.score_threshold"]),
            persist_mapping=bool(settings["privacy.persist_mapping"]),
        )

    def with_deny_list(self, extra: Iterable[str]) -> PrivacyPolicy:
        return PrivacyPolicy(
            dict(self.actions), (*self.deny_list, *extra), self.score_threshold, self.persist_mapping
        )
