"""The Models panel in the real window (offscreen): the list with fit labels and the model in use,
Download from a loopback server with the progress bar, Cancel keeping the partial, Remove, and Use
switching the running assistant's model from the next turn, conversation kept."""

from __future__ import annotations

import shutil

import pytest

from edgeapp import config
from edgeapp.models import catalog as catalog_mod
from edgeapp.models import downloads, models_dir

from ..test_downloads import (
    ModelServer,
    catalog_entry,
    gguf_bytes,
    no_proxies,  # noqa: F401 - its autouse fixture applies here too
    write_catalog,
)
from .conftest import ask


@pytest.fixture
def served():
    server = ModelServer(gguf_bytes(n_floats=1_000_000))  # 4 MB
    yield server
    server.close()


def make_panel(qtbot):
    from edgeapp.gui.models_panel import ModelsPanel

    panel = ModelsPanel()
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: bool(panel.rows), timeout=30000)
    return panel


def row_texts(panel, name: str) -> list[str]:
    panel.select(name)
    row = panel.table.currentRow()
    return [panel.table.item(row, c).text() for c in range(panel.table.columnCount())]


def test_download_with_progress_then_remove(qtbot, served, tmp_path, monkeypatch):
    write_catalog(tmp_path, monkeypatch, catalog_entry("tiny-test", served.url, served.content))
    panel = make_panel(qtbot)
    texts = row_texts(panel, "smollm2-135m-instruct")
    assert texts[4] == "in use" and texts[3] in ("fits", "may be slow", "won't fit")
    assert sum(r.recommended for r in panel.rows) == 1
    panel.select("tiny-test")
    assert panel.download_button.isEnabled() and not panel.use_button.isEnabled()
    served.pace = 0.02
    values: list[int] = []
    panel.progress.valueChanged.connect(values.append)
    with qtbot.waitSignal(panel.download_finished, timeout=60000) as done:
        panel.download_button.click()
        assert panel.cancel_button.isEnabled() and not panel.download_button.isEnabled()
    assert not isinstance(done.args[0], BaseException), done.args[0]
    assert values and max(values) == 1000 and "trusted" in panel.status.text()
    qtbot.waitUntil(lambda: row_texts(panel, "tiny-test")[4] == "downloaded", timeout=30000)
    assert (models_dir() / "tiny.gguf").read_bytes() == served.content
    panel.select("tiny-test")
    assert panel.remove_button.isEnabled()
    panel.confirm = lambda text: True
    panel.remove_button.click()
    qtbot.waitUntil(lambda: not (models_dir() / "tiny.gguf").exists(), timeout=30000)
    qtbot.waitUntil(lambda: "Removed tiny.gguf" in panel.status.text(), timeout=30000)


def test_cancel_keeps_the_partial_and_download_resumes(qtbot, served, tmp_path, monkeypatch):
    write_catalog(tmp_path, monkeypatch, catalog_entry("tiny-test", served.url, served.content))
    panel = make_panel(qtbot)
    panel.select("tiny-test")
    served.pace = 0.2  # 16 slow chunks: time to press Cancel
    with qtbot.waitSignal(panel.download_finished, timeout=60000) as done:
        panel.download_button.click()
        qtbot.waitUntil(lambda: panel.progress.value() > 0, timeout=30000)
        panel.cancel_button.click()
    assert isinstance(done.args[0], downloads.DownloadCancelled)
    assert "cancelled" in panel.status.text()
    assert not (models_dir() / "tiny.gguf").exists()
    assert (models_dir() / ".partial" / "tiny.gguf.part").stat().st_size > 0
    served.pace = 0.0
    qtbot.waitUntil(lambda: panel.download_button.isEnabled(), timeout=30000)
    panel.select("tiny-test")
    with qtbot.waitSignal(panel.download_finished, timeout=60000):
        panel.download_button.click()
    assert served.log[-1]["status"] == 206 and (models_dir() / "tiny.gguf").read_bytes() == served.content


def test_use_switches_the_running_window_from_the_next_turn(qtbot, open_window, default_model, gatekeeper,
                                                            tmp_path, monkeypatch):
    from edgeapp.assistant import Assistant

    sha = catalog_mod.file_sha256(default_model)
    write_catalog(tmp_path, monkeypatch, catalog_entry("smol-copy", "https://example.org/smol.gguf",
                                                       default_model.read_bytes()[:10], sha256=sha,
                                                       file="smol-copy.gguf").replace("size = 10", "size = 98362432"))
    copy = models_dir() / "smol-copy.gguf"
    shutil.copy(default_model, copy)
    settings = config.load()
    settings.set("local.max_tokens", 16)
    settings.set("local.n_ctx", 1024)
    settings.save()
    window = open_window(assistant=Assistant(settings, gatekeeper=gatekeeper))  # owns its model
    first = ask(qtbot, window, "Say hello.", mode="local")
    assert window.assistant.local.path == default_model and first.route == "local"
    panel = window.panels.mount_models()
    qtbot.waitUntil(lambda: bool(panel.rows), timeout=30000)
    panel.select("smol-copy")
    assert panel.use_button.isEnabled()
    with qtbot.waitSignal(panel.model_switched, timeout=120000):
        panel.use_button.click()
    assert "smol-copy.gguf" in window.loading.label.text()
    assert config.load()["local.model_path"] == str(copy)
    second = ask(qtbot, window, "And again.", mode="local")
    assert second.route == "local" and window.assistant.local.path == copy  # switched, no restart
    assert sum(m["role"] == "user" for m in window.conversation.messages) == 2  # same conversation
    qtbot.waitUntil(lambda: row_texts(panel, "smol-copy")[4] == "in use", timeout=30000)
