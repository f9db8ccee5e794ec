"""The command-line face: `edgeapp ask|chat|config|keys|...`. All turns go through Assistant."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import click

from .. import __version__, config
from ..cloud import api_key as keys
from ..errors import EdgeappError


class _Group(click.Group):
    """Turns EdgeappError into one clear sentence on stderr (and the command that fixes it, when the
    error carries one the sentence does not already say) and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EdgeappError as exc:
            _print_error(exc)
            ctx.exit(1)


def _print_error(exc: EdgeappError) -> None:
    click.secho(f"Error: {exc}", fg="red", err=True)
    action = exc.action
    command = action.as_command() if action is not None else None
    said = str(exc)
    if command and command not in said and not (action.setting and action.setting in said):
        click.secho(f"  To fix: {command}", fg="red", err=True)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="edgeapp")
def main() -> None:
    """edgeapp: a local model answers; a scrubbed cloud model helps only when it must."""


def _show_payload(payload) -> None:
    """What would leave the machine, for the confirm-before-send question."""
    from .. import wording

    messages = [m for m in payload.messages if m[0] != "system"]
    click.secho("\nAbout to send to the cloud (after scrubbing):", fg="yellow", err=True)
    if len(messages) > 1:
        click.secho(
            f"  ({len(messages) - 1} earlier message(s) of this conversation go with it)", dim=True, err=True
        )
    click.echo("  " + messages[-1][1].replace("\n", "\n  "), err=True)
    what = wording.entity_phrase(payload.entities)
    click.secho(f"  masked: {what}" if what else "  nothing needed masking", dim=True, err=True)


def _ask_terminal(payload) -> bool:
    _show_payload(payload)
    return click.confirm("Send it?", default=False, err=True)


def _run_turn(assistant, conversation, text: str, options, *, stream_out: bool) -> Iterator:
    """Run one turn, printing as it goes; Ctrl-C stops the turn (recorded as stopped) rather than
    the program."""
    import signal
    import threading

    from ..assistant import CloudRestart, CloudToken, Escalating, LocalToken, Notice, TurnDone
    from ..cancel import CancelToken

    cancel = CancelToken()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        for event in assistant.ask(conversation, text, options, cancel=cancel):
            if isinstance(event, LocalToken) and stream_out:
                click.secho(event.text, nl=False, dim=True)
            elif isinstance(event, Escalating) and stream_out:
                click.secho(f"\n↗ {event.reason}", fg="yellow", err=True)
            elif isinstance(event, CloudToken) and stream_out:
                click.echo(event.text, nl=False)
            elif isinstance(event, CloudRestart) and stream_out:
                click.secho(
                    f"\n↻ the cloud answer broke off ({event.reason}); retrying", fg="yellow", err=True
                )
            elif isinstance(event, Notice):
                if event.kind == "sending":
                    if stream_out:
                        click.secho(f"↗ {event.text}", fg="yellow", err=True)
                else:
                    click.secho(f"\n! {event.text}", fg="yellow", err=True)
            elif isinstance(event, TurnDone):
                yield event.result
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _currency(assistant) -> str:
    try:
        return assistant.settings["budget.currency"]
    except EdgeappError:
        return "USD"


@main.command()
@click.argument("question", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable record of the turn.")
@click.option(
    "--mode", type=click.Choice(["auto", "local", "cloud"]), help="Override router.mode for this turn."
)
@click.option("--threshold", type=float, help="Override router.threshold for this turn.")
@click.option(
    "--yes",
    "-y",
    is_flag=True,
    help="With privacy.confirm_before_send on: send without asking (needed without a terminal).",
)
def ask(
    question: tuple[str, ...], as_json: bool, mode: str | None, threshold: float | None, yes: bool
) -> None:
    """Ask one question and print the answer."""
    from .. import wording
    from ..assistant import Assistant, TurnOptions

    if yes:

        def confirm(payload) -> bool:
            return True
    elif sys.stdin.isatty():
        confirm = _ask_terminal
    else:

        def confirm(payload) -> bool:
            click.secho(
                "privacy.confirm_before_send is on and there is no terminal to ask: not sent "
                "(pass --yes to send).",
                fg="yellow",
                err=True,
            )
            return False

    assistant = Assistant()
    try:
        conversation = assistant.new_conversation()
        options = TurnOptions(mode=mode, threshold=threshold, confirm=confirm, client="cli")
        result = next(_run_turn(assistant, conversation, " ".join(question), options, stream_out=False))
        currency = _currency(assistant)
    finally:
        assistant.close()
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.answer)
        click.secho(wording.status_line(result, currency), dim=True, err=True)


CHAT_HELP = (
    "/new starts a conversation, /list shows the recent ones, /open N resumes one, "
    "/rename TITLE names this one, /quit (or Ctrl-D) leaves; Ctrl-C stops an answer."
)


