"""Model downloads against a real HTTP server on 127.0.0.1: Range resume after a dropped connection,
a server that ignores Range, a file that changes between attempts, a wrong hash, a file that is not
GGUF, a full disk (a real 4 MB tmpfs where the machine allows mounting one, and the free-space call
faked at its one boundary), cancel, progress, partials kept and cleaned, and `edgeapp models pull`
end to end (the embedded model served over loopback, switched to, and answering)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import socket
import struct
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from edgeapp import config
from edgeapp.cancel import CancelToken
from edgeapp.cli.main import main
from edgeapp.models import catalog as catalog_mod
from edgeapp.models import downloads, manager, models_dir
from edgeapp.models.gguf_info import GGUFError


# -- a small GGUF and a server that misbehaves on request ------------------------------------------
def gguf_bytes(n_floats: int = 500_000, seed: int = 0, arch: str = "llama") -> bytes:
    """A valid GGUF v3 file (header, metadata, one f32 tensor of random data): ~2 MB by default."""

    def s(text: str) -> bytes:
        raw = text.encode()
        return struct.pack("<Q", len(raw)) + raw

    u32 = lambda v: struct.pack("<I", v)  # noqa: E731
    kvs = [("general.architecture", 8, s(arch)), ("general.name", 8, s(f"tiny test {seed}")),
           (f"{arch}.context_length", 4, u32(2048)), (f"{arch}.block_count", 4, u32(2)),
           (f"{arch}.attention.head_count", 4, u32(4)), (f"{arch}.attention.head_count_kv", 4, u32(2)),
           (f"{arch}.embedding_length", 4, u32(256)), ("general.file_type", 4, u32(0)),
           ("tokenizer.chat_template", 8, s("{% for m in messages %}{{ m.content }}{% endfor %}"))]
    out = b"GGUF" + u32(3) + struct.pack("<QQ", 1, len(kvs))
    for key, kind, value in kvs:
        out += s(key) + u32(kind) + value
    out += s("blob") + u32(1) + struct.pack("<Q", n_floats) + u32(0) + struct.pack("<Q", 0)
    out += b"\0" * (-len(out) % 32)
    return out + random.Random(seed).randbytes(n_floats * 4)


class ModelServer:
    """Serves one file at /model.gguf with Range support, and can: drop the connection after N
    bytes (`drops` times), ignore Range, honour If-Range or not, leave out Content-Length, change the
    file. Every request is logged (Range, If-Range, status)."""

    def __init__(self, content: bytes):
        self.set_content(content)
        self.drop_after: int | None = None
        self.drops = 0
        self.ignore_range = False
        self.honor_if_range = False
        self.no_length = False
        self.pace = 0.0  # seconds to wait between 256 KiB writes (a slow link)
        self.log: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                body, status, extra = server.content, 200, {}
                wanted = self.headers.get("Range")
                if_range = self.headers.get("If-Range")
                if wanted and not server.ignore_range:
                    start = int(re.match(r"bytes=(\d+)-$", wanted).group(1))
                    if server.honor_if_range and if_range and if_range != server.etag:
                        start = 0  # changed: the whole file, 200
                    elif start >= len(body):
                        server.log.append({"range": wanted, "if_range": if_range, "status": 416})
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(body)}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    else:
                        status = 206
                        extra["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
                    body = body[start:]
                server.log.append({"range": wanted, "if_range": if_range, "status": status})
                self.send_response(status)
                self.send_header("ETag", server.etag)
                self.send_header("Accept-Ranges", "bytes")
                for key, value in extra.items():
                    self.send_header(key, value)
                if server.no_length:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.drop_after is not None and server.drops > 0:
                    server.drops -= 1
                    self.wfile.write(body[: server.drop_after])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                for i in range(0, len(body), 256 * 1024):
                    self.wfile.write(body[i:i + 256 * 1024])
                    if server.pace:
                        time.sleep(server.pace)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # the client hung up on a connection we dropped on purpose

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/model.gguf"

    def set_content(self, content: bytes) -> None:
        self.content = content
        self.sha256 = hashlib.sha256(content).hexdigest()
        self.etag = f'"{self.sha256[:16]}"'

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def served():
    server = ModelServer(gguf_bytes())
    yield server
    server.close()


@pytest.fixture
def folder(edgeapp_home) -> Path:
    return models_dir()


def plain_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    return session


def fetch(server: ModelServer, folder: Path, **kw):
    kw.setdefault("retry_wait", 0.01)
    kw.setdefault("session", plain_session())
    return downloads.download(server.url, folder / "tiny.gguf", **kw)


def models_here(folder: Path) -> list[str]:
    """What sits where models are looked up (the partial folder is not one of them)."""
    return sorted(p.name for p in folder.iterdir() if p.name != downloads.PARTIAL_DIR)


def partial_files(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / downloads.PARTIAL_DIR).iterdir())


# -- downloads --------------------------------------------------------------------------------------
def test_download_verifies_and_moves_into_place_with_progress(served, folder):
    seen: list[downloads.Progress] = []
    result = fetch(served, folder, sha256=served.sha256, progress=seen.append)
    assert result.verified and result.sha256 == served.sha256 and result.restarts == 0
    assert (folder / "tiny.gguf").read_bytes() == served.content
    assert models_here(folder) == ["tiny.gguf"] and partial_files(folder) == []
    assert seen and seen[-1].done == seen[-1].total == len(served.content)
    assert all(p.bytes_per_s > 0 for p in seen) and seen[-1].seconds_left == 0
    assert served.log == [{"range": None, "if_range": None, "status": 200}]


def test_dropped_connection_resumes_with_range(served, folder):
    served.drop_after, served.drops = 655_360, 1  # a multiple of the 64 KiB reads: all of it is kept
    result = fetch(served, folder, sha256=served.sha256)
    assert (folder / "tiny.gguf").read_bytes() == served.content
    assert [row["status"] for row in served.log] == [200, 206]
    assert served.log[1]["range"] == "bytes=655360-" and served.log[1]["if_range"] == served.etag
    assert result.resumed_from == 655_360 and result.restarts == 0


def test_failed_pull_keeps_only_a_partial_and_the_next_pull_resumes(served, folder):
    served.drop_after, served.drops = 917_504, 1
    with pytest.raises(downloads.DownloadError, match="resumes"):
        fetch(served, folder, sha256=served.sha256, retries=0)
    assert models_here(folder) == []  # nothing half-written where models are looked up
    assert partial_files(folder) == ["tiny.gguf.part", "tiny.gguf.part.json"]
    assert (folder / ".partial" / "tiny.gguf.part").stat().st_size == 917_504
    result = fetch(served, folder, sha256=served.sha256)
    assert served.log[-1]["range"] == "bytes=917504-" and served.log[-1]["status"] == 206
    assert result.resumed_from == 917_504 and (folder / "tiny.gguf").read_bytes() == served.content
    assert partial_files(folder) == []


def test_wrong_hash_deletes_the_file_and_says_so(served, folder):
    with pytest.raises(downloads.ChecksumMismatch, match="sha256"):
        fetch(served, folder, sha256="0" * 64)
    assert models_here(folder) == [] and partial_files(folder) == []


def test_server_that_ignores_range_restarts_cleanly(served, folder):
    served.drop_after, served.drops = 589_824, 1
    served.ignore_range = True
    result = fetch(served, folder, sha256=served.sha256)
    assert [row["status"] for row in served.log] == [200, 200]
    assert served.log[1]["range"] == "bytes=589824-"  # asked to resume, got the whole file again
    assert result.restarts == 1 and result.resumed_from == 0
    assert (folder / "tiny.gguf").read_bytes() == served.content  # no bytes doubled


@pytest.mark.parametrize("honor_if_range", [False, True], ids=["206-with-new-etag", "if-range-200"])
def test_file_changed_between_attempts_starts_again(served, folder, honor_if_range):
    served.drop_after, served.drops = 786_432, 1
    with pytest.raises(downloads.DownloadError):
        fetch(served, folder, retries=0)
    served.set_content(gguf_bytes(n_floats=450_000, seed=7))  # another file: other bytes, ETag, length
    served.honor_if_range = honor_if_range
    result = fetch(served, folder)
    assert (folder / "tiny.gguf").read_bytes() == served.content
    assert result.sha256 == served.sha256 and not result.verified  # no known hash: trusted on first download
    assert result.restarts == 1
    statuses = [row["status"] for row in served.log]
    assert statuses == ([200, 200] if honor_if_range else [200, 206, 200])


def test_changed_length_without_etag_also_restarts(served, folder):
    served.drop_after, served.drops = 786_432, 1
    with pytest.raises(downloads.DownloadError):
        fetch(served, folder, retries=0)
    meta_file = folder / ".partial" / "tiny.gguf.part.json"
    meta = json.loads(meta_file.read_text())
    meta["etag"] = ""  # a server that sends no ETag: only the length can tell
    meta_file.write_text(json.dumps(meta))
    served.set_content(gguf_bytes(n_floats=520_000, seed=3))
    fetch(served, folder)
    assert (folder / "tiny.gguf").read_bytes() == served.content


def test_partial_past_the_end_gets_416_and_starts_again(served, folder):
    part = downloads.partial_dir(folder) / "tiny.gguf.part"
    part.write_bytes(b"x" * (len(served.content) + 10))
    (folder / ".partial" / "tiny.gguf.part.json").write_text(json.dumps({"url": served.url, "etag": served.etag}))
    result = fetch(served, folder, sha256=served.sha256)
    assert [row["status"] for row in served.log] == [416, 200] and result.restarts == 1
    assert (folder / "tiny.gguf").read_bytes() == served.content


def test_not_a_gguf_file_is_refused(served, folder):
    served.set_content(b"<html>" + b"a" * 5000 + b"</html>")
    with pytest.raises(GGUFError, match="not a GGUF"):
        fetch(served, folder)
    assert models_here(folder) == [] and partial_files(folder) == []


def test_not_enough_disk_stops_before_writing(served, folder, monkeypatch):
    monkeypatch.setattr(downloads, "free_bytes", lambda path: len(served.content) // 2)
    with pytest.raises(downloads.DiskFull, match="Not enough disk space"):
        fetch(served, folder, sha256=served.sha256)
    assert models_here(folder) == [] and partial_files(folder) == []


def test_not_enough_disk_for_the_rest_keeps_the_partial(served, folder, monkeypatch):
    served.drop_after, served.drops = 983_040, 1
    with pytest.raises(downloads.DownloadError):
        fetch(served, folder, retries=0)
    monkeypatch.setattr(downloads, "free_bytes", lambda path: 100)
    with pytest.raises(downloads.DiskFull):
        fetch(served, folder)
    assert (folder / ".partial" / "tiny.gguf.part").stat().st_size == 983_040  # kept for later
    monkeypatch.undo()


@pytest.fixture
def small_disk(tmp_path):
    """A real 4 MB filesystem (tmpfs), where this machine lets us mount one (root on Linux)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    if not shutil.which("mount") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_a_real_small_disk(small_disk):
    served = ModelServer(gguf_bytes(n_floats=1_500_000))  # 6 MB for a 4 MB disk
    # the size is known: refused before writing
    with pytest.raises(downloads.DiskFull, match="Not enough disk space"):
        downloads.download(served.url, small_disk / "tiny.gguf", session=plain_session(), retry_wait=0.01)
    # the size is not known (no Content-Length, a catalog size that is wrong): the disk fills up
    served.no_length = True
    with pytest.raises(downloads.DiskFull, match="filled up"):
        downloads.download(served.url, small_disk / "tiny.gguf", expected_size=1000,
                           session=plain_session(), retry_wait=0.01)
    assert sorted(p.name for p in small_disk.iterdir()) == [".partial"]  # no model file appeared
    served.close()


