"""Downloading a model file, only when the user asks.

`download(url, dest, ...)`:
- streams with `requests` into `<models>/.partial/<file>.part`, on the models folder's volume (so
  the final `os.replace` is atomic) and never where models are looked up (`<models>/*.gguf`);
- keeps what the server said about the file (ETag, Last-Modified, length) beside it, in
  `<file>.part.json`, and resumes an interrupted download with `Range: bytes=N-` (and `If-Range`);
- starts again from byte 0, cleanly, when the server ignores Range (a 200 answer), when the file
  changed (another ETag or length in the 206 answer) or when the range is refused (416);
- retries a dropped connection a few times by itself (resuming each time);
- checks free disk before writing (the rest of the file plus a margin), reports progress through a
  callback (bytes done, total, speed, time left) and stops at a `CancelToken`;
- verifies the sha256 (the catalog's; without one the computed hash is returned to be recorded as
  trusted on first download), checks the GGUF header, then fsyncs and moves the file into place.
A failed or cancelled download leaves nothing in the models folder itself: the partial file stays
in `.partial/` to resume, and `clean_partials` removes those older than a week (or all of them).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..cancel import CancelToken
from ..errors import Action, ModelError
from . import MIB

if TYPE_CHECKING:
    import requests

CHUNK = 1 << 20  # hashing a partial file
READ_CHUNK = 64 << 10  # network reads: a dropped connection loses at most this much
DISK_MARGIN = 64 * MIB  # keep this much free beyond the file (1% of it for small files)
PARTIAL_MAX_AGE = 7 * 24 * 3600
PARTIAL_DIR = ".partial"
USER_AGENT = "edgeapp-models/1"


class DownloadError(ModelError):
    """The download failed; the message says why and what to do (pull again resumes)."""

    action = None


class DownloadCancelled(DownloadError):
    """The user cancelled; the partial file is kept for resuming."""


class ChecksumMismatch(DownloadError):
    """The file arrived but its sha256 is not the expected one; it was deleted."""


class DiskFull(DownloadError):
    """Not enough free space for the file."""

    action = Action("Free disk space", command="edgeapp models clean")


@dataclass
class Progress:
    done: int
    total: int | None
    bytes_per_s: float
    seconds_left: float | None
    resumed_from: int = 0


@dataclass
class Result:
    path: Path
    sha256: str
    size: int
    verified: bool  # the hash matched a known one (else: trusted on first download)
    resumed_from: int  # bytes the last request did not fetch: they came from an earlier one
    restarts: int  # times the download started again from byte 0
    attempts: int  # requests made


def partial_dir(models: Path) -> Path:
    path = models / PARTIAL_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_bytes(path: Path) -> int:
    """Free space on the volume of `path` (tests fake this one call to play a full disk)."""
    return shutil.disk_usage(path).free


def _human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"  # pragma: no cover


def _read_meta(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _write_meta(path: Path, meta: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(meta))
    os.replace(tmp, path)


def _validator(meta: dict) -> str | None:
    """What to put in If-Range: a strong ETag, else the Last-Modified date."""
    etag = meta.get("etag") or ""
    if etag and not etag.startswith("W/"):
        return etag
    return meta.get("last_modified") or None


def _total_from(response, offset: int) -> int | None:
    if response.status_code == 206:
        content_range = response.headers.get("Content-Range", "")
        total = content_range.rpartition("/")[2]
        return int(total) if total.isdigit() else None
    length = response.headers.get("Content-Length")
    return int(length) + offset if length and length.isdigit() else None


def _hash_prefix(path: Path, length: int) -> hashlib._Hash:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        left = length
        while left > 0:
            block = fh.read(min(CHUNK, left))
            if not block:
                break
            digest.update(block)
            left -= len(block)
    return digest


def discard_partial(part: Path) -> None:
    for path in (part, part.with_name(part.name + ".json")):
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def download(
    url: str,
    dest: Path,
    *,
    sha256: str = "",
    expected_size: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    cancel: CancelToken | None = None,
    session=None,
    retries: int = 3,
    retry_wait: float = 1.0,
    timeout: float = 30.0,
    check: Callable[[Path], object] | None = None,
) -> Result:
    """Download `url` to `dest` as described in the module docstring; return what arrived."""
    import requests

    from .gguf_info import check_file

    job = _Download(
        url, Path(dest), sha256, expected_size, progress, cancel, session or requests.Session(),
        retries, retry_wait, timeout, check or check_file,
    )  # fmt: skip
    return job.run()


class _Restart(Exception):
    """Start the next request over (the partial file was kept or discarded as the step said)."""


@dataclass
class _Plan:
    """How to write one answer: append to the partial file from `offset`, or write it anew."""

    mode: str  # "ab" (resume) or "wb" (from byte 0)
    offset: int
    total: int | None


@dataclass
class _Download:
    """One download's state across its requests (retries resume where the last one stopped)."""

    url: str
    dest: Path
    sha256: str
    expected_size: int | None
    progress: Callable[[Progress], None] | None
    cancel: CancelToken | None
    http: requests.Session
    retries: int
    retry_wait: float
    timeout: float
    check: Callable[[Path], object]
    restarts: int = 0
    attempts: int = 0
    failures: int = 0

    def __post_init__(self) -> None:
        self.part = partial_dir(self.dest.parent) / (self.dest.name + ".part")
        self.meta_file = self.part.with_name(self.part.name + ".json")

    def run(self) -> Result:
        while True:
            try:
                return self._one_request()
            except _Restart:
                continue

    def _discard(self) -> None:
        self.restarts += 1
        discard_partial(self.part)
        raise _Restart

    def _retry_or_fail(self, error: DownloadError, cause: BaseException) -> None:
        """Another try after a pause, or `error` once the retries are spent."""
        self.failures += 1
        if self.failures > self.retries:
            raise error from cause
        _pause(self.cancel, self.retry_wait * self.failures)
        raise _Restart

    def _meta_and_offset(self) -> tuple[dict, int]:
        """What is known about the partial file (nothing if it is another file's) and its size."""
        meta = _read_meta(self.meta_file) if self.part.exists() else {}
        if meta.get("url") != self.url:  # another file (or none) was being fetched under this name
            if self.part.exists():
                self.restarts += 1
            discard_partial(self.part)
            meta = {}
        return meta, self.part.stat().st_size if self.part.exists() else 0

    def _one_request(self) -> Result:
        import requests

        meta, offset = self._meta_and_offset()
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
            validator = _validator(meta)
            if validator:
                headers["If-Range"] = validator
        if self.cancel is not None and self.cancel.is_set():
            raise DownloadCancelled(
                f"Download of {self.dest.name} cancelled; `edgeapp models pull` resumes it."
            )
        self.attempts += 1
        try:
            response = self.http.get(
                self.url, headers=headers, stream=True, timeout=self.timeout, allow_redirects=True
            )
        except requests.RequestException as exc:
            unreachable = DownloadError(
                f"Could not reach {self.url.split('/')[2]} to download {self.dest.name} "
                f"({exc.__class__.__name__}). "
                "Check the connection and run the same command again: it resumes."
            )
            self._retry_or_fail(unreachable, exc)
        with response:
            plan = self._plan(response, meta, offset)
            if isinstance(plan, Result):
                return plan
            return self._write(response, plan, meta)

    def _plan(self, response, meta: dict, offset: int) -> _Plan | Result:
        """Read the answer's status and headers: resume, start over, fail, or (416 on a whole
        partial file) finish at once."""
        if response.status_code == 416 and offset:
            # the range starts at or past the end: the file changed, or the partial is whole
            total = _total_from(response, 0)
            if total is not None and total == offset and meta.get("length") == offset:
                return self._finish(_hash_prefix(self.part, offset).hexdigest(), offset)
            self._discard()
        if response.status_code not in (200, 206):
            raise DownloadError(
                f"The server answered {response.status_code} {response.reason} for {self.dest.name} "
                f"({self.url}). The catalog entry may be out of date."
            )
        if response.status_code == 206:
            total = _total_from(response, offset)
            start = response.headers.get("Content-Range", "").removeprefix("bytes ").partition("-")[0]
            etag = response.headers.get("ETag", "")
            changed = (
                (meta.get("etag") and etag and etag != meta["etag"])
                or (meta.get("length") and total and total != meta["length"])
                or start != str(offset)
            )
            if changed:  # not the file we have the beginning of: start again from byte 0
                self._discard()
            return _Plan("ab", offset, total or self.expected_size)
        if offset:  # 200: the whole file, whether or not we asked for a range
            self.restarts += 1
        return _Plan("wb", 0, _total_from(response, 0) or self.expected_size)

    def _write(self, response, plan: _Plan, meta: dict) -> Result:
        """Stream the answer into the partial file, then verify and move it into place."""
        import requests

        total, offset = plan.total, plan.offset
        _check_disk(self.part.parent, self.dest.name, (total - offset) if total else None)
        meta = {
            "url": self.url,
            "etag": response.headers.get("ETag", ""),
            "last_modified": response.headers.get("Last-Modified", ""),
            "length": total,
            "started": meta.get("started") or time.time(),
        }
        _write_meta(self.meta_file, meta)
        digest = _hash_prefix(self.part, offset) if offset else hashlib.sha256()
        done = offset
        try:
            done = self._stream(response, plan, digest)
        except (requests.RequestException, ConnectionError) as exc:  # before OSError: they are OSErrors
            done = self.part.stat().st_size if self.part.exists() else offset
            dropped = DownloadError(
                f"The connection dropped while downloading {self.dest.name} ({_human(done)} of "
                f"{_human(total) if total else '?'}). Run the same command again: it resumes."
            )
            self._retry_or_fail(dropped, exc)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                done = self.part.stat().st_size if self.part.exists() else offset
                raise DiskFull(
                    f"The disk filled up while downloading {self.dest.name} ({_human(done)} written). "
                    "Free some space and pull again: it resumes."
                ) from exc
            raise
        if total is not None and done != total:
            self.failures += 1
            if self.failures > self.retries:
                raise DownloadError(
                    f"The download of {self.dest.name} ended early ({_human(done)} of {_human(total)}). "
                    "Run the same command again: it resumes."
                )
            raise _Restart
        return self._finish(digest.hexdigest(), offset)

    def _stream(self, response, plan: _Plan, digest) -> int:
        """Append the answer's bytes to the partial file; returns the bytes the file now holds."""
        done, started = plan.offset, time.monotonic()
        with open(self.part, plan.mode) as out:
            for block in response.iter_content(READ_CHUNK):
                if self.cancel is not None and self.cancel.is_set():
                    raise DownloadCancelled(
                        f"Download of {self.dest.name} cancelled at {_human(done)}; "
                        "`edgeapp models pull` resumes it (`edgeapp models clean` removes it)."
                    )
                if not block:
                    continue
                out.write(block)
                digest.update(block)
                done += len(block)
                if self.progress is not None:
                    elapsed = max(time.monotonic() - started, 1e-6)
                    speed = (done - plan.offset) / elapsed
                    left = (plan.total - done) / speed if plan.total and speed > 0 else None
                    self.progress(Progress(done, plan.total, speed, left, plan.offset))
            out.flush()
            os.fsync(out.fileno())
        return done

    def _finish(self, actual: str, resumed_from: int) -> Result:
        return _finish(
            self.part, self.meta_file, self.dest, actual, self.sha256, self.check, resumed_from,
            self.restarts, self.attempts,
        )  # fmt: skip


