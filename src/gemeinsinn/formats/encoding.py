"""Detect the text encoding of a CSV file and hand it on as UTF-8 bytes.

Planning offices export UTF-8 (with or without BOM), Windows-1252 (Excel "CSV (Trennzeichen-
getrennt)") and sometimes UTF-16 (Excel "Unicode-Text"). A file that is not valid UTF-8 is
read as Windows-1252; bytes that Windows-1252 leaves undefined fall back to Latin-1.
"""

import codecs

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
UTF16 = "utf-16"
WINDOWS_1252 = "cp1252"
LATIN_1 = "latin-1"


def to_utf8(data: bytes) -> tuple[bytes, str]:
    """(UTF-8 bytes without BOM, name of the detected encoding)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :], UTF8_BOM
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode(UTF16, errors="replace").encode(UTF8), UTF16
    try:
        data.decode(UTF8)
    except UnicodeDecodeError:
        pass
    else:
        return data, UTF8
    try:
        return data.decode(WINDOWS_1252).encode(UTF8), WINDOWS_1252
    except UnicodeDecodeError:
        return data.decode(LATIN_1).encode(UTF8), LATIN_1
