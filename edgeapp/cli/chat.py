"""`edgeapp ask` (one question) and `edgeapp chat` (a conversation in the terminal, with /commands
to start, list, resume and rename conversations). Every turn goes through the Assistant; Ctrl-C
stops an answer (recorded as stopped), not the program.

The Assistant (and with it the model, Presidio and the ledger) is imported when a command runs,
not when `edgeapp --help` lists these commands."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

from .. import wording
from ..cancel import CancelToken
from ..errors import EdgeappError
from ..gatekeeper import ScrubbedPayload
from .errors import print_error

if TYPE_CHECKING:
    from ..assistant import Assistant, Conversation, Event, TurnOptions, TurnResult

MODES = click.Choice(["auto", "local", "cloud"])
CHAT_HELP = (
    "/new starts a conversation, /list shows the recent ones, /open N resumes one, "
    "/rename TITLE names this one, /quit (or Ctrl-D) leaves; Ctrl-C stops an answer."
)
Confirm = Callable[[ScrubbedPayload], bool]


def show_payload(payload: ScrubbedPayload) -> None:
    """What would leave the machine, for the confirm-before-send question."""
    messages = [m for m in payload.messages if m[0] != "system"]
    click.secho("\nAbout to send to the cloud (after scrubbing):", fg="yellow", err=True)
    if len(messages) > 1:
        click.secho(
            f"  ({len(messages) - 1} earlier message(s) of this conversation go with it)", dim=True, err=True
        )
    click.echo("  " + messages[-1][1].replace("\n", "\n  "), err=True)
    what = wording.entity_phrase(payload.entities)
    click.secho(f"  masked: {what}" if what else "  nothing needed masking", dim=True, err=True)


def ask_terminal(payload: ScrubbedPayload) -> bool:
    show_payload(payload)
    return click.confirm("Send it?", default=False, err=True)


def send_without_asking(payload: ScrubbedPayload) -> bool:
    return True


def keep_without_a_terminal(payload: ScrubbedPayload) -> bool:
    click.secho(
        "privacy.confirm_before_send is on and there is no terminal to ask: not sent (pass --yes to send).",
        fg="yellow",
        err=True,
    )
    return False


def show_event(event: Event, stream_out: bool) -> None:
    """Print one event of a turn: tokens and notices as they come (`stream_out`), warnings always."""
    from ..assistant import CloudRestart, CloudToken, Escalating, LocalToken, Notice

    if isinstance(event, LocalToken) and stream_out:
        click.secho(event.text, nl=False, dim=True)
    elif isinstance(event, Escalating) and stream_out:
        click.secho(f"\n↗ {event.reason}", fg="yellow", err=True)
    elif isinstance(event, CloudToken) and stream_out:
        click.echo(event.text, nl=False)
    elif isinstance(event, CloudRestart) and stream_out:
        click.secho(f"\n↻ the cloud answer broke off ({event.reason}); retrying", fg="yellow", err=True)
    elif isinstance(event, Notice):
        if event.kind != "sending":
            click.secho(f"\n! {event.text}", fg="yellow", err=True)
        elif stream_out:
            click.secho(f"↗ {event.text}", fg="yellow", err=True)


def show_findings(result: TurnResult, *, err: bool = False) -> None:
    """What the guardian found in the cloud's reply, one warning line each (nothing when none)."""
    for finding in wording.guardian_findings(result):
        click.secho(f"⚠ {wording.finding_line(finding)}", fg="yellow", err=err)


def run_turn(
    assistant: Assistant, conversation: Conversation, text: str, options: TurnOptions, *, stream_out: bool
) -> Iterator[TurnResult]:
    """Run one turn, printing as it goes; Ctrl-C stops the turn (recorded as stopped) rather than
    the program."""
    from ..assistant import TurnDone

    cancel = CancelToken()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        for event in assistant.ask(conversation, text, options, cancel=cancel):
            if isinstance(event, TurnDone):
                yield event.result
            else:
                show_event(event, stream_out)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def currency(assistant: Assistant) -> str:
    try:
        return assistant.settings["budget.currency"]
    except EdgeappError:
        return "USD"


@click.command("ask")
@click.argument("question", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable record of the turn.")
@click.option("--mode", type=MODES, help="Override router.mode for this turn.")
@click.option("--threshold", type=float, help="Override router.threshold for this turn.")
@click.option(
    "--yes",
    "-y",
    is_flag=True,
    help="With privacy.confirm_before_send on: send without asking (needed without a terminal).",
)
def ask_command(
    question: tuple[str, ...], as_json: bool, mode: str | None, threshold: float | None, yes: bool
) -> None:
    """Ask one question and print the answer."""
    from ..assistant import Assistant, TurnOptions

    if yes:
        confirm: Confirm = send_without_asking
    elif sys.stdin.isatty():
        confirm = ask_terminal
    else:
        confirm = keep_without_a_terminal
    assistant = Assistant()
    try:
        conversation = assistant.new_conversation()
        options = TurnOptions(mode=mode, threshold=threshold, confirm=confirm, client="cli")
        result = next(run_turn(assistant, conversation, " ".join(question), options, stream_out=False))
        money = currency(assistant)
    finally:
        assistant.close()
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.answer)
        click.secho(wording.status_line(result, money), dim=True, err=True)
        show_findings(result, err=True)


