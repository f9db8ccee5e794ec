"""The engine runs on every machine it installs on: no AMX tile code in the build, a crash guard, doctor."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from edgeapp.cli.main import main
from edgeapp.models import engine_check

LDTILECFG = bytes.fromhex("c4e2784900")  # ldtilecfg (%rax)


# -- no AMX tile code ---------------------------------------------------------------------------
def test_built_cpu_library_holds_no_amx_tile_code():
    """Fails on any machine (AMX or not) whose llama.cpp build carries the AMX kernels."""
    libs = engine_check.cpu_libraries()
    assert libs, f"no ggml CPU library found among {engine_check.engine_libraries()}"
    findings = {lib.name: engine_check.amx_tile_findings(lib) for lib in libs}
    assert not any(findings.values()), (
        f"AMX tile code in the llama.cpp build: {findings}. It crashes on AMX CPUs in VMs; build without it "
        "(see the Makefile's ENGINE_CMAKE_ARGS).")


def _amx_library(tmp_path: Path) -> Path:
    """A shared library with the instructions llama.cpp's AMX kernels start with, compiled here
    (compiling needs no AMX CPU)."""
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None or engine_check.engine_libraries()[0].suffix == ".dylib":  # pragma: no cover
        pytest.skip("no C compiler for x86-64 here")
    src = tmp_path / "tile.c"
    src.write_text(textwrap.dedent("""
        void configure(const void *cfg) {
            __asm__ volatile ("ldtilecfg (%0)" :: "r"(cfg));
            __asm__ volatile ("tilerelease");
        }
    """))
    lib = tmp_path / "libggml-cpu-tile.so"
    proc = subprocess.run([cc, "-shared", "-fPIC", "-O1", str(src), "-o", str(lib)], capture_output=True, text=True)
    if proc.returncode != 0:  # pragma: no cover - an assembler too old for AMX
        pytest.skip(f"the assembler here does not know AMX: {proc.stderr[-200:]}")
    return lib


def test_detector_finds_tile_code_in_a_library(tmp_path):
    lib = _amx_library(tmp_path)
    assert {"ldtilecfg", "tilerelease"} <= set(engine_check.amx_tile_findings(lib))


def test_detector_without_objdump_reads_the_bytes(tmp_path, monkeypatch):
    lib = _amx_library(tmp_path)
    monkeypatch.setattr(engine_check.shutil, "which", lambda name: None)
    assert engine_check.amx_tile_findings(lib) == ["ldtilecfg (bytes)"]
    blob = tmp_path / "blob.so"
    blob.write_bytes(b"\x90" * 100 + LDTILECFG + b"\x90" * 100)
    assert engine_check.amx_tile_findings(blob) == ["ldtilecfg (bytes)"]
    clean = tmp_path / "clean.so"
    clean.write_bytes(b"\x90" * 100 + bytes.fromhex("c4e27849c8") + b"\x90" * 100)  # register form: not ldtilecfg
    assert engine_check.amx_tile_findings(clean) == []


# -- the crash guard --------------------------------------------------------------------------
SEGFAULT = [sys.executable, "-c", "import ctypes; ctypes.string_at(0)"]


def test_trial_child_that_dies_by_a_signal_is_reported(default_model):
    verdict = engine_check.trial_run(default_model, command=SEGFAULT)
    assert not verdict.ok and verdict.what == "signal SIGSEGV"


def test_trial_child_that_hangs_is_reported(default_model):
    verdict = engine_check.trial_run(default_model, timeout=1.5,
                                     command=[sys.executable, "-c", "import time; time.sleep(60)"])
    assert not verdict.ok and verdict.what == "no answer after 2 s"


def _count_trials(monkeypatch, command=None) -> list:
    calls: list = []
    real = engine_check.trial_run

    def counting(model, n_gpu_layers=-1, **kw):
        calls.append(model)
        return real(model, n_gpu_layers, command=command, **kw) if command else real(model, n_gpu_layers, **kw)

    monkeypatch.setattr(engine_check, "trial_run", counting)
    return calls


def test_crash_guard_stops_before_loading_and_says_what_to_do(default_model, tmp_path, monkeypatch):
    monkeypatch.setenv("EDGEAPP_ENGINE_CACHE", str(tmp_path / "verdicts"))
    calls = _count_trials(monkeypatch, SEGFAULT)
    from edgeapp.models.local_model import LocalModel

    for _ in range(2):  # the second time the cached verdict answers: no second child
        with pytest.raises(engine_check.EngineCrash) as err:
            LocalModel(default_model)
        message = str(err.value)
        assert "crashed (signal SIGSEGV)" in message and "GGML_NATIVE=OFF" in err.value.action.as_command()
    assert len(calls) == 1


def test_crash_guard_passes_the_real_model_once_and_rechecks_a_changed_file(default_model, tmp_path, monkeypatch):
    monkeypatch.setenv("EDGEAPP_ENGINE_CACHE", str(tmp_path / "verdicts"))
    calls = _count_trials(monkeypatch)
    first = engine_check.ensure_engine_runs(default_model)
    assert first.ok and first.what == "ok" and len(calls) == 1
    engine_check.ensure_engine_runs(default_model)
    assert len(calls) == 1  # cached: later starts pay nothing
    copy = tmp_path / "changed.gguf"
    copy.write_bytes(default_model.read_bytes() + b"\0")  # another file: another hash
    engine_check.ensure_engine_runs(copy)
    assert len(calls) == 2


def test_cli_exits_1_with_one_sentence_when_the_engine_crashed(default_model, tmp_path, monkeypatch):
    monkeypatch.setenv("EDGEAPP_ENGINE_CACHE", str(tmp_path / "verdicts"))
    _count_trials(monkeypatch, SEGFAULT)
    result = CliRunner().invoke(main, ["ask", "--mode", "local", "What is 17 * 23?"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 2 and lines[0].startswith("Error: The local engine (llama.cpp) crashed"), result.stderr
    assert lines[1].strip() == f"To fix: {engine_check.REBUILD_COMMAND}"


# -- doctor -----------------------------------------------------------------------------------
def test_doctor_json_reports_every_check(default_model, tmp_path, monkeypatch):
    monkeypatch.setenv("EDGEAPP_ENGINE_CACHE", str(tmp_path / "verdicts"))
    result = CliRunner().invoke(main, ["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert set(checks) >= {"edgeapp", "cpu", "engine", "amx", "model", "folders", "database", "keyring", "spacy"}
    assert checks["engine"]["ok"] and "CPU" in checks["engine"]["details"]["system_info"]
    assert checks["amx"]["ok"], checks["amx"]
    assert checks["model"]["ok"] and "trial run" in checks["model"]["summary"]
    assert checks["spacy"]["ok"]
    assert checks["keyring"]["details"]["backend"]
    assert result.exit_code == (0 if all(c["ok"] is not False for c in checks.values()) else 1)
    again = json.loads(CliRunner().invoke(main, ["doctor", "--json"]).stdout)
    assert "checked before" in next(c for c in again if c["name"] == "model")["summary"]


def test_doctor_reports_a_damaged_database(tmp_path, monkeypatch, edgeapp_home):
    from edgeapp import paths

    paths.database_file().write_bytes(b"SQLite format 3\0" + b"\x01" * 5000)
    result = CliRunner().invoke(main, ["doctor", "--json"])
    db = next(c for c in json.loads(result.stdout) if c["name"] == "database")
    assert db["ok"] is False and "edgeapp.db" in db["summary"]
    assert result.exit_code == 1


def test_doctor_cloud_check_against_loopback(monkeypatch):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tests.servers import free_port

    class Models(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            ok = self.headers.get("Authorization") == "Bearer sk-right"
            body = json.dumps({"data": [{"id": "small"}, {"id": "big"}]} if ok else {"error": "bad key"}).encode()
            self.send_response(200 if ok else 401)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Models)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def cloud_check(url: str, model: str, key: str) -> dict:
        monkeypatch.setenv("EDGEAPP_API_KEY", key)
        CliRunner().invoke(main, ["config", "set", "cloud.base_url", url])
        CliRunner().invoke(main, ["config", "set", "cloud.model", model])
        result = CliRunner().invoke(main, ["doctor", "--json", "--cloud"])
        return next(c for c in json.loads(result.stdout) if c["name"] == "cloud")

    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        assert cloud_check(url, "big", "sk-right")["ok"] is True
        missing = cloud_check(url, "huge", "sk-right")
        assert missing["ok"] is False and "does not list the model 'huge'" in missing["summary"]
        refused = cloud_check(url, "big", "sk-wrong")
        assert refused["ok"] is False and "refused the API key" in refused["summary"]
        down = cloud_check(f"http://127.0.0.1:{free_port()}/v1", "big", "sk-right")
        assert down["ok"] is False and "does not answer" in down["summary"]
    finally:
        server.shutdown()
        server.server_close()


def test_doctor_warns_when_the_keyring_is_not_secure():
    import keyring
    from keyring.backends import fail

    from edgeapp.cloud import api_key as keys

    keyring.set_keyring(fail.Keyring())
    name, secure = keys.keyring_backend()
    assert secure is False
    result = CliRunner().invoke(main, ["doctor", "--json"])
    ring = next(c for c in json.loads(result.stdout) if c["name"] == "keyring")
    assert ring["details"]["secure"] is False and "EDGEAPP_API_KEY" in ring["summary"]
