"""The README documents every setting, under the name the environment uses, with its default."""

from __future__ import annotations

from pydantic import AliasChoices

from trainer.settings import PROJECT_ROOT, Settings


def environment_name(name: str) -> str:
    """``TRAINER_NAME``, or the variable a field reads under its own name (OpenTelemetry's)."""
    alias = Settings.model_fields[name].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"TRAINER_{name.upper()}"


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip().strip("`")
        for line in readme.splitlines()
        if line.startswith(("| `TRAINER_", "| `OTEL_"))
    }
    expected = {environment_name(name) for name in Settings.model_fields}
    assert rows == expected
