"""The README documents every setting, under the name the environment uses, with its default."""

from __future__ import annotations

from trainer.settings import PROJECT_ROOT, Settings


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip().strip("`")
        for line in readme.splitlines()
        if line.startswith("| `TRAINER_")
    }
    expected = {f"TRAINER_{name.upper()}" for name in Settings.model_fields}
    assert rows == expected
