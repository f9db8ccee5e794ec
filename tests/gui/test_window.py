"""The window, driven like a user would: real model, real gatekeeper, real SQLite, real HTTP."""

from __future__ import annotations

import json
import time

import keyring
import pytest
from PySide6.QtCore import Qt

from edgeapp import config, wording
from edgeapp.errors import ConfigError
from edgeapp.ledger import Ledger

from ..servers import free_port
from .conftest import ask

PII_QUESTION = (
    "My name is John Smith, my email is john.smith@example.com. "
    "Natalia sold 48 clips in April and half as many in May. How many clips did she sell in total?"
)
PII_VALUES = ["John Smith", "john.smith@example.com"]


def test_factory_builds_without_event_loop_and_honours_home(qtbot, edgeapp_home):
    from edgeapp.gui.app import create_main_window

    window = create_main_window(load=False)  # no assistant yet: it is built on the model thread
    qtbot.addWidget(window)
    assert not window.ready and window.assistant is None
    assert window.qsettings.fileName().startswith(str(edgeapp_home))
    # typed while the model is not there yet: it waits, and nothing is lost
    window.composer.setPlainText("hello")
    assert window.composer.toPlainText() == "hello"
    window.close()

    # as `edgeapp gui` does it: the window first, the assistant built and the model loaded behind it
    settings = config.load()
    settings.set("router.mode", "local")
    settings.set("local.max_tokens", 16)
    settings.save()
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    assert not window.ready
    window.turns.send("Say hi.")  # typed while loading: it waits, then is answered
    assert window.chat.last("assistant").status.text().startswith("Waiting for the local model")
    with qtbot.waitSignal(window.turn_finished, timeout=180000) as done:
        pass
    assert window.ready and window.loading.label.text().startswith("Local model ready")
    assert done.args[0].answer and window.conversations.store is window.assistant.conversations
    window.close()


def test_local_turn_badge_reasons_and_feedback(open_window, qtbot):
    window = open_window(router__mode="local")
    result = ask(qtbot, window, "What is 2 + 2?")
    assert result.route == "local" and result.answer
    answer = window.chat.last("assistant")
    assert answer.body.toPlainText().strip()
    assert answer.badge.isVisible() and answer.badge.text().startswith(wording.badge(result))
    question = window.chat.last("user")
    assert question.text == "What is 2 + 2?" and window.composer.toPlainText() == ""
    # the reasons popup shows the core's lines
    answer.badge.click()
    popup = window.answers.reasons_popup
    assert popup.isVisible() and popup.lines == wording.reasons(result)
    popup.close()
    # thumbs up: the ledger's feedback, as `edgeapp feedback` records it
    answer.good.click()
    qtbot.waitUntil(lambda: Ledger().get_turn(result.turn_id)["feedback"] == "good", timeout=5000)
    answer.bad.click()
    qtbot.waitUntil(lambda: Ledger().get_turn(result.turn_id)["feedback"] == "bad", timeout=5000)


def test_escalation_sends_placeholders_and_shows_it(open_window, qtbot, recording_cloud):
    proxy, url = recording_cloud
    window = open_window(url, router__threshold=1.0)
    result = ask(qtbot, window, PII_QUESTION)
    assert result.route == "cloud", result.reason
    sent = json.dumps(proxy.bodies)
    for value in PII_VALUES:
        assert value not in sent
    assert "<PERSON_1>" in sent and "48" in sent
    answer = window.chat.last("assistant")
    assert answer.badge.text().startswith("cloud")
    assert wording.escalation_notice("stand-in-cloud", result.masked_entities) == answer.status.text()
    assert "masked" in answer.status.text()
    assert answer.draft  # the local draft stays visible above the cloud answer
    answer.badge.click()
    assert any("Sent to" in line for line in window.answers.reasons_popup.lines)
    window.answers.reasons_popup.close()


def test_stop_mid_answer(open_window, qtbot):
    window = open_window(router__mode="local", local__max_tokens=400)
    window.composer.setPlainText("Write a very long story about a dragon who learns to cook, in many chapters.")
    window.bar.send_button.click()
    answer = window.chat.last("assistant")
    qtbot.waitUntil(lambda: len(answer.text) > 5, timeout=60000)
    assert window.bar.stop_button.isVisible()
    started = time.monotonic()
    window.stop_action.trigger()
    qtbot.waitUntil(lambda: not window.turns.busy(), timeout=60000)
    assert time.monotonic() - started < 30  # between two tokens (seconds apart on a loaded 2-core box)
    assert answer.result is None or (answer.result.stopped and answer.result.local_completion_tokens < 400)
    assert "stopped" in (answer.badge.text() + answer.status.text()).lower()
    assert not window.bar.stop_button.isVisible()
    # moving to a new chat mid-answer stops it; the old answer's late events touch nothing
    window.turns.send("Write another very long story, about a robot gardener.")
    qtbot.waitUntil(lambda: len(window.chat.last("assistant").text) > 5, timeout=60000)
    window.conversations.new_chat()
    qtbot.waitUntil(lambda: not window.turns.busy(), timeout=60000)
    assert window.chat.messages == [] and window.conversation is None


