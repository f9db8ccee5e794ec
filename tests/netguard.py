"""Fail the test run if anything connects beyond loopback.

Patches socket connect/DNS at the lowest Python level, refuses the attempt, and records it so a
test fails even if the code under test swallowed the exception.
"""

from __future__ import annotations

import ipaddress
import socket

violations: list[str] = []

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
_real_sendto = socket.socket.sendto

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def _is_loopback_host(host) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host).strip("[]").split("%")[0]
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check(sock, address, what: str) -> None:
    if sock.family == getattr(socket, "AF_UNIX", None):
        return
    host = address[0] if isinstance(address, tuple) else address
    if not _is_loopback_host(host):
        message = f"network access beyond loopback blocked: {what} {address!r}"
        violations.append(message)
        raise ConnectionRefusedError(message)


def _connect(self, address):
    _check(self, address, "connect")
    return _real_connect(self, address)


def _connect_ex(self, address):
    _check(self, address, "connect_ex")
    return _real_connect_ex(self, address)


def _sendto(self, data, *args):
    address = args[-1]
    _check(self, address, "sendto")
    return _real_sendto(self, data, *args)


def _getaddrinfo(host, *args, **kwargs):
    if not _is_loopback_host(host):
        message = f"network access beyond loopback blocked: DNS lookup of {host!r}"
        violations.append(message)
        raise socket.gaierror(socket.EAI_NONAME, message)
    return _real_getaddrinfo(host, *args, **kwargs)


def install() -> None:
    socket.socket.connect = _connect
    socket.socket.connect_ex = _connect_ex
    socket.socket.sendto = _sendto
    socket.getaddrinfo = _getaddrinfo
