"""`edgeapp serve`: the OpenAI-compatible endpoint and the phone page."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..api.server import CompanionServer


def manage_devices(revoke: str | None) -> None:
    """--list-devices / --revoke-device: the paired devices, without starting the server."""
    from ..api.devices import DeviceStore

    store = DeviceStore()
    if revoke:
        device = store.revoke(revoke)
        click.echo(f"Revoked {device.id} ({device.name}): its token is refused from now on.")
        return
    found = store.devices()
    if not found:
        click.echo("No paired devices. `edgeapp serve --lan` shows a pairing code for a new one.")
    for d in found:
        state = f"revoked {d.revoked_at}" if d.revoked else f"last seen {d.last_seen or 'never'}"
        click.echo(f"{d.id}  {d.name:<32}  paired {d.paired_at}  {state}")


def print_pairing(server: CompanionServer, token: str, device_name: str | None) -> None:
    """The certificate's fingerprint (--https) and how to open the phone page: with --lan, a
    pairing code holding a token for one new device."""
    from ..api.pairing import qr_text
    from ..api.server import LAN_WARNING

    if server.certificate is not None:
        click.echo(f"Certificate SHA-256 fingerprint: {server.certificate.fingerprint_text}")
        click.echo(
            "The browser warns about this certificate the first time: open its details and go on "
            "only if its SHA-256 fingerprint is the one above."
        )
    if server.config.lan:
        click.secho(
            ("Warning: " + LAN_WARNING)
            if not server.config.tls
            else "Listening on the local network over TLS.",
            fg="red" if not server.config.tls else "yellow",
        )
        paired, url = server.pair_device(device_name or f"phone paired {time.strftime('%Y-%m-%d %H:%M')}")
        click.echo(f"\nWith the main token (scripts, this computer): {server.pairing_url}")
        click.echo(
            f"\nScan with your phone's camera to open the chat signed in as '{paired.device.name}' "
            f"(a token for this device only; revoke it with --revoke-device {paired.device.id}):\n"
        )
        click.echo(qr_text(url))
        click.echo(f"\n{url}\n")
    else:
        click.echo(f"Phone page (this computer only; --lan to pair a phone): {server.url}/#token={token}")


@click.command(name="serve")
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1; --lan: all interfaces).")
@click.option("--port", default=None, type=click.IntRange(0, 65535), help="Port (default 8765).")
@click.option(
    "--token", default=None, help="Bearer token to accept (else EDGEAPP_API_TOKEN, else the keyring's)."
)
@click.option(
    "--lan", is_flag=True, help="Listen on the local network so a phone can connect (read the warning)."
)
@click.option(
    "--https",
    is_flag=True,
    help="Encrypt with a self-signed certificate made on first use (the phone shows a warning once: "
    "compare the fingerprint).",
)
@click.option("--tls-cert", type=click.Path(dir_okay=False, path_type=Path), help="TLS certificate (PEM).")
@click.option("--tls-key", type=click.Path(dir_okay=False, path_type=Path), help="TLS private key (PEM).")
@click.option(
    "--rotate-token", is_flag=True, help="Make a new token (the old one stops working), then serve."
)
@click.option(
    "--parallel",
    default=2,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Turns running at once (local generation is still one at a time).",
)
@click.option(
    "--queue",
    "queue_limit",
    default=8,
    show_default=True,
    type=click.IntRange(0, 1000),
    help="Requests that may wait for the model; past that: 503 with Retry-After.",
)
@click.option(
    "--max-tokens",
    "max_tokens_cap",
    default=4096,
    show_default=True,
    type=click.IntRange(1, 32768),
    help="The largest max_tokens a request may ask for.",
)
@click.option(
    "--device-name",
    default=None,
    help="Name of the device the pairing code is for (default: 'phone paired <date>').",
)
@click.option("--list-devices", is_flag=True, help="List the paired devices, then exit.")
@click.option(
    "--revoke-device",
    metavar="ID",
    default=None,
    help="Revoke a paired device (id or name; its token is refused at once), then exit.",
)
@click.option("--no-warm-up", is_flag=True, help="Load the model on the first request instead of at start.")
def serve_command(
    host: str | None,
    port: int | None,
    token: str | None,
    lan: bool,
    https: bool,
    tls_cert: Path | None,
    tls_key: Path | None,
    rotate_token: bool,
    parallel: int,
    queue_limit: int,
    max_tokens_cap: int,
    device_name: str | None,
    list_devices: bool,
    revoke_device: str | None,
    no_warm_up: bool,
) -> None:
    """Serve edgeapp to other apps (OpenAI-compatible API) and to your phone (a chat page).

    Models: edgeapp-auto (the cascade), edgeapp-local (never escalates), edgeapp-cloud (always,
    through the gatekeeper and the budget). Every request is a turn in the ledger.

    With --lan the pairing code holds a token for one new device; --list-devices and
    --revoke-device manage them (a revoked device is refused at once, even by a running server).
    """
    if list_devices or revoke_device:
        manage_devices(revoke_device)
        return
    from ..api import tokens
    from ..api.options import ServerOptions
    from ..api.pairing import page_host
    from ..api.server import DEFAULT_PORT, CompanionServer, ServeConfig
    from ..assistant import Assistant

    resolved = tokens.resolve(token, rotate=rotate_token)  # --rotate-token: a new keyring token, served now
    config = ServeConfig(
        token=resolved.value,
        host=host or ("0.0.0.0" if lan else "127.0.0.1"),
        port=DEFAULT_PORT if port is None else port,
        lan=lan,
        tls_cert=tls_cert,
        tls_key=tls_key,
        https=https,
        options=ServerOptions(
            token=resolved.value, parallel=parallel, queue_limit=queue_limit, max_tokens_cap=max_tokens_cap
        ),
    )
    config.check()
    assistant = Assistant()
    try:
        ledger = assistant.ledger  # opened now: a damaged file is said here, and to the first client
        if ledger is not None and ledger.recovered is not None:
            click.secho(f"Warning: {ledger.recovered}", fg="yellow", err=True)
        if not no_warm_up:
            click.echo("Loading the local model…", err=True)
            assistant.warm_up()
        server = CompanionServer(assistant, config)
        base = f"{'https' if config.tls else 'http'}://{page_host(config.host)}:{config.port}"
        click.secho(f"edgeapp companion on {base}  (OpenAI base_url: {base}/v1)", bold=True)
        click.echo(
            "Models: edgeapp-auto, edgeapp-local, edgeapp-cloud. Every request is recorded in the ledger."
        )
        click.echo(f"Token ({resolved.source}): {resolved.value}")
        if resolved.note:
            click.secho(f"Note: {resolved.note}.", fg="yellow")
        print_pairing(server, resolved.value, device_name)
        click.echo("Ctrl-C stops the server.")
        server.run()
    finally:
        assistant.close()
