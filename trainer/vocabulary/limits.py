"""Limits shared by the API and the command line."""

from __future__ import annotations

# The longest reply the API grades, in characters after trimming; `trainer grade` refuses a longer line
# the same way, with an error for that line.
MAX_REPLY_CHARS = 2000
