from __future__ import annotations

import math
from dataclasses import replace

import pytest

from edgeapp.confidence import VERBAL_WEIGHT, StatementFilter, parse_verbal, score
from edgeapp.local_model import Generation


@pytest.mark.parametrize(
    ("text", "value", "answer"),
    [
        ("The answer is 72.\nConfidence: 8/10", 0.8, "The answer is 72."),
        ("72\n**Confidence:** 90%", 0.9, "72"),
        ("Paris.\nconfidence = 0.65", 0.65, "Paris."),
        ("Paris.\nConfidence: 7", 0.7, "Paris."),
        ("Paris.\nConfidence: 85", 0.85, "Paris."),
        ("Paris.\nConfidence: high", 0.85, "Paris."),
        ("It is Paris. My confidence is 9/10.", 0.9, "It is Paris."),
        ("It is Paris.", None, "It is Paris."),
        ("Paris.\nConfidence: 150%", None, "Paris."),  # out of range: unknown, not zero
        ("Paris.\nConfidence: unsure", None, "Paris.\nConfidence: unsure"),
    ],
)
def test_parse_verbal(text, value, answer):
    parsed = parse_verbal(text)
    assert parsed.value == (pytest.approx(value) if value is not None else None)
    assert parsed.answer == answer


def _gen(text: str, probs: list[float]) -> Generation:
    step = max(1, len(text) // len(probs))
    ends = [min(len(text), step * (i + 1)) for i in range(len(probs))]
    ends[-1] = len(text)
    return Generation(text=text, tokens=list(range(len(probs))), logprobs=[math.log(p) for p in probs],
                      entropies=[0.5] * len(probs), text_ends=ends)


def test_score_without_verbal_is_token_geometric_mean():
    c = score(_gen("42", [0.9, 0.4]))
    assert c.verbal is None
    assert c.score == pytest.approx(math.sqrt(0.65 * 0.4))


def test_score_blends_verbal_and_ignores_statement_tokens():
    text = "42\nConfidence: 10/10"
    probs = [0.5, 0.5] + [0.99] * 8
    c = score(_gen(text, probs))
    assert c.verbal == 1.0
    assert c.answer_tokens < len(probs)
    assert c.score == pytest.approx((1 - VERBAL_WEIGHT) * c.token_score + VERBAL_WEIGHT * 1.0)
    assert c.mean_prob < 0.99  # the statement's confident tokens did not count


def test_nothing_generated_scores_zero():
    assert score(Generation(text="")).score == 0.0


def test_statement_filter_hides_the_confidence_line_when_streamed():
    text = "First line.\nThe con is not a confidence line.\nConfidence: 8/10"
    f = StatementFilter()
    shown = "".join(f.feed(ch) for ch in text) + f.flush()
    assert shown == "First line.\nThe con is not a confidence line.\n"
    f = StatementFilter()
    shown = "".join(f.feed(c) for c in ["Con", "fused? No.\n", "conf", "idence: 3"]) + f.flush()
    assert shown == "Confused? No.\n"


def test_features_of_the_final_line_and_of_weak_tokens():
    text = "First 2 + 2 = 4.\nThen 4 * 3 = 12.\nThe answer is 12."
    lines_end = [text.index("\n") + 1, text.rindex("\n") + 1, len(text)]
    # one token per line: the last line's token is the weakest
    gen = Generation(text=text, tokens=[1, 2, 3], logprobs=[math.log(0.9), math.log(0.45), math.log(0.3)],
                     entropies=[0.1, 0.2, 0.3], text_ends=lines_end)
    c = score(gen)
    assert c.final_min_prob == pytest.approx(0.3) and c.final_mean_prob == pytest.approx(0.3)
    assert c.low_share == pytest.approx(2 / 3)
    assert c.finished
    cut = replace(gen, finish_reason="length")
    assert not score(cut).finished


def test_final_line_skips_lines_without_words():
    from edgeapp.confidence import final_line_start

    text = "Work.\n\\[\n\\boxed{18}\n\\]\n"
    assert text[final_line_start(text):].startswith("\\boxed{18}")
    assert final_line_start("one line") == 0


@pytest.mark.parametrize("text, expected", [
    ("48 / 2 = 24 and 48 + 24 = 73", (2, 1)),
    ("\\[ 60 \\text{ meters} \\times 3 \\text{ sprints} = 180 \\text{ meters} \\]", (1, 0)),
    ("\\frac{48}{2} = 24", (1, 0)),
    ("1,200 x 3 = 3,600", (1, 0)),
    ("10 / 3 = 3.33 and (3 + 2) * 4 = 21", (2, 1)),
    ("x = 4, the year 2020 = 2020, total = 5", (0, 0)),  # nothing to compute
    ("Call 555-0142 = my number", (0, 0)),  # no stated result
])
def test_arithmetic_check(text, expected):
    from edgeapp.confidence import arithmetic_check

    assert arithmetic_check(text) == expected


def test_wrong_arithmetic_and_cut_answers_lower_the_default_score():
    from edgeapp.confidence import PENALTY

    right = score(_gen("2 + 2 = 4", [0.8] * 4))
    wrong = score(_gen("2 + 2 = 5", [0.8] * 4))
    assert (right.arith_checked, right.arith_wrong, wrong.arith_wrong) == (1, 0, 1)
    assert wrong.score == pytest.approx(right.score * PENALTY)
    cut = score(replace(_gen("2 + 2 = 4", [0.8] * 4), finish_reason="length"))
    assert cut.score == pytest.approx(right.score * PENALTY) and not cut.finished
