"""The parts: built on first use, rebuilt when the settings they were built with change, the
caller's parts left alone, and everything released on close."""

from __future__ import annotations

import time

import pytest

from edgeapp import config
from edgeapp.cancel import Cancelled, CancelToken
from edgeapp.errors import ModelError
from edgeapp.ledger import Ledger
from edgeapp.turn.parts import Parts


def loopback(**more) -> config.Settings:
    s = config.Settings()
    s.set("cloud.base_url", "http://127.0.0.1:9/v1")  # nothing is sent in these tests
    for key, value in more.items():
        s.set(key.replace("__", "."), value)
    return s


def test_the_cloud_client_is_rebuilt_only_when_a_cloud_setting_changes():
    parts = Parts(loopback(cloud__model="first"))
    assert parts.cloud_configured and not parts.holds_resources()  # asking builds nothing
    first = parts.cloud
    assert first is not None and first.model == "first" and parts.holds_resources()
    parts.apply(parts.settings.copy(router__mode="local"))
    assert parts.cloud is first
    parts.apply(parts.settings.copy(cloud__model="second"))
    assert parts.cloud is not first and parts.cloud.model == "second"
    parts.apply(parts.settings.copy(cloud__base_url=""))
    assert parts.cloud is None and not parts.cloud_configured
    parts.close()


def test_the_gatekeeper_is_rebuilt_on_a_privacy_setting_but_not_on_asking_first():
    parts = Parts(config.Settings())
    first = parts.gatekeeper
    parts.apply(parts.settings.copy(privacy__confirm_before_send=True))
    assert parts.gatekeeper is first
    parts.settings = parts.settings.copy(privacy__deny_list=["Dana Whitfield"])  # assigned: next sync
    assert parts.gatekeeper is first
    parts.sync()
    assert parts.gatekeeper is not first


def test_the_callers_parts_are_never_rebuilt_or_closed(local_model, gatekeeper, tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    parts = Parts(loopback(), local_model=local_model, gatekeeper=gatekeeper, ledger=ledger)
    assert parts.loaded_local is local_model and parts.local_ready(None) is local_model
    parts.apply(loopback(local__n_ctx=1024, privacy__deny_list=["Someone Else"]))
    assert parts.local_ready(None) is local_model and parts.gatekeeper is gatekeeper and parts.ledger is ledger
    parts.close()
    assert local_model.count_tokens([{"role": "user", "content": "still open"}]) > 0
    assert ledger.turns(limit=1) == []  # its connection still works
    ledger.close()


def test_the_owned_model_loads_on_its_thread_and_is_rebuilt_on_a_model_setting(default_model):
    s = config.Settings()
    s.set("local.model_path", str(default_model))
    s.set("local.n_ctx", 512)
    parts = Parts(s)
    assert parts.loaded_local is None and not parts.holds_resources()
    stop = CancelToken()
    stop.set()
    started = time.perf_counter()
    with pytest.raises(Cancelled):
        parts.local_ready(stop)  # a stopped turn does not wait for the load...
    assert time.perf_counter() - started < 1.0 and parts.holds_resources()  # ...which goes on
    first = parts.local_ready(None)
    assert first.n_ctx == 512 and parts.loaded_local is first
    parts.apply(parts.settings.copy(local__max_tokens=10))  # not a model setting
    assert parts.local_ready(None) is first
    parts.apply(parts.settings.copy(local__n_ctx=1024))
    with pytest.raises(ModelError, match="closed"):
        first.count_tokens([{"role": "user", "content": "hi"}])
    assert parts.loaded_local is None and parts.local_ready(None).n_ctx == 1024
    parts.close()
    assert not parts.holds_resources() and parts.loaded_local is None
