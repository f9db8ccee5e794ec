"""The first run's card in the real window: with the embedded model in use it recommends, once, the
catalog model that fits this machine (here one served by a loopback file server: the embedded
model's own GGUF under another name); one click downloads it (sha256-verified), switches the
running window to it, and the next answer comes from it. "Not now" is remembered."""

from __future__ import annotations

import pytest

from edgeapp import config
from edgeapp.models import catalog as catalog_mod
from edgeapp.models import find, hardware, models_dir

from ...test_downloads import ModelServer, catalog_entry, no_proxies, write_catalog  # noqa: F401
from ..conftest import ask

TITLE = "Loopback SmolLM2"


@pytest.fixture
def loopback_model(default_model, tmp_path, monkeypatch):
    """A catalog whose best model for this machine is served on 127.0.0.1."""
    content = default_model.read_bytes()
    server = ModelServer(content)
    entry = catalog_entry(
        "smol-loopback", server.url, content, sha256=catalog_mod.file_sha256(default_model), file="smol-loopback.gguf"
    )
    write_catalog(tmp_path, monkeypatch, entry.replace("params = 0.001", "params = 1.0")
                  .replace('title = "Tiny test model"', f'title = "{TITLE}"'))
    yield server
    server.close()


def own_assistant(gatekeeper):
    """An assistant that owns its model (a switch loads the new file), following config.toml."""
    from edgeapp.assistant import Assistant

    settings = config.load()
    settings.set("local.max_tokens", 16)
    settings.set("local.n_ctx", 1024)
    settings.set("router.mode", "local")
    settings.save()
    return Assistant(settings, gatekeeper=gatekeeper)


def test_recommends_once_then_one_click_downloads_and_switches(open_window, qtbot, gatekeeper, loopback_model):
    from edgeapp.gui.model_suggestion import SuggestionCard

    window = open_window(assistant=own_assistant(gatekeeper))
    card = window.suggestion
    qtbot.waitUntil(card.isVisible, timeout=30000)
    assert len(window.findChildren(SuggestionCard)) == 1
    entry = find("smol-loopback")
    assert window.first_run.suggestion.entry == entry
    assert hardware.fit(entry, hardware.detect()).label == hardware.FITS  # it fits this machine
    assert "trying edgeapp out" in card.headline.text()
    details = card.details.text()
    assert TITLE in details and "98 MB" in details and "Mbit/s" in details and "MIT licence" in details
    assert card.accept_button.text() == "Download and use it"
    before = ask(qtbot, window, "Say hello.")
    assert before.route == "local" and window.assistant.local.name == "SmolLM2 135M Instruct (embedded)"
    with qtbot.waitSignal(window.first_run.finished, timeout=180000) as done:
        card.accept_button.click()
        assert card.cancel_button.isVisible() and not card.accept_button.isVisible()
    path = done.args[0]
    assert not isinstance(path, BaseException), path
    assert path == models_dir() / "smol-loopback.gguf" and path.read_bytes() == loopback_model.content
    assert [row["status"] for row in loopback_model.log] == [200]
    assert config.load()["local.model_path"] == str(path)
    assert f"Switched to {TITLE}" in card.status.text() and TITLE in window.loading.label.text()
    after = ask(qtbot, window, "And again.")
    assert after.route == "local" and window.assistant.local.path == path  # switched, no restart
    assert window.assistant.local.name == TITLE
    window.close()
    again = open_window(assistant=own_assistant(gatekeeper))
    qtbot.wait(500)
    assert not again.suggestion.isVisible()  # done once, not offered again


def test_not_now_is_remembered(open_window, qtbot, gatekeeper, loopback_model):
    window = open_window(router__mode="local")
    qtbot.waitUntil(lambda: window.first_run.decided, timeout=30000)
    assert window.first_run.suggestion is not None and window.suggestion.isVisible()
    window.suggestion.close_button.click()
    assert not window.suggestion.isVisible()
    window.close()
    again = open_window(router__mode="local")
    with qtbot.assertNotEmitted(again.first_run.suggested, wait=1000):
        again.first_run.check(True)
    assert not again.suggestion.isVisible() and loopback_model.log == []


def test_nothing_is_suggested_once_another_model_is_chosen(open_window, qtbot, default_model, tmp_path):
    copy = tmp_path / "chosen.gguf"
    copy.symlink_to(default_model)
    window = open_window(router__mode="local", local__model_path=str(copy))
    qtbot.waitUntil(lambda: window.first_run.decided, timeout=30000)
    assert window.first_run.suggestion is None and not window.suggestion.isVisible()
