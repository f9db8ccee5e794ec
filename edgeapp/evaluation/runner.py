"""Run models over items, caching every response on disk (JSON lines, append-only), so a run can
be interrupted, resumed and re-analysed without calling a model again."""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..assistant import CLOUD_SYSTEM, local_system_prompt
from ..cloud.client import CloudClient
from ..confidence.signals import parse_verbal, score
from ..errors import CloudError, GatekeeperError
from ..gatekeeper import Gatekeeper, PlaceholderVault, PrivacyPolicy
from ..gatekeeper.entities import ALLOW, ENTITY_TYPES
from ..models.local_model import LocalModel
from . import methods
from .datasets import Item
from .grading import extract, is_correct

PROMPT_VERSION = "v1"
# the methods run the product's escalation path (Assistant.escalate_sync) since this version; answers
# cached before it came from a separate implementation and are not reused
METHODS_PATH = "product-path-1"
# a method's own version, when its code changed since (compress 2: the question sentence and a closing
# instruction are never compressed); its answers cached before are not reused
METHOD_VERSIONS = {"compress": "2"}


class ResponseCache:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._rows: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()  # the local and cloud legs write from two threads
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                except ValueError:
                    continue  # a line cut by an interrupted run
                self._rows[row["key"]] = row

    @staticmethod
    def key(*parts: str) -> str:
        return hashlib.sha1("\x1f".join((PROMPT_VERSION, *parts)).encode()).hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        return self._rows.get(key)

    def put(self, key: str, row: dict[str, Any]) -> dict[str, Any]:
        row = {"key": key, **row}
        line = json.dumps(row, ensure_ascii=False) + "\n"
        with self._lock:
            self._rows[key] = row
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(line)
        return row

    def __len__(self) -> int:
        return len(self._rows)


def endpoint_id(base_url: str) -> str:
    """The endpoint as the cache knows it: a server on loopback is known by its model name alone,
    because benchmark runs start it on whatever port is free."""
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    if parts.hostname in ("127.0.0.1", "localhost", "::1"):
        return f"loopback{parts.path}"
    return base_url.rstrip("/")


def sampling(client: CloudClient) -> list[str]:
    """What the cache key knows about the cloud's sampling: its temperature, when one is sent."""
    return [] if client.temperature is None else [f"t{client.temperature:g}"]


def _progress(items: list[Item], label: str, position: int = 0) -> Iterable[Item]:
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover
        return items
    return tqdm(
        items, desc=label, unit="q", file=sys.stderr, disable=not sys.stderr.isatty(), position=position
    )


def run_local(
    items: list[Item], model: LocalModel | None, model_id: str, cache: ResponseCache, *, max_tokens: int = 256
) -> list[dict[str, Any]]:
    """Generation and confidence in one pass (token log-probabilities come with generation)."""
    system = local_system_prompt()
    out = []
    for item in _progress(items, f"local {model_id}"):
        key = cache.key("local", model_id, item.id, str(max_tokens))
        row = cache.get(key)
        if row is None and model is None:  # --from-cache: only what is already there
            continue
        if row is None:
            started = time.perf_counter()
            gen = model.generate(
                [{"role": "system", "content": system}, {"role": "user", "content": item.prompt()}],
                max_tokens=max_tokens,
            )
            verbal = parse_verbal(gen.text)
            conf = score(gen, verbal, item.question)
            row = cache.put(
                key,
                {
                    "role": "local",
                    "model": model_id,
                    "item": item.id,
                    "dataset": item.dataset,
                    "text": gen.text,
                    "components": conf.components(),
                    "tokens": gen.completion_tokens,
                    "seconds": time.perf_counter() - started,
                    "finish_reason": gen.finish_reason,
                    # per token, so new confidence features can be computed later without generating again
                    "logprobs": [round(v, 5) for v in gen.logprobs],
                    "entropies": [round(v, 4) for v in gen.entropies],
                    "text_ends": gen.text_ends,
                },
            )
        row = {**row, "components": components_of(row, item.question)}
        out.append(_graded(item, row, parse_verbal(row["text"]).answer))
    return out


def components_of(row: dict[str, Any], question: str | None = None) -> dict[str, Any]:
    """The confidence components of a cached local answer (to `question`), recomputed with today's
    features when the row kept its per-token data (older rows keep the components stored with them)."""
    if "logprobs" not in row:
        return row["components"]
    from ..models.local_model import Generation

    gen = Generation(
        text=row["text"],
        tokens=[0] * len(row["logprobs"]),
        logprobs=row["logprobs"],
        entropies=row["entropies"],
        text_ends=row["text_ends"],
        finish_reason=row.get("finish_reason", "stop"),
    )
    return score(gen, parse_verbal(row["text"]), question).components()


