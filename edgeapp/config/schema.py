"""Every setting edgeapp knows, in one place: its name, type, default, check and help text.

`edgeapp config show|set`, the window's settings dialog and the companion API's settings endpoint
all read this table; nothing registers settings anywhere else. Names are dotted
(`router.threshold`); the settings file nests them by their first part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..gatekeeper.entities import ACTIONS, DEFAULT_SCORE_THRESHOLD, ENTITY_TYPES, MASK, describe, policy_key
from ..guardian.findings import LOCAL_DISAGREES, OFF, PLACEHOLDER_DROPPED, POLICIES, SHOW
from . import checks


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str
    check: Callable[[Any], str | None] | None = None  # returns an error sentence or None
    secret: bool = False

    @property
    def section(self) -> str:
        return self.name.partition(".")[0]


_CLOUD = [
    Setting(
        "cloud.base_url", str, "", "OpenAI-compatible base URL, e.g. https://api.openai.com/v1", checks.url
    ),
    Setting("cloud.model", str, "gpt-4o-mini", "model name sent to the cloud endpoint"),
    Setting("cloud.provider", str, "", "label for the ledger (default: derived from the base URL host)"),
    Setting(
        "cloud.api_key_env", str, "EDGEAPP_API_KEY", "environment variable read when the keyring has no key"
    ),
    Setting(
        "cloud.connect_timeout", float, 5.0, "seconds to wait for a connection", checks.between(0.1, 120)
    ),
    Setting(
        "cloud.read_timeout",
        float,
        60.0,
        "seconds to wait between bytes of the reply",
        checks.between(0.1, 600),
    ),
    Setting("cloud.max_retries", int, 3, "retries on 429/5xx/connection errors", checks.between(0, 10)),
    Setting(
        "cloud.max_tokens",
        int,
        1024,
        "maximum tokens the cloud may generate per answer",
        checks.between(1, 65536),
    ),
    Setting(
        "cloud.temperature",
        float,
        -1.0,
        "sampling temperature sent to the cloud (-1: the provider's default; 0: deterministic)",
        checks.between(-1.0, 2.0),
    ),
    Setting("cloud.stream", bool, True, "stream the cloud answer (SSE)"),
    Setting(
        "cloud.history_tokens",
        int,
        2000,
        "most tokens of earlier messages sent with an escalated question "
        "(newest first; 0: only the question)",
        checks.between(0, 200_000),
    ),
]

_PRIVACY = [
    Setting(
        "privacy.confirm_before_send",
        bool,
        False,
        "show what would be sent and ask before each escalation "
        "leaves the machine (chat asks y/N; ask needs --yes without a terminal)",
    ),
    *(
        Setting(
            policy_key(kind), str, MASK, f"{describe(kind)}: mask, block or allow", checks.one_of(*ACTIONS)
        )
        for kind in ENTITY_TYPES
    ),
    Setting(
        "privacy.deny_list",
        list,
        [],
        "values always masked before the cloud (your name, address, employer); 'TYPE: value' picks the type",
    ),
    Setting(
        "privacy.score_threshold",
        float,
        DEFAULT_SCORE_THRESHOLD,
        "minimum detector confidence for masking (lower masks more)",
        checks.fraction,
    ),
    Setting(
        "privacy.encrypt_ledger",
        bool,
        False,
        "encrypt the whole ledger file at rest (SQLCipher, key in the OS keyring); "
        "turn it on or off with `edgeapp encrypt on|off`, which rewrites the file",
    ),
    Setting(
        "privacy.persist_mapping",
        bool,
        False,
        "keep the placeholder-to-value mapping on disk between sessions (off: memory only)",
    ),
]

# what the guardian does with each kind of finding on a cloud reply (edgeapp/guardian/)
_GUARDIAN_HELP = {
    "placeholder_dropped": "a placeholder of your question is missing from the cloud's reply",
    "placeholder_invented": "the reply carries a placeholder never sent, or two merged into one",
    "asks_for_withheld": "the reply asks for the values that were masked, or for personal data",
    "injection": "the reply carries instructions aimed at the app, the model or your tools",
}
_GUARDIAN = [
    *(
        Setting(
            f"guardian.{kind}",
            str,
            OFF if kind == PLACEHOLDER_DROPPED else SHOW,
            f"{help_text}: show (in the answer's reasons), hide (keep the local answer and say why) or off"
            + (
                " (off by default: an answer need not repeat every name of the question, and 19% of "
                "ordinary cloud answers leave one out; benchmarks/bench_guardian.py)"
                if kind == PLACEHOLDER_DROPPED
                else ""
            ),
            checks.one_of(*POLICIES),
        )
        for kind, help_text in _GUARDIAN_HELP.items()
    ),
    Setting(
        f"guardian.{LOCAL_DISAGREES}",
        str,
        OFF,
        "the local model's second opinion on a cloud answer: off, the only choice while it does not predict "
        "cloud errors (AUROC 0.63 < 0.70, benchmarks/eval/second-opinion.md)",
        checks.one_of(OFF),
    ),
]

_COLLAB = [
    Setting(
        "collab.compress",
        bool,
        False,
        "before escalating, drop the words the local model finds most predictable "
        "(numbers, names and the question are kept; more when the local answer was nearly good enough)",
    ),
    Setting(
        "collab.exclusion_hints",
        bool,
        False,
        "multiple choice: tell the cloud which options the local model "
        "found least likely, when that is informative",
    ),
    Setting(
        "collab.mode",
        str,
        "answer",
        "answer: the cloud answers; shepherd: the cloud writes the first steps and "
        "the local model finishes; align: the cloud writes a plan, the local model answers from it",
        checks.one_of("answer", "shepherd", "align"),
    ),
]

_ROUTER = [
    Setting(
        "router.mode",
        str,
        "auto",
        "auto: escalate below the threshold; local: never; cloud: always",
        checks.one_of("auto", "local", "cloud"),
    ),
    Setting(
        "router.threshold", float, 0.55, "escalate when confidence is below this", checks.between(0.0, 1.0)
    ),
]

_LOCAL = [
    Setting("local.model_path", str, "", "GGUF file of the local model (empty: the embedded default)"),
    Setting(
        "local.n_ctx", int, 4096, "context window of the local model, in tokens", checks.between(256, 131072)
    ),
    Setting(
        "local.max_tokens",
        int,
        512,
        "maximum tokens the local model generates per answer",
        checks.between(1, 32768),
    ),
    Setting(
        "local.n_threads",
        int,
        0,
        "CPU threads for generation (0: one per available core)",
        checks.between(0, 256),
    ),
    Setting(
        "local.n_gpu_layers",
        int,
        -1,
        "layers offloaded to the GPU (-1: all when the build supports it)",
        checks.between(-1, 1000),
    ),
]

_BUDGET = [
    Setting(
        "budget.monthly_limit",
        float,
        None,
        "monthly cloud budget in budget.currency "
        "(unset: no limit, calls are still priced; 0: no cloud spending)",
        checks.monthly_limit,
    ),
    Setting(
        "budget.currency", str, "USD", "currency of the budget and of your price overrides", checks.currency
    ),
    Setting(
        "budget.alert_share", float, 0.8, "warn when this share of the monthly budget is spent", checks.share
    ),
    Setting(
        "budget.pacing",
        bool,
        True,
        "lower the escalation threshold when spending runs ahead of the month, so the budget lasts",
    ),
    Setting(
        "budget.usd_rate",
        float,
        0.0,
        "units of budget.currency per 1 USD, applied to the bundled USD price table (0: not set)",
        checks.exchange_rate,
    ),
    Setting(
        "budget.reservation_ttl",
        int,
        900,
        "seconds after which a cloud-call reservation that was never settled is released",
        checks.ttl_seconds,
    ),
]

_PRICES = [
    Setting(
        "prices.overrides",
        list,
        [],
        "your prices, 'MODEL INPUT OUTPUT' per million tokens in budget.currency (use `edgeapp price set`)",
        checks.price_overrides,
    ),
    Setting(
        "prices.local_free",
        bool,
        True,
        "price models served from localhost/127.0.0.1/::1 at 0 "
        "unless the bundled table or an override knows them",
    ),
]

SCHEMA: dict[str, Setting] = {
    s.name: s for s in (*_CLOUD, *_PRIVACY, *_GUARDIAN, *_COLLAB, *_ROUTER, *_LOCAL, *_BUDGET, *_PRICES)
}


def in_section(section: str) -> list[str]:
    """The names of every setting in one section (`cloud`, `privacy`, ...), sorted."""
    return sorted(name for name, s in SCHEMA.items() if s.section == section)
