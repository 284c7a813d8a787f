"""Security headers for every web page, its static files and its JSON endpoints.

The pages load only their own scripts and styles (no inline script, no inline style, nothing from
another origin), cannot be framed, and leak no URL to other sites. Applied as a ``before_send``
hook so that error responses (404, 401, problem+json) carry them too.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

WEB_PREFIXES = ("/practice", "/workshop", "/web-static")

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


def is_web_path(path: str) -> bool:
    """The front door (``/`` exactly) and everything under the web prefixes."""
    return path == "/" or any(path == prefix or path.startswith(prefix + "/") for prefix in WEB_PREFIXES)


# The API docs under /schema (Swagger UI, Scalar) are Litestar's pages: their scripts and styles come
# from cdn.jsdelivr.net and start inline. They show no user content; still they cannot be framed,
# post nowhere else, and load nothing from anywhere but here and that CDN.
DOCS_PREFIX = "/schema"
CDN = "https://cdn.jsdelivr.net"
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {CDN}",
        f"style-src 'self' 'unsafe-inline' {CDN} https://fonts.googleapis.com",
        f"img-src 'self' data: {CDN}",
        f"font-src 'self' data: {CDN} https://fonts.gstatic.com https://fonts.scalar.com",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def is_docs_path(path: str) -> bool:
    return path == DOCS_PREFIX or path.startswith(DOCS_PREFIX + "/")


async def web_security_headers(message: Message, scope: Scope) -> None:
    """``before_send`` hook: add the headers to the start of every web (and API docs) response."""
    if message["type"] != "http.response.start":
        return
    path = scope.get("path", "")
    docs = is_docs_path(path)
    if not docs and not is_web_path(path):
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in SECURITY_HEADERS:
        headers[name] = value
    if docs:
        headers["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
    if scope.get("path", "").startswith(("/practice", "/workshop")):
        headers["Cache-Control"] = "no-store"
