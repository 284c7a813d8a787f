"""QR codes of join addresses, made on the server as inline SVG (segno, pure Python).

Workshops often have no internet, so nothing is fetched from a CDN or a QR service: the board's page
carries the code as an ``<svg>`` element. The SVG has no ``style`` attribute and no script, so the
pages' Content-Security-Policy (``style-src 'self'``) holds; its size and colours come from
``trainer.css``. The matrix stays black on a white quiet zone of four modules, as scanners expect.
"""

from __future__ import annotations

import io
from functools import lru_cache
from urllib.parse import urlencode, urlsplit

import segno
from markupsafe import Markup

# Medium error correction: a projected code survives glare and a partly blocked view.
ERROR_LEVEL = "m"
QUIET_ZONE = 4
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")


def join_address(base_url: str, code: str) -> str:
    """The practice page's address with the code filled in: scanning it leaves only the name to type.

    ``code`` is the code as stored (capitals, no dash); the page accepts it with or without a dash.
    """
    return f"{base_url.rstrip('/')}/practice?{urlencode({'code': code})}"


def only_this_computer(address: str) -> bool:
    """True when the address names the loopback: a phone that scans it reaches itself, not the server."""
    host = (urlsplit(address).hostname or "").lower()
    return host in LOOPBACK_HOSTS or host.startswith("127.")


@lru_cache(maxsize=64)
def qr_svg(address: str, label: str) -> Markup:
    """An ``<svg>`` element (no XML declaration, no fixed size) that encodes ``address``.

    ``label`` becomes the SVG's ``<title>`` and accessible name, e.g. "QR code to join: http://...".
    Cached: a board page re-renders the same address on every reload.
    """
    code = segno.make(address, error=ERROR_LEVEL, micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=1,
        border=QUIET_ZONE,
        xmldecl=False,
        svgns=True,
        title=label,
        svgclass="qr",
        lineclass="qr-dark",
        omitsize=True,
        dark="#000",
        light="#fff",
    )
    svg = out.getvalue().decode("utf-8")
    assert svg.startswith("<svg ")
    # The role makes the picture announce its label; the label is escaped like any template value.
    head = Markup('<svg role="img" aria-label="{}" ').format(label)
    return head + Markup(svg.removeprefix("<svg "))  # noqa: S704 (segno's markup; it escapes the title)
