"""The companion face: an OpenAI-compatible endpoint and a phone page over the one `Assistant`.

`edgeapp serve` runs it (edgeapp/cli/serve.py); the desktop window starts it in-process with
`CompanionServer` (edgeapp/gui/companion.py). No Qt here. The names below load on first use
(PEP 562), so registering `edgeapp serve` does not import the server, the Assistant and Presidio
with every edgeapp command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attributes

_WHERE = {
    "ServerOptions": ".options",
    "create_app": ".app",
    "DEFAULT_PORT": ".server",
    "LAN_WARNING": ".server",
    "CompanionServer": ".server",
    "ServeConfig": ".server",
}
__all__ = [
    "CompanionServer",
    "DEFAULT_PORT",
    "LAN_WARNING",
    "ServeConfig",
    "ServerOptions",
    "create_app",
]

if TYPE_CHECKING:
    from .app import create_app
    from .options import ServerOptions
    from .server import DEFAULT_PORT, LAN_WARNING, CompanionServer, ServeConfig


__getattr__ = attributes(__name__, _WHERE)
