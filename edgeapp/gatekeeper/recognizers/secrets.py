"""API keys, tokens, private keys and passwords.

Known key shapes score high on their own; a value assigned to a secret-sounding name
(`password=`, `API_TOKEN: ...`) or a high-entropy string next to such a word is masked too.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from .base import Span, SpanRecognizer, context_words, near

KNOWN_KEYS = re.compile(
    r"""(?x)
    (?<![\w-])(?:
        sk-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,}   # OpenAI, Anthropic
      | (?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}                          # GitHub tokens
      | github_pat_[A-Za-z0-9_]{40,}
      | glpat-[A-Za-z0-9_-]{20,}                                          # GitLab
      | (?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}  # AWS access key id
      | xox[abposre]-[A-Za-z0-9-]{10,}                                    # Slack
      | xapp-\d-[A-Za-z0-9-]{10,}
      | AIza[0-9A-Za-z_-]{35}                                             # Google API key
      | ya29\.[0-9A-Za-z_-]{20,}                                          # Google OAuth token
      | (?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}                       # Stripe
      | hf_[A-Za-z0-9]{30,}                                               # Hugging Face
      | npm_[A-Za-z0-9]{36}
      | SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}                        # SendGrid
      | eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}     # JWT
    )(?![\w-])
    """
)

PRIVATE_KEY_BLOCK = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?"
    r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    re.DOTALL,
)

_SECRET_NAME = (
    r"[\w.-]*(?:passw(?:or)?d|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|"
    r"private[_-]?key|auth[_-]?key|credentials?|client[_-]?secret|session[_-]?id|cookie)s?"
)
ASSIGNMENT = re.compile(
    r"(?i)(?<![\w-])" + _SECRET_NAME + r"""["']?\s*(?:=|:=|:|=>)\s*["']?(?P<value>[^\s"',;]{4,})"""
)
SPOKEN = re.compile(
    r"(?i)\b(?:password|passcode|passphrase|pin|token|api key|secret key|secret)\s+(?:is|was|=|:)\s+"
    r"""["']?(?P<value>[^\s"',;]{4,}?)["']?(?=[\s"',;]|[.!?](?:\s|$)|$)"""
)
BEARER = re.compile(r"(?i)\b(?:bearer|basic)\s+(?P<value>[A-Za-z0-9._~+/=-]{16,})")

CANDIDATE = re.compile(r"(?<![\w/+=-])[A-Za-z0-9_+/.-]{16,}={0,2}(?![\w/+=-])")
SECRET_CONTEXT = context_words(
    "key",
    "keys",
    "token",
    "secret",
    "password",
    "passwd",
    "credential",
    "api",
    "auth",
    "bearer",
    "signature",
)


def shannon_entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())


def looks_random(value: str, *, strict: bool) -> bool:
    """Mixed character classes and high entropy: a generated key, not a word or a number."""
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d"))
    if value.isdigit() or classes < 2 or "." in value.strip(".") and value.count(".") > 2:
        return False
    threshold = 4.0 if strict else 3.3
    return (
        (len(value) >= (24 if strict else 16))
        and classes >= (3 if strict else 2)
        and (shannon_entropy(value) >= threshold)
    )


class SecretRecognizer(SpanRecognizer):
    ENTITIES = ("API_KEY", "SECRET")

    def spans(self, text: str) -> Iterable[Span]:
        for m in KNOWN_KEYS.finditer(text):
            yield m.start(), m.end(), "API_KEY", 0.95
        for m in PRIVATE_KEY_BLOCK.finditer(text):
            yield m.start(), m.end(), "SECRET", 1.0
        for pattern in (ASSIGNMENT, SPOKEN, BEARER):
            for m in pattern.finditer(text):
                value = m.group("value")
                if value.lower() in {"none", "null", "true", "false", "****", "xxxx", "redacted"}:
                    continue
                kind = "API_KEY" if KNOWN_KEYS.fullmatch(value) else "SECRET"
                yield m.start("value"), m.end("value"), kind, 0.85
        for m in CANDIDATE.finditer(text):
            value = m.group(0)
            if looks_random(value, strict=True):
                yield m.start(), m.end(), "SECRET", 0.6
            elif looks_random(value, strict=False) and near(text, m.start(), m.end(), SECRET_CONTEXT):
                yield m.start(), m.end(), "SECRET", 0.7
