from __future__ import annotations

import os
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from . import netguard, qtguard

netguard.install()

ROOT = Path(__file__).resolve().parent.parent


class MemoryKeyring(KeyringBackend):
    """Stands in for the OS keyring (there is no Secret Service on a headless CI box)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture(scope="session")
def engine_verdicts(tmp_path_factory) -> Path:
    """The crash guard's verdicts, shared by the session: each model file is tried in a child process
    once per test run, not once per test (every test has its own EDGEAPP_HOME)."""
    return tmp_path_factory.mktemp("engine-verdicts")


@pytest.fixture(autouse=True)
def edgeapp_home(tmp_path, monkeypatch, engine_verdicts):
    """Every test gets its own EDGEAPP_HOME and an in-memory keyring; nothing touches the real ones."""
    home = tmp_path / "edgeapp-home"
    monkeypatch.setenv("EDGEAPP_HOME", str(home))
    monkeypatch.setenv("EDGEAPP_ENGINE_CACHE", str(engine_verdicts))
    for var in ("EDGEAPP_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield home


@pytest.fixture(autouse=True)
def no_network_beyond_loopback():
    before = len(netguard.violations)
    yield
    new = netguard.violations[before:]
    assert not new, f"a test reached beyond loopback: {new}"


@pytest.fixture(autouse=True)
def qt_objects_die_on_their_thread(request):
    """A test fails when a QObject is destroyed off the thread that owns it, or Qt warns about an
    object used from another thread (tests/qtguard.py); set up before and torn down after qtbot."""
    qtguard.install()
    capture = getattr(request.node, "qt_log_capture", None)  # pytest-qt's messages of setup and call
    yield
    problems = qtguard.found(capture)
    assert not problems, "Qt's thread rule broken:\n" + "\n\n".join(problems)


@pytest.fixture(scope="session")
def default_model() -> Path:
    from edgeapp.models.catalog import default_model_path

    return default_model_path()


@pytest.fixture(scope="session")
def local_model(default_model):
    """One shared LocalModel (one owner thread) for the whole run: loading costs ~0.3 s but
    sharing keeps the test run short and exercises the owner-thread queue."""
    from edgeapp.models.local_model import LocalModel

    model = LocalModel(default_model, n_ctx=2048)
    yield model
    model.close()


@pytest.fixture(scope="session")
def cloud_server(default_model, tmp_path_factory):
    """A real OpenAI-compatible server (llama_cpp.server) on 127.0.0.1, the stand-in cloud."""
    from .servers import start_llama_server

    log = tmp_path_factory.mktemp("cloud") / "server.log"
    proc, url = start_llama_server(default_model, log=log)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except Exception:  # noqa: BLE001
        proc.kill()


@pytest.fixture
def recording_cloud(cloud_server):
    from .servers import RecordingProxy

    proxy = RecordingProxy(cloud_server.rsplit("/v1", 1)[0])
    url = proxy.start()
    yield proxy, url
    proxy.stop()


@pytest.fixture(scope="session")
def gatekeeper():
    from edgeapp.gatekeeper import Gatekeeper

    return Gatekeeper()


def pytest_configure(config):
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def pytest_sessionfinish(session, exitstatus):
    late = qtguard.pending()  # destroyed after the last test's check
    qtguard.uninstall()  # before the interpreter shuts down: Qt must not call into a finished Python
    if late:
        sys.stderr.write("Qt's thread rule broken after the last test:\n" + "\n\n".join(late) + "\n")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