def allow_all_gatekeeper() -> Gatekeeper:
    """For measuring what scrubbing costs: the same path, with every type allowed (nothing masked)."""
    return Gatekeeper(policy=PrivacyPolicy(actions={kind: ALLOW for kind in ENTITY_TYPES}))


def cloud_key(cache: ResponseCache, client: CloudClient, mode: str, item: Item, max_tokens: int) -> str:
    """The cache key of the cloud's answer to `item` (mode: scrubbed | raw)."""
    return cache.key(
        "cloud", endpoint_id(client.base_url), client.model, mode, item.id, str(max_tokens), *sampling(client)
    )


def method_key(
    cache: ResponseCache,
    method: str,
    model_id: str,
    endpoint: str,
    cloud_model: str,
    item_id: str,
    max_tokens: int,
    sampled: list[str],
) -> str:
    """The cache key of a method's answer (`endpoint` as `endpoint_id` gives it, `sampled` as `sampling`)."""
    version = [f"v{METHOD_VERSIONS[method]}"] if method in METHOD_VERSIONS else []
    return cache.key(
        "method",
        method,
        METHODS_PATH,
        model_id,
        endpoint,
        cloud_model,
        item_id,
        str(max_tokens),
        *sampled,
        *version,
    )


def run_cloud(
    items: list[Item],
    client: CloudClient,
    gatekeeper: Gatekeeper | None,
    cache: ResponseCache,
    *,
    scrubbed: bool = True,
    max_tokens: int = 256,
    offline: bool = False,
    errors: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The cloud's answers to `items`, from the cache or asked now (offline: the cache only; `errors`:
    failures met earlier in this run, reported again rather than asked again)."""
    label = "scrubbed" if scrubbed else "raw"

    def key_for(item: Item, mode: str) -> str:
        return cloud_key(cache, client, mode, item, max_tokens)

    out = []
    for item in _progress(items, f"cloud {client.model} ({label})", position=1):
        row = cache.get(key_for(item, label))
        masked = None if scrubbed else cache.get(key_for(item, "scrubbed"))
        if row is None and masked is not None and not masked.get("entities"):
            # nothing was masked: the raw request is the scrubbed one, and so is its answer
            row = {**masked, "mode": label, "same_as_scrubbed": True}
        if row is None and errors and item.id in errors:
            out.append(errors[item.id])
            continue
        if row is None and offline:
            continue
        if row is None:
            vault = PlaceholderVault()
            started = time.perf_counter()
            try:
                payload = gatekeeper.scrub([("system", CLOUD_SYSTEM), ("user", item.prompt())], vault)
                reply = client.complete(payload, stream=False, max_tokens=max_tokens)
            except (CloudError, GatekeeperError) as exc:
                print(f"cloud error on {item.id}: {exc}", file=sys.stderr)
                out.append(_error_row(item, exc))
                continue  # not cached: a rerun retries it
            row = cache.put(
                key_for(item, label),
                {
                    "role": "cloud",
                    "model": client.model,
                    "mode": label,
                    "item": item.id,
                    "dataset": item.dataset,
                    "text": vault.restore(reply.text),
                    "entities": payload.entities,
                    "input_tokens": reply.input_tokens,
                    "output_tokens": reply.output_tokens,
                    "seconds": time.perf_counter() - started,
                },
            )
        out.append(_graded(item, row, row["text"]))
    return out


def run_legs(
    local_items: list[Item],
    cloud_items: list[Item],
    model: LocalModel | None,
    model_id: str,
    client: CloudClient,
    gatekeeper: Gatekeeper | None,
    cache: ResponseCache,
    *,
    max_tokens: int = 256,
    offline: bool = False,
    raw_items: list[Item] = (),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The local leg (local_items) and the scrubbed cloud leg (cloud_items) side by side, one thread
    each: they do not depend on each other, and the cloud mostly waits on the network (or, for a
    server on this machine, on the other core). The local leg may hold more questions (a calibration
    set needs no cloud answers), so neither side sits idle while the other works. `raw_items` are also
    sent unscrubbed, after the scrubbed ones, to measure what scrubbing costs."""
    from concurrent.futures import ThreadPoolExecutor

    def cloud_leg() -> list[dict[str, Any]]:
        rows = run_cloud(cloud_items, client, gatekeeper, cache, max_tokens=max_tokens, offline=offline)
        if raw_items:
            run_cloud(
                list(raw_items),
                client,
                None if offline else allow_all_gatekeeper(),
                cache,
                scrubbed=False,
                max_tokens=max_tokens,
                offline=offline,
            )
        return rows

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="eval-cloud") as pool:
        cloud = pool.submit(cloud_leg)
        try:
            local = run_local(local_items, model, model_id, cache, max_tokens=max_tokens)
        finally:
            cloud_rows = cloud.result()
    return local, cloud_rows


