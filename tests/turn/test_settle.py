"""The budget reservation and the settlement with a real ledger (SQLite) and a real cloud call on
loopback: held before the call, settled at cost, released on failure, charged by estimate when
stopped, never left held."""

from __future__ import annotations

import json

from edgeapp import config
from edgeapp.cancel import CancelToken
from edgeapp.cloud.client import CloudClient
from edgeapp.gatekeeper import PlaceholderVault
from edgeapp.ledger import Ledger
from edgeapp.turn.outcomes import Fallback
from edgeapp.turn.reserve import Hold, estimate_tokens, request_json, reserve
from edgeapp.turn.settle import CloudBooking, settle
from edgeapp.turn.stream import Received, relay

from ..servers import FaultServer


def ledger_with(tmp_path, limit: float | None = None) -> Ledger:
    s = config.Settings()
    if limit is not None:
        s.set("budget.monthly_limit", limit)
    return Ledger(tmp_path / "l.db", settings=s)


def reservations(ledger: Ledger) -> list[str]:
    return [r["status"] for r in ledger.rows("reservations")]


def call(script, gatekeeper) -> tuple[CloudClient, object, Received, FaultServer]:
    """A real call to a scripted loopback server; its payload and what it received."""
    fault = FaultServer(script)
    cloud = CloudClient(fault.start(), "gpt-4o-mini", max_retries=0)  # priced by the bundled table
    payload = gatekeeper.scrub([("user", "How many clips in total?")], PlaceholderVault())
    received = Received()
    try:
        list(relay(cloud, payload, received, vault=PlaceholderVault(), stream=True, max_tokens=64,
                   token=CancelToken(), show=False))
    finally:
        fault.stop()
    return cloud, payload, received, fault


def test_a_reservation_is_held_for_the_exact_request(tmp_path, gatekeeper):
    cloud = CloudClient("http://127.0.0.1:9/v1", "gpt-4o-mini")
    payload = gatekeeper.scrub([("user", "How many clips?")], PlaceholderVault())
    with ledger_with(tmp_path) as ledger:
        hold = reserve(ledger, cloud, payload, stream=True, max_tokens=64)
        assert isinstance(hold, Hold) and hold.reservation is not None and hold.reservation.amount > 0
        assert json.loads(hold.request_json) == cloud.request_body(payload, stream=True, max_tokens=64)
        assert hold.request_json == request_json(cloud, payload, stream=True, max_tokens=64)
        assert hold.reservation.input_tokens >= estimate_tokens(hold.request_json)
        assert reservations(ledger) == ["held"]
    assert reserve(None, cloud, payload, stream=True, max_tokens=64).reservation is None  # the evaluation


def test_over_budget_keeps_the_turn_local_and_holds_nothing(tmp_path, gatekeeper):
    cloud = CloudClient("http://127.0.0.1:9/v1", "gpt-4o-mini")
    payload = gatekeeper.scrub([("user", "How many clips?")], PlaceholderVault())
    with ledger_with(tmp_path, limit=1e-7) as ledger:
        refused = reserve(ledger, cloud, payload, stream=True, max_tokens=64)
        assert isinstance(refused, Fallback) and (refused.route, refused.code) == ("local-fallback", "budget")
        assert refused.reason.startswith("kept local:") and refused.notice.kind == "fallback"
        assert reservations(ledger) == []


def test_a_reply_is_settled_at_its_cost(tmp_path, gatekeeper):
    cloud, payload, received, _ = call([("ok", "Seventy two clips.")], gatekeeper)
    with ledger_with(tmp_path) as ledger:
        hold = reserve(ledger, cloud, payload, stream=True, max_tokens=64)
        booking = settle(ledger, hold, cloud, payload, received)
        row = next(ledger.rows("cloud_calls"))
        assert reservations(ledger) == ["settled"] and row["status"] == "ok" and row["id"] == booking.call_id
        assert booking.reply is received.reply and booking.cost == row["cost"] > 0 and not booking.estimated
        assert row["request_json"] == hold.request_json and json.loads(row["response_json"])


def test_a_failure_is_released_and_free(tmp_path, gatekeeper):
    cloud, payload, received, _ = call([("status", 500)], gatekeeper)
    assert received.reply is None and received.error
    with ledger_with(tmp_path) as ledger:
        booking = settle(ledger, reserve(ledger, cloud, payload, stream=True, max_tokens=64), cloud, payload,
                         received)
        row = next(ledger.rows("cloud_calls"))
        assert reservations(ledger) == ["released"] and row["status"] == "error" and row["cost"] == 0
        assert row["error"] == received.error and booking == CloudBooking(None, row["id"], 0.0, False)


def test_a_stopped_call_is_charged_by_estimate_within_its_reservation(tmp_path, gatekeeper):
    cloud = CloudClient("http://127.0.0.1:9/v1", "gpt-4o-mini")
    payload = gatekeeper.scrub([("user", "How many clips?")], PlaceholderVault())
    stopped = Received(chunks=["Seventy ", "two"])  # what had streamed when the user pressed Stop
    assert stopped.stopped
    with ledger_with(tmp_path) as ledger:
        hold = reserve(ledger, cloud, payload, stream=True, max_tokens=64)
        booking = settle(ledger, hold, cloud, payload, stopped)
        row = next(ledger.rows("cloud_calls"))
        assert reservations(ledger) == ["settled"] and row["status"] == "stopped" and row["estimated"] == 1
        assert 0 < booking.cost == row["cost"] <= hold.reservation.amount and booking.estimated
        response = json.loads(row["response_json"])
        assert response["choices"][0] == {"index": 0, "finish_reason": "stopped",
                                          "message": {"role": "assistant", "content": "Seventy two"}}
        assert row["error"] == "stopped by the user"


def test_without_a_ledger_nothing_is_recorded(gatekeeper):
    cloud, payload, received, _ = call([("ok", "Fine.")], gatekeeper)
    hold = reserve(None, cloud, payload, stream=True, max_tokens=64)
    assert settle(None, hold, cloud, payload, received) == CloudBooking(received.reply)
