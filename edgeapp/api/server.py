"""Running the companion: `CompanionServer` starts uvicorn on a thread (the desktop window, tests)
or in the foreground (`edgeapp serve`)."""

from __future__ import annotations

import asyncio
import ipaddress
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette

from ..assistant import Assistant
from ..errors import ConfigError
from . import certificate
from .app import CompanionApp, create_app
from .certificate import Certificate
from .connections import ConnectionLimits, protocol_factory
from .devices import Paired
from .options import ServerOptions
from .pairing import page_host, pairing_url

DEFAULT_PORT = 8765
LAN_WARNING = (
    "edgeapp is listening on the local network. Without TLS (--https, or --tls-cert/--tls-key) the "
    "traffic is readable by anyone on the same network: questions, answers and the token. Use it only "
    "on a network you trust, or add --https."
)


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class ServeConfig:
    token: str
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    lan: bool = False
    tls_cert: Path | None = None
    tls_key: Path | None = None
    https: bool = False  # a self-signed certificate made on first use (certificate.py)
    options: ServerOptions | None = None

    def check(self) -> None:
        if self.lan and self.host == "127.0.0.1":
            self.host = "0.0.0.0"
        if not is_loopback(self.host) and not self.lan:
            raise ConfigError(
                f"Listening on {self.host} exposes edgeapp beyond this computer: add --lan to say "
                "you mean it (and read the warning it prints)."
            )
        if self.https and (self.tls_cert or self.tls_key):
            raise ConfigError(
                "Choose --https (a certificate made for you) or --tls-cert/--tls-key, not both."
            )
        if bool(self.tls_cert) != bool(self.tls_key):
            raise ConfigError("TLS needs both --tls-cert and --tls-key.")
        for path in (self.tls_cert, self.tls_key):
            if path is not None and not Path(path).is_file():
                raise ConfigError(f"The TLS file {path} does not exist.")

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None or self.https


class CompanionServer:
    """uvicorn serving the companion app for one Assistant. `start()` runs it on a thread and
    returns when it listens; `stop()` stops it (turns in flight are stopped and recorded)."""

    def __init__(self, assistant: Assistant, config: ServeConfig) -> None:
        import uvicorn

        config.check()
        self.config = config
        self.assistant = assistant
        options = config.options or ServerOptions(token=config.token)
        options.token = config.token
        self.certificate: Certificate | None = None
        if config.https:
            self.certificate = certificate.ensure([page_host(config.host)])
        cert_file = self.certificate.cert_file if self.certificate else config.tls_cert
        key_file = self.certificate.key_file if self.certificate else config.tls_key
        self.app: Starlette = create_app(assistant, options)
        self.limits = ConnectionLimits(options.head_timeout, options.connections_per_address)
        self._uvicorn = uvicorn.Server(
            uvicorn.Config(
                self.app,
                host=config.host,
                port=config.port,
                log_level="warning",
                access_log=False,
                ssl_certfile=str(cert_file) if cert_file else None,
                ssl_keyfile=str(key_file) if key_file else None,
                timeout_graceful_shutdown=5,
                lifespan="on",
                server_header=False,
                http=protocol_factory(self.limits),
            )
        )
        self._thread: threading.Thread | None = None

    @property
    def companion(self) -> CompanionApp:
        return self.app.state.companion

    @property
    def port(self) -> int:
        servers = getattr(self._uvicorn, "servers", None) or []
        for server in servers:
            for sock in server.sockets:
                return sock.getsockname()[1]
        return self.config.port

    @property
    def url(self) -> str:
        host = self.config.host
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        return f"{'https' if self.config.tls else 'http'}://{shown}:{self.port}"

    @property
    def pairing_url(self) -> str:
        return pairing_url(
            self.config.host, self.port, self.config.token, tls=self.config.tls, fingerprint=self.fingerprint
        )

    def pair_device(self, name: str) -> tuple[Paired, str]:
        """A new paired device with a token of its own, and its pairing URL (for the QR code)."""
        paired = self.companion.devices.pair(name)
        url = pairing_url(
            self.config.host, self.port, paired.token, tls=self.config.tls, fingerprint=self.fingerprint
        )
        return paired, url

    @property
    def fingerprint(self) -> str | None:
        """The SHA-256 of the certificate made for --https (None otherwise)."""
        return self.certificate.fingerprint if self.certificate else None

    def run(self) -> None:
        """Serve in the foreground until interrupted (Ctrl-C)."""
        self._uvicorn.run()

    def start(self, timeout: float = 30.0) -> CompanionServer:
        def serve() -> None:
            asyncio.run(self._uvicorn.serve())

        self._thread = threading.Thread(target=serve, name="edgeapp-companion", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._uvicorn.started:
            if not self._thread.is_alive():
                raise ConfigError(
                    f"The companion server could not listen on {self.config.host}:{self.config.port} "
                    "(is the port in use? choose another with --port)."
                )
            if time.monotonic() > deadline:
                raise ConfigError("The companion server did not start in time.")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
