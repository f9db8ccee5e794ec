"""`edgeapp gui`: open the desktop window. No Qt import here (the CLI imports this module), and none
before edgeapp/display_check.py has said the window can open: Qt aborts the process when its
display plugin cannot load, which a user would read as a crash."""

from __future__ import annotations

import sys

import click

from ..display_check import check


@click.command("gui")
def gui_command() -> None:
    """Open the desktop window (the chat, your conversations, settings)."""
    display = check()
    if not display.ok:
        click.echo(display.problem, err=True)
        sys.exit(1)
    try:
        from ..gui.app import main
    except ImportError as exc:  # PySide6 or markdown-it-py missing
        raise click.ClickException(
            f"The desktop window needs PySide6 and markdown-it-py ({exc}). "
            "Install them with `pip install PySide6-Essentials markdown-it-py`, or use `edgeapp chat`."
        ) from exc
    sys.exit(main())
