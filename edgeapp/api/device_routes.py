"""`/edgeapp/devices`: the paired devices, listed and revoked over the API with the main token (a
device's own token cannot manage devices: a lost phone must not be able to revoke the others)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import ConfigError
from .devices import DeviceStore
from .errors import error_response


class DeviceRoutes:
    def __init__(self, devices: DeviceStore) -> None:
        self.devices = devices

    async def listing(self, request: Request) -> Response:
        found = await asyncio.to_thread(self.devices.devices)
        return JSONResponse({"data": [device.to_dict() for device in found]})

    async def revoke(self, request: Request) -> Response:
        wanted = request.path_params["device_id"]
        try:
            device = await asyncio.to_thread(self.devices.revoke, wanted)
        except ConfigError as exc:
            return error_response(404, str(exc), code="not_found")
        return JSONResponse(device.to_dict())
