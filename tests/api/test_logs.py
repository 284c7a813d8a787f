"""Logs are one JSON object per line, with the fields passed in ``extra``."""

from __future__ import annotations

import json
import logging

import pytest

from trainer.api.logs import JsonFormatter


def test_a_record_becomes_one_json_line_with_its_extra_fields() -> None:
    record = logging.makeLogRecord(
        {
            "name": "trainer.api",
            "levelno": logging.INFO,
            "levelname": "INFO",
            "msg": "turn stored %s",
            "args": (3,),
        }
    )
    record.__dict__.update({"session": "abc", "latency_ms": 1.5, "color_message": "\x1b[1m"})
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert (
        entry["message"] == "turn stored 3" and entry["level"] == "info" and entry["logger"] == "trainer.api"
    )
    assert entry["session"] == "abc" and entry["latency_ms"] == 1.5 and "color_message" not in entry


def test_access_lines_keep_no_query_string(capsys: pytest.CaptureFixture[str]) -> None:
    """Learner ids and join codes travel in query strings. The trainer writes its own access line
    (the route template, never the query); uvicorn's own line, which would carry the raw path and
    query, is not written at all."""
    from trainer.api.logs import configure_logging

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging("INFO")
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/v1/sessions?learner_id=ana-42", "1.1", 200
        )
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    written = capsys.readouterr()
    assert "ana-42" not in written.err + written.out
    assert "/v1/sessions" not in written.err + written.out