def _graded(item: Item, row: dict[str, Any], answer_text: str) -> dict[str, Any]:
    return {
        **row,
        "extracted": extract(item, answer_text),
        "gold": item.gold,
        "correct": is_correct(item, answer_text),
    }


def run_methods(
    items: list[Item],
    names: Iterable[str],
    model: LocalModel | None,
    model_id: str,
    client: CloudClient,
    gatekeeper: Gatekeeper | None,
    cache: ResponseCache,
    **kwargs: Any,
) -> dict[str, list[dict[str, Any]]]:
    """Several methods over the same items, two at a time: a method alternates between the cloud
    and the local model, so while one waits on the cloud the other uses the local model."""
    from concurrent.futures import ThreadPoolExecutor

    names = list(names)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="eval-method") as pool:
        futures = {
            name: pool.submit(
                run_method, items, name, model, model_id, client, gatekeeper, cache, position=i, **kwargs
            )
            for i, name in enumerate(names)
        }
        return {name: future.result() for name, future in futures.items()}


@dataclass
class MethodRun:
    """What every question of one method's leg shares: the method, both models, the gatekeeper
    and the settings a turn would use."""

    method: str
    model: LocalModel | None
    client: CloudClient
    gatekeeper: Gatekeeper | None
    max_tokens: int = 256
    embedder: LocalModel | None = None
    confidences: dict[str, float] = field(default_factory=dict)
    threshold: float = 0.5
    system: str = field(default_factory=local_system_prompt)


def _error_row(item: Item, exc: Exception) -> dict[str, Any]:
    """A question the leg could not answer: counted wrong, never cached (a rerun retries it)."""
    return {"item": item.id, "dataset": item.dataset, "text": "", "correct": False, "error": str(exc)}


def _ask_method(run: MethodRun, item: Item, cache: ResponseCache, key: str) -> dict[str, Any]:
    """One question through the method, cached under `key`; an error row when it fails."""
    started = time.perf_counter()
    client = run.client
    # the plain escalation's answer, when cached: a method whose request is exactly the plain
    # one (no exclusion hint given, every word kept) gets that answer (the cloud is greedy)
    plain = (
        cache.get(cloud_key(cache, client, "scrubbed", item, run.max_tokens))
        if client.temperature == 0
        else None
    )
    try:
        got = methods.run_one(
            run.method,
            item,
            model=run.model,
            system=run.system,
            client=client,
            gatekeeper=run.gatekeeper,
            max_tokens=run.max_tokens,
            embedder=run.embedder,
            confidence=run.confidences.get(item.id),
            threshold=run.threshold,
            reuse_plain=plain is not None,
        )
    except (CloudError, GatekeeperError, ValueError, RuntimeError) as exc:  # one question, not the run
        print(f"{run.method} error on {item.id}: {exc}", file=sys.stderr)
        return _error_row(item, exc)
    seconds = time.perf_counter() - started
    if got.info.get("same_as_plain"):  # its time: the method's own work, then the plain call's
        got = methods.Outcome(
            plain["text"], plain.get("input_tokens") or 0, plain.get("output_tokens") or 0, got.info
        )
        seconds += float(plain.get("seconds") or 0.0)
    return cache.put(
        key,
        {
            "role": "method",
            "method": run.method,
            "item": item.id,
            "dataset": item.dataset,
            "text": got.text,
            "input_tokens": got.input_tokens,
            "output_tokens": got.output_tokens,
            "info": got.info,
            "seconds": seconds,
        },
    )


def run_method(
    items: list[Item],
    method: str,
    model: LocalModel | None,
    model_id: str,
    client: CloudClient,
    gatekeeper: Gatekeeper | None,
    cache: ResponseCache,
    *,
    max_tokens: int = 256,
    embedder: LocalModel | None = None,
    confidences: dict[str, float] | None = None,
    threshold: float = 0.5,
    position: int = 0,
) -> list[dict[str, Any]]:
    """A collaboration method (methods.py) as the escalation leg, for every item."""
    run = MethodRun(method, model, client, gatekeeper, max_tokens, embedder, confidences or {}, threshold)
    endpoint, sampled = endpoint_id(client.base_url), sampling(client)
    out = []
    for item in _progress([it for it in items if methods.applies(method, it)], f"method {method}", position):
        key = method_key(cache, method, model_id, endpoint, client.model, item.id, max_tokens, sampled)
        row = cache.get(key)
        if row is None and model is None:
            continue
        if row is None:
            row = _ask_method(run, item, cache, key)
            if row.get("error"):
                out.append(row)
                continue
        out.append(_graded(item, row, row["text"]))
    return out