def test_cancel_keeps_the_partial_and_resume_finishes(served, folder):
    token = CancelToken()
    with pytest.raises(downloads.DownloadCancelled, match="resumes"):
        fetch(served, folder, sha256=served.sha256, cancel=token, progress=lambda p: token.set())
    assert models_here(folder) == []
    kept = (folder / ".partial" / "tiny.gguf.part").stat().st_size
    assert 0 < kept < len(served.content)
    result = fetch(served, folder, sha256=served.sha256)
    assert result.resumed_from == kept and (folder / "tiny.gguf").read_bytes() == served.content


def test_partials_are_cleaned_after_a_week_or_on_request(folder):
    part_dir = downloads.partial_dir(folder)
    old, new = part_dir / "old.gguf.part", part_dir / "new.gguf.part"
    for path in (old, new, part_dir / "old.gguf.part.json", part_dir / "new.gguf.part.json"):
        path.write_bytes(b"x" * 10)
    eight_days_ago = time.time() - 8 * 24 * 3600
    for path in (old, part_dir / "old.gguf.part.json"):
        os.utime(path, (eight_days_ago, eight_days_ago))
    removed = downloads.clean_partials(folder)
    assert sorted(p.name for p, _ in removed) == ["old.gguf.part", "old.gguf.part.json"]
    result = CliRunner().invoke(main, ["models", "clean"])
    assert result.exit_code == 0 and "Removed 1 partial download(s)" in result.output
    assert list(part_dir.iterdir()) == []


