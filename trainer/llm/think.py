"""Reasoning models served raw (DeepSeek-R1, Qwen3 on vLLM, llama.cpp, Ollama, LM Studio) may put
their thinking in the answer as ``<think>…</think>``; it is never part of the answer."""

from __future__ import annotations

import re

_BLOCK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_OPEN = "<think>"
_CLOSE = "</think>"


def strip_thinking(text: str) -> str:
    """``text`` without its think blocks; an unclosed block at the start is all thinking."""
    stripped = _BLOCK.sub("", text)
    if stripped.lstrip().lower().startswith(_OPEN):
        return ""
    # Some servers drop the opening tag and send only the closing one.
    head, closed, tail = stripped.partition(_CLOSE)
    return tail if closed and _OPEN not in head.lower() else stripped


class ThinkFilter:
    """Drops a leading think block from a streamed answer, piece by piece."""

    def __init__(self) -> None:
        self._buffer = ""
        self._state = "start"  # start -> thinking -> after (blank lines dropped) -> speaking

    def feed(self, piece: str) -> str:
        if self._state == "speaking":
            return piece
        if self._state == "after":
            text = piece.lstrip()
            if text:
                self._state = "speaking"
            return text
        self._buffer += piece
        if self._state == "start":
            head = self._buffer.lstrip()
            if len(head) < len(_OPEN) and _OPEN.startswith(head.lower()):
                return ""  # could still become "<think>"
            if not head.lower().startswith(_OPEN):
                self._state = "speaking"
                text, self._buffer = self._buffer, ""
                return text
            self._state = "thinking"
        end = self._buffer.lower().find(_CLOSE)
        if end < 0:
            return ""
        text = self._buffer[end + len(_CLOSE) :].lstrip()
        self._state = "speaking" if text else "after"
        self._buffer = ""
        return text

    def finish(self) -> str:
        """What is left when the stream ends: nothing if it never stopped thinking."""
        text = self._buffer if self._state == "start" else ""
        self._buffer = ""
        return text
