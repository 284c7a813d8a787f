"""``trainer serve``: the HTTP API under uvicorn (default 127.0.0.1:8000, SQLite, offline engines).

With ``--workers N`` each worker is a process of its own that builds its app (engine, HTTP client,
logging) from the ``TRAINER_*`` environment, and the workers share their metrics through a folder
(``trainer.telemetry.metrics``). Proxy headers (``X-Forwarded-For``, ``X-Forwarded-Proto``) are honoured
only from the peers named by ``TRAINER_TRUSTED_PROXIES``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import uvicorn

from trainer.api.logs import configure_logging
from trainer.settings import Settings
from trainer.vocabulary.errors import TrainerError

WILDCARD_HOSTS = ("0.0.0.0", "::", "[::]", "")  # noqa: S104 (names, not a bind)


def browse_address(host: str, port: int) -> str:
    """The address to open on this computer: a wildcard host is reached at the loopback."""
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What every ``trainer serve`` passes to uvicorn: our own logs and access lines, and proxies."""
    trusted = [part.strip() for part in settings.trusted_proxies.split(",") if part.strip()]
    options: dict[str, Any] = {"log_config": None, "access_log": False, "proxy_headers": bool(trusted)}
    if trusted:
        options["forwarded_allow_ips"] = ",".join(trusted)
    return options


def run(settings: Settings, args: argparse.Namespace) -> int:
    host = args.host or settings.host
    port = args.port or settings.port
    if args.print_address:
        print(browse_address(host, port))
        return 0
    options = uvicorn_options(settings)
    if args.workers > 1:
        from trainer.telemetry.metrics import prepare_multiprocess

        prepare_multiprocess()
        configure_logging(settings.log_level)
        # Each worker process builds its own app (and so its own engine and HTTP client) from the env.
        uvicorn.run(
            "trainer.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=args.workers,
            **options,
        )
        return 0
    from trainer.app import create_app

    try:
        app = create_app(settings)
    except TrainerError as error:
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
    uvicorn.run(app, host=host, port=port, **options)
    return 0
