"""Tokens/s of edgeapp's llama.cpp build (native minus AMX) against a plain GGML_NATIVE build.

Both builds of the same llama-cpp-python version run the same model, prompt, thread count and token
budget, each in its own child process (two builds cannot share one process), rounds interleaved
(A, B, A, B, ...) so machine noise hits both alike. The GGML_NATIVE wheel is built once into
~/.cache/edgeapp/engine-wheels/native-* (minutes) and installed into a side virtual environment that
borrows every other package from .venv.

    .venv/bin/python benchmarks/bench_engine_build.py [--rounds 8] [--tokens 128]

On a CPU without AMX the two builds should be the same code (the ratio is noise around 1.0); on an
AMX CPU in a VM the native build crashes, which the benchmark reports instead of a speed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import sysconfig
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edgeapp.diagnostics import cpu_features  # noqa: E402
from edgeapp.models import engine_check  # noqa: E402
from edgeapp.models.catalog import default_model_path  # noqa: E402
from edgeapp.models.local_model import available_cores  # noqa: E402

CHILD = r"""
import json, sys, time
import llama_cpp
model, tokens, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
llm = llama_cpp.Llama(model, n_ctx=1024, n_threads=threads, verbose=False, seed=1)
prompt = "Write a detailed story about a lighthouse keeper who finds a message in a bottle."
out = []
for _ in range(int(sys.argv[4])):
    llm.reset()
    started = time.perf_counter(); n = 0
    for chunk in llm.create_completion(prompt, max_tokens=tokens, temperature=0.0, stream=True):
        n += 1
    out.append(n / (time.perf_counter() - started))
print(json.dumps({"lib": llama_cpp.__file__, "tokens_per_s": out}))
"""


def native_env(python: str) -> Path:
    """A side venv whose llama_cpp is a GGML_NATIVE=ON build (everything else borrowed from .venv)."""
    ver = version("llama-cpp-python")
    flags = next((ln for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("flags")), "")
    key = hashlib.sha256(f"{ver} native {platform.machine()} {flags}".encode()).hexdigest()[:16]
    wheels = Path.home() / ".cache" / "edgeapp" / "engine-wheels" / f"native-{key}"
    if not list(wheels.glob("llama_cpp_python-*.whl")):
        print(f"building llama-cpp-python {ver} with -DGGML_NATIVE=ON (once; minutes) ...", flush=True)
        subprocess.run([python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-cache-dir", "-w", str(wheels),
                        f"llama-cpp-python=={ver}"], check=True, env=dict(os.environ, CMAKE_ARGS="-DGGML_NATIVE=ON"))
    venv = Path.home() / ".cache" / "edgeapp" / "bench-native-venv"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([python, "-m", "pip", "--python", str(py), "install", "--quiet", "--no-deps", "--force-reinstall",
                    str(next(wheels.glob("llama_cpp_python-*.whl")))], check=True)
    Path(site, "zz_borrow.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return py


def run(python: str, model: Path, tokens: int, threads: int, reps: int) -> dict:
    proc = subprocess.run([python, "-c", CHILD, str(model), str(tokens), str(threads), str(reps)],
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        return {"error": f"exit {proc.returncode}", "stderr": proc.stderr[-400:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--reps", type=int, default=2, help="generations per child process per round")
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "engine_build.txt"))
    args = ap.parse_args()
    model = default_model_path()
    threads = available_cores()
    native = str(native_env(sys.executable))
    ours_libs = engine_check.cpu_libraries()
    ours_amx = {p.name: engine_check.amx_tile_findings(p) for p in ours_libs}
    ours, theirs, ratios = [], [], []
    for i in range(args.rounds):
        pair = {}
        for name, py in (("edgeapp", sys.executable), ("native", native))[:: 1 if i % 2 == 0 else -1]:
            pair[name] = run(py, model, args.tokens, threads, args.reps)
        if "error" in pair["native"] or "error" in pair["edgeapp"]:
            print("round", i, pair)
            continue
        a, b = statistics.median(pair["edgeapp"]["tokens_per_s"]), statistics.median(pair["native"]["tokens_per_s"])
        ours.append(a)
        theirs.append(b)
        ratios.append(a / b)
        print(f"round {i}: edgeapp {a:.1f} tok/s, native {b:.1f} tok/s, ratio {a / b:.3f}", flush=True)
    native_lib = Path(run(native, model, 4, threads, 1).get("lib", "?")).parent / "lib"
    native_amx = {p.name: engine_check.amx_tile_findings(p) for p in native_lib.glob("libggml-cpu*")}
    lines = [
        f"engine build benchmark: {model.name}, {threads} threads, {args.tokens} tokens, {args.rounds} rounds x "
        f"{args.reps} generations, interleaved child processes",
        f"CPU features: {' '.join(cpu_features())}",
        f"edgeapp build (GGML_NATIVE + -mno-amx-*) AMX tile code: {ours_amx}",
        f"plain GGML_NATIVE build AMX tile code: {native_amx}",
    ]
    if ratios:
        lines += [
            f"edgeapp build tokens/s median {statistics.median(ours):.1f} (min {min(ours):.1f}, max {max(ours):.1f})",
            f"GGML_NATIVE build tokens/s median {statistics.median(theirs):.1f} "
            f"(min {min(theirs):.1f}, max {max(theirs):.1f})",
            f"ratio edgeapp / native: median of per-round ratios {statistics.median(ratios):.3f} "
            f"(min {min(ratios):.3f}, max {max(ratios):.3f})",
        ]
    else:
        lines.append("no round completed on both builds (see the errors above: the native build may crash here)")
    text = "\n".join(lines)
    print(text)
    Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
