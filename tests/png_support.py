"""Reading a PNG's size in tests, checking on the way that it is a PNG."""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    """The width and height in a PNG's IHDR chunk (checking the signature and the chunk's CRC on the way)."""
    assert png[:8] == SIGNATURE
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    assert struct.unpack(">I", png[29:33])[0] == zlib.crc32(png[12:29])
    width, height = struct.unpack(">II", png[16:24])
    return width, height
