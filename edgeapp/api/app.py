"""The companion's HTTP app: OpenAI-compatible `/v1/chat/completions` and `/v1/models`, the phone
page at `/`, a few read-only `/edgeapp/...` endpoints the page uses (budget, its conversations),
and `/edgeapp/devices` to list and revoke paired devices (main token only).

Every request is a turn of the one shared `Assistant` (no routing, scrubbing, pricing or wording
here: route labels and money come from `edgeapp.wording`). A turn runs on a thread of its own and
its events reach the request through an asyncio queue (turns.py). At most `parallel` turns run at
once (the local model itself runs one generation at a time on its owner thread); up to
`queue_limit` more wait; past that the server answers 503 with Retry-After (admission.py). A client
that goes away stops its turn (CancelToken), which the core records as stopped.

This module only assembles the parts: each route lives in a module of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..assistant import Assistant
from .admission import Admission
from .auth import BearerAuth
from .chat_completions import ChatCompletions
from .device_routes import DeviceRoutes
from .devices import DeviceStore
from .errors import error_response
from .model_cards import ModelCards
from .options import ServerOptions
from .page_data import PageData
from .static_files import STATIC, static_file
from .turns import TurnRunner


async def not_found(request: Request, exc: Exception) -> Response:
    return error_response(404, f"There is nothing at {request.url.path}.", code="not_found")


async def not_allowed(request: Request, exc: Exception) -> Response:
    return error_response(
        405, f"{request.method} is not allowed on {request.url.path}.", code="method_not_allowed"
    )


class CompanionApp:
    """The Starlette app around one Assistant: its routes, the bearer check on all of them but the
    page's files, the admission queue, and the turns to stop when the server shuts down."""

    def __init__(self, assistant: Assistant, options: ServerOptions) -> None:
        self.assistant = assistant
        self.options = options
        self.admission = Admission(options.parallel, options.queue_limit)
        self.devices = DeviceStore()
        self.auth = BearerAuth(options, self.devices)
        self.turns = TurnRunner(assistant, self.admission)
        chat = ChatCompletions(assistant, options, self.admission, self.turns)
        models = ModelCards()
        page = PageData(assistant, self.admission)
        devices = DeviceRoutes(self.devices)
        guard, owner = self.auth.guard, self.auth.owner_guard
        routes = [
            Route("/v1/models", guard(models.listing), methods=["GET"]),
            Route("/v1/models/{model}", guard(models.single), methods=["GET"]),
            Route("/v1/chat/completions", guard(chat.handle), methods=["POST"]),
            Route("/edgeapp/status", guard(page.status), methods=["GET"]),
            Route("/edgeapp/conversations", guard(page.conversations), methods=["GET"]),
            Route("/edgeapp/conversations/{conversation_id}", guard(page.conversation), methods=["GET"]),
            Route("/edgeapp/devices", owner(devices.listing), methods=["GET"]),
            Route("/edgeapp/devices/{device_id}/revoke", owner(devices.revoke), methods=["POST"]),
        ]
        routes += [Route(path, static_file, methods=["GET"]) for path in STATIC]
        self.app = Starlette(routes=routes, lifespan=self._lifespan)
        self.app.add_exception_handler(404, not_found)
        self.app.add_exception_handler(405, not_allowed)

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        yield
        await self.shutdown()

    async def shutdown(self) -> None:
        """Stop the turns in flight (each is recorded as stopped) and wait for their threads; note
        when the paired devices were last seen."""
        await self.turns.shutdown()
        await asyncio.to_thread(self.devices.flush_seen)


def create_app(assistant: Assistant, options: ServerOptions) -> Starlette:
    companion = CompanionApp(assistant, options)
    app = companion.app
    app.state.companion = companion
    return app
