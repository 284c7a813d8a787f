"""Structured logs: one JSON object per line on stderr, each with the ``request_id`` of the request
being served when there is one (``trainer.telemetry.context``).

What is logged at INFO and above is about requests and the system (paths, statuses, timings,
engines), never a learner's reply or the partner's lines: those may be sensitive and stay at DEBUG
at most.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from trainer.telemetry.context import RequestIdFilter

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged as a field.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName", "color_message"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,  # which worker, under trainer serve --workers N
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class WithoutQueryStrings(logging.Filter):
    """Drops the query string from uvicorn's access lines: it can hold learner ids and join codes."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def configure_logging(level: str) -> None:
    """Route every logger (the trainer's, uvicorn's, SQLAlchemy's) through one JSON handler."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # trainer.access writes one line per request (route template, duration, key prefix); uvicorn's
    # own access line would repeat it with the raw path and query string. uvicorn logs it only while
    # its logger has a handler somewhere, so none is reachable (workers call this after uvicorn).
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    if not any(isinstance(f, WithoutQueryStrings) for f in access.filters):
        access.addFilter(WithoutQueryStrings())  # should a handler be added to it after all
    # SQL statements carry bound parameters (replies): never above DEBUG, and off unless asked for.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
