"""Companion tests: `edgeapp serve`'s app on a real uvicorn on 127.0.0.1, the official `openai`
client against it, the shared embedded model and analyzer, and the loopback cloud stand-in."""

from __future__ import annotations

import pytest

from ..assistants import make_assistant

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
openai = pytest.importorskip("openai")

TOKEN = "test-token-0123456789abcdef"


@pytest.fixture
def serve(local_model, gatekeeper):
    """serve(url=None, *, options=None, **settings) -> a started CompanionServer over an Assistant
    on the shared model (settings saved to config.toml, so the ledger's budget reads them too)."""
    from edgeapp.api import CompanionServer, ServeConfig, ServerOptions

    started = []

    def make(url: str | None = None, *, options: ServerOptions | None = None, **settings):
        assistant = make_assistant(local_model, gatekeeper, url, max_tokens=16, **settings)
        server = CompanionServer(assistant, ServeConfig(token=TOKEN, port=0, options=options)).start()
        started.append((server, assistant))
        return server

    yield make
    for server, assistant in started:
        server.stop()
        assistant.close()


def client(server, token: str = TOKEN, timeout: float = 600, **kw):
    return openai.OpenAI(base_url=server.url + "/v1", api_key=token, max_retries=0, timeout=timeout, **kw)


def turns() -> list[dict]:
    from edgeapp.ledger import Ledger

    with Ledger() as ledger:
        return list(ledger.rows("turns"))
