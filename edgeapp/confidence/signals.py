"""Confidence of a local answer, in [0, 1], from two signals.

* Token signal (Coco): the probabilities the model gave the tokens it actually wrote.
  `mean_prob` ranks answers well but is overconfident; `min_prob` (the weakest token) is better
  calibrated. Both come for free from generation (see local_model.py).
* Verbalized signal (COREA): the model ends its answer with "Confidence: N/10" (or N%, 0.N,
  "high"...). A missing or unreadable statement is *unknown*, not zero.

Default combination (a prior, until `calibrate` fits one on data):
    token = sqrt(mean_prob * min_prob)        (geometric mean of the two token features)
    combined = token                           if the verbal signal is unknown
    combined = 0.8 * token + 0.2 * verbal      otherwise
    then halved if the answer was cut at the token limit, and halved if a calculation it states
    ("a op b = c") is wrong (checked exactly; see `arithmetic_check`).
The small default model's verbalized confidence is nearly constant, hence its low weight.
More features feed the fitted calibration: the share of weak tokens, the final line's tokens, the
tokens that write digits, entropy peaks, and two checks of the answer against the question (does
it use the numbers the question gives; is its final answer the result of a calculation it shows).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

from ..models.local_model import Generation
from .answer_text import final_number, numbers

VERBAL_WEIGHT = 0.2
PENALTY = 0.5  # factor for an answer cut at the token limit, and for a wrong calculation

_WORDS = {"very high": 0.95, "high": 0.85, "medium": 0.6, "moderate": 0.6, "low": 0.3, "very low": 0.1}
_MARKER = re.compile(
    r"(?:^|\n)[ \t*_#>(\[-]*(?:my\s+)?confidence(?:\s+level|\s+score)?[*_ \t]*(?:[:=\-]|is)?[*_ \t]*"
    r"(?P<value>(?:\d+(?:\.\d+)?\s*(?:/\s*(?:10|100)\b|%|percent\b)?)"
    r"|very high|very low|high|medium|moderate|low)"
    r"[^\n]*\s*$",
    re.IGNORECASE,
)
_INLINE = re.compile(
    r"confidence(?:\s+level|\s+score)?\s*(?:[:=]|is)\s*(?P<value>\d+(?:\.\d+)?\s*(?:/\s*(?:10|100)\b|%)?)",
    re.IGNORECASE,
)


def _value(raw: str) -> float | None:
    raw = raw.strip().lower()
    if raw in _WORDS:
        return _WORDS[raw]
    match = re.match(r"(\d+(?:\.\d+)?)\s*(/\s*(10|100)|%|percent)?", raw)
    if not match:
        return None
    number = float(match.group(1))
    if match.group(3):
        scale = float(match.group(3))
    elif match.group(2):  # % or percent
        scale = 100.0
    elif number <= 1.0:
        scale = 1.0
    elif number <= 10.0:
        scale = 10.0
    else:
        scale = 100.0
    value = number / scale
    return value if 0.0 <= value <= 1.0 else None


@dataclass(frozen=True)
class VerbalConfidence:
    answer: str  # the text with the confidence statement removed
    value: float | None  # None: the model stated none (unknown)
    cut: int  # character offset where the statement starts (len(text) if none)


def parse_verbal(text: str) -> VerbalConfidence:
    """Find the model's stated confidence, preferring a trailing 'Confidence: ...' line."""
    match = _MARKER.search(text)
    if match:
        value = _value(match.group("value"))
        cut = match.start()
        return VerbalConfidence(text[:cut].rstrip(), value, cut)
    matches = list(_INLINE.finditer(text))
    if matches:
        inline = matches[-1]
        start = text.rfind("\n", 0, inline.start()) + 1
        sentence_start = max(text.rfind(". ", start, inline.start()) + 1, start)
        cut = sentence_start if sentence_start > 0 else inline.start()
        return VerbalConfidence(text[:cut].rstrip(), _value(inline.group("value")), cut)
    return VerbalConfidence(text.rstrip(), None, len(text))


