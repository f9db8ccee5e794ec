"""The command-line face: `edgeapp ask|chat|config|keys|...`. All turns go through Assistant."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import click

from . import __version__, config, keys
from .errors import EdgeappError


class _Group(click.Group):
    """Turns EdgeappError into one clear sentence on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EdgeappError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            ctx.exit(1)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="edgeapp")
def main() -> None:
    """edgeapp: a local model answers; a scrubbed cloud model helps only when it must."""


def _settings(mode: str | None = None, threshold: float | None = None) -> config.Settings:
    settings = config.load()
    if mode:
        settings.set("router.mode", mode)
    if threshold is not None:
        settings.set("router.threshold", threshold)
    return settings


def _route_line(r) -> str:
    conf = "n/a" if r.confidence is None else f"{r.confidence:.2f}"
    parts = [r.route, f"confidence {conf}", f"threshold {r.threshold:.2f}"]
    if r.route == "cloud":
        if r.cloud_input_tokens is None and r.cloud_output_tokens is None:
            parts.append(f"{r.cloud_model}, no usage reported")
        else:
            parts.append(f"{r.cloud_model}, {r.cloud_input_tokens or 0}+{r.cloud_output_tokens or 0} tokens")
        parts.append(f"${r.cost:.4f}" + (" (estimate)" if r.cost_estimated else ""))
        if r.masked_entities:
            parts.append("masked " + ", ".join(f"{k}×{v}" for k, v in sorted(r.masked_entities.items())))
    parts.append(f"{r.latency_ms / 1000:.1f}s")
    return "[" + " · ".join(parts) + f"] {r.reason}"


def _run_turn(assistant, conversation, text: str, *, stream_out: bool) -> Iterator:
    from .assistant import CloudRestart, CloudToken, Escalating, LocalToken, Notice, TurnDone

    for event in assistant.ask(conversation, text):
        if isinstance(event, LocalToken) and stream_out:
            click.secho(event.text, nl=False, dim=True)
        elif isinstance(event, Escalating) and stream_out:
            click.secho(f"\n↗ asking the cloud: {event.reason}", fg="yellow", err=True)
        elif isinstance(event, CloudToken) and stream_out:
            click.echo(event.text, nl=False)
        elif isinstance(event, CloudRestart) and stream_out:
            click.secho(f"\n↻ the cloud answer broke off ({event.reason}); retrying", fg="yellow", err=True)
        elif isinstance(event, Notice):
            click.secho(f"\n! {event.text}", fg="yellow", err=True)
        elif isinstance(event, TurnDone):
            yield event.result


@main.command()
@click.argument("question", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable record of the turn.")
@click.option("--mode", type=click.Choice(["auto", "local", "cloud"]), help="Override router.mode for this turn.")
@click.option("--threshold", type=float, help="Override router.threshold for this turn.")
def ask(question: tuple[str, ...], as_json: bool, mode: str | None, threshold: float | None) -> None:
    """Ask one question and print the answer."""
    from .assistant import Assistant

    assistant = Assistant(_settings(mode, threshold))
    try:
        conversation = assistant.new_conversation()
        result = next(_run_turn(assistant, conversation, " ".join(question), stream_out=False))
    finally:
        assistant.close()
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.answer)
        click.secho(_route_line(result), dim=True, err=True)


@main.command()
@click.option("--mode", type=click.Choice(["auto", "local", "cloud"]), help="Override router.mode.")
@click.option("--threshold", type=float, help="Override router.threshold.")
def chat(mode: str | None, threshold: float | None) -> None:
    """Chat in the terminal. /new starts a new conversation, /quit (or Ctrl-D) leaves."""
    from .assistant import Assistant

    assistant = Assistant(_settings(mode, threshold))
    conversation = assistant.new_conversation()
    click.secho("edgeapp chat — local model first, cloud when unsure. /new, /quit.", bold=True)
    try:
        while True:
            try:
                text = input("\nyou> ")
            except (EOFError, KeyboardInterrupt):
                click.echo()
                break
            if text.strip() in ("/quit", "/exit"):
                break
            if text.strip() == "/new":
                conversation = assistant.new_conversation()
                click.secho("(new conversation)", dim=True)
                continue
            if not text.strip():
                continue
            click.echo("edgeapp> ", nl=False)
            try:
                for result in _run_turn(assistant, conversation, text, stream_out=True):
                    if result.route != "cloud" and result.route != "local":
                        click.echo("\n" + result.answer, nl=False)
                    click.echo()
                    click.secho(_route_line(result), dim=True)
            except KeyboardInterrupt:
                click.secho("\n(stopped)", dim=True)
            except EdgeappError as exc:
                click.secho(f"\nError: {exc}", fg="red", err=True)
    finally:
        assistant.close()


# -- config -------------------------------------------------------------------------------
@main.group("config")
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
        click.secho(f"    {config.KEYS[name].help}", dim=True)


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
    click.echo(f"{key} reset to its default: {json.dumps(config.KEYS[key].default)}")


@config_group.command("path")
def config_path() -> None:
    from . import paths

    click.echo(paths.config_file())


# -- keys ---------------------------------------------------------------------------------
@main.group("keys")
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


def _register_optional() -> None:
    """Commands that live with their features (gatekeeper, ledger)."""
    try:
        from .gatekeeper.cli import scrub_command

        main.add_command(scrub_command, "scrub")
    except ImportError:
        pass
    try:
        from .ledger.cli import COMMANDS

        for command in COMMANDS:
            main.add_command(command)
    except ImportError:
        pass
    from .evaluation.cli import COMMANDS as EVAL_COMMANDS

    for command in EVAL_COMMANDS:
        main.add_command(command)


_register_optional()

if __name__ == "__main__":  # pragma: no cover
    main()
