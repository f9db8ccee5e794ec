"""How the terminal shows an EdgeappError: one red sentence on stderr, and the command that fixes
it when the error carries one the sentence does not already say."""

from __future__ import annotations

import click

from ..errors import EdgeappError


def print_error(exc: EdgeappError) -> None:
    click.secho(f"Error: {exc}", fg="red", err=True)
    action = exc.action
    command = action.as_command() if action is not None else None
    said = str(exc)
    if command and command not in said and not (action.setting and action.setting in said):
        click.secho(f"  To fix: {command}", fg="red", err=True)
