"""Who may ask: the bearer token on every request but the page's own files (the main token, or a
paired device's own token that has not been revoked), and a throttle that slows down an address
that keeps sending wrong tokens."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from ..errors import ConfigError
from .devices import Device, DeviceStore
from .errors import error_response
from .options import ServerOptions
from .tokens import matches

Endpoint = Callable[[Request], Awaitable[Response]]

MISSING_TOKEN = (
    "Missing bearer token: send 'Authorization: Bearer <token>' (edgeapp serve prints it; "
    "the OpenAI client sends its api_key this way)."
)
WRONG_TOKEN = "Incorrect API token. Use the token `edgeapp serve` prints, or pair again."


def revoked_message(device: Device) -> str:
    return (
        f"This device's pairing ({device.name}) was revoked on {device.revoked_at[:10]}. "
        "Scan a new pairing code on the computer to connect again."
    )


class FailureThrottle:
    """Counts wrong or missing tokens per address; past `free` failures each answer to that address
    waits longer (doubling up to `max_delay`). Forgotten after 10 minutes without a failure."""

    def __init__(self, free: int, max_delay: float) -> None:
        self.free, self.max_delay = free, max_delay
        self._fails: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def delay(self, address: str) -> float:
        with self._lock:
            count, last = self._fails.get(address, (0, 0.0))
            if time.monotonic() - last > 600:
                count = 0
            count += 1
            self._fails[address] = (count, time.monotonic())
            if len(self._fails) > 10000:  # bounded memory
                self._fails.pop(next(iter(self._fails)))
        if count <= self.free:
            return 0.0
        return min(self.max_delay, 0.25 * 2 ** (count - self.free - 1))

    def forgive(self, address: str) -> None:
        with self._lock:
            self._fails.pop(address, None)


class BearerAuth:
    """Checks `Authorization: Bearer <token>` against `options.token` (read at every request, so a
    rotated token applies at once) and the paired devices' tokens (a revoked one is refused at
    the next request); `guard(endpoint)` answers 401 before the endpoint runs."""

    def __init__(self, options: ServerOptions, devices: DeviceStore) -> None:
        self.options = options
        self.devices = devices
        self.throttle = FailureThrottle(options.fail_free, options.fail_delay_max)

    def _device(self, given: str) -> Device | None:
        try:
            device = self.devices.check(given)
        except ConfigError:  # a damaged devices file: no device gets in; the main token still works
            return None
        if device is not None and not device.revoked:
            self.devices.seen(device)
        return device

    async def refusal(self, request: Request) -> Response | None:
        """None when the bearer token is right, else the 401 (slowed after repeated failures)."""
        header = request.headers.get("authorization") or ""
        scheme, _, given = header.partition(" ")
        given = given.strip()
        address = request.client.host if request.client else "?"
        bearer = scheme.lower() == "bearer"
        if bearer and matches(given, self.options.token):
            self.throttle.forgive(address)
            return None
        device = await asyncio.to_thread(self._device, given) if bearer else None
        if device is not None and not device.revoked:
            self.throttle.forgive(address)
            return None
        delay = self.throttle.delay(address)
        if delay:
            await asyncio.sleep(delay)
        if device is not None:
            message, code = revoked_message(device), "token_revoked"
        else:
            message, code = (WRONG_TOKEN if given else MISSING_TOKEN), "invalid_api_key"
        return error_response(401, message, code=code, headers={"WWW-Authenticate": 'Bearer realm="edgeapp"'})

    def owner_guard(self, endpoint: Endpoint) -> Endpoint:
        """Like `guard`, but only the main token passes: a device's own token gets 403."""

        async def guarded(request: Request) -> Response:
            refused = await self.refusal(request)
            if refused is not None:
                return refused
            given = (request.headers.get("authorization") or "").partition(" ")[2].strip()
            if not matches(given, self.options.token):
                return error_response(
                    403,
                    "Only the main token (the one `edgeapp serve` prints) can manage paired devices.",
                    code="forbidden",
                )
            return await endpoint(request)

        return guarded

    def guard(self, endpoint: Endpoint) -> Endpoint:
        async def guarded(request: Request) -> Response:
            refused = await self.refusal(request)
            return refused if refused is not None else await endpoint(request)

        return guarded
