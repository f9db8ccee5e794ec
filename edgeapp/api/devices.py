"""Paired devices: each phone gets a token of its own, with a name, when it was paired and when it
was last seen, so that one device can be revoked without re-pairing the others.

Kept in `<config>/companion/devices.json` beside the --https certificate. Only a SHA-256 of each
token is stored (the token itself lives in the phone's browser); a 192-bit random token needs no
slow hash. The server reads the file again when it changes, so `edgeapp devices revoke` in
another terminal applies at the next request. Writes go through `filelock` (maintained, works
the same on Linux, macOS and Windows), so the server noting "last seen" and the CLI revoking
never overwrite each other. A pairing code that no device has used within a day is dropped.

The main token (tokens.py) still works for scripts and the OpenAI client; a device token works
on every endpoint the main one does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import threading
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from filelock import FileLock

from ..errors import ConfigError
from .certificate import companion_dir

UNUSED_CODE_LIFETIME = dt.timedelta(days=1)
SEEN_WRITE_EVERY = 60.0  # seconds between writes of a device's "last seen"


def now_text() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    paired_at: str  # ISO 8601, UTC
    token_hash: str
    last_seen: str | None = None
    revoked_at: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def to_dict(self) -> dict[str, str | None]:
        """What a listing shows (not the token's hash)."""
        out = asdict(self)
        out.pop("token_hash")
        return out


@dataclass(frozen=True)
class Paired:
    device: Device
    token: str  # shown once, in the pairing code


class DeviceStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or companion_dir() / "devices.json"
        self._lock = FileLock(str(self.path) + ".lock", timeout=10)
        self._mutex = threading.Lock()
        self._devices: dict[str, Device] = {}
        self._stamp: tuple[int, int] | None = None
        self._seen_pending: dict[str, str] = {}
        self._seen_written = 0.0

    # -- the file
    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _read(self) -> dict[str, Device]:
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))["devices"]
        except FileNotFoundError:
            return {}
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"The paired devices file {self.path} is damaged ({exc}). "
                "Remove it and pair the phones again."
            ) from None
        return {row["id"]: Device(**row) for row in rows}

    def _write(self, devices: dict[str, Device]) -> None:
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"devices": [asdict(d) for d in devices.values()]}, out, indent=1)
        os.replace(tmp, self.path)

    def _fresh(self) -> dict[str, Device]:
        """The devices as the file has them now (read again only when it changed)."""
        stamp = self._file_stamp()
        if stamp != self._stamp:
            self._devices, self._stamp = self._read(), stamp
        return self._devices

    def _update(self, change) -> dict[str, Device]:
        with self._mutex, self._lock:
            self._stamp = None
            devices = dict(self._fresh())
            change(devices)
            self._write(devices)
            self._devices, self._stamp = devices, self._file_stamp()
            return devices

    # -- what the faces use
    def devices(self) -> list[Device]:
        with self._mutex:
            return sorted(self._fresh().values(), key=lambda d: d.paired_at)

    def pair(self, name: str) -> Paired:
        """A new device with a token of its own; unused codes older than a day are dropped."""
        name = " ".join((name or "").split())[:60] or "device"
        token = secrets.token_urlsafe(24)
        device = Device(
            id=secrets.token_hex(4), name=name, paired_at=now_text(), token_hash=token_hash(token)
        )
        cutoff = (dt.datetime.now(dt.timezone.utc) - UNUSED_CODE_LIFETIME).isoformat(timespec="seconds")

        def add(devices: dict[str, Device]) -> None:
            for key, d in list(devices.items()):
                if d.last_seen is None and not d.revoked and d.paired_at < cutoff:
                    del devices[key]
            devices[device.id] = device

        self._update(add)
        return Paired(device, token)

    def find(self, wanted: str) -> Device:
        """A device by its id or its exact name (a name shared by several devices is refused)."""
        devices = self.devices()
        hits = [d for d in devices if d.id == wanted] or [d for d in devices if d.name == wanted]
        if len(hits) != 1:
            known = ", ".join(f"{d.id} ({d.name})" for d in devices) or "none"
            why = "is not" if not hits else "names several"
            raise ConfigError(f"{wanted!r} {why} a paired device; use its id. Paired: {known}.")
        return hits[0]

    def revoke(self, wanted: str) -> Device:
        """Revoke a device by id or name; its token gets 401 at the next request."""
        device = self.find(wanted)
        if device.revoked:
            return device
        revoked = replace(device, revoked_at=now_text())
        self._update(lambda devices: devices.__setitem__(device.id, revoked))
        return revoked

    def check(self, token: str) -> Device | None:
        """The device whose token this is (revoked or not), or None."""
        if not token:
            return None
        wanted = token_hash(token)
        with self._mutex:
            for device in self._fresh().values():
                if secrets.compare_digest(device.token_hash, wanted):
                    return device
        return None

    def seen(self, device: Device) -> None:
        """Note that `device` asked just now; written at most every SEEN_WRITE_EVERY seconds (and
        at once the first time)."""
        with self._mutex:
            self._seen_pending[device.id] = now_text()
            due = device.last_seen is None or time.monotonic() - self._seen_written > SEEN_WRITE_EVERY
        if due:
            self.flush_seen()

    def flush_seen(self) -> None:
        with self._mutex:
            pending, self._seen_pending = self._seen_pending, {}
            self._seen_written = time.monotonic()
        if not pending:
            return

        def note(devices: dict[str, Device]) -> None:
            for key, when in pending.items():
                if key in devices:
                    devices[key] = replace(devices[key], last_seen=when)

        self._update(note)
