"""Pairing a phone: the page's address with the token in its fragment, as a QR code.

The token rides in the URL *fragment* (`#token=...`): a browser never sends the fragment to the
server or in a Referer, so it stays out of logs; the page reads it, keeps it in the phone's local
storage and removes it from the address bar.

QR codes are drawn by `segno` (pure Python, no Pillow or other native dependency, maintained,
writes PNG and SVG itself and text for a terminal), so the desktop window can show the PNG or SVG
and `edgeapp serve --lan` prints the text version.
"""

from __future__ import annotations

import io
import ipaddress
import socket
from urllib.parse import quote

import segno


def lan_address() -> str:
    """This machine's address on the local network (the interface a route to the LAN would use), or
    127.0.0.1 when there is none. No packet is sent: connecting a UDP socket only picks a route."""
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                address = s.getsockname()[0]
            if not ipaddress.ip_address(address).is_loopback:
                return address
        except OSError:
            continue
    return "127.0.0.1"


def page_host(host: str) -> str:
    """The address a phone should open for a server bound to `host`."""
    if host in ("0.0.0.0", "::", ""):
        return lan_address()
    return host


def pairing_url(
    host: str, port: int, token: str, *, tls: bool = False, fingerprint: str | None = None
) -> str:
    """`http://192.168.1.20:8765/#token=...`: opens the phone page signed in. With `fingerprint`
    (--https), `&cert=<SHA-256 hex>` follows, for the page to show beside the browser's own."""
    host = page_host(host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    fragment = f"token={quote(token, safe='')}" + (f"&cert={fingerprint}" if fingerprint else "")
    return f"{'https' if tls else 'http'}://{host}:{port}/#{fragment}"


def qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_png(url: str, *, scale: int = 6, dark: str = "#000", light: str = "#fff") -> bytes:
    buf = io.BytesIO()
    qr(url).save(buf, kind="png", scale=scale, border=4, dark=dark, light=light)
    return buf.getvalue()


def qr_svg(url: str, *, scale: int = 6) -> str:
    buf = io.BytesIO()
    qr(url).save(buf, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True)
    return buf.getvalue().decode("utf-8")


def qr_text(url: str) -> str:
    """The code drawn with block characters for a terminal (two rows of modules per line)."""
    matrix = [list(row) for row in qr(url).matrix_iter(scale=1, border=2)]
    if len(matrix) % 2:
        matrix.append([0] * len(matrix[0]))
    lines = []
    for top, bottom in zip(matrix[::2], matrix[1::2], strict=True):
        line = []
        for a, b in zip(top, bottom, strict=True):
            # dark modules are drawn dark on a light background: invert for a dark terminal
            line.append({(0, 0): "█", (1, 0): "▄", (0, 1): "▀", (1, 1): " "}[(bool(a), bool(b))])
        lines.append("".join(line))
    return "\n".join(lines)
