"""`edgeapp serve`: the OpenAI-compatible endpoint and the phone page."""

from __future__ import annotations

from pathlib import Path

import click


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
    no_warm_up: bool,
) -> None:
    """Serve edgeapp to other apps (OpenAI-compatible API) and to your phone (a chat page).

    Models: edgeapp-auto (the cascade), edgeapp-local (never escalates), edgeapp-cloud (always,
    through the gatekeeper and the budget). Every request is a turn in the ledger.
    """
    from ..api import tokens
    from ..api.options import ServerOptions
    from ..api.pairing import page_host, qr_text
    from ..api.server import DEFAULT_PORT, LAN_WARNING, CompanionServer, ServeConfig
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
        if server.certificate is not None:
            click.echo(f"Certificate SHA-256 fingerprint: {server.certificate.fingerprint_text}")
            click.echo(
                "The browser warns about this certificate the first time: open its details and go on "
                "only if its SHA-256 fingerprint is the one above."
            )
        if lan:
            click.secho(
                ("Warning: " + LAN_WARNING) if not config.tls else "Listening on the local network over TLS.",
                fg="red" if not config.tls else "yellow",
            )
            url = server.pairing_url
            click.echo("\nScan with your phone's camera to open the chat signed in:\n")
            click.echo(qr_text(url))
            click.echo(f"\n{url}\n")
        else:
            click.echo(
                f"Phone page (this computer only; --lan to pair a phone): {base}/#token={resolved.value}"
            )
        click.echo("Ctrl-C stops the server.")
        server.run()
    finally:
        assistant.close()