def test_conversations_persist_search_rename_delete(open_window, qtbot):
    window = open_window(router__mode="local")
    ask(qtbot, window, "Name a colour of the sky.")
    window.conversations.new_chat()
    ask(qtbot, window, "What is the capital of France?")
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 2, timeout=5000)
    # most recent first
    assert window.sidebar.list.item(0).text().startswith("What is the capital")
    # full-text search across all history
    window.sidebar.search.setText("colour")
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 1, timeout=5000)
    assert "colour" in window.sidebar.list.item(0).text()
    window.sidebar.search.clear()
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 2, timeout=5000)
    # rename
    first = window.sidebar.list.item(1)
    cid = first.data(Qt.ItemDataRole.UserRole)
    first.setText("Sky talk")
    qtbot.waitUntil(lambda: any(window.sidebar.list.item(i).text() == "Sky talk"
                                for i in range(window.sidebar.list.count())), timeout=5000)
    # delete, undo, delete for good
    window.conversations.delete(cid)
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 1, timeout=5000)
    assert window.banner.isVisible() and window.banner.button.text() == "Undo"
    window.banner.button.click()
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 2, timeout=5000)
    window.conversations.delete(cid)
    window.conversations.commit_delete()
    qtbot.waitUntil(lambda: cid not in [c.id for c in window.conversations.store.list()], timeout=5000)
    current = window.conversation.id
    window.close()

    # a restart of the window reopens where the user left
    again = open_window(router__mode="local")
    qtbot.waitUntil(lambda: len(again.chat.messages) == 2, timeout=10000)
    assert again.conversation.id == current
    assert again.chat.messages[0].text == "What is the capital of France?"
    assert again.sidebar.list.count() == 1
    # continuing it sends its history to the model
    ask(qtbot, again, "And of Italy?")
    assert len(again.conversation.messages) == 4


def test_regenerated_answer_replaces_the_old_one_when_reopened(open_window, qtbot):
    window = open_window(router__mode="local")
    first = ask(qtbot, window, "Name a colour of the sky.")
    with qtbot.waitSignal(window.turn_finished, timeout=300000):
        window.answers.regenerate_last()
    qtbot.waitUntil(lambda: not window.turns.busy(), timeout=10000)
    qtbot.waitUntil(lambda: Ledger().get_turn(first.turn_id)["replaced_at"] is not None, timeout=5000)
    cid = window.conversation.id
    assert len(window.chat.messages) == 2
    window.conversations.new_chat()
    window.conversations.open(cid)
    qtbot.waitUntil(lambda: len(window.chat.messages) == 2, timeout=10000)
    # one question and its newest answer, with that answer's badge (not the replaced one's)
    assert [m.role for m in window.chat.messages] == ["user", "assistant"]
    assert window.chat.messages[1].turn_id() != first.turn_id
    assert window.chat.messages[1].turn_id() is not None


def test_settings_round_trip_into_config_and_keyring(open_window, qtbot, edgeapp_home):
    from edgeapp.gui.settings_dialog import SettingsDialog

    window = open_window(router__mode="local")
    window.settings.open()
    dialog: SettingsDialog = window.settings.dialog
    dialog.preset.setCurrentText("OpenRouter")
    assert dialog.base_url.text() == "https://openrouter.ai/api/v1"
    dialog.model.setText("openai/gpt-4o-mini")
    dialog.api_key.setText("sk-test-secret-123")
    dialog.fields["router.threshold"][0].setValue(0.7)
    dialog.fields["privacy.policy.email_address"][0].setCurrentIndex(1)  # block
    dialog.fields["privacy.deny_list"][0].setPlainText("Acme Corp\nPERSON: Jane Roe")
    dialog.save()
    assert not dialog.isVisible()
    saved = config.load()
    assert saved["cloud.base_url"] == "https://openrouter.ai/api/v1"
    assert saved["cloud.model"] == "openai/gpt-4o-mini"
    assert saved["router.threshold"] == 0.7
    assert saved["privacy.policy.email_address"] == "block"
    assert saved["privacy.deny_list"] == ["Acme Corp", "PERSON: Jane Roe"]
    assert keyring.get_password("edgeapp", "cloud-api-key") == "sk-test-secret-123"
    text = (edgeapp_home / "config" / "config.toml").read_text()
    assert "sk-test-secret-123" not in text
    assert window.assistant.settings["router.threshold"] == 0.7  # the running assistant has it
    # reopened: the key is never shown again
    window.settings.open()
    again = window.settings.dialog
    assert again.api_key.text() == "" and "stored" in again.api_key.placeholderText()
    # a bad value is refused with the same sentence as `edgeapp config set`
    again.base_url.setText("ftp://example.com")
    again.save()
    with pytest.raises(ConfigError) as expected:
        config.Settings().set("cloud.base_url", "ftp://example.com")
    assert again.isVisible() and again.error.text() == str(expected.value)
    again.reject()


