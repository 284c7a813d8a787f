"""``GET /``: the front door, a small page that says what this server is and where to go next.

A person who types the server's address lands here rather than on a JSON 404: learners go to the
practice page, facilitators to the workshop board, developers to the API documentation.
"""

from __future__ import annotations

from litestar import Response, get

from trainer.web.render import page


@get("/", include_in_schema=False)
async def front_door() -> Response[str]:
    return page("front.html")
