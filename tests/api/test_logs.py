"""Logs are one JSON object per line, with the fields passed in ``extra``."""

from __future__ import annotations

import json
import logging

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