def _pause(cancel: CancelToken | None, seconds: float) -> None:
    """Wait before a retry; a cancel ends the wait at once (the loop then stops)."""
    if cancel is not None:
        cancel.wait(seconds)
    else:
        time.sleep(seconds)


def _check_disk(folder: Path, name: str, needed: int | None) -> None:
    if needed is None:
        return
    free = free_bytes(folder)
    margin = min(DISK_MARGIN, max(MIB, needed // 100))
    if free < needed + margin:
        raise DiskFull(
            f"Not enough disk space for {name}: it needs {_human(needed + margin)} more and "
            f"{_human(free)} is free on {folder.parent}. Free some space (or remove models with "
            "`edgeapp models rm NAME`) and pull again."
        )


def _finish(
    part: Path,
    meta_file: Path,
    dest: Path,
    actual: str,
    expected: str,
    check,
    resumed_from: int,
    restarts: int,
    attempts: int,
) -> Result:
    if expected and actual != expected:
        discard_partial(part)
        raise ChecksumMismatch(
            f"{dest.name} arrived damaged or altered: its sha256 is {actual[:12]}…, the catalog says "
            f"{expected[:12]}…. It was deleted; pull it again, "
            "and if this repeats the catalog entry is wrong."
        )
    try:
        check(part)
    except ModelError:
        discard_partial(part)
        raise
    size = part.stat().st_size
    os.replace(part, dest)
    try:
        meta_file.unlink()
    except FileNotFoundError:
        pass
    _fsync_dir(dest.parent)
    return Result(dest, actual, size, bool(expected), resumed_from, restarts, attempts)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def partials(models: Path) -> list[Path]:
    folder = models / PARTIAL_DIR
    return sorted(folder.glob("*.part")) if folder.is_dir() else []


def clean_partials(
    models: Path, *, older_than: float | None = PARTIAL_MAX_AGE, now: float | None = None
) -> list[tuple[Path, int]]:
    """Remove partial downloads (those untouched for `older_than` seconds; all with None).
    Returns what was removed, with sizes."""
    now = time.time() if now is None else now
    removed = []
    folder = models / PARTIAL_DIR
    if not folder.is_dir():
        return removed
    for path in sorted(folder.iterdir()):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if older_than is not None and now - stat.st_mtime < older_than:
            continue
        if path.name.endswith(".part.json"):
            part = path.with_name(path.name[: -len(".json")])
            if part.exists() and (older_than is not None and now - part.stat().st_mtime < older_than):
                continue
        path.unlink()
        removed.append((path, stat.st_size))
    return removed