# -- `edgeapp models pull` with a catalog pointing at the loopback server ---------------------------------
def write_catalog(tmp_path: Path, monkeypatch, extra: str) -> None:
    bundled = catalog_mod.CATALOG_FILE.read_text(encoding="utf-8")
    default_table = bundled.split("\n[", 1)[1].split("\n[", 1)[0]  # the embedded default entry
    path = tmp_path / "catalog.toml"
    path.write_text("[" + default_table + "\n" + extra, encoding="utf-8")
    monkeypatch.setattr(catalog_mod, "CATALOG_FILE", path)


def catalog_entry(name: str, url: str, content: bytes, sha256: str = "", file: str = "tiny.gguf") -> str:
    return f'''
["{name}"]
title = "Tiny test model"
family = "Test"
params = 0.001
url = "{url}"
file = "{file}"
size = {len(content)}
sha256 = "{sha256}"
quant = "F32"
context = 2048
n_vocab = 1000
kv_bytes_per_token = 4096
ram_mb = 60
license = "MIT"
chat_template = true
good_for = "Tests."
'''


def test_pull_trusts_on_first_download_and_records_the_hash(served, tmp_path, monkeypatch, folder):
    write_catalog(tmp_path, monkeypatch, catalog_entry("tiny-test", served.url, served.content))
    result = CliRunner().invoke(main, ["models", "pull", "tiny-test"])
    assert result.exit_code == 0, result.output
    assert "trusted" in result.output and served.sha256 in result.output
    record = manager.record_for("tiny.gguf")
    assert record["sha256"] == served.sha256 and record["trusted_on_first_download"] is True
    again = CliRunner().invoke(main, ["models", "pull", "tiny-test"])
    assert again.exit_code == 0 and "already here" in again.output and len(served.log) == 1
    listed = json.loads(CliRunner().invoke(main, ["models", "list", "--json"]).output)
    row = next(r for r in listed["models"] if r["name"] == "tiny-test")
    assert row["installed"] and row["verified"] == "first download" and not row["in_use"]


