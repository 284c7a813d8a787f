"""The trainer app as ``trainer serve`` builds it, wrapped in ``ServerTiming`` (bench/server_timing.py).

Logging is set up the way ``trainer serve`` sets it up (JSON lines on stderr, at TRAINER_LOG_LEVEL).
uvicorn loads it: ``uvicorn --app-dir bench timed_app:create --factory``.
"""

from __future__ import annotations

from server_timing import ServerTiming

from trainer.api.logs import configure_logging
from trainer.app import create_app
from trainer.settings import Settings


def create() -> ServerTiming:
    settings = Settings()
    configure_logging(settings.log_level)
    return ServerTiming(create_app(settings))
