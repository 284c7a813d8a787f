"""Token counts of replayed calls, worked out from the prompts as rendered, not taken on trust.

A fixture's own token counts were written by hand or recorded with an older prompt; replay reports
what the rendered request would cost instead. No tokenizer ships with the trainer (a BPE vocabulary
is a download), so this is an estimate in the way of GPT-style tokenizers: a common short word is
one token, a long word one more per five further letters, every other symbol one. It is an
estimate, not checked against a real tokenizer here; it is consistent from run to run, which is what
comparing two replays needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_PIECE = re.compile(r"[^\W_]+|\S")
MESSAGE_OVERHEAD = 4  # role and separators, per message, as the chat format adds them


def estimate_tokens(text: str) -> int:
    count = 0
    for piece in _PIECE.findall(text):
        count += 1 + max(0, len(piece) - 7 + 4) // 5 if len(piece) > 7 else 1
    return count


def prompt_tokens(messages: Iterable[Mapping[str, Any]], output_format: Any = None) -> int:
    """The input tokens of a chat request: every message, and the schema when one is sent."""
    total = sum(estimate_tokens(str(m.get("content", ""))) + MESSAGE_OVERHEAD for m in messages)
    if output_format is not None:
        total += estimate_tokens(str(output_format))
    return total
