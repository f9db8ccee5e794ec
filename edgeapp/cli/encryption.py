"""`edgeapp encrypt on|off|status`: encryption at rest of the ledger file (edgeapp.ledger.encryption)."""

from __future__ import annotations

import click

from ..errors import EdgeappError
from ..ledger import encryption


@click.command(name="encrypt")
@click.argument("state", type=click.Choice(["on", "off", "status"]))
def encrypt_command(state: str) -> None:
    """Encrypt the ledger file at rest (on), decrypt it (off), or say which it is (status).

    On and off rewrite the existing file (close edgeapp's windows and servers first) and set
    privacy.encrypt_ledger. The key lives in the OS keyring: without it an encrypted ledger
    cannot be read, so back up the keyring along with the file."""
    if state != "status":
        try:
            rewritten = encryption.set_encryption(state == "on")
        except EdgeappError as exc:
            raise click.ClickException(str(exc)) from exc
        if not rewritten:
            click.echo("The ledger file already was as asked (or does not exist yet); the setting is saved.")
    click.echo(encryption.describe())
