"""``trainer serve``: the HTTP API under uvicorn (default 127.0.0.1:8000, SQLite, offline engines)."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from trainer.api.logs import configure_logging
from trainer.settings import Settings
from trainer.vocabulary.errors import ContentError

WILDCARD_HOSTS = ("0.0.0.0", "::", "[::]", "")  # noqa: S104 (names, not a bind)


def browse_address(host: str, port: int) -> str:
    """The address to open on this computer: a wildcard host is reached at the loopback."""
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def run(settings: Settings, args: argparse.Namespace) -> int:
    host = args.host or settings.host
    port = args.port or settings.port
    if args.print_address:
        print(browse_address(host, port))
        return 0
    if args.workers > 1:
        configure_logging(settings.log_level)
        # Each worker process builds its own app (and so its own engine and HTTP client) from the env.
        uvicorn.run(
            "trainer.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=args.workers,
            log_config=None,
            proxy_headers=False,
        )
        return 0
    from trainer.app import create_app

    try:
        app = create_app(settings)
    except ContentError as error:
        print(f"trainer serve: cannot start: {error.detail}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    base = browse_address(host, port)
    print(f"trainer: serving on {base} (API docs: {base}/schema)", file=sys.stderr)
    if host in WILDCARD_HOSTS:
        print(
            "trainer: other devices reach this computer at its network address; set TRAINER_PUBLIC_URL "
            "to it so that the workshop board's join address and QR code work on phones",
            file=sys.stderr,
        )
    uvicorn.run(app, host=host, port=port, log_config=None, proxy_headers=False)
    return 0
