"""Cross-site request defences for the cookie-authenticated pages (``/practice``, ``/workshop``).

SameSite=Strict cookies stop another *site*, but not a page on the same site (another port, a
sibling subdomain). Three more layers:

1. ``CrossSiteMiddleware``: every unsafe request (POST, PUT, PATCH, DELETE) under the web prefixes
   must come from this origin. A browser says where a request comes from: ``Sec-Fetch-Site`` must be
   ``same-origin`` (or ``none``: typed by the user), and ``Origin``, when sent, must name this
   server's host. Anything else is a 403 before the handler runs. A request with neither header is
   not from a browser, so it cannot ride on a victim's cookie, and passes.
2. The same middleware requires ``application/json`` on the bodies sent to the pages' JSON
   endpoints (``/practice/api``, ``/workshop/api``): a cross-origin page can only send
   ``text/plain`` or a form without a CORS preflight, which this server never grants. Others get a
   415.
3. ``FormToken``: the join and sign-in forms carry a token that must match a cookie set with the
   form (double submit). Those forms hand out a pass, so a forged one would sign the victim in as
   the attacker (login CSRF); the token is something another page cannot read.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from trainer.api.edge import UNSAFE_METHODS, media_type
from trainer.api.problems import PROBLEM_JSON, TYPE_PREFIX, Problem

PROTECTED_PREFIXES = ("/practice", "/workshop")
JSON_PREFIXES = ("/practice/api/", "/workshop/api/")
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})
FORM_COOKIE = "trainer_form"
FORM_FIELD = "form_token"
CROSS_SITE = "This request came from another site or origin; open the page on this server and try again."
NOT_JSON = "This endpoint takes application/json."


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p.rstrip("/") or path.startswith(p.rstrip("/") + "/") for p in prefixes)


def _headers(scope: Scope) -> dict[bytes, str]:
    return {bytes(k).lower(): bytes(v).decode("latin-1") for k, v in scope.get("headers", ())}


def same_origin(headers: dict[bytes, str]) -> bool:
    """Whether a browser request comes from this server's own origin (non-browser requests pass)."""
    fetch_site = headers.get(b"sec-fetch-site")
    if fetch_site is not None:
        # A browser's own word. (With Referrer-Policy: no-referrer a same-origin form sends Origin: null.)
        return fetch_site.strip().lower() in ALLOWED_FETCH_SITES
    origin = headers.get(b"origin")
    if origin is None:
        return True
    host = headers.get(b"host", "").strip().lower()
    parts = urlsplit(origin.strip().lower())
    return bool(host) and parts.scheme in ("http", "https") and parts.netloc == host


class CrossSiteMiddleware:
    """403 for unsafe cross-origin requests to the web pages; 415 for non-JSON to their JSON calls."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            scope["type"] != ScopeType.HTTP
            or scope.get("method") not in UNSAFE_METHODS
            or not _under(path, PROTECTED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if not same_origin(headers):
            await _refuse(send, path, 403, "Forbidden", "cross-site", CROSS_SITE)
            return
        if _under(path, JSON_PREFIXES) and _has_body(headers) and media_type(scope) != "application/json":
            await _refuse(send, path, 415, "Unsupported media type", "unsupported-media-type", NOT_JSON)
            return
        await self.app(scope, receive, send)


def _has_body(headers: dict[bytes, str]) -> bool:
    length = headers.get(b"content-length", "0").strip()
    return b"transfer-encoding" in headers or not length.isdigit() or int(length) > 0


async def _refuse(send: Send, path: str, status: int, title: str, kind: str, detail: str) -> None:
    problem = Problem(type=TYPE_PREFIX + kind, title=title, status=status, detail=detail, instance=path)
    body = problem.model_dump_json(exclude_none=True).encode()
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class FormToken:
    """The double-submit token of the join and sign-in forms."""

    @staticmethod
    def for_page(request: Request[Any, Any, Any]) -> str:
        """The token to put in the page's form: the one in the cookie, or a new one."""
        existing = request.cookies.get(FORM_COOKIE)
        if existing and 20 <= len(existing) <= 64 and existing.replace("-", "").replace("_", "").isalnum():
            return existing
        return secrets.token_urlsafe(24)

    @staticmethod
    def set_cookie(response: Response[Any], token: str, *, secure: bool) -> None:
        response.set_cookie(
            FORM_COOKIE, token, path="/", secure=secure, httponly=True, samesite="strict", max_age=86400
        )

    @staticmethod
    def matches(request: Request[Any, Any, Any], submitted: str) -> bool:
        cookie = request.cookies.get(FORM_COOKIE) or ""
        return bool(cookie) and bool(submitted) and hmac.compare_digest(cookie.encode(), submitted.encode())
