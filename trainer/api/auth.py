"""``Authorization: Bearer KEY`` on every ``/v1`` route, and who the caller is.

The middleware resolves the key once per request (loopback included: there is no trusted network)
and puts a ``Principal`` on ``request.user``; handlers get it injected as ``principal``. Failures
raise ``AuthError``, which ``trainer.api.problems`` turns into a 401 with ``WWW-Authenticate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.authentication import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Guard

from trainer.errors import AuthError, Forbidden
from trainer.store.db import Sessionmaker
from trainer.store.keys import find_key_by_token
from trainer.store.tables import Role


@dataclass(frozen=True)
class Principal:
    """The caller: one API key, acting for one tenant."""

    key_id: int
    key_prefix: str
    key_name: str
    role: Role
    tenant_id: int


def bearer_token(header: str | None) -> str:
    if not header:
        raise AuthError("Missing Authorization header; send: Authorization: Bearer KEY")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthError("The Authorization header must read: Bearer KEY")
    return token


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        token = bearer_token(connection.headers.get("authorization"))
        sessionmaker: Sessionmaker = connection.app.state.sessionmaker
        async with sessionmaker() as db:
            key = await find_key_by_token(db, token)
        if key is None or key.id is None:
            raise AuthError("Unknown or revoked API key")
        principal = Principal(
            key_id=key.id,
            key_prefix=key.prefix,
            key_name=key.name,
            role=Role(key.role),
            tenant_id=key.tenant_id,
        )
        return AuthenticationResult(user=principal, auth=key.prefix)


def provide_principal(request: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    user = request.scope.get("user")
    if not isinstance(user, Principal):
        raise AuthError("This route needs an API key")
    return user


def require_role(*roles: Role) -> Guard:
    """A guard: only keys with one of ``roles`` may call the route (admin always may)."""
    allowed = {*roles, Role.admin}

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        principal = provide_principal(connection)
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise Forbidden(f"This route needs a key with role {names}; this key is {principal.role.value}")

    return guard
