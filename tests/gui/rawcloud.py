"""A loopback OpenAI-compatible endpoint that keeps the exact bytes of every request body, so a test
can compare what the review view shows with what reached the server, byte for byte."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler

from ..servers import _Server, completion_json, sse_chunks


class RawCloud:
    def __init__(self, reply: str = "Hello <PERSON_1>, noted.", usage: tuple[int, int] = (60, 20)):
        self.reply = reply
        self.usage = usage
        self.bodies: list[bytes] = []

    def start(self) -> str:
        cloud = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                cloud.bodies.append(raw)
                body = json.loads(raw or b"{}")
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for chunk in sse_chunks(cloud.reply, model="stand-in-cloud", usage=cloud.usage):
                        self.wfile.write(chunk)
                        self.wfile.flush()
                    self.close_connection = True
                else:
                    data = json.dumps(completion_json(cloud.reply, "stand-in-cloud", cloud.usage)).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