def _chat_command(assistant, state: dict, line: str) -> bool:
    """A /command of the chat; returns False to leave."""
    word, _, arg = line.partition(" ")
    arg = arg.strip()
    if word in ("/quit", "/exit"):
        return False
    if word == "/new":
        state["conversation"] = assistant.conversations.new()
        click.secho("(new conversation)", dim=True)
    elif word == "/list":
        found = assistant.conversations.search(arg) if arg else assistant.conversations.list(limit=20)
        state["listed"] = [c.id for c in found]
        if not found:
            click.secho("(no conversations yet)" if not arg else "(nothing matches)", dim=True)
        for n, c in enumerate(found, 1):
            click.echo(f"{n:>3}. {c.title}  ", nl=False)
            click.secho(
                f"{c.turns} turn{'s' if c.turns != 1 else ''} · {c.last_activity[:16].replace('T', ' ')} UTC · {c.id}",
                dim=True,
            )
    elif word == "/open":
        listed = state.get("listed") or []
        target = listed[int(arg) - 1] if arg.isdigit() and 0 < int(arg) <= len(listed) else arg
        if not target:
            click.secho("Usage: /open N (from /list) or /open ID", fg="yellow")
            return True
        conversation = assistant.conversations.load(target)
        state["conversation"] = conversation
        click.secho(
            f"(resumed {conversation.title or conversation.id}: "
            f"{sum(m['role'] == 'user' for m in conversation.messages)} turns)",
            dim=True,
        )
        last = [m for m in conversation.messages if m["role"] == "assistant"][-1:]
        if last:
            click.secho(f"last answer: {last[0]['content'][:300]}", dim=True)
    elif word == "/rename":
        conversation = state["conversation"]
        if not any(m["role"] == "user" for m in conversation.messages):
            click.secho("Ask something first: a conversation is kept from its first turn.", fg="yellow")
        else:
            assistant.conversations.rename(conversation.id, arg)
            conversation.title = arg
            click.secho(f"(renamed: {arg})", dim=True)
    else:
        click.secho(CHAT_HELP, fg="yellow")
    return True


@main.command()
@click.option("--mode", type=click.Choice(["auto", "local", "cloud"]), help="Override router.mode.")
@click.option("--threshold", type=float, help="Override router.threshold.")
def chat(mode: str | None, threshold: float | None) -> None:
    """Chat in the terminal. /new, /list, /open N, /rename TITLE, /quit (or Ctrl-D)."""
    from .. import wording
    from ..assistant import Assistant, TurnOptions

    assistant = Assistant()
    state: dict = {"conversation": assistant.conversations.new()}
    options = TurnOptions(mode=mode, threshold=threshold, confirm=_ask_terminal, client="cli")
    click.secho("edgeapp chat — local model first, cloud when unsure. " + CHAT_HELP, bold=True)
    try:
        while True:
            try:
                text = input("\nyou> ")
            except (EOFError, KeyboardInterrupt):
                click.echo()
                break
            if text.strip().startswith("/"):
                try:
                    if not _chat_command(assistant, state, text.strip()):
                        break
                except EdgeappError as exc:
                    _print_error(exc)
                continue
            if not text.strip():
                continue
            click.echo("edgeapp> ", nl=False)
            try:
                for result in _run_turn(assistant, state["conversation"], text, options, stream_out=True):
                    if result.stopped:
                        click.secho("\n(stopped)", dim=True)
                    elif result.route != "cloud" and result.route != "local":
                        click.echo("\n" + result.answer, nl=False)
                    click.echo()
                    click.secho(wording.status_line(result, _currency(assistant)), dim=True)
            except EdgeappError as exc:
                click.echo()
                _print_error(exc)
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
    from .. import paths

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
        from .scrub import scrub_command

        main.add_command(scrub_command, "scrub")
    except ImportError:
        pass
    try:
        from .ledger import COMMANDS

        for command in COMMANDS:
            main.add_command(command)
    except ImportError:
        pass
    from .evaluation import COMMANDS as EVAL_COMMANDS

    for command in EVAL_COMMANDS:
        main.add_command(command)
    from .gui import gui_command  # no Qt import until the command runs

    main.add_command(gui_command)
    from .doctor import doctor_command

    main.add_command(doctor_command)
    from .models import models_group  # edgeapp models list|pull|use|rm|info|clean

    main.add_command(models_group)
    try:  # the companion (edgeapp/api): needs starlette + uvicorn
        from .serve import COMMANDS as API_COMMANDS

        for command in API_COMMANDS:
            main.add_command(command)
    except ImportError:
        pass


_register_optional()

if __name__ == "__main__":  # pragma: no cover
    main()
