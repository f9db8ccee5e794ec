"""Hostile clients against a real `edgeapp serve` process on 127.0.0.1, the long version of
tests/api/test_hostile.py, then a soak of mixed requests with the server's memory watched.

1. Fuzz: request bodies from tests/hostile.py's Hypothesis strategies (OpenAI-shaped requests with
   fields swapped, removed and added; deep nesting; invalid UTF-8; lone surrogates; oversized and
   non-JSON bodies) until `--fuzz-cases` or `--fuzz-seconds`. Counts answers by status and
   server errors (a 5xx, or a 4xx without a message).
2. Attacks, each with a well-behaved client on 127.0.0.1 asking all along: slow-loris heads,
   connections opened and dropped by the thousand, connections held open, a stream read one byte
   a second.
3. Soak: `--soak-seconds` of mixed requests (chats whole and streamed, models, status,
   conversations, refused bodies, wrong tokens, bursts of dropped connections), the server's RSS
   read from /proc every 10 s (Linux).

At the end every turn a response reported is looked up in the ledger ("lost rows": reported but
missing). Bounded loops, loopback only; run it niced, once:

    nice -n 10 .venv/bin/python benchmarks/bench_hostile.py [--soak-seconds 600] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOME = Path(tempfile.mkdtemp(prefix="edgeapp-hostile-"))
os.environ["EDGEAPP_HOME"] = str(HOME)  # before edgeapp is imported: the server and this script share it

import httpx  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests import hostile  # noqa: E402

TOKEN = "hostile-bench-token-0123456789"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def start_server(port: int) -> subprocess.Popen:
    from edgeapp import config

    s = config.load()
    s.set("local.max_tokens", 8)
    s.set("local.n_ctx", 2048)
    s.save()
    cmd = [sys.executable, "-m", "edgeapp.cli", "serve", "--port", str(port), "--token", TOKEN, "--max-tokens", "8"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=open(HOME / "serve.log", "w"))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/models", headers={"Authorization": f"Bearer {TOKEN}"},
                         timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"edgeapp serve exited: {(HOME / 'serve.log').read_text()[-2000:]}")
        time.sleep(0.5)
    raise SystemExit("edgeapp serve did not start")


def fuzz(url: str, cases: int, seconds: float, tally: hostile.Tally, bodies) -> float:
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    with httpx.Client(timeout=300) as client:
        @settings(max_examples=cases, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(body=bodies)
        def one(body: bytes) -> None:
            if time.monotonic() < deadline:
                hostile.send(client, url, body, TOKEN, tally)

        one()
    return time.monotonic() - started


def attack(name: str, url: str, run, results: dict) -> None:
    started = time.monotonic()
    with hostile.Bystander(url, TOKEN, every=0.25) as bystander:
        outcome = run()
    results[name] = {"outcome": outcome, "seconds": round(time.monotonic() - started, 1),
                     "bystander_answers": bystander.answers, "bystander_failures": bystander.failures[:5],
                     "bystander_worst_s": round(bystander.worst, 2)}
    print(f"  {name}: {results[name]}", flush=True)


def attacks(url: str, port: int, quick: bool) -> dict:
    n = 10 if quick else 1  # --quick: a tenth of each attack, to try the script
    results: dict = {}
    attack("slow_loris_200_heads", url, lambda: dict(zip(("closed", "last_closed_s"), hostile.slow_loris(
        port, connections=200 // n, seconds=40, byte_every=1.0), strict=True)), results)
    attack("open_and_drop_5000", url, lambda: {"opened": hostile.open_and_drop(port, 5000 // n)}, results)

    def held() -> dict:
        socks, refused = hostile.hold_open(port, 500 // n)
        time.sleep(12)
        closed = sum(1 for s in socks if hostile.closed_by_server(s))
        for s in socks:
            s.close()
        return {"opened": 500 // n, "refused_at_once": refused, "closed_after_12s": closed}

    attack("hold_open_500", url, held, results)

    def slow() -> dict:
        got = hostile.slow_reader(port, TOKEN, seconds=60 // n, byte_every=1.0)
        return {"bytes_read": len(got), "status_line": got.split(b"\r\n", 1)[0].decode("latin-1")}

    attack("stream_read_1_byte_per_s_60s", url, slow, results)
    return results


def soak(url: str, port: int, pid: int, seconds: float, tally: hostile.Tally) -> list[tuple[float, int]]:
    """Mixed requests from three threads for `seconds`; the server's RSS every 10 s."""
    stop = threading.Event()
    lock = threading.Lock()
    auth = {"Authorization": f"Bearer {TOKEN}"}

    def chats() -> None:
        with httpx.Client(timeout=300) as client:
            i = 0
            while not stop.is_set():
                body = {"model": ["edgeapp-local", "edgeapp-auto"][i % 2], "stream": i % 3 == 0, "max_tokens": 8,
                        "messages": [{"role": "user", "content": f"Question {i}: name a fruit."}]}
                with lock:
                    local = hostile.Tally()
                hostile.send(client, url, hostile.encoded(body), TOKEN, local)
                with lock:
                    merge(tally, local)
                i += 1

    def reads() -> None:
        with httpx.Client(timeout=60, headers=auth) as client:
            while not stop.is_set():
                for path in ("/v1/models", "/edgeapp/status", "/edgeapp/conversations", "/", "/app.js"):
                    r = client.get(url + path)
                    with lock:
                        tally.add(r.status_code)
                        if r.status_code >= 500:
                            tally.server_errors.append(f"{r.status_code} for GET {path}")
                stop.wait(0.2)

    def refusals() -> None:
        bodies = [b"{", b"[]", hostile.deep(5000), b'{"model":"nope","messages":[]}', b"x" * 2_000_000]
        with httpx.Client(timeout=60) as client:
            i = 0
            while not stop.is_set():
                local = hostile.Tally()
                hostile.send(client, url, bodies[i % len(bodies)], TOKEN if i % 7 else "wrong-token-xxxxxxxx", local)
                if i % 50 == 0:
                    hostile.open_and_drop(port, 200)
                with lock:
                    merge(tally, local)
                i += 1
                stop.wait(0.1)

    threads = [threading.Thread(target=f, daemon=True) for f in (chats, reads, refusals)]
    for t in threads:
        t.start()
    samples = []
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        samples.append((round(time.monotonic() - started, 1), rss_kib(pid)))
        print(f"  soak t={samples[-1][0]:.0f}s rss={samples[-1][1] / 1024:.1f} MiB cases={tally.cases}", flush=True)
        time.sleep(10)
    samples.append((round(time.monotonic() - started, 1), rss_kib(pid)))
    stop.set()
    for t in threads:
        t.join(300)
    return samples