def test_test_connection_in_plain_words(cloud_server):
    from edgeapp.gui.connection import test_connection

    assert test_connection(cloud_server, "stand-in-cloud", None).outcome == "reachable"
    missing = test_connection(cloud_server, "no-such-model", None)
    assert missing.outcome == "model-missing" and "no-such-model" in missing.message
    down = test_connection(f"http://127.0.0.1:{free_port()}/v1", "m", None, timeout=2)
    assert down.outcome == "unreachable" and down.message.startswith("Not reachable")


@pytest.mark.parametrize("choice", ["send", "keep"])
def test_confirm_before_send(open_window, qtbot, recording_cloud, choice):
    proxy, url = recording_cloud
    window = open_window(url, router__threshold=1.0, privacy__confirm_before_send=True)
    window.composer.setPlainText(PII_QUESTION)
    with qtbot.waitSignal(window.turn_finished, timeout=300000) as blocker:
        window.bar.send_button.click()
        qtbot.waitUntil(lambda: window.turns.confirm_dialog is not None
                        and window.turns.confirm_dialog.isVisible(), timeout=60000)
        dialog = window.turns.confirm_dialog
        shown = dialog.view.toPlainText()
        assert "<PERSON_1>" in shown and "John Smith" not in shown
        assert "background-color" in dialog.view.toHtml()  # placeholders highlighted
        (dialog.send_button if choice == "send" else dialog.keep_button).click()
    result = blocker.args[0]
    if choice == "send":
        assert result.route == "cloud" and len(proxy.bodies) == 1
    else:
        assert result.route != "cloud" and not proxy.bodies
        assert result.reason_code == "user-kept-local"
        assert window.chat.last("assistant").badge.text().startswith(wording.badge(result))


def test_errors_shown_in_plain_words_with_their_action(open_window, qtbot, local_model, gatekeeper, tmp_path):
    from edgeapp.assistant import Assistant

    # a model file that does not exist: the banner says so, with the core's action as a button
    s = config.load()
    s.set("local.model_path", str(tmp_path / "missing.gguf"))
    s.save()
    window = open_window(assistant=Assistant(s, gatekeeper=gatekeeper))
    assert window.load_error is not None
    assert window.banner.isVisible() and window.banner.kind == "error"
    assert "missing.gguf" in window.banner.text.text()
    assert window.banner.button.text() == "Choose a model file"
    window.composer.setPlainText("typed while broken")
    window.bar.send_button.click()
    qtbot.waitUntil(lambda: not window.turns.busy(), timeout=30000)
    assert window.composer.toPlainText() == "typed while broken"  # nothing typed is lost
    window.banner.button.click()
    assert window.settings.dialog.isVisible() and window.settings.dialog.tabs.currentIndex() == 1
    window.settings.dialog.reject()
    window.close()

    # the cloud unreachable: the answer stays local and says why
    url = f"http://127.0.0.1:{free_port()}/v1"
    window = open_window(url, router__threshold=1.0, cloud__max_retries=0)
    result = ask(qtbot, window, "What is 3 + 5?")
    assert result.route == "local-fallback"
    answer = window.chat.last("assistant")
    assert answer.badge.text().startswith(wording.badge(result)) and answer.status.text()
    window.close()


def test_budget_reached_is_shown(open_window, qtbot, recording_cloud):
    proxy, url = recording_cloud
    window = open_window(url, router__threshold=1.0, budget__monthly_limit=0.0, prices__local_free=False,
                         prices__overrides=["stand-in-cloud 1 1"])
    result = ask(qtbot, window, "What is 7 * 6?")
    assert result.route != "cloud" and not proxy.bodies
    answer = window.chat.last("assistant")
    assert answer.badge.text().startswith(wording.badge(result)) == True  # noqa: E712
    assert "budget" in (answer.badge.text() + answer.status.text()).lower()


