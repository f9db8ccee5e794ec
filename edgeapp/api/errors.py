"""Errors in the OpenAI shape: `{"error": {"message", "type", "param", "code"}}`, the status the
OpenAI client turns into its exception classes, and the sentence a user can act on."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from ..errors import EdgeappError, PromptError


def error_body(
    message: str, *, kind: str = "invalid_request_error", code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    return {"message": message, "type": kind, "param": param, "code": code}


def error_response(
    status: int,
    message: str,
    *,
    kind: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    error = error_body(message, kind=kind, code=code, param=param)
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def turn_error(exc: BaseException | None) -> tuple[int, dict[str, Any]]:
    """The status and error body for a turn that failed with `exc` (None: it ended without an
    answer). An EdgeappError keeps its sentence and the action that fixes it (`edgeapp_action`);
    a prompt too long for the model is the client's to fix (400)."""
    if isinstance(exc, EdgeappError):
        if isinstance(exc, PromptError):
            status, kind, code = 400, "invalid_request_error", "context_length_exceeded"
        else:
            status, kind, code = 500, "server_error", type(exc).__name__
        error = error_body(str(exc), kind=kind, code=code)
        if exc.action is not None:
            error["edgeapp_action"] = exc.action.to_dict()
        return status, error
    message = "The turn ended without an answer." if exc is None else f"The turn failed: {exc!r}"
    return 500, error_body(message, kind="server_error", code="internal_error")


def turn_error_response(exc: BaseException | None) -> JSONResponse:
    status, error = turn_error(exc)
    return JSONResponse({"error": error}, status_code=status)
