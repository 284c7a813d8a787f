"""``Authorization: Bearer KEY`` on every ``/v1`` route, and who the caller is.

The middleware resolves the key on every request (loopback included: there is no trusted network)
and puts a ``Principal`` on ``request.user``; handlers get it injected as ``principal``. Failures
raise ``AuthError``, which ``trainer.api.problems`` turns into a 401 with ``WWW-Authenticate``.

A worker remembers a good key for ``TRAINER_KEY_CACHE_SECONDS`` (``KeyCache``), so that a learner's
turns do not each pay a database read for the same key; a revoked key therefore stops working within
that many seconds. Unknown keys are never remembered: a key created a moment ago works at once.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.authentication import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Guard

from trainer.access import Actor
from trainer.store.db import Sessionmaker
from trainer.store.keys import find_key_by_token, hash_token
from trainer.store.tables import Role
from trainer.vocabulary.errors import AuthError, Forbidden


@dataclass(frozen=True)
class Principal:
    """The caller: one API key, acting for one tenant."""

    key_id: int
    key_prefix: str
    key_name: str
    role: Role
    tenant_id: int

    @property
    def actor(self) -> Actor:
        """The caller as the access rules (``trainer.access``) see it."""
        return Actor(tenant_id=self.tenant_id, key_id=self.key_id, role=self.role)


class KeyCache:
    """Principals of keys seen recently, by the token's digest, each for ``ttl_seconds`` (0: off)."""

    def __init__(
        self, ttl_seconds: float, max_entries: int = 4096, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, Principal]] = OrderedDict()

    def get(self, token: str) -> Principal | None:
        if self._ttl <= 0:
            return None
        digest = hash_token(token)
        entry = self._entries.get(digest)
        if entry is None:
            return None
        expires, principal = entry
        if self._clock() >= expires:
            del self._entries[digest]
            return None
        return principal

    def put(self, token: str, principal: Principal) -> None:
        if self._ttl <= 0:
            return
        digest = hash_token(token)
        self._entries[digest] = (self._clock() + self._ttl, principal)
        self._entries.move_to_end(digest)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)


async def principal_for(token: str, sessionmaker: Sessionmaker, cache: KeyCache) -> Principal:
    """The caller behind ``token``: from the cache, or from the database (then cached)."""
    known = cache.get(token)
    if known is not None:
        return known
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
    cache.put(token, principal)
    return principal


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
        state = connection.app.state
        principal = await principal_for(token, state.sessionmaker, state.key_cache)
        return AuthenticationResult(user=principal, auth=principal.key_prefix)


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
