"""Where to find help: the message and resources a screened reply gets, read from configuration.

A deployment names its file with ``TRAINER_SAFETY_RESOURCES_PATH``; without one, the packaged
international default (``trainer/safety/resources.yaml``) applies, which points people to their
local emergency services and to someone they trust and never claims to be a hotline for a country.
The file holds a ``default`` (a message per category and a list of resources) and, optionally,
``tenants`` keyed by tenant id, each replacing the messages or resources it gives.
Resources for one category (``by_category``) come first for that category; the general list follows,
so the list a learner sees is never empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from trainer.content.loader import read_yaml, validate_content
from trainer.safety.lexicon import Category

DEFAULT_FILE = Path(__file__).with_name("resources.yaml")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]


class Resource(BaseModel):
    """One place to turn to: ``name`` and how to reach it (``contact``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    contact: Text


class ResourceSet(BaseModel):
    """Messages and resources for a deployment, or the parts of them a tenant replaces."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    messages: dict[Category, Text] = Field(default_factory=dict)
    resources: tuple[Resource, ...] = ()
    by_category: dict[Category, tuple[Resource, ...]] = Field(default_factory=dict)


class ResourcesFile(BaseModel):
    """The whole file: a complete default, and per-tenant replacements."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: ResourceSet
    tenants: dict[str, ResourceSet] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _default_is_complete(self) -> ResourcesFile:
        missing = [c.value for c in Category if c not in self.default.messages]
        if missing:
            raise ValueError(f"default.messages: no message for {', '.join(missing)}")
        if not self.default.resources:
            raise ValueError("default.resources: give at least one resource")
        return self


class Help(BaseModel):
    """The ``screen`` object a learner gets: what was noticed, a kind message, where to find help."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Category
    message: str
    resources: tuple[Resource, ...] = Field(min_length=1)


class ResourceBook:
    """The loaded file; ``help_for`` picks the tenant's messages and resources, else the default."""

    def __init__(self, data: ResourcesFile) -> None:
        self._data = data

    @classmethod
    def load(cls, path: Path | None = None) -> ResourceBook:
        target = path or DEFAULT_FILE
        return cls(validate_content(ResourcesFile, read_yaml(target), target))

    def help_for(self, category: Category, tenant: str | int | None = None) -> Help:
        default = self._data.default
        own = self._data.tenants.get(str(tenant)) if tenant is not None else None
        message = (own.messages.get(category) if own else None) or default.messages[category]
        general = (own.resources if own and own.resources else None) or default.resources
        specific = own.by_category.get(category) if own and category in own.by_category else None
        if specific is None:
            specific = default.by_category.get(category, ())
        return Help(category=category, message=message, resources=(*specific, *general))
