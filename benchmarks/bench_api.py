"""The companion's overhead and behaviour under load, measured with the official `openai` client.

Part 1 (overhead): the same prompts with the same settings (greedy, max_tokens, n_ctx, threads)
against `edgeapp serve` (model edgeapp-local) and against `python -m llama_cpp.server` serving the
same GGUF, interleaved (A B, B A, ...), streamed: p50 time to first token and total time, and
edgeapp's overhead in per cent. edgeapp's request carries its own system prompt (the confidence
statement it asks for) and runs the confidence scoring and a ledger write; that is the overhead
being measured.

Part 2 (load): N concurrent clients (default 20) for a bounded time against `edgeapp serve`, each
picking edgeapp-local / edgeapp-auto / edgeapp-cloud in turn (the cloud is the llama.cpp server
posing as a priced model, under a small monthly budget). Counts answers, deliberate 503s (the
queue limit; a client waits Retry-After) and any other error; then checks the budget was not
exceeded, no reservation is left held and the ledger has one turn per answered request.

    .venv/bin/python benchmarks/bench_api.py [--rounds 4] [--clients 20] [--seconds 40] [--json out.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROMPTS = [
    "What is the capital of France?",
    "Name three primary colours.",
    "Explain in one sentence what a river delta is.",
    "What is 12 times 12?",
    "Give one tip for sleeping better.",
    "What does a thermometer measure?",
]
TOKEN = "bench-token-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, proc: subprocess.Popen, headers: dict | None = None, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/v1/models", headers=headers or {})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("server did not start")


def timed_stream(client, model: str, prompt: str, max_tokens: int) -> tuple[float, float, int]:
    start = time.perf_counter()
    first = None
    pieces = 0
    for chunk in client.chat.completions.create(model=model, messages=[{"role": "user", "content": prompt}],
                                                max_tokens=max_tokens, temperature=0.0, stream=True):
        if chunk.choices and chunk.choices[0].delta.content:
            if first is None:
                first = time.perf_counter() - start
            pieces += 1
    total = time.perf_counter() - start
    return (first if first is not None else total), total, pieces


def pct(a: float, b: float) -> float:
    return (a / b - 1.0) * 100.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3, help="passes over the prompts (each pass: both servers)")
    ap.add_argument("--max-tokens", type=int, default=48)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=40.0, help="how long the load phase sends requests")
    ap.add_argument("--timeout", type=float, default=600.0, help="the clients' read timeout (s)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens

    home = Path(tempfile.mkdtemp(prefix="edgeapp-bench-api-"))
    os.environ["EDGEAPP_HOME"] = str(home)
    os.environ.pop("EDGEAPP_API_TOKEN", None)
    import openai

    from edgeapp import config
    from edgeapp.ledger import Ledger
    from edgeapp.ledger.limits import set_monthly_limit
    from edgeapp.models.catalog import default_model_path
    from edgeapp.models.local_model import available_cores

    model = default_model_path()
    threads = available_cores()
    n_ctx = 2048
    procs: list[subprocess.Popen] = []
    try:
        # the reference: llama.cpp's own OpenAI-compatible server on the same GGUF
        lport = free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1", "--port",
             str(lport), "--n_ctx", str(n_ctx), "--n_threads", str(threads), "--n_threads_batch", str(threads),
             "--model_alias", "gpt-4o"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_ready(lport, procs[-1])
        s = config.load()
        for key, value in (("local.n_ctx", n_ctx), ("local.n_threads", threads), ("local.max_tokens", args.max_tokens),
                           ("cloud.base_url", f"http://127.0.0.1:{lport}/v1"), ("cloud.model", "gpt-4o"),
                           ("cloud.max_tokens", 16)):
            s.set(key, value)
        s.save()
        set_monthly_limit(0.002)  # a few gpt-4o-priced calls' worst case: the cap will be reached
        eport = free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "edgeapp.cli", "serve", "--port", str(eport), "--token", TOKEN,
             "--parallel", "2", "--queue", "8"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ}))
        wait_ready(eport, procs[-1], {"Authorization": f"Bearer {TOKEN}"})
        edge = openai.OpenAI(base_url=f"http://127.0.0.1:{eport}/v1", api_key=TOKEN, max_retries=0, timeout=600)
        llama = openai.OpenAI(base_url=f"http://127.0.0.1:{lport}/v1", api_key="none", max_retries=0, timeout=600)

        # -- part 1: overhead, interleaved ----------------------------------------------------
        timed_stream(edge, "edgeapp-local", "Hello", 4)  # warm both (model pages, prompt caches)
        timed_stream(llama, "gpt-4o", "Hello", 4)
        rows = {"edgeapp": [], "llama_cpp.server": []}
        for r in range(args.rounds):
            for i, prompt in enumerate(PROMPTS):
                order = [("edgeapp", edge, "edgeapp-local"), ("llama_cpp.server", llama, "gpt-4o")]
                if (r + i) % 2:
                    order.reverse()
                for name, client, model_name in order:
                    ttft, total, pieces = timed_stream(client, model_name, prompt, args.max_tokens)
                    print(f"  {name:18s} ttft {ttft * 1000:7.0f} ms  total {total * 1000:7.0f} ms  {pieces} pieces")
                    rows[name].append({"ttft": ttft, "total": total, "pieces": pieces,
                                       "per_piece": (total - ttft) / max(1, pieces - 1)})
        summary = {}
        for name, items in rows.items():
            summary[name] = {k: statistics.median(x[k] for x in items) for k in ("ttft", "total", "pieces", "per_piece")}
        e, ref = summary["edgeapp"], summary["llama_cpp.server"]
        overhead = {"ttft_pct": pct(e["ttft"], ref["ttft"]), "total_pct": pct(e["total"], ref["total"]),
                    "per_token_pct": pct(e["per_piece"], ref["per_piece"])}
        print(f"# overhead ({len(rows['edgeapp'])} requests each, max_tokens={args.max_tokens}, {threads} threads)")
        for name, m in summary.items():
            print(f"{name:18s} p50 TTFT {m['ttft'] * 1000:8.1f} ms   p50 total {m['total'] * 1000:8.1f} ms   "
                  f"p50 pieces {m['pieces']:.0f}   p50 per piece {m['per_piece'] * 1000:6.1f} ms")
        print(f"edgeapp overhead: TTFT {overhead['ttft_pct']:+.1f}%  total {overhead['total_pct']:+.1f}%  "
              f"per token {overhead['per_token_pct']:+.1f}%")

        # -- part 2: concurrent clients for a bounded time -------------------------------------
        with Ledger() as ledger:
            turns_before = len(list(ledger.rows("turns")))
        counts = {"ok": 0, "503": 0, "client_timeouts": 0, "errors": 0}
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds
        models = ["edgeapp-local", "edgeapp-auto", "edgeapp-cloud"]

        def worker(n: int) -> None:
            client = openai.OpenAI(base_url=f"http://127.0.0.1:{eport}/v1", api_key=TOKEN, max_retries=0,
                                   timeout=args.timeout, default_headers={"X-Edgeapp-Client": f"bench-{n}"})
            k = n
            while time.monotonic() < stop_at:
                k += 1
                try:
                    client.chat.completions.create(model=models[k % 3], max_tokens=16, messages=[
                        {"role": "user", "content": f"Client {n}, question {k}: {PROMPTS[k % len(PROMPTS)]}"}])
                    with lock:
                        counts["ok"] += 1
                except openai.APIStatusError as exc:
                    if exc.status_code == 503:
                        with lock:
                            counts["503"] += 1
                        time.sleep(float(exc.response.headers.get("retry-after", "1")))
                    else:
                        with lock:
                            counts["errors"] += 1
                            errors.append(f"{exc.status_code}: {exc.message}")
                except openai.APITimeoutError:  # the client gave up waiting: the server stops and records the turn
                    with lock:
                        counts["client_timeouts"] += 1
                except Exception as exc:  # noqa: BLE001 - counted, reported
                    with lock:
                        counts["errors"] += 1
                        errors.append(repr(exc))

        started = time.monotonic()
        workers = [threading.Thread(target=worker, args=(n,)) for n in range(args.clients)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.monotonic() - started
        time.sleep(1.0)
        with Ledger() as ledger:
            status = ledger.budget_status()
            turns = list(ledger.rows("turns"))[turns_before:]
            held = [r for r in ledger.rows("reservations") if r["status"] == "held"]
            calls = list(ledger.rows("cloud_calls"))
        routes: dict[str, int] = {}
        for t in turns:
            key = f"{t['route']}/{t['reason_code']}"
            routes[key] = routes.get(key, 0) + 1
        load = {"clients": args.clients, "seconds": round(elapsed, 1), **counts, "ledger_turns": len(turns),
                "ledger_complete": len(turns) == counts["ok"] + counts["client_timeouts"],
                "stopped_turns": sum(1 for t in turns if t["stopped"]), "spent": status.spent, "limit": status.limit,
                "budget_respected": status.spent <= (status.limit or 0) + 1e-9, "held_reservations": len(held),
                "cloud_calls": len(calls), "routes": routes, "error_samples": errors[:5]}
        print(f"# load: {args.clients} clients for {args.seconds:.0f} s (ran {elapsed:.1f} s)")
        print(json.dumps(load, indent=2))
        if args.json:
            args.json.write_text(json.dumps({"overhead": {"summary": summary, "pct": overhead, "rows": rows},
                                             "load": load}, indent=2))
        ok = counts["errors"] == 0 and load["budget_respected"] and load["ledger_complete"] and not held
        return 0 if ok else 1
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    sys.exit(main())
