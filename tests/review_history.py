"""A realistic ledger history written with the real ledger code (reserve -> settle -> record_turn),
for the review tests and benchmarks/bench_review.py. No hand-written SQL."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

from edgeapp.ledger import CloudCallRecord, Ledger, TurnRecord

MODELS = [
    ("openai", "gpt-4o-mini", "https://api.openai.com/v1"),
    ("openai", "gpt-4.1-mini", "https://api.openai.com/v1"),
    ("openrouter", "claude-3-5-haiku", "https://openrouter.ai/api/v1"),
    ("groq", "llama-3.1-8b-instant", "https://api.groq.com/openai/v1"),
]
TOPICS = ["sourdough", "tax return", "marathon plan", "python asyncio", "tomato blight", "mortgage",
          "holiday in Lisbon", "quantum tunnelling", "cover letter", "bike gears"]
ENTITY_SETS = [{}, {"PERSON": 1}, {"PERSON": 2, "EMAIL_ADDRESS": 1}, {"PHONE_NUMBER": 1}, {"LOCATION": 1}]


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def payload(text: str, model: str, entities: dict[str, int]) -> str:
    masked = text
    for kind, n in entities.items():
        masked += " " + " ".join(f"<{kind}_{i + 1}>" for i in range(n))
    body = {"model": model, "messages": [
        {"role": "system", "content": "You are a helpful assistant. Keep placeholders like <PERSON_1> as they are."},
        {"role": "user", "content": masked}], "max_tokens": 1024, "stream": True}
    return json.dumps(body, ensure_ascii=False)


def add_call(
    ledger: Ledger, clock: Clock, *, conversation: str, text: str, answer: str, provider: str = "openai",
    model: str = "gpt-4o-mini", base_url: str = "https://api.openai.com/v1", entities: dict | None = None,
    tokens: tuple[int | None, int | None] = (120, 80), request_json: str | None = None, route: str = "cloud",
    reason: str = "low confidence 0.31 < threshold 0.55: escalated",
) -> tuple[int, int]:
    """One escalated turn: reserve, settle the call, record the turn. Returns (turn_id, call_id)."""
    entities = entities or {}
    body = request_json or payload(text, model, entities)
    res = ledger.reserve(provider, model, base_url, 200, 1024)
    call = CloudCallRecord(None, provider, model, body, dict(entities),
                           json.dumps({"choices": [{"message": {"content": answer}}]}), tokens[0], tokens[1],
                           "ok", None, 420.0, base_url=base_url, created_at=clock.now)
    ledger.settle(res, call)
    turn_id = ledger.record_turn(TurnRecord(
        conversation_id=conversation, user_text=text, answer=answer, route=route, reason=reason,
        confidence=0.31, components={}, threshold=0.55, local_model="smollm2", created_at=clock.now,
        cost=call.cost or 0.0, cloud_call_ids=[call.id]))
    return turn_id, int(call.id)


def add_local(ledger: Ledger, clock: Clock, *, conversation: str, text: str, answer: str,
              route: str = "local", reason: str = "confident") -> int:
    return ledger.record_turn(TurnRecord(
        conversation_id=conversation, user_text=text, answer=answer, route=route, reason=reason,
        confidence=0.9, components={}, threshold=0.55, local_model="smollm2", created_at=clock.now))


def fill(ledger: Ledger, clock: Clock, calls: int, *, days: int = 365, seed: int = 7, local_every: int = 2,
         end: datetime | None = None) -> None:
    """`calls` escalated turns (and about calls/local_every local ones) spread over `days` up to `end`."""
    rng = random.Random(seed)
    end = end or datetime.now(timezone.utc)
    start = end - timedelta(days=days)
    step = (end - start) / max(1, calls)
    db = ledger.store.db
    db.execute("PRAGMA synchronous = NORMAL")  # this generator's connection only: no fsync per commit
    for i in range(calls):
        clock.now = (start + step * i).astimezone()
        provider, model, base_url = MODELS[i % len(MODELS)]
        topic = TOPICS[rng.randrange(len(TOPICS))]
        conv = f"c{i // 6:06d}"
        add_call(ledger, clock, conversation=conv, text=f"Question {i} about {topic}: what should I do next?",
                 answer=f"Answer {i} about {topic}.", provider=provider, model=model, base_url=base_url,
                 entities=ENTITY_SETS[i % len(ENTITY_SETS)], tokens=(rng.randint(60, 900), rng.randint(20, 700)))
        if local_every and i % local_every == 0:
            add_local(ledger, clock, conversation=conv, text=f"Quick {topic} question {i}", answer="Sure.")
