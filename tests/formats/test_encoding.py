import codecs

import pytest

from gemeinsinn.formats.encoding import to_utf8

TEXT = "Gebiet;Straße;Wert\n01;Müllerstraße Süd;4,5\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_umlauts_come_out_right_in_every_encoding(raw, encoding):
    text, detected = to_utf8(raw)
    assert detected == encoding
    assert text.decode("utf-8") == TEXT


def test_bytes_undefined_in_windows_1252_fall_back_to_latin_1():
    text, detected = to_utf8(b"a\x81b")
    assert detected == "latin-1"
    assert text.decode("utf-8") == "a\x81b"
