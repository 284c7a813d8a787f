"""Model prompt templates as validated data (``prompts/*.yaml``), versioned by a content hash.

A template file holds a Jinja2 system template and user template, the sampling settings that go
with them, and named ``definitions`` the template renders (the judge's behaviour vocabulary, for
one). Templates render with ``StrictUndefined``: a missing value is an error, never an empty
string. ``Prompt.hash`` is the first 12 hex digits of the sha256 of the file's text;
``Prompt.system_hash`` hashes the system message as rendered from the values that do not change
between calls (for the judge: the rubrics), so an edit to the file or to what it renders (a rubric)
changes it. That hash is recorded with every model call as ``prompt_hash``, so a grade can be traced
to the exact prompt that made it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import jinja2
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from trainer.vocabulary.errors import ContentError

TemplateText = Annotated[str, StringConstraints(min_length=1)]


class PromptTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    description: str
    max_tokens: int = Field(ge=1, le=8192)
    temperature: float = Field(ge=0.0, le=2.0)
    system: TemplateText
    user: TemplateText
    definitions: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class RenderedPrompt:
    system: str
    user: str


def _environment() -> jinja2.Environment:
    # Prompts are plain text for a model, not HTML: escaping would corrupt them. Values are only
    # ever passed as data to render(), never compiled as templates.
    return jinja2.Environment(  # noqa: S701
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False
    )


@dataclass(frozen=True)
class Prompt:
    template: PromptTemplate
    hash: str
    path: str
    _system: jinja2.Template
    _user: jinja2.Template

    @property
    def max_tokens(self) -> int:
        return self.template.max_tokens

    @property
    def temperature(self) -> float:
        return self.template.temperature

    def require_definitions(self, names: Iterable[str], kind: str = "definition") -> None:
        """Raise ``ContentError`` naming the file when a definition the caller renders is missing."""
        missing = [name for name in names if name not in self.template.definitions]
        if missing:
            raise ContentError(self.path, f"definitions: no {kind} for {', '.join(missing)}")

    def render_system(self, **values: Any) -> str:
        """The system message alone (it must not need the per-call values)."""
        values.setdefault("definitions", self.template.definitions)
        try:
            return self._system.render(**values).strip()
        except jinja2.UndefinedError as error:
            raise ContentError(self.path, f"system: {error.message}") from error

    def system_hash(self, **values: Any) -> str:
        """The hash of the rendered system message, the file's own hash included."""
        return prompt_hash(self.hash + "\n" + self.render_system(**values))

    def render(self, **values: Any) -> RenderedPrompt:
        values.setdefault("definitions", self.template.definitions)
        rendered: dict[str, str] = {}
        for field_name, template in (("system", self._system), ("user", self._user)):
            try:
                rendered[field_name] = template.render(**values).strip()
            except jinja2.UndefinedError as error:
                raise ContentError(self.path, f"{field_name}: {error.message}") from error
        return RenderedPrompt(system=rendered["system"], user=rendered["user"])


def prompt_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def parse_prompt(text: str, path: str) -> Prompt:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ContentError(path, f"not valid YAML: {error}") from error
    try:
        template = PromptTemplate.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "(file)"
        raise ContentError(path, f"{where}: {first['msg']}") from error
    environment = _environment()
    compiled: dict[str, jinja2.Template] = {}
    for field_name in ("system", "user"):
        try:
            compiled[field_name] = environment.from_string(getattr(template, field_name))
        except jinja2.TemplateSyntaxError as error:
            raise ContentError(path, f"{field_name}: line {error.lineno}: {error.message}") from error
    return Prompt(template, prompt_hash(text), path, compiled["system"], compiled["user"])


def load_prompt(path: Path) -> Prompt:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ContentError(str(path), f"cannot read the prompt file: {error.strerror}") from error
    return parse_prompt(text, str(path))


# Untrusted text (a reply, the conversation) goes into a prompt between tags; this defuses look-alikes.
TAG_LIKE = re.compile(r"<(\s*/?\s*(?:reply|conversation|partner)\b)", re.IGNORECASE)


def fence(text: str) -> str:
    """``text`` with anything that looks like one of the prompt's tags defused (``<`` -> ``&lt;``)."""
    return TAG_LIKE.sub(r"&lt;\1", text)
