"""Resources are configuration: the international default, a deployment's file, a tenant's own."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trainer.safety.lexicon import Category
from trainer.safety.resources import ResourceBook
from trainer.vocabulary.errors import ContentError

MESSAGES = {c.value: f"message for {c.value}" for c in Category}


def _book(tmp_path: Path, data: object) -> ResourceBook:
    path = tmp_path / "resources.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return ResourceBook.load(path)


@pytest.mark.parametrize("category", list(Category))
def test_the_default_points_to_local_emergency_services(category: Category) -> None:
    found = ResourceBook.load().help_for(category)
    assert found.message and found.resources
    assert "emergency" in found.resources[0].name.lower()
    assert "local emergency" in found.resources[0].contact.lower()


def test_the_default_names_no_country_hotline_number() -> None:
    text = " ".join(r.contact for c in Category for r in ResourceBook.load().help_for(c).resources)
    assert not any(number in text for number in ("988", "911", "999", "112", "116 123", "000"))


def test_a_tenant_replaces_what_it_gives_and_keeps_the_rest(tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        {
            "default": {"messages": MESSAGES, "resources": [{"name": "Emergency", "contact": "call"}]},
            "tenants": {
                "acme": {
                    "messages": {"abuse": "acme abuse message"},
                    "by_category": {"abuse": [{"name": "Acme safe line", "contact": "0800 000"}]},
                },
                "7": {"resources": [{"name": "Tenant seven line", "contact": "ask"}]},
            },
        },
    )
    acme = book.help_for(Category.abuse, "acme")
    assert acme.message == "acme abuse message"
    assert [r.name for r in acme.resources] == ["Acme safe line", "Emergency"]
    assert book.help_for(Category.self_harm, "acme").message == "message for self_harm"
    assert [r.name for r in book.help_for(Category.self_harm, 7).resources] == ["Tenant seven line"]
    assert [r.name for r in book.help_for(Category.self_harm, "other").resources] == ["Emergency"]


def test_a_default_without_every_message_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="no message for abuse"):
        _book(
            tmp_path,
            {
                "default": {
                    "messages": {"self_harm": "a", "harm_to_others": "b"},
                    "resources": [{"name": "x", "contact": "y"}],
                }
            },
        )


def test_a_default_without_resources_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="at least one resource"):
        _book(tmp_path, {"default": {"messages": MESSAGES, "resources": []}})


def test_an_unknown_field_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="phone"):
        _book(
            tmp_path,
            {"default": {"messages": MESSAGES, "resources": [{"name": "x", "contact": "y", "phone": "1"}]}},
        )
