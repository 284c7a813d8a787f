"""A conversation as the domain sees it: who said what, in order."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

# A text field that must say something: JSON Schema's ``pattern`` is a search, so this documents
# "at least one character that is not white space" (the value is also stripped before its length
# is checked, so a name of spaces is refused either way).
NOT_BLANK = r"\S"


class Role(StrEnum):
    partner = "partner"
    learner = "learner"


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    text: str
