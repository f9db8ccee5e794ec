"""Real HTTP servers on 127.0.0.1 for tests: the llama.cpp OpenAI-compatible server as the
cloud stand-in, a recording proxy in front of it, and a server that misbehaves on purpose."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_llama_server(model: Path, *, n_ctx: int = 2048, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", str(n_ctx), "--model_alias", "stand-in-cloud"],
        stdout=out, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited with {proc.returncode}; see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/v1/models")
            if conn.getresponse().status == 200:
                return proc, f"http://127.0.0.1:{port}/v1"
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("llama_cpp.server did not start within 120 s")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@dataclass
class RecordingProxy:
    """Forwards everything to `target` and keeps each request body it saw."""

    target: str  # http://127.0.0.1:PORT
    bodies: list[dict] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)

    def start(self) -> str:
        proxy = self
        host, port = self.target.split("//")[1].split("/")[0].split(":")

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _forward(self, method: str):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if body:
                    proxy.bodies.append(json.loads(body))
                    proxy.headers.append(dict(self.headers))
                conn = http.client.HTTPConnection(host, int(port), timeout=300)
                conn.request(method, self.path, body=body, headers={"Content-Type": "application/json"})
                resp = conn.getresponse()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "content-length", "connection"):
                        self.send_header(k, v)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                while True:
                    chunk = resp.read1(65536)
                    if not chunk:
                        break
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
                conn.close()

            def do_POST(self):
                self._forward("POST")

            def do_GET(self):
                self._forward("GET")

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def completion_json(text: str, model: str = "fault-model", usage: tuple[int, int] = (12, 7)) -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
    }


def sse_chunks(text: str, model: str = "fault-model", usage: tuple[int, int] = (12, 7)) -> list[bytes]:
    words = [w + " " for w in text.split(" ")]
    words[-1] = words[-1].rstrip()
    out = []
    for w in words:
        chunk = {"id": "c", "object": "chat.completion.chunk", "model": model,
                 "choices": [{"index": 0, "delta": {"content": w}, "finish_reason": None}]}
        out.append(b"data: " + json.dumps(chunk).encode() + b"\n\n")
    final = {"id": "c", "object": "chat.completion.chunk", "model": model,
             "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}}
    out.append(b"data: " + json.dumps(final).encode() + b"\n\n")
    out.append(b"data: [DONE]\n\n")
    return out


class FaultServer:
    """An OpenAI-compatible endpoint that misbehaves as scripted.

    Each request pops the next action from `script` (the last one repeats):
      ("ok", text)                 a good answer (JSON or SSE, as the client asked)
      ("status", code)             that HTTP status with a JSON error body
      ("retry_after", code, secs)  that status with a Retry-After header
      ("hang", secs)               accept, then send nothing for secs (read timeout)
      ("malformed",)               200 with a body that is not JSON
      ("cut", text)                start an SSE stream and close the connection mid-way
      ("no_usage", text)           a good answer without a usage block
    """

    def __init__(self, script: list[tuple], *, model: str = "fault-model", usage: tuple[int, int] = (12, 7)):
        self.script = deque(script)
        self.model, self.usage = model, usage
        self.requests: list[dict] = []
        self.raw: list[bytes] = []  # each request body exactly as it arrived
        self.times: list[float] = []

    def _next(self) -> tuple:
        return self.script.popleft() if len(self.script) > 1 else self.script[0]

    def start(self) -> str:
        fault = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _json(self, code: int, obj, extra: dict | None = None):
                data = json.dumps(obj).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                fault.raw.append(raw)
                body = json.loads(raw or b"{}")
                fault.requests.append(body)
                fault.times.append(time.monotonic())
                action = fault._next()
                kind = action[0]
                stream = bool(body.get("stream"))
                if kind in ("ok", "no_usage"):
                    text = action[1]
                    if stream:
                        chunks = sse_chunks(text, model=fault.model, usage=fault.usage)
                        if kind == "no_usage":
                            chunks = [c for c in chunks if b'"usage"' not in c]
                        self.send_response(200)
                        self.send_header("Content-Type", "text/event-stream")
                        self.send_header("Connection", "close")
                        self.end_headers()
                        for c in chunks:
                            self.wfile.write(c)
                            self.wfile.flush()
                        self.close_connection = True
                    else:
                        obj = completion_json(text, fault.model, fault.usage)
                        if kind == "no_usage":
                            obj.pop("usage")
                        self._json(200, obj)
                elif kind == "status":
                    self._json(action[1], {"error": {"message": f"scripted {action[1]}", "type": "server_error"}})
                elif kind == "retry_after":
                    self._json(action[1], {"error": {"message": "rate limited", "type": "rate_limit"}},
                               {"Retry-After": str(action[2])})
                elif kind == "hang":
                    time.sleep(action[1])
                    self.close_connection = True
                elif kind == "malformed":
                    data = b"<html>this is not json"
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                elif kind == "cut":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream" if stream else "application/json")
                    if not stream:
                        self.send_header("Content-Length", "500")
                    self.end_headers()
                    chunks = sse_chunks(action[1]) if stream else [json.dumps(completion_json(action[1])).encode()[:40]]
                    for c in chunks[: max(1, len(chunks) // 2)]:
                        self.wfile.write(c)
                        self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
