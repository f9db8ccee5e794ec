"""`edgeapp gui`: open the desktop window. No Qt import here (the CLI imports this module)."""

from __future__ import annotations

import sys

import click


@click.command("gui")
def gui_command() -> None:
    """Open the desktop window (the chat, your conversations, settings)."""
    try:
        from ..gui.app import main
    except ImportError as exc:  # PySide6 or markdown-it-py missing
        raise click.ClickException(
            f"The desktop window needs PySide6 and markdown-it-py ({exc}). "
            "Install them with `pip install PySide6-Essentials markdown-it-py`, or use `edgeapp chat`."
        ) from exc
    sys.exit(main())
