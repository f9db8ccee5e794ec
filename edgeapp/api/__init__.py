"""The companion face: an OpenAI-compatible endpoint and a phone page over the one `Assistant`.

`edgeapp serve` runs it (edgeapp/api/cli.py); the desktop window starts it in-process with
`CompanionServer` (edgeapp/gui/companion.py). No Qt here.
"""

from .app import ServerOptions, create_app
from .server import DEFAULT_PORT, LAN_WARNING, CompanionServer, ServeConfig

__all__ = ["DEFAULT_PORT", "LAN_WARNING", "CompanionServer", "ServeConfig", "ServerOptions", "create_app"]
