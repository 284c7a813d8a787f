"""GET /v1/scenarios/schema: the JSON Schema an authoring tool validates a scenario against."""

from __future__ import annotations

import json

from tests.conftest import ApiClient
from trainer.settings import PROJECT_ROOT


async def test_the_schema_is_the_scenario_files_schema(client: ApiClient, auth: dict[str, str]) -> None:
    response = await client.get("/v1/scenarios/schema", headers=auth)
    assert response.status_code == 200, response.text
    served = response.json()
    on_disk = json.loads((PROJECT_ROOT / "schemas" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert served == on_disk
    assert served["additionalProperties"] is False and "key_points" in served["required"]