def test_pull_with_a_wrong_catalog_hash_fails_in_one_sentence(served, tmp_path, monkeypatch, folder):
    write_catalog(tmp_path, monkeypatch, catalog_entry("tiny-test", served.url, served.content, sha256="ab" * 32))
    result = CliRunner().invoke(main, ["models", "pull", "tiny-test"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and errors[0].startswith("Error: tiny.gguf arrived damaged or altered")
    assert "To fix" not in result.stderr
    assert models_here(folder) == []


def test_pull_then_use_then_answer_with_the_embedded_model_served_over_loopback(tmp_path, monkeypatch, default_model):
    content = default_model.read_bytes()
    server = ModelServer(content)
    try:
        sha = catalog_mod.file_sha256(default_model)
        write_catalog(tmp_path, monkeypatch,
                      catalog_entry("smol-copy", server.url, content, sha256=sha, file="smol-copy.gguf"))
        server.drop_after, server.drops = 41_943_040, 1  # the first attempt breaks 40 MB in
        result = CliRunner().invoke(main, ["models", "pull", "smol-copy", "--use"])
        assert result.exit_code == 0, result.output + result.stderr
        assert "sha256 verified" in result.output and "local.model_path" in result.output
        assert [row["status"] for row in server.log] == [200, 206]
        path = models_dir() / "smol-copy.gguf"
        assert config.load()["local.model_path"] == str(path)
        answer = CliRunner().invoke(main, ["ask", "--json", "--mode", "local", "Say hello."])
        assert answer.exit_code == 0, answer.stderr
        assert json.loads(answer.stdout)["route"] == "local"
    finally:
        server.close()
