"""The phone page's files (`/`, `/app.js`, `/app.css`, `/icon.svg`), read from the package's
`static/` folder and served with a strict Content-Security-Policy: the page runs only its own
script, talks only to this server and cannot be framed."""

from __future__ import annotations

from importlib import resources

from starlette.requests import Request
from starlette.responses import Response

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/app.css": ("app.css", "text/css; charset=utf-8"),
    "/icon.svg": ("icon.svg", "image/svg+xml"),
}
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}


async def static_file(request: Request) -> Response:
    name, media = STATIC[request.url.path]
    data = resources.files("edgeapp.api").joinpath("static", name).read_bytes()
    return Response(data, media_type=media, headers=dict(HEADERS))
