"""Settings that survive every face: every key known from the start, unknown keys kept through load
and save (checked from a fresh process), and changes reaching a running Assistant on its next turn."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from edgeapp import config, paths
from edgeapp.assistant import Assistant, TurnOptions
from edgeapp.errors import Action, ConfigError, PromptError

from .servers import FaultServer

FILE = """\
[router]
threshold = 0.42

[budget]
monthly_limit = 5.0
currency = "EUR"

[privacy]
deny_list = ["Dana Whitfield"]
confirm_before_send = true

[privacy.policy]
credit_card = "block"

[future]
setting_of_a_newer_version = "kept"
"""


def fresh_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env={**os.environ}, timeout=120)


def test_round_trip_from_a_process_that_imports_only_the_settings_module():
    path = paths.config_file()
    path.write_text(FILE, encoding="utf-8")
    done = fresh_python("""
        import sys
        from edgeapp import config
        s = config.load()
        assert s["budget.monthly_limit"] == 5.0, s["budget.monthly_limit"]  # ledger keys known eagerly
        assert s["privacy.policy.credit_card"] == "block"  # gatekeeper keys too
        s.set("router.threshold", 0.3)
        s.save()
        print(sorted(m for m in sys.modules if m.startswith("edgeapp")))
    """)
    assert done.returncode == 0, done.stderr
    assert "'edgeapp.assistant'" not in done.stdout  # it imported the settings, not the pipeline
    s = config.load()
    assert s["router.threshold"] == 0.3
    assert s["budget.monthly_limit"] == 5.0 and s["budget.currency"] == "EUR"
    assert s["privacy.deny_list"] == ["Dana Whitfield"] and s["privacy.confirm_before_send"] is True
    assert s["privacy.policy.credit_card"] == "block"
    assert s.unknown() == {"future.setting_of_a_newer_version": "kept"}
    assert 'setting_of_a_newer_version = "kept"' in path.read_text(encoding="utf-8")


def test_every_key_is_known_before_any_feature_is_imported():
    done = fresh_python("""
        import sys
        from edgeapp import config
        keys = config.SCHEMA
        assert "edgeapp.ledger" not in sys.modules and "presidio_analyzer" not in sys.modules
        for name in ("budget.monthly_limit", "prices.overrides", "privacy.persist_mapping",
                     "privacy.policy.credit_card", "privacy.confirm_before_send", "cloud.history_tokens"):
            assert name in keys, name
        config.validate("budget.monthly_limit", "7")
    """)
    assert done.returncode == 0, done.stderr


def test_a_bad_value_in_the_file_names_the_setting_to_fix():
    paths.config_file().write_text("[router]\nthreshold = 7\n", encoding="utf-8")
    try:
        config.load()
    except ConfigError as exc:
        assert exc.action == Action("Fix router.threshold", setting="router.threshold")
    else:  # pragma: no cover
        raise AssertionError("a bad value was accepted")


def test_settings_saved_while_an_assistant_runs_apply_on_its_next_turn(local_model, gatekeeper):
    server = FaultServer([("ok", "From the cloud.")])
    url = server.start()
    try:
        s = config.load()
        s.set("router.mode", "local")
        s.set("local.max_tokens", 8)
        s.save()
        a = Assistant(local_model=local_model, gatekeeper=gatekeeper)  # follows the settings file
        assert a.ask_sync(a.new_conversation(), "Hi?").route == "local"
        # another face (the window, `edgeapp config set`) saves new settings
        s = config.load()
        s.set("router.mode", "cloud")
        s.set("cloud.base_url", url)
        s.set("cloud.model", "first-model")
        s.save()
        first = a.ask_sync(a.new_conversation(), "Hi?")
        assert first.route == "cloud" and server.requests[-1]["model"] == "first-model"
        s = config.load()
        s.set("cloud.model", "second-model")
        s.save()
        a.ask_sync(a.new_conversation(), "Hi?")
        assert server.requests[-1]["model"] == "second-model"  # the client was rebuilt
        # a face that assigns settings directly gets the same rebuild
        a.settings = a.settings.copy(cloud__model="third-model")
        a.ask_sync(a.new_conversation(), "Hi?")
        assert server.requests[-1]["model"] == "third-model"
        a.close()
    finally:
        server.stop()


def test_per_turn_options_override_without_touching_settings(local_model, gatekeeper):
    s = config.Settings()
    s.set("local.max_tokens", 40)
    a = Assistant(s, local_model=local_model, gatekeeper=gatekeeper, use_ledger=False)
    r = a.ask_sync(a.new_conversation(), "Count from one to fifty.", TurnOptions(mode="local", max_tokens=3))
    assert r.mode == "local" and r.local_completion_tokens <= 3
    r = a.ask_sync(a.new_conversation(), "Hi", TurnOptions(mode="local", threshold=0.9))
    assert r.threshold == 0.9 and a.settings["router.threshold"] == 0.55
    try:
        TurnOptions(mode="sometimes").check()
    except ConfigError as exc:
        assert "auto" in str(exc)
    else:  # pragma: no cover
        raise AssertionError


def test_calibration_is_written_atomically(tmp_path):
    from edgeapp.confidence import calibration

    n = len(calibration.FEATURES)
    fitted = calibration.Calibration(mean=[0.0] * n, scale=[1.0] * n, coef=[1.0] * n)
    path = tmp_path / "calibration.json"
    fitted.save(path)
    first = path.stat().st_ino
    fitted.save(path)
    assert path.stat().st_ino != first  # replaced whole, never rewritten in place
    assert [p.name for p in tmp_path.iterdir()] == ["calibration.json"]  # no temporary file left
    assert calibration.load(path).coef == [1.0] * n


def test_errors_carry_what_to_do(local_model):
    from edgeapp.ledger.errors import BudgetExceeded, UnknownPrice

    exc = BudgetExceeded("over", needed=1.0, left=0.0, limit=5.0, spent=5.0)
    assert exc.action.setting == "budget.monthly_limit" and exc.action.as_command() == "edgeapp budget set 10"
    assert UnknownPrice("no price", model="m1").action.as_command() == "edgeapp price set m1 INPUT OUTPUT"
    a = Assistant(config.Settings(), local_model=local_model, use_ledger=False)
    try:
        a.ask_sync(a.new_conversation(), "word " * 3000)
    except PromptError as exc:
        assert exc.action.setting == "local.n_ctx" and exc.action.value >= 8192
    else:  # pragma: no cover
        raise AssertionError("an over-long message was accepted")


def test_warm_up_loads_once_and_close_releases_everything(default_model, gatekeeper):
    import sqlite3
    import threading

    s = config.Settings()
    s.set("local.model_path", str(default_model))
    s.set("cloud.base_url", "http://127.0.0.1:9/v1")
    a = Assistant(s, gatekeeper=gatekeeper)
    stages: list[tuple[str, float]] = []
    got: list = []
    threads = [threading.Thread(target=lambda: got.append(a.local)) for _ in range(3)]
    threads.append(threading.Thread(target=a.warm_up, kwargs={"progress": lambda st, sh: stages.append((st, sh))}))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(got) == 3 and all(m is got[0] for m in got)  # three first requests, one model
    assert ("model", 1.0) in stages and ("privacy", 1.0) in stages and stages[-1] == ("ready", 1.0)
    model, ledger, cloud = a.local, a.ledger, a.cloud
    connection = ledger.store.db.conn
    a.close()
    assert model._closed and not model._thread.is_alive()
    assert not a.parts_built()  # the model, the HTTP session and the ledger's connections went
    try:
        connection.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        pass  # closed
    else:  # pragma: no cover
        raise AssertionError("the ledger connection is still open")
    assert not cloud._session.adapters or all(
        not getattr(adapter, "poolmanager", None) or not adapter.poolmanager.pools for adapter in cloud._session.adapters.values())
    a.close()  # twice is fine
