"""`edgeapp config show|set|unset|path` (the settings file, checked against config.SCHEMA) and
`edgeapp keys set|show|delete` (the cloud API key in the OS keyring)."""

from __future__ import annotations

import json
import sys

import click

from .. import config, paths
from ..cloud import api_key as keys


@click.group("config")
def config_group() -> None:
    """Show or change settings (stored in a TOML file in the user config dir)."""


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True)
def config_show(as_json: bool) -> None:
    settings = config.load()
    if as_json:
        click.echo(json.dumps(dict(settings.items()), indent=2))
        return
    click.secho(f"# {settings.path}", dim=True)
    for name, value in settings.items():
        mark = "" if settings.is_default(name) else "  (set)"
        click.echo(f"{name} = {json.dumps(value)}{mark}")
        click.secho(f"    {config.SCHEMA[name].help}", dim=True)


@config_group.command("set")
@click.argument("key")
@click.argument("value")
def config_set(key: str, value: str) -> None:
    settings = config.load()
    stored = settings.set(key, value)
    path = settings.save()
    click.echo(f"{key} = {json.dumps(stored)}  (saved to {path})")


@config_group.command("unset")
@click.argument("key")
def config_unset(key: str) -> None:
    settings = config.load()
    settings.unset(key)
    settings.save()
    click.echo(f"{key} reset to its default: {json.dumps(config.SCHEMA[key].default)}")


@config_group.command("path")
def config_path() -> None:
    click.echo(paths.config_file())


@click.group("keys")
def keys_group() -> None:
    """Store the cloud API key in the OS keyring."""


@keys_group.command("set")
def keys_set() -> None:
    """Read the key with hidden input and store it in the OS keyring."""
    if sys.stdin.isatty():
        key = click.prompt("Cloud API key", hide_input=True)
    else:
        key = sys.stdin.readline()
    keys.set_api_key(key)
    click.echo("Stored the cloud API key in the OS keyring.")


@keys_group.command("show")
def keys_show() -> None:
    """Say where the key comes from (never prints it)."""
    settings = config.load()
    click.echo(f"API key source: {keys.key_source(settings['cloud.api_key_env'])}")


@keys_group.command("delete")
def keys_delete() -> None:
    click.echo("Deleted." if keys.delete_api_key() else "No key was stored in the keyring.")
