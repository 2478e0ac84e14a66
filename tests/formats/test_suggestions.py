from gemeinsinn.formats.suggestions import Suggester

KEYS = Suggester({"01100101", "01100102", "12601236", "S1", "S3"})


def test_lost_leading_zero_is_restored():
    assert KEYS.closest("1100101") == "01100101"


def test_other_letter_case():
    assert KEYS.closest("s3") == "S3"


def test_one_typo_away():
    assert KEYS.closest("01100107") == "01100101"  # replaced; ties → smallest
    assert KEYS.closest("0110010") == "01100101"  # a digit missing at the end
    assert KEYS.closest("011000102") == "01100102"  # one digit too many
    assert KEYS.closest("10100102") == "01100102"  # neighbours swapped


def test_nothing_close():
    assert KEYS.closest("99999999") is None
    assert KEYS.closest("Quelle: Amt für Statistik") is None


def test_punctuation_and_spaces_do_not_matter():
    assert Suggester({"S3", "D3"}).closest("S_3") == "S3"
    assert Suggester({"EW"}).closest("e-w") == "EW"
