"""Is the local engine (llama.cpp as built here) safe to run? Two checks, both cheap after the first time.

- **AMX tile code** (`amx_tile_findings`): llama.cpp's Intel AMX path (`ldtilecfg` in
  `ggml_backend_amx_mul_mat`) dies with a general protection fault on AMX CPUs in VMs and on some
  Xeons (ggml-org/llama.cpp#20824). edgeapp builds llama.cpp without it; this reads the CPU
  libraries `llama_cpp` loads and says whether tile instructions are in them, on any machine,
  AMX or not, so a build that regressed cannot hide on a developer's machine without AMX.
- **Crash guard** (`ensure_engine_runs`): the first time a model file is used with a given
  llama.cpp build, a child process loads it and writes a few tokens. If the child dies by a signal,
  fails or hangs, the app does not crash: a `EngineCrash` says in one sentence what failed and what
  to do. The verdict is cached, keyed by the build and the model file's sha256, so later starts pay
  nothing and a changed build or file is checked again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import paths
from ..errors import Action, ModelError

# AMX instructions as objdump names them, and the bytes of the one every AMX kernel starts with:
# ldtilecfg m512 = VEX.128.NP.0F38.W0 49 /0 (C4 E2 78 49, ModRM reg field 0, a memory operand).
TILE_MNEMONICS = (
    "ldtilecfg",
    "sttilecfg",
    "tileloadd",
    "tileloaddt1",
    "tilestored",
    "tilerelease",
    "tilezero",
    "tdpbssd",
    "tdpbsud",
    "tdpbusd",
    "tdpbuud",
    "tdpbf16ps",
    "tdpfp16ps",
)
_TILE_RE = re.compile(r"\t(" + "|".join(TILE_MNEMONICS) + r")\b")
_LDTILECFG_BYTES = re.compile(rb"\xc4\xe2\x78\x49[\x00-\x07\x40-\x47\x80-\x87]", re.DOTALL)

TRIAL_MODULE = "edgeapp.models.engine_trial"  # the child process a trial runs
REBUILD_COMMAND = (
    'CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" '
    ".venv/bin/pip install --force-reinstall --no-cache-dir --no-deps llama-cpp-python"
)


class EngineCrash(ModelError):
    """llama.cpp died, failed or hung in the trial run of a model with this build."""

    action = Action("Rebuild the engine", command=REBUILD_COMMAND)


# -- what is built ------------------------------------------------------------------------------
def engine_libraries() -> list[Path]:
    """The llama.cpp / ggml shared libraries that `llama_cpp` loads (found without importing it)."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return []
    lib_dir = Path(next(iter(spec.submodule_search_locations))) / "lib"
    if not lib_dir.is_dir():
        return []
    return sorted(
        p
        for p in lib_dir.iterdir()
        if p.is_file() and re.search(r"(llama|ggml)[\w.-]*\.(so|dylib|dll)(\.\d+)*$", p.name)
    )


def cpu_libraries() -> list[Path]:
    """The ggml CPU backend libraries (`libggml-cpu*.so` and variants): where AMX code would be."""
    return [p for p in engine_libraries() if "ggml-cpu" in p.name or "ggml-amx" in p.name]


def amx_tile_findings(library: Path) -> list[str]:
    """AMX tile instructions in `library`: objdump's disassembly when binutils is here (exact),
    else a scan of the file's bytes for the encoding of `ldtilecfg` (every AMX kernel needs it)."""
    objdump = shutil.which("objdump")
    if objdump:
        proc = subprocess.run(
            [objdump, "-d", "--no-show-raw-insn", str(library)],
            capture_output=True,
            text=True,
            errors="replace",
        )
        if proc.returncode == 0:
            found = sorted({m.group(1) for m in _TILE_RE.finditer(proc.stdout)})
            return found
    data = library.read_bytes()
    return ["ldtilecfg (bytes)"] if _LDTILECFG_BYTES.search(data) else []


def build_fingerprint() -> str:
    """Identifies this llama.cpp build: the package version and the libraries' sizes and hashes of
    their first megabyte (a rebuild with other flags changes them)."""
    digest = hashlib.sha256()
    try:
        from importlib.metadata import version

        digest.update(version("llama-cpp-python").encode())
    except Exception:  # noqa: BLE001 - not installed as a distribution
        pass
    for lib in engine_libraries():
        digest.update(lib.name.encode())
        digest.update(str(lib.stat().st_size).encode())
        with open(lib, "rb") as fh:
            digest.update(fh.read(1 << 20))
    return digest.hexdigest()[:16]


# -- the crash guard ------------------------------------------------------------------------------
@dataclass
class Verdict:
    ok: bool
    what: str  # "ok", "signal SIGSEGV", "exit status 1", "no answer after 120 s"
    detail: str = ""  # the child's last words (stderr tail)
    checked_at: float = 0.0
    seconds: float = 0.0


