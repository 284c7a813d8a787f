"""Limits shared by the API and the command line."""

from __future__ import annotations

import re

# The longest reply the API grades, in characters after trimming; `trainer grade` refuses a longer line
# the same way, with an error for that line.
MAX_REPLY_CHARS = 2000

# What text that reaches the trainer may not hold, whatever the way in (a JSON or form body, a path, a
# scenario in YAML): C0 controls but tab, LF and CR; DEL; and lone UTF-16 surrogates (they cannot be
# encoded). PostgreSQL cannot store a NUL at all; SQLite would, silently: one rule for both.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
