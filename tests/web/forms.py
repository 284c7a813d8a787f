"""Posting the join and sign-in forms from a test client, with the form token a page would carry."""

from __future__ import annotations

from typing import Any

from tests.conftest import ApiClient
from trainer.web.csrf import FORM_COOKIE, FORM_FIELD

TEST_FORM_TOKEN = "test-form-token-0123456789abcdef"


async def post_form(client: ApiClient, path: str, data: dict[str, str], **options: Any) -> Any:
    """POST ``data`` to a token-protected form (``/practice/join``, ``/workshop/login``)."""
    client.cookies.set(FORM_COOKIE, TEST_FORM_TOKEN)
    return await client.post(path, data={**data, FORM_FIELD: TEST_FORM_TOKEN}, **options)