def _verdict_file() -> Path:
    # EDGEAPP_ENGINE_CACHE lets a test session share verdicts between tests that each have their own
    # EDGEAPP_HOME; otherwise the verdicts live in the user's cache dir.
    override = os.environ.get("EDGEAPP_ENGINE_CACHE")
    folder = Path(override) if override else paths.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "engine-checks.json"


def _model_hash(model: Path) -> str:
    from .catalog import file_sha256

    return file_sha256(model)


def verdict_key(model: Path, n_gpu_layers: int) -> str:
    gpu = "gpu" if n_gpu_layers != 0 else "cpu"
    return f"{build_fingerprint()}:{_model_hash(model)}:{gpu}"


def _read_verdicts() -> dict:
    try:
        return json.loads(_verdict_file().read_text())
    except (OSError, ValueError):
        return {}


def cached_verdict(model: Path, n_gpu_layers: int = -1) -> Verdict | None:
    row = _read_verdicts().get(verdict_key(model, n_gpu_layers))
    return Verdict(**row) if row else None


def _save_verdict(key: str, verdict: Verdict) -> None:
    rows = _read_verdicts()
    rows[key] = asdict(verdict)
    target = _verdict_file()
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(rows, indent=1))
    os.replace(tmp, target)


def trial_timeout(model: Path) -> float:
    """Seconds the trial may take: loading is the slow part, about a second per 100 MB on a slow
    disk, with a generous floor."""
    return 60.0 + model.stat().st_size / 100e6


def trial_run(
    model: Path, n_gpu_layers: int = -1, *, timeout: float | None = None, command: list[str] | None = None
) -> Verdict:
    """Load `model` and write a few tokens in a child process; report how it ended."""
    cmd = command or [sys.executable, "-m", TRIAL_MODULE, str(model), str(n_gpu_layers)]
    timeout = timeout if timeout is not None else trial_timeout(model)
    started = time.time()
    env = dict(os.environ, PYTHONFAULTHANDLER="1")
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        tail = exc.stderr or b""
        tail = tail.decode(errors="replace") if isinstance(tail, bytes) else tail
        return Verdict(False, f"no answer after {timeout:.0f} s", tail[-800:], started, time.time() - started)
    seconds = time.time() - started
    if proc.returncode == 0:
        return Verdict(True, "ok", "", started, seconds)
    if proc.returncode < 0:
        try:
            name = signal.Signals(-proc.returncode).name
        except ValueError:
            name = f"signal {-proc.returncode}"
        return Verdict(False, f"signal {name}", proc.stderr[-800:], started, seconds)
    return Verdict(False, f"exit status {proc.returncode}", proc.stderr[-800:], started, seconds)


def explain(model: Path, verdict: Verdict, n_gpu_layers: int) -> str:
    """One sentence: what failed and what to do."""
    if _file_problem(verdict):
        last = verdict.detail.strip().splitlines()[-1]
        return last.split("ModelError: ", 1)[-1]
    gpu_hint = (
        "; if it runs on a GPU, try `edgeapp config set local.n_gpu_layers 0` first"
        if n_gpu_layers != 0 and gpu_offload_supported()
        else ""
    )
    return (
        f"The local engine (llama.cpp) crashed ({verdict.what}) in a trial run of {model.name}, so edgeapp "
        f"did not load it: rebuild llama.cpp for this CPU (the command is below){gpu_hint}, or, if the "
        "file may be damaged, download it again (`edgeapp doctor` shows the details)."
    )


def ensure_engine_runs(model: Path, n_gpu_layers: int = -1, *, recheck: bool = False) -> Verdict:
    """Raise EngineCrash unless this build has run `model` (now or before). Cached per build and file."""
    if os.environ.get("EDGEAPP_IN_ENGINE_TRIAL"):
        return Verdict(True, "ok (inside the trial)")
    key = verdict_key(model, n_gpu_layers)
    row = None if recheck else _read_verdicts().get(key)
    verdict = Verdict(**row) if row else None
    if verdict is None:
        verdict = trial_run(model, n_gpu_layers)
        _save_verdict(key, verdict)
    if not verdict.ok:
        if _file_problem(verdict):  # llama.cpp refused the file cleanly: the file, not the engine
            raise ModelError(explain(model, verdict, n_gpu_layers))
        raise EngineCrash(explain(model, verdict, n_gpu_layers))
    return verdict


def _file_problem(verdict: Verdict) -> bool:
    return verdict.what.startswith("exit status") and "ModelError" in verdict.detail


def gpu_offload_supported() -> bool:
    try:
        import llama_cpp

        return bool(llama_cpp.llama_supports_gpu_offload())
    except Exception:  # noqa: BLE001 - a broken build: doctor reports it elsewhere
        return False