@dataclass
class ChatState:
    conversation: Conversation
    listed: list[str] = field(default_factory=list)  # ids shown by the last /list, for /open N


def list_conversations(assistant: Assistant, state: ChatState, query: str) -> None:
    found = assistant.conversations.search(query) if query else assistant.conversations.list(limit=20)
    state.listed = [c.id for c in found]
    if not found:
        click.secho("(no conversations yet)" if not query else "(nothing matches)", dim=True)
    for n, c in enumerate(found, 1):
        click.echo(f"{n:>3}. {c.title}  ", nl=False)
        when = c.last_activity[:16].replace("T", " ")
        click.secho(f"{c.turns} turn{'s' if c.turns != 1 else ''} · {when} UTC · {c.id}", dim=True)


def open_conversation(assistant: Assistant, state: ChatState, arg: str) -> None:
    listed = state.listed
    target = listed[int(arg) - 1] if arg.isdigit() and 0 < int(arg) <= len(listed) else arg
    if not target:
        click.secho("Usage: /open N (from /list) or /open ID", fg="yellow")
        return
    conversation = assistant.conversations.load(target)
    state.conversation = conversation
    turns = sum(m["role"] == "user" for m in conversation.messages)
    click.secho(f"(resumed {conversation.title or conversation.id}: {turns} turns)", dim=True)
    last = [m for m in conversation.messages if m["role"] == "assistant"][-1:]
    if last:
        click.secho(f"last answer: {last[0]['content'][:300]}", dim=True)


def rename_conversation(assistant: Assistant, state: ChatState, title: str) -> None:
    conversation = state.conversation
    if not any(m["role"] == "user" for m in conversation.messages):
        click.secho("Ask something first: a conversation is kept from its first turn.", fg="yellow")
        return
    assistant.conversations.rename(conversation.id, title)
    conversation.title = title
    click.secho(f"(renamed: {title})", dim=True)


def chat_slash_command(assistant: Assistant, state: ChatState, line: str) -> bool:
    """A /command of the chat; returns False to leave."""
    word, _, arg = line.partition(" ")
    arg = arg.strip()
    if word in ("/quit", "/exit"):
        return False
    if word == "/new":
        state.conversation = assistant.conversations.new()
        click.secho("(new conversation)", dim=True)
    elif word == "/list":
        list_conversations(assistant, state, arg)
    elif word == "/open":
        open_conversation(assistant, state, arg)
    elif word == "/rename":
        rename_conversation(assistant, state, arg)
    else:
        click.secho(CHAT_HELP, fg="yellow")
    return True


def chat_turn(assistant: Assistant, state: ChatState, text: str, options: TurnOptions) -> None:
    """One question of the chat: the answer as it streams, then its status line."""
    click.echo("edgeapp> ", nl=False)
    try:
        for result in run_turn(assistant, state.conversation, text, options, stream_out=True):
            if result.stopped:
                click.secho("\n(stopped)", dim=True)
            elif result.route != "cloud" and result.route != "local":
                click.echo("\n" + result.answer, nl=False)
            click.echo()
            click.secho(wording.status_line(result, currency(assistant)), dim=True)
            show_findings(result)
    except EdgeappError as exc:
        click.echo()
        print_error(exc)


def local_model_title(assistant: Assistant) -> str:
    """The model that will answer, by its human name (nothing is loaded to learn it)."""
    from ..models.manager import model_in_use
    from ..models.names import model_title

    path = model_in_use(assistant.settings)
    return model_title(path) if path is not None else "the local model"


def first_run_line(assistant: Assistant) -> None:
    """With the embedded model in use: one line naming the model that fits this machine better."""
    from ..models.suggestion import first_run_suggestion

    try:
        suggestion = first_run_suggestion(assistant.settings)
    except EdgeappError:  # a damaged catalog: `edgeapp models list` says what is wrong
        return
    if suggestion is not None:
        click.secho(suggestion.one_line(), fg="cyan")


@click.command("chat")
@click.option("--mode", type=MODES, help="Override router.mode.")
@click.option("--threshold", type=float, help="Override router.threshold.")
def chat_command(mode: str | None, threshold: float | None) -> None:
    """Chat in the terminal. /new, /list, /open N, /rename TITLE, /quit (or Ctrl-D)."""
    from ..assistant import Assistant, TurnOptions

    assistant = Assistant()
    state = ChatState(assistant.conversations.new())
    options = TurnOptions(mode=mode, threshold=threshold, confirm=ask_terminal, client="cli")
    click.secho(
        f"edgeapp chat — {local_model_title(assistant)} first, cloud when unsure. " + CHAT_HELP, bold=True
    )
    first_run_line(assistant)
    try:
        while True:
            try:
                text = input("\nyou> ")
            except (EOFError, KeyboardInterrupt):
                click.echo()
                break
            if text.strip().startswith("/"):
                try:
                    if not chat_slash_command(assistant, state, text.strip()):
                        break
                except EdgeappError as exc:
                    print_error(exc)
            elif text.strip():
                chat_turn(assistant, state, text, options)
    finally:
        assistant.close()
