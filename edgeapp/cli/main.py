"""The `edgeapp` command: the group, and the one table of its commands.

A command is loaded when it runs or when help lists it (click's documented LazyGroup pattern),
never when this module is imported: `edgeapp ask` imports the chat commands and the core, not Qt,
the API server or the evaluation stack. Commands only parse, call the core and print.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Mapping
from typing import Any

import click

from .. import __version__
from ..errors import EdgeappError
from .errors import print_error

# the command's name -> "module:attribute" of its click command (or group)
COMMANDS: dict[str, str] = {
    "ask": "edgeapp.cli.chat:ask_command",
    "chat": "edgeapp.cli.chat:chat_command",
    "config": "edgeapp.cli.settings:config_group",
    "keys": "edgeapp.cli.settings:keys_group",
    "scrub": "edgeapp.cli.scrub:scrub_command",
    "log": "edgeapp.cli.ledger:log_command",
    "sent": "edgeapp.cli.ledger:sent_command",
    "export": "edgeapp.cli.ledger:export_command",
    "budget": "edgeapp.cli.ledger:budget_group",
    "price": "edgeapp.cli.ledger:price_group",
    "encrypt": "edgeapp.cli.encryption:encrypt_command",
    "eval": "edgeapp.cli.evaluation:eval_command",
    "calibrate": "edgeapp.cli.evaluation:calibrate_command",
    "feedback": "edgeapp.cli.evaluation:feedback_command",
    "models": "edgeapp.cli.models:models_group",
    "serve": "edgeapp.cli.serve:serve_command",
    "gui": "edgeapp.cli.gui:gui_command",
    "doctor": "edgeapp.cli.doctor:doctor_command",
}


class LazyGroup(click.Group):
    """A group whose commands are named in a table and imported on first use."""

    def __init__(self, *args: Any, lazy_commands: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = self.lazy_commands.get(cmd_name)
        if where is None:
            return super().get_command(ctx, cmd_name)
        command = pkgutil.resolve_name(where)
        if not isinstance(command, click.Command):
            raise TypeError(f"{where} is not a click command (the table in edgeapp/cli/main.py)")
        return command


class EdgeappGroup(LazyGroup):
    """Turns EdgeappError into one clear sentence on stderr (and the command that fixes it) and exit
    status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EdgeappError as exc:
            print_error(exc)
            ctx.exit(1)


@click.group(cls=EdgeappGroup, lazy_commands=COMMANDS)
@click.version_option(__version__, prog_name="edgeapp")
def main() -> None:
    """edgeapp: a local model answers; a scrubbed cloud model helps only when it must."""


if __name__ == "__main__":  # pragma: no cover
    main()
