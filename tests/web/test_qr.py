"""The join QR code: made on the server, CSP-safe markup, and it scans to the join address."""

from __future__ import annotations

import re

import zxingcpp

from trainer.web.qr import join_address, only_this_computer, qr_svg

SCALE = 8
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def decode_svg(svg: str) -> list[str]:
    """Rasterise segno's one-path SVG (``M x y`` moves, ``h n`` dark runs, ``m dx dy``) and scan it."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))  # type: ignore[union-attr]
    path = re.search(r'class="qr-dark"[^>]* d="([^"]+)"', svg).group(1)  # type: ignore[union-attr]
    pixels = bytearray([255]) * (size * SCALE) ** 2
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHhVv])([^MmHhVv]*)", path):
        values = [float(v) for v in re.findall(r"-?[\d.]+", numbers)]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        elif command == "h":
            row = int(y)  # a run is stroked along the middle of its module row (y + 0.5)
            for column in range(int(x), int(x + values[0])):
                for dy in range(SCALE):
                    start = ((row * SCALE + dy) * size + column) * SCALE
                    pixels[start : start + SCALE] = bytes(SCALE)
            x += values[0]
        else:
            raise AssertionError(f"unexpected path command {command}")
    image = memoryview(bytes(pixels)).cast("B", (size * SCALE, size * SCALE))
    return [b.text for b in zxingcpp.read_barcodes(image, formats=QR_ONLY)]


def test_the_join_address_carries_the_code() -> None:
    assert join_address("http://192.168.1.20:8000/", "TRF4E3Q9") == "http://192.168.1.20:8000/practice?code=TRF4E3Q9"
    assert join_address("https://practice.example.org/room", "AB") == "https://practice.example.org/room/practice?code=AB"


def test_the_qr_code_scans_to_the_address() -> None:
    address = join_address("http://192.168.1.20:8000", "TRF4E3Q9")
    assert decode_svg(str(qr_svg(address, f"QR code to join: {address}"))) == [address]
    other = join_address("http://192.168.1.20:8000", "ZZZZ2222")
    assert decode_svg(str(qr_svg(other, "x"))) == [other]


def test_the_svg_is_inline_markup_the_pages_policy_allows() -> None:
    svg = str(qr_svg("http://10.0.0.5:8000/practice?code=AAAA", 'Join "here" <now>'))
    assert svg.startswith('<svg role="img" aria-label="Join &#34;here&#34; &lt;now&gt;" ')
    assert '<title>Join "here" &lt;now&gt;</title>' in svg
    assert "style=" not in svg and "<script" not in svg and "<?xml" not in svg
    assert 'width="' not in svg.split(">", 1)[0]  # sized by the stylesheet
    assert "http://www.w3.org/2000/svg" in svg  # the namespace; nothing is fetched from anywhere


def test_a_loopback_address_is_flagged_as_this_computer_only() -> None:
    for address in ("http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]:8000", "http://127.1.2.3"):
        assert only_this_computer(address), address
    for address in ("http://192.168.1.20:8000", "https://practice.example.org", "http://10.0.0.5"):
        assert not only_this_computer(address), address