@dataclass(frozen=True)
class Confidence:
    score: float  # combined, in [0, 1]
    mean_prob: float | None
    min_prob: float | None
    mean_entropy: float | None
    token_score: float | None
    verbal: float | None
    answer_tokens: int
    method: str = "default"
    # more token features, for a fitted calibration (see calibration.py)
    finished: bool = True  # the answer ended by itself, not at the token limit
    low_share: float | None = None  # share of tokens written with probability < 0.5
    final_min_prob: float | None = None  # weakest token of the final line (where the answer is stated)
    final_mean_prob: float | None = None
    arith_checked: int = 0  # "a op b = c" calculations stated in the answer, and how many are wrong
    arith_wrong: int = 0
    sum_logprob: float | None = None  # log-probability of the whole answer
    max_entropy: float | None = None  # the most uncertain step
    high_entropy_share: float | None = None  # share of steps with entropy > 1 nat
    digit_min_prob: float | None = None  # weakest token that writes digits (where calculations happen)
    digit_mean_logprob: float | None = None
    question_words: int = 0  # the question (the user's message) and its numbers
    question_numbers: int = 0
    numbers_used: float | None = None  # share of the question's numbers the answer uses (None: it has none)
    answer_from_calculation: bool = False  # the final number is the result of a calculation the answer shows

    def components(self) -> dict:
        return asdict(self)


# -- a text feature: arithmetic the answer states, checked ------------------------------------
_TEX = [
    (re.compile(r"\\text\{[^{}]*\}|\\(?:mathrm|textbf)\{[^{}]*\}"), " "),
    (re.compile(r"\\d?frac\{([^{}]+)\}\{([^{}]+)\}"), r"((\1)/(\2))"),
    (re.compile(r"\\(?:times|cdot)|×|·"), "*"),
    (re.compile(r"\\div|÷"), "/"),
    (re.compile(r"−|–"), "-"),
    (re.compile(r"\\[\[\]()]|\\,|[$\\]"), " "),
    (re.compile(r"(?<=\d),(?=\d{3}(?!\d))"), ""),
    (re.compile(r"(?<=\d)\s*[xX]\s*(?=\d)"), "*"),
]
_EQUATION = re.compile(
    r"(?P<lhs>[-\d.\s+*/()]*\d[-\d.\s+*/()]*?)=\s*(?P<rhs>-?\d+(?:\.\d+)?)(?![\d.]*\s*[*/+])"
)