def merge(into: hostile.Tally, part: hostile.Tally) -> None:
    into.cases += part.cases
    for status, n in part.by_status.items():
        into.by_status[status] = into.by_status.get(status, 0) + n
    into.server_errors += part.server_errors
    into.answered_turns |= part.answered_turns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz-cases", type=int, default=3000)
    parser.add_argument("--fuzz-seconds", type=float, default=420)
    parser.add_argument("--refusal-cases", type=int, default=5000)
    parser.add_argument("--soak-seconds", type=float, default=600)
    parser.add_argument("--phases", default="fuzz,attacks,soak", help="which of fuzz,attacks,soak to run")
    parser.add_argument("--quick", action="store_true", help="a tenth of each attack (to try the script)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "hostile.json")
    args = parser.parse_args()
    port = hostile_port()
    proc = start_server(port)
    url = f"http://127.0.0.1:{port}"
    report: dict = {"machine": os.uname().machine, "cpus": os.cpu_count()}
    try:
        fuzz_tally = hostile.Tally()
        errors = 0
        # all kinds of bodies (about half are answerable: each runs a turn), then refusals only (fast)
        for name, bodies, cases, seconds in (
            ("fuzz", hostile.chat_bodies(oversized=1_200_000), args.fuzz_cases, args.fuzz_seconds),
            ("fuzz_refusals", hostile.refused_bodies(), args.refusal_cases, args.fuzz_seconds),
        ):
            if "fuzz" not in args.phases:
                break
            print(f"{name}…", flush=True)
            tally = hostile.Tally()
            took = fuzz(url, cases, seconds, tally, bodies)
            report[name] = {"cases": tally.cases, "seconds": round(took, 1), "by_status": tally.by_status,
                            "server_errors": tally.server_errors[:20], "answered_turns": len(tally.answered_turns)}
            errors += len(tally.server_errors)
            merge(fuzz_tally, tally)
            print(f"  {report[name]}", flush=True)
        if "attacks" in args.phases:
            print("attacks…", flush=True)
            report["attacks"] = attacks(url, port, args.quick)
        soak_tally = hostile.Tally()
        samples = [(0.0, rss_kib(proc.pid))]
        if "soak" in args.phases:
            print("soak…", flush=True)
            samples = soak(url, port, proc.pid, args.soak_seconds, soak_tally)
        errors += len(soak_tally.server_errors)
        first_minute = [kib for t, kib in samples if t >= 60][:1] or [samples[0][1]]
        report["soak"] = {
            "seconds": args.soak_seconds, "cases": soak_tally.cases, "by_status": soak_tally.by_status,
            "server_errors": soak_tally.server_errors[:20], "answered_turns": len(soak_tally.answered_turns),
            "rss_mib": [[t, round(kib / 1024, 1)] for t, kib in samples],
            "rss_growth_after_first_minute_mib": round((samples[-1][1] - first_minute[0]) / 1024, 1),
        }
        answered = fuzz_tally.answered_turns | soak_tally.answered_turns
    finally:
        proc.terminate()
        proc.wait(60)
    from edgeapp.ledger import Ledger

    with Ledger() as ledger:
        recorded = {row["id"] for row in ledger.rows("turns")}
    report["ledger"] = {"turns_reported": len(answered), "turns_in_ledger": len(recorded),
                        "lost_rows": len(answered - recorded)}
    report["server_errors_total"] = errors
    args.json.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: report[k] for k in ("ledger", "server_errors_total")}), flush=True)
    print(f"wrote {args.json}")


def hostile_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    main()
