"""Files to download: a text body sent as an attachment with a file name, never cached."""

from __future__ import annotations

from litestar import Response


def download(content: str, media_type: str, filename: str) -> Response[str]:
    """``content`` as a download named ``filename`` (``Content-Disposition: attachment``)."""
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
