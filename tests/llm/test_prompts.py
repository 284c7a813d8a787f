from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from trainer.content.prompts import load_prompt, parse_prompt
from trainer.settings import DATA_DIR
from trainer.vocabulary.errors import ContentError

GOOD = """
name: demo
description: a demo
max_tokens: 100
temperature: 0.5
system: "You are {{ name }}."
user: "{% for item in items %}{{ item }};{% endfor %}"
"""


def test_renders_and_hashes_the_file_text(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(GOOD, encoding="utf-8")
    prompt = load_prompt(path)
    assert prompt.hash == hashlib.sha256(GOOD.encode()).hexdigest()[:12]
    rendered = prompt.render(name="Sam", items=["a", "b"])
    assert (rendered.system, rendered.user) == ("You are Sam.", "a;b;")
    assert prompt.max_tokens == 100 and prompt.temperature == 0.5


def test_a_missing_value_is_an_error_not_an_empty_string() -> None:
    prompt = parse_prompt(GOOD, "demo.yaml")
    with pytest.raises(ContentError, match=r"demo\.yaml: user: 'items' is undefined"):
        prompt.render(name="Sam")


def test_unknown_fields_and_bad_templates_name_the_file_and_field() -> None:
    with pytest.raises(ContentError, match=r"x\.yaml: colour: Extra inputs are not permitted"):
        parse_prompt(GOOD + "colour: blue\n", "x.yaml")
    with pytest.raises(ContentError, match=r"x\.yaml: temperature"):
        parse_prompt(GOOD.replace("0.5", "9"), "x.yaml")
    with pytest.raises(ContentError, match=r"x\.yaml: system: line 1"):
        parse_prompt(GOOD.replace("You are {{ name }}.", "{% if %}"), "x.yaml")


def test_the_project_prompts_load() -> None:
    for name in ("judge.yaml", "partner.yaml"):
        prompt = load_prompt(DATA_DIR / "prompts" / name)
        assert len(prompt.hash) == 12
