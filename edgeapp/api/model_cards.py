"""`GET /v1/models` and `/v1/models/{model}`: the three edgeapp models as OpenAI model cards."""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .errors import error_response
from .protocol import MODEL_NOTES, MODELS


class ModelCards:
    def __init__(self) -> None:
        self.started = int(time.time())  # a card's `created`: when this server started

    def card(self, name: str) -> dict[str, Any]:
        return {
            "id": name,
            "object": "model",
            "created": self.started,
            "owned_by": "edgeapp",
            "edgeapp": {"mode": MODELS[name], "description": MODEL_NOTES[name]},
        }

    async def listing(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [self.card(n) for n in MODELS]})

    async def single(self, request: Request) -> Response:
        name = request.path_params["model"]
        if name not in MODELS:
            return error_response(
                404,
                f"The model {name!r} does not exist here. Use one of: {', '.join(MODELS)}.",
                code="model_not_found",
                param="model",
            )
        return JSONResponse(self.card(name))