def test_keyring_missing_is_shown(open_window, qtbot):
    from keyring.backends.fail import Keyring as FailKeyring

    window = open_window(router__mode="local")
    keyring.set_keyring(FailKeyring())
    window.settings.open()
    dialog = window.settings.dialog
    assert "not a secure store" in dialog.keyring_label.text()
    dialog.api_key.setText("sk-nowhere")
    dialog.save()
    assert dialog.isVisible() and "keyring" in dialog.error.text().lower()
    dialog.reject()


def test_composer_keys(open_window, qtbot):
    window = open_window(router__mode="local", wait_ready=False)
    box = window.composer
    box.setFocus()
    qtbot.keyClicks(box, "line one")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "line two")
    assert box.toPlainText() == "line one\nline two"
    with qtbot.waitSignal(window.turn_finished, timeout=300000):
        qtbot.keyClick(box, Qt.Key.Key_Return)
        assert box.toPlainText() == ""
    qtbot.waitUntil(lambda: not window.turns.busy(), timeout=10000)
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert box.toPlainText() == "line one\nline two"
    # edit-and-resend the last message
    window.answers.edit_last()
    assert box.toPlainText() == "line one\nline two" and len(window.chat.messages) == 0


def test_first_run_without_a_cloud_says_so_once(open_window, qtbot):
    window = open_window(router__mode="local")
    assert window.banner.isVisible() and "Escalation to a cloud model is off" in window.banner.text.text()
    assert window.banner.button.text().startswith("Set up a cloud")
    window.banner.button.click()
    assert window.settings.dialog.isVisible() and window.settings.dialog.tabs.currentIndex() == 0
    window.settings.dialog.reject()
    window.close()
    again = open_window(router__mode="local")
    assert not again.banner.isVisible()


def test_quitting_mid_answer_is_clean(tmp_path):
    """The real app quits while an answer streams: generation stops, model and database close,
    nothing is printed."""
    import os
    import subprocess
    import sys

    code = (
        "from PySide6.QtCore import QTimer\n"
        "from edgeapp import config\n"
        "from edgeapp.gui.app import application, create_main_window\n"
        "s = config.load(); s.set('router.mode', 'local'); s.set('local.max_tokens', 300); s.save()\n"
        "app = application(); w = create_main_window(); w.show()\n"
        "w.turns.send('Tell me a long story about the sea.')\n"
        "def check():\n"
        "    m = w.chat.last('assistant')\n"
        "    if m is not None and len(m.text) > 10: w.close(); app.quit()\n"
        "t = QTimer(); t.timeout.connect(check); t.start(50)\n"
        "app.exec()\n"
        "print('QUIT', w.assistant.loaded_model_name == '')\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EDGEAPP_HOME=str(tmp_path / "home"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "QUIT True" in proc.stdout  # the model was closed
    noise = [line for line in proc.stderr.splitlines() if "propagateSizeHints" not in line and line.strip()]
    assert not noise, proc.stderr


def test_engine_crash_caught_by_the_guard_is_shown(open_window, qtbot, gatekeeper, default_model, tmp_path,
                                                   monkeypatch):
    """A model whose trial run dies by a real SIGSEGV: the window stays up and says what to do."""
    import sys

    from edgeapp.assistant import Assistant
    from edgeapp.models import engine_check

    real = engine_check.trial_run
    segfault = [sys.executable, "-c", "import ctypes; ctypes.string_at(0)"]
    monkeypatch.setattr(engine_check, "trial_run", lambda model, n=-1, **kw: real(model, n, command=segfault))
    copy = tmp_path / "crashing.gguf"
    copy.write_bytes(default_model.read_bytes() + b"\0")  # a file of its own: tried anew
    s = config.load()
    s.set("local.model_path", str(copy))
    s.save()
    window = open_window(assistant=Assistant(s, gatekeeper=gatekeeper))
    assert isinstance(window.load_error, engine_check.EngineCrash)
    assert window.banner.isVisible() and window.banner.kind == "error"
    assert "crashed (signal SIGSEGV)" in window.banner.text.text()
    assert window.banner.button.text() == "Rebuild the engine"
    window.composer.setPlainText("still here")
    window.bar.send_button.click()
    qtbot.waitUntil(lambda: not window.turns.busy(), timeout=30000)
    assert window.composer.toPlainText() == "still here"
