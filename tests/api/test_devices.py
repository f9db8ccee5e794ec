"""Paired devices: each has a token of its own (named, with when it was paired and last seen),
listed and revoked from the CLI and the API; a revoked token is refused with a plain 401 at the
next request, by a server that is already running, while the other devices and the main token
keep working."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from click.testing import CliRunner

from edgeapp.api import devices as devices_module
from edgeapp.api.devices import DeviceStore
from edgeapp.cli.main import main

from .conftest import TOKEN, client, openai


def test_store_pairs_checks_revokes_and_drops_unused_codes():
    store = DeviceStore()
    anna = store.pair("Anna's  phone")
    tablet = store.pair("tablet")
    assert anna.device.name == "Anna's phone" and anna.token != tablet.token
    assert anna.token not in store.path.read_text()  # only a hash of each token is kept
    assert store.path.stat().st_mode & 0o777 == 0o600
    assert store.check(anna.token) == anna.device and store.check("nope-" * 5) is None
    store.seen(anna.device)
    assert DeviceStore().find(anna.device.id).last_seen is not None  # the first sighting is written at once
    other = DeviceStore()  # another process (the CLI) revokes by name ...
    assert other.revoke("tablet").revoked
    assert store.check(tablet.token).revoked  # ... and this one sees it at the next check
    with pytest.raises(Exception, match="not a paired device"):
        other.revoke("laptop")
    # a code nobody used for over a day is dropped when the next one is made
    rows = json.loads(store.path.read_text())
    old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2)).isoformat(timespec="seconds")
    unused = store.pair("forgotten")
    for row in rows["devices"]:
        row["paired_at"] = old
    rows["devices"].append({**devices_module.asdict(unused.device), "paired_at": old})
    store.path.write_text(json.dumps(rows))
    store.pair("next")
    names = [d.name for d in DeviceStore().devices()]
    assert "forgotten" not in names and {"Anna's phone", "tablet", "next"} <= set(names)


def test_device_tokens_work_and_a_revoked_one_is_refused_at_once(serve):
    server = serve()
    phone, phone_url = server.pair_device("Anna's phone")
    tablet, _ = server.pair_device("tablet")
    assert phone_url.startswith(f"{server.url}/#token=") and phone.token in phone_url
    reply = client(server, token=phone.token).chat.completions.create(
        model="edgeapp-local", max_tokens=4, messages=[{"role": "user", "content": "Hi"}])
    assert reply.choices[0].message.content is not None
    assert client(server, token=tablet.token).models.list().data

    main_auth = {"Authorization": f"Bearer {TOKEN}"}
    listed = httpx.get(server.url + "/edgeapp/devices", headers=main_auth).json()["data"]
    by_name = {d["name"]: d for d in listed}
    assert by_name["Anna's phone"]["last_seen"] and "token_hash" not in by_name["Anna's phone"]
    # a device cannot manage devices: a lost phone must not revoke the others
    refused = httpx.get(server.url + "/edgeapp/devices", headers={"Authorization": f"Bearer {phone.token}"})
    assert refused.status_code == 403 and "main token" in refused.json()["error"]["message"]

    # revoked from the CLI (another DeviceStore, as another process would be): refused at once
    out = CliRunner().invoke(main, ["serve", "--revoke-device", "Anna's phone"])
    assert out.exit_code == 0 and "Revoked" in out.output
    with pytest.raises(openai.AuthenticationError) as revoked:
        client(server, token=phone.token).models.list()
    assert revoked.value.status_code == 401 and revoked.value.body["code"] == "token_revoked"
    assert "revoked" in revoked.value.body["message"] and "Anna's phone" in revoked.value.body["message"]
    assert client(server, token=tablet.token).models.list().data  # the others keep working
    assert client(server).models.list().data  # and so does the main token

    # revoked over the API, with the main token
    gone = httpx.post(server.url + f"/edgeapp/devices/{tablet.device.id}/revoke", headers=main_auth)
    assert gone.status_code == 200 and gone.json()["revoked_at"]
    assert httpx.get(server.url + "/v1/models",
                     headers={"Authorization": f"Bearer {tablet.token}"}).status_code == 401
    missing = httpx.post(server.url + "/edgeapp/devices/nosuch/revoke", headers=main_auth)
    assert missing.status_code == 404 and "not a paired device" in missing.json()["error"]["message"]

    listing = CliRunner().invoke(main, ["serve", "--list-devices"])
    assert listing.exit_code == 0
    assert "Anna's phone" in listing.output and listing.output.count("revoked 20") == 2

    # a damaged devices file lets no device in, and the main token keeps working
    server.companion.devices.path.write_text("{not json")
    assert client(server).models.list().data
    with pytest.raises(openai.AuthenticationError):
        client(server, token=tablet.token).models.list()
    damaged = CliRunner().invoke(main, ["serve", "--list-devices"])
    assert damaged.exit_code == 1 and "damaged" in damaged.output


def test_serve_lan_pairs_a_new_device_per_code(monkeypatch):
    from edgeapp.api import pairing, server

    monkeypatch.setattr(pairing, "lan_address", lambda: "192.168.1.20")
    monkeypatch.setattr(server.CompanionServer, "run", lambda self: None)
    out = CliRunner().invoke(main, ["serve", "--lan", "--port", "8796", "--token", TOKEN, "--no-warm-up",
                                    "--device-name", "kitchen tablet"])
    assert out.exit_code == 0, out.output
    (device,) = DeviceStore().devices()
    assert device.name == "kitchen tablet" and device.last_seen is None
    assert f"--revoke-device {device.id}" in out.output
    code_url = [line for line in out.output.splitlines() if line.startswith("http://192.168.1.20:8796/#token=")]
    assert code_url and TOKEN not in code_url[-1]  # the code carries the device's token, not the main one
    assert DeviceStore().check(code_url[-1].split("#token=")[1]) == device
    empty = CliRunner().invoke(main, ["serve", "--list-devices"])
    assert "kitchen tablet" in empty.output and "last seen never" in empty.output
