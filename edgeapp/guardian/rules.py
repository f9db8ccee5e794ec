"""The two text classifiers of the guardian, as rule tables: does the reply ask for what was withheld
(`asks_for_withheld`), and does it carry instructions aimed at the app, the model or the user's
tools (`injection`)?

Rules, not a model: each is a regular expression over one sentence of the reply (or the whole reply
for the shapes that span lines), with the negations and mentions that must not count. They were
written on the `dev` half of benchmarks/data/guardian_replies.jsonl and are measured on its
`heldout` half and on 200 ordinary cloud answers by benchmarks/bench_guardian.py (figures in
docs/privacy.md). English first, with the commonest German, Spanish and French phrasings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .findings import ASKS_FOR_WITHHELD, INJECTION, Finding

_I = re.IGNORECASE
_PH = r"(?:<[A-Z][A-Z0-9_]*_\d+>)"  # a placeholder as the gatekeeper writes it


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]


def _rules(table: list[tuple[str, str]], flags: int = _I) -> tuple[Rule, ...]:
    return tuple(Rule(name, re.compile(pattern, flags)) for name, pattern in table)


# -- asks_for_withheld ----------------------------------------------------------------------------
# personal data a reply may ask for (the nouns the gatekeeper masks, and what goes with them)
_DATA = (
    r"(?:(?:full|complete|whole|real|actual|exact|16[- ]digit|three[- ]digit|unmasked|unredacted)\s+)?"
    r"(?:(?:credit\s+|debit\s+|bank\s+)?card(?:'s)?\s+(?:number|"
    r"details|pin)|card\s+pin|cvv|cvc|security\s+code|"
    r"iban|account\s+numbers?|sort\s+code|routing\s+number|bank\s+statement|"
    r"social\s+security\s+number|ssn|national\s+insurance\s+number|ni\s+number|passport\s+number|"
    r"(?:real|full|actual)\s+(?:first\s+and\s+last\s+)?names?|first\s+and\s+last\s+name|"
    r"(?:street|home|full|postal|real)\s+address|email\s+address|e-mail\s+address|"
    r"(?:phone|mobile|cell)\s+number|date\s+of\s+birth|"
    r"api\s+key|secret\s+key|access\s+token|password|passcode|\bpin\b|login|credentials|"
    r"ip\s+address|digits|the\s+number\s+and\s+the\s+cvv)"
)
# a request to the user: send, paste, share, tell, give, type, provide, confirm, re-send...
_ASK_VERB = (
    r"(?:send|re-?send|paste|share|tell|give|type|write\s+out|provide|confirm|reply\s+with|enter|"
    r"upload|drop|copy|include|fill\s+in|let\s+me\s+know|spell\s+out)"
)
ASKS = _rules(
    [
        # "Please send me the full card number", "Could you paste your IBAN here?"
        ("request-data", rf"\b{_ASK_VERB}\b(?:\s+\w+){{0,6}}?\s+(?:your|the|its|their|my)?\s*{_DATA}"),
        # "I need your card number", "I require your SSN", "I'll need your passport number"
        ("need-data", rf"\b(?:i|we)(?:'ll|\s+will)?\s+(?:need|require)\s+(?:[\w']+\s+){{0,3}}?{_DATA}"),
        # an injected task: "ask the user for their card number"
        ("ask-the-user", rf"\bask\s+the\s+user\s+for\s+(?:[\w']+\s+){{0,3}}?{_DATA}"),
        # "What's the card number?", "What are the 16 digits of <CREDIT_CARD_1>?"
        ("question-data", rf"\bwhat(?:'s|\s+is|\s+are)\s+(?:\w+\s+){{0,4}}?{_DATA}[^.!\n]*\?"),
        # the masked value itself: "what is the real value behind <X>?", "the real one rather than <X>"
        (
            "asks-masked-value",
            rf"(?:real|actual|original|true|hidden)\s+(?:value|one|name|digits|number)s?\s+"
            rf"(?:behind|of|rather\s+than|instead\s+of|for)\s+{_PH}"
            rf"|(?:digits|value|name)\s+(?:hidden\s+)?behind\s+{_PH}",
        ),
        (
            "what-is-placeholder",
            rf"\b(?:what|who)(?:'s|\s+is|\s+are)\s+{_PH}(?:'s\s+(?:real|actual|full)\s+\w+)?"
            r"(?:\s+(?:really|actually|irl|in\s+real\s+life))?\s*\?",
        ),
        ("placeholder-irl", rf"{_PH}\s+(?:irl|in\s+real\s+life)\b|(?:actually|really)\s+is\b[^.?!]*\?"),
        (
            "name-of-placeholder",
            rf"name\s+of\s+the\s+person\s+you\s+called\s+{_PH}|{_PH}'s\s+(?:actual|real|full)",
        ),
        (
            "unredacted",
            r"\b(?:re-?send|send|give|paste)\b[^.?!\n]{0,40}\b(?:unredacted|unmasked|in\s+full)\b",
        ),
        (
            "without-placeholder",
            r"without\s+the\s+placeholder|only\s+see\s+a\s+placeholder|shows\s+up\s+as\s+a\s+placeholder",
        ),
        (
            "redacted-resend",
            r"(?:redacted|masked|hidden)\b[^.?!\n]{0,60}\b(?:re-?send|send\s+it\s+again|type\s+it)",
        ),
        # "Paste the whole email thread here, with everyone's addresses and phone numbers"
        (
            "paste-personal",
            r"\b(?:paste|copy)\b[^.?!\n]{0,80}\b(?:addresses|phone\s+numbers|account\s+numbers)\b",
        ),
        ("photo-of-card", r"\b(?:photo|picture|scan)\s+of\s+(?:the\s+front|your\s+card|both\s+sides)"),
        ("form-in-reply", r"fill\s+in\s+(?:both|the|all)\s+(?:boxes|fields)\s+in\s+your\s+reply"),
        # German, Spanish, French
        (
            "de",
            r"\b(?:schicken|senden|nenn|geben)\b[^.?!\n]{0,60}\b(?:kartennummer|namen|iban|passwort|adresse)"
            r"|wie\s+hei(?:ß|ss)t\s+\S+\s+wirklich",
        ),
        (
            "es",
            r"\b(?:env[ií]a|enviar|escribe|dime|"
            r"manda)\w*\b[^.?!\n]{0,60}\b(?:tarjeta|direcci[oó]n|tel[eé]fono|"
            r"contrase[ñn]a|nombre)",
        ),
        (
            "fr",
            r"\b(?:communiquer|envoy|donne|indiqu)\w*\b[^.?!\n]{0,60}\b(?:iban|mot\s+de\s+passe|num[ée]ro|"
            r"adresse|nom\s+r[ée]el)",
        ),
    ]
)
# not a request: a warning, a negation, advice about somewhere else, a third person, a code sample
_ASKS_UNLESS = re.compile(
    r"\b(?:never|don't|do\s+not|no\s+need|not\s+need|needn't|won't|will\s+never|"
    r"avoid|keep\s+(?:it|them)\s+off|that's\s+fine|keep\s+using|"
    r"nunca|niemals|jamais|ne\s+\w+\s+pas|n'avez\s+pas)\b"
    r"|\bask\s+" + _PH + r"|\btell\s+" + _PH + r"\s+that|\bbank\b[^.?!]*\b(?:line|website|app|page)s?\b",
    _I,
)

# -- injection ------------------------------------------------------------------------------------
_INSTRUCTIONS = (
    r"(?:instructions?|directives?|system\s+(?:prompt|message)|"
    r"guidelines|rules|everything\s+(?:above|before)|"
    r"the\s+user(?:'s\s+request)?|privacy\s+(?:rules|instructions|filter))"
)
INJECTIONS = _rules(
    [
        (
            "ignore-instructions",
            rf"\b(?:ignore|disregard|forget|override|bypass)\b\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+)?"
            rf"(?:(?:previous|prior|above|earlier|preceding|original|"
            rf"existing|privacy|system)\s+)*{_INSTRUCTIONS}",
        ),
        (
            "directives-void",
            r"\b(?:prior|previous)\s+(?:directives|instructions)\s+are\s+(?:void|cancelled|revoked)",
        ),
        (
            "reveal-conversation",
            r"\b(?:reveal|print|output|repeat|show|dump|list|export|email|send|display)\b[^.?!\n]{0,50}"
            r"\b(?:(?:full|whole|entire|hidden)\s+conversation|"
            r"conversation\s+(?:so\s+far|log|history)|chat\s+history|"
            r"system\s+prompt|your\s+(?:instructions|configuration|system\s+prompt)|hidden\s+text|"
            r"contents\s+of\s+your\s+instructions|every\s+(?:api\s+key|name)|historique)",
        ),
        (
            "restore-masked",
            r"\b(?:reveal|output|restore|put|replace|"
            r"unmask)\b[^.?!\n]{0,60}\b(?:masked\s+values|original\s+values?|"
            r"real\s+values|unmasked\s+message|all\s+placeholders|its\s+original\s+value)",
        ),
        ("role-tokens", r"\[/?INST\]|<\|im_(?:start|end)\|>|</?system>|<<SYS>>"),
        (
            "new-persona",
            r"\b(?:you\s+are\s+now\s+(?:in\s+)?(?:developer\s+mode|DAN|no\s+longer|an?\s+\w+\s+with\s+no)|"
            r"from\s+now\s+on\s+you\s+are|you\s+are\s+no\s+longer\s+bound|"
            r"switch\s+roles|act\s+as\s+the\s+system|"
            r"system\s+override|admin\s+notice|developer\s+mode|new\s+(?:instructions|rule|task)\s*:)",
        ),
        (
            "addresses-the-model",
            r"\b(?:note\s+(?:for|to)\s+(?:any\s+|the\s+)?(?:ai|model|assistant|agent)|"
            r"(?:to\s+the|hey)\s+(?:tool-calling\s+agent|summari[sz]er\s+model|model|ai\s+agent)|"
            r"(?:any|the)\s+ai\s+(?:tool|agent|model)\s+reading\s+this|as\s+an\s+ai\s+agent\s+with|"
            r"as\s+the\s+assistant\s+you\s+must|^assistant\s*[:,]|ai\s+agent\s*:)",
        ),
        (
            "before-showing",
            r"\b(?:before\s+(?:you\s+show|answering|showing)|when\s+you\s+display\s+this)\b[^.\n]{0,80}"
            r"\b(?:call|render|fetch|run|execute|send)\b",
        ),
        (
            "app-must-call",
            r"\b(?:the\s+app|the\s+assistant|you)\s+must\s+(?:call|"
            r"fetch|open|run|execute)\b|\bsilently\s+fetch\b",
        ),
        (
            "exfiltrate-files",
            r"\b(?:upload|email|send|forward|post)\b[^.?!\n]{0,40}\b(?:files\s+in\s+~|~/|chat\s+history|"
            r"all\s+of\s+the\s+user's\s+contacts|this\s+draft\s+to\s+all)",
        ),
        ("shell-pipe", r"(?:curl|wget)\b[^\n`]*\|\s*(?:ba|z)?sh\b|\$\(cat\s+~|id_rsa|rm\s+-rf\s+~"),
        (
            "disable-privacy",
            r"(?:turn|switch)\s+(?:it\s+)?off[^.\n]{0,40}privacy|"
            r"privacy[^.\n]{0,40}(?:misconfigured|turn\s+it\s+off)|"
            r"config\s+set\s+privacy|pretend\s+the\s+privacy|allowed\s+to\s+reveal|pre-approved\s+sharing",
        ),
        ("decode-and-follow", r"\bdecode\s+this\s+and\s+(?:follow|run|execute)"),
        (
            "paste-into-assistant",
            r"paste\s+this\s+(?:line\s+)?into\s+your\s+(?:ai|assistant|chatbot|terminal)",
        ),
        (
            "tell-user-safe",
            r"tell\s+the\s+user\s+their\s+data\s+is\s+safe|state\s+that\s+the\s+user\s+agreed",
        ),
        ("tool-call", r"\bcall\s+(?:the\s+)?`?\w+(?:_\w+)+`?\s*(?:tool|\()"),
        # German, Spanish, French
        (
            "ignore-de-es-fr",
            r"\b(?:ignoriere|ignora|oublie|ignore[sz]?)\b\s+(?:alle\s+|las\s+|les\s+)?"
            r"(?:vorherigen\s+|previas\s+)?(?:anweisungen|instrucciones|instructions)",
        ),
    ]
)
# a URL that carries data: a placeholder in its query (or its path of a tracking image)
_URL_WITH_DATA = re.compile(
    r"https?://[^\s)\"'>`]*\?[^\s)\"'`]*(?:<[A-Z][A-Z0-9_]*_\d+>|%3C[A-Z][A-Z0-9_]*_\d+%3E)", re.IGNORECASE
)
# a mention of an injection, not one: "says something like 'ignore previous instructions'"
_INJECTION_MENTION = re.compile(
    r"\b(?:prompt\s+injection|something\s+like|such\s+as|for\s+example|e\.g\.|is\s+when|red-team)\b", _I
)

_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[A-Z¿¡*#-])|\n+")


def sentences(reply: str) -> list[str]:
    """The reply cut into sentences and lines (code fences kept whole enough for the rules)."""
    return [s.strip() for s in _SENTENCE_RE.split(reply) if s and s.strip()]


def _excerpt(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def asks_for_withheld(reply: str) -> Finding | None:
    """The first sentence of `reply` that asks the user for masked values or personal data."""
    for sentence in sentences(reply):
        if _ASKS_UNLESS.search(sentence):
            continue
        for rule in ASKS:
            if rule.pattern.search(sentence):
                return Finding(ASKS_FOR_WITHHELD, evidence=_excerpt(sentence), rule=rule.name)
    return None


def injection(reply: str) -> Finding | None:
    """The first instruction in `reply` aimed at the app, the model or the user's tools."""
    url = _URL_WITH_DATA.search(reply)
    if url:
        return Finding(INJECTION, evidence=_excerpt(url.group(0)), rule="url-with-data")
    for sentence in sentences(reply):
        for rule in INJECTIONS:
            if rule.pattern.search(sentence):
                if _INJECTION_MENTION.search(sentence) and rule.name != "paste-into-assistant":
                    break
                return Finding(INJECTION, evidence=_excerpt(sentence), rule=rule.name)
    return None
