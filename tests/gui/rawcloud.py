"""A loopback OpenAI-compatible endpoint that keeps the exact bytes of every request body, so a test
can compare what the review view shows with what reached the server, byte for byte."""

from __future__ import annotations

from ..servers import FaultServer


class RawCloud(FaultServer):
    """Always answers `reply` as model `stand-in-cloud`; `bodies` are the request bodies as received."""

    def __init__(self, reply: str = "Hello <PERSON_1>, noted.", usage: tuple[int, int] = (60, 20)):
        super().__init__([("ok", reply)], model="stand-in-cloud", usage=usage)

    @property
    def bodies(self) -> list[bytes]:
        return self.raw
