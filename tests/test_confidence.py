from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest

from edgeapp.confidence.signals import VERBAL_WEIGHT, StatementFilter, parse_verbal, score
from edgeapp.models.local_model import Generation


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
    from edgeapp.confidence.signals import final_line_start

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
    from edgeapp.confidence.signals import arithmetic_check

    assert arithmetic_check(text) == expected


def test_wrong_arithmetic_and_cut_answers_lower_the_default_score():
    from edgeapp.confidence.signals import PENALTY

    right = score(_gen("2 + 2 = 4", [0.8] * 4))
    wrong = score(_gen("2 + 2 = 5", [0.8] * 4))
    assert (right.arith_checked, right.arith_wrong, wrong.arith_wrong) == (1, 0, 1)
    assert wrong.score == pytest.approx(right.score * PENALTY)
    cut = score(replace(_gen("2 + 2 = 4", [0.8] * 4), finish_reason="length"))
    assert cut.score == pytest.approx(right.score * PENALTY) and not cut.finished


def test_token_features_of_digits_and_entropy_peaks():
    text = "Half of 48 is 24.\nThe answer is 72."
    pieces = ["Half of ", "48", " is ", "24", ".\nThe answer is ", "72", "."]
    ends = [sum(len(p) for p in pieces[: i + 1]) for i in range(len(pieces))]
    probs = [0.9, 0.6, 0.95, 0.3, 0.9, 0.5, 0.99]
    gen = Generation(text=text, tokens=list(range(7)), logprobs=[math.log(p) for p in probs],
                     entropies=[0.2, 1.5, 0.1, 2.5, 0.3, 0.8, 0.1], text_ends=ends)
    c = score(gen)
    assert c.digit_min_prob == pytest.approx(0.3)  # the weakest of the tokens that write digits
    assert c.digit_mean_logprob == pytest.approx(sum(math.log(p) for p in (0.6, 0.3, 0.5)) / 3)
    assert c.sum_logprob == pytest.approx(sum(math.log(p) for p in probs))
    assert c.max_entropy == pytest.approx(2.5) and c.high_entropy_share == pytest.approx(2 / 7)
    words = score(_gen("Paris is the capital.", [0.9, 0.8]))
    assert words.digit_min_prob is None and words.digit_mean_logprob is None


@pytest.mark.parametrize("question, answer, used, from_calc", [
    # uses both numbers, and the final answer is a stated result
    ("Natalia sold 48 clips in April and 24 in May. How many in all?", "48 + 24 = 72. The answer is 72.", 1.0, True),
    # leaves a given number out, and states a final number no calculation produced
    ("A box holds 12 eggs; Tom buys 3 boxes and breaks 5. How many are whole?", "12 * 3 = 36. The answer is 31.",
     2 / 3, False),
    ("It costs $1,250 a month for 2 months.", "\\(1250 \\times 2 = 2500\\). \\boxed{2500}", 1.0, True),
    ("What is the capital of France?", "Paris.", None, False),  # no numbers to use: unknown, not zero
])
def test_answer_checks_against_the_question(question, answer, used, from_calc):
    from edgeapp.confidence.signals import answer_checks

    got = answer_checks(question, answer)
    assert got["numbers_used"] == (pytest.approx(used) if used is not None else None)
    assert got["answer_from_calculation"] is from_calc
    assert got["question_numbers"] == len(set(re.findall(r"\d[\d,]*", question)))
    c = score(_gen(answer, [0.9] * 4), question=question)
    assert c.numbers_used == got["numbers_used"] and c.answer_from_calculation is from_calc
    assert c.question_words == len(question.split())