def _evaluate(expr: str) -> float | None:
    import ast
    import operator

    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}

    def ev(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            return ops[type(node.op)](ev(node.left), ev(node.right))
        raise ValueError

    try:
        tree = ast.parse(expr.strip(), mode="eval")
        if not isinstance(tree.body, ast.BinOp):  # a bare number restated is not a calculation
            return None
        return ev(tree.body)
    except (SyntaxError, ValueError, ZeroDivisionError, RecursionError):
        return None


def _normal_lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        for pattern, repl in _TEX:
            line = pattern.sub(repl, line)
        out.append(line)
    return out


def arithmetic_check(text: str) -> tuple[int, int]:
    """(calculations checked, calculations wrong) among the "a op b = c" the text states. A small
    model's wrong sum is a strong sign its answer is wrong; the check costs microseconds."""
    checked = wrong = 0
    for line in _normal_lines(text):
        for m in _EQUATION.finditer(line):
            value = _evaluate(m.group("lhs"))
            if value is None:
                continue
            stated = float(m.group("rhs"))
            decimals = len(m.group("rhs").partition(".")[2])
            checked += 1
            if abs(value - stated) > max(0.5 * 10**-decimals, 1e-6 * abs(value)):
                wrong += 1
    return checked, wrong


_RESULT = re.compile(r"=\s*(-?\d+(?:\.\d+)?)")


def answer_checks(question: str | None, answer: str) -> dict[str, float | int | bool | None]:
    """How the answer relates to the question's numbers. A word problem's answer that leaves out a
    number it was given, or whose final number no calculation produced, is often wrong."""
    given = set(numbers(question or ""))
    used = set(numbers(answer))
    final = final_number(answer)
    results = {float(m) for line in _normal_lines(answer) for m in _RESULT.findall(line)}
    return {
        "question_words": len((question or "").split()),
        "question_numbers": len(given),
        "numbers_used": sum(1 for v in given if v in used) / len(given) if given else None,
        "answer_from_calculation": final is not None and float(final) in results,
    }


LOW_PROB = 0.5
FINAL_MAX_TOKENS = 32


def final_line_start(text: str) -> int:
    """Where the last line with a letter or digit begins (the line that states the answer)."""
    end = len(text)
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        if any(ch.isalnum() for ch in text[start:end]):
            return start
        end = start - 1
    return 0


HIGH_ENTROPY = 1.0  # nats


def token_features(gen: Generation, cut: int | None = None) -> dict[str, float | int | None]:
    """Features over the answer's tokens (those before the confidence statement)."""
    n = len(gen.tokens)
    if cut is not None:
        n = sum(1 for end in gen.text_ends if end <= cut) or n
    logprobs = gen.logprobs[:n]
    if not logprobs:
        return {
            "mean_prob": None,
            "min_prob": None,
            "mean_entropy": None,
            "answer_tokens": 0,
            "low_share": None,
            "final_min_prob": None,
            "final_mean_prob": None,
            "sum_logprob": None,
            "max_entropy": None,
            "high_entropy_share": None,
            "digit_min_prob": None,
            "digit_mean_logprob": None,
        }
    probs = [math.exp(lp) for lp in logprobs]
    entropies = gen.entropies[:n]
    answer = gen.text[: cut if cut is not None else len(gen.text)].rstrip()
    start = final_line_start(answer)
    ends = gen.text_ends[:n]
    # tokens that end after the final line starts (at most FINAL_MAX_TOKENS of them)
    final = [p for p, end in zip(probs, ends, strict=False) if end > start][-FINAL_MAX_TOKENS:] or probs[-1:]
    starts = [0, *ends[:-1]]
    digits = [
        lp
        for lp, a, b in zip(logprobs, starts, ends, strict=False)
        if any(ch.isdigit() for ch in gen.text[a:b])
    ]
    return {
        "mean_prob": sum(probs) / len(probs),
        "min_prob": min(probs),
        "mean_entropy": sum(entropies) / n,
        "answer_tokens": n,
        "low_share": sum(p < LOW_PROB for p in probs) / len(probs),
        "final_min_prob": min(final),
        "final_mean_prob": sum(final) / len(final),
        "sum_logprob": sum(logprobs),
        "max_entropy": max(entropies),
        "high_entropy_share": sum(h > HIGH_ENTROPY for h in entropies) / n,
        "digit_min_prob": math.exp(min(digits)) if digits else None,
        "digit_mean_logprob": sum(digits) / len(digits) if digits else None,
    }


def score(gen: Generation, verbal: VerbalConfidence | None = None, question: str | None = None) -> Confidence:
    """The confidence of `gen`, the answer to `question` (the user's message; its numbers are
    compared with the answer's)."""
    verbal = verbal or parse_verbal(gen.text)
    feats = token_features(gen, verbal.cut)
    checked, wrong = arithmetic_check(verbal.answer)
    mean_p, min_p = feats["mean_prob"], feats["min_prob"]
    token = math.sqrt(mean_p * min_p) if mean_p is not None and min_p is not None else None
    if token is None and verbal.value is None:
        combined = 0.0  # nothing generated: no basis for trust
    elif token is None:
        combined = verbal.value
    elif verbal.value is None:
        combined = token
    else:
        combined = (1 - VERBAL_WEIGHT) * token + VERBAL_WEIGHT * verbal.value
    if gen.finish_reason == "length":
        combined *= PENALTY
    if wrong:
        combined *= PENALTY
    feats["answer_tokens"] = int(feats["answer_tokens"] or 0)
    return Confidence(
        score=min(1.0, max(0.0, combined)),
        token_score=token,
        verbal=verbal.value,
        finished=gen.finish_reason != "length",
        arith_checked=checked,
        arith_wrong=wrong,
        **feats,
        **answer_checks(question, verbal.answer),
    )


class StatementFilter:
    """Hides a trailing 'Confidence: ...' line from a token stream shown to the user.

    The current line is held back while it could still become a confidence statement.
    """

    _PREFIX = "confidence"

    def __init__(self) -> None:
        self._line = ""
        self._released = False  # the current line was already shown

    @staticmethod
    def _is_statement(line: str) -> bool:
        return bool(_MARKER.search("\n" + line.rstrip()))

    def _could_be_statement(self, line: str) -> bool:
        core = line.lstrip(" \t*_#>([-").lower()
        if core.startswith("my "):
            core = core[3:]
        if not core:
            return True
        return self._PREFIX.startswith(core) or core.startswith(self._PREFIX)

    def feed(self, text: str) -> str:
        out: list[str] = []
        for ch in text:
            if self._released:
                out.append(ch)
                self._released = ch != "\n"
                continue
            self._line += ch
            if ch == "\n":
                if not self._is_statement(self._line):
                    out.append(self._line)
                self._line = ""
            elif not self._could_be_statement(self._line):
                out.append(self._line)
                self._line = ""
                self._released = True
        return "".join(out)

    def flush(self) -> str:
        line, self._line = self._line, ""
        self._released = False
        return "" if self._is_statement(line) else line
