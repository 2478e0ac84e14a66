"""Reading PEOPLE.csv and QUOTAS.csv: all problems at once, with line and column."""

import numpy as np
import pytest

from gemeinsinn.formats.problems import InputError
from gemeinsinn.sortition.files import load_selection, read_quotas


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


QUOTAS = """feature,value,min,max
Geschlecht,weiblich,1,2
Geschlecht,männlich,1,2
Bezirk,Süd,1,3
Bezirk,Nord,0,3
"""


def test_both_quota_headers_mean_the_same(tmp_path):
    problems = []
    a = read_quotas(write(tmp_path / "a.csv", QUOTAS), problems)
    b = read_quotas(
        write(
            tmp_path / "b.csv", QUOTAS.replace("feature,value,min,max", "category,feature,min,max")
        ),
        problems,
    )
    assert problems == []
    assert [(q.feature, q.value, q.min, q.max, q.line) for q in a] == [
        ("Geschlecht", "weiblich", 1, 2, 2),
        ("Geschlecht", "männlich", 1, 2, 3),
        ("Bezirk", "Süd", 1, 3, 4),
        ("Bezirk", "Nord", 0, 3, 5),
    ]
    assert [(q.feature, q.value, q.min, q.max) for q in a] == [
        (q.feature, q.value, q.min, q.max) for q in b
    ]


def test_flex_columns_and_semicolons(tmp_path):
    problems = []
    quotas = read_quotas(
        write(
            tmp_path / "q.csv",
            "Feature;Value;Min;Max;min_flex;max_flex\nGeschlecht;weiblich;2;4;1;5\n"
            "Geschlecht;männlich;2;4;;\n",
        ),
        problems,
    )
    assert problems == []
    assert (quotas[0].min_flex, quotas[0].max_flex) == (1, 5)
    assert (quotas[1].min_flex, quotas[1].max_flex) == (None, None)


def test_values_match_case_spaces_and_unicode_form(tmp_path):
    # "Süd" written with a combining diaeresis (NFD), in upper case, with spaces
    people = "id,Geschlecht,Bezirk\n7, WEIBLICH ,SU\u0308D\n8,Männlich,nord\n9,weiblich,Süd\n"
    loaded = load_selection(
        write(tmp_path / "p.csv", people), write(tmp_path / "q.csv", QUOTAS), 2, id_column="id"
    )
    pool = loaded.pool
    assert pool.ids == ("7", "8", "9")
    assert pool.profile.tolist() == [[0, 0], [1, 1], [0, 0]]
    assert pool.household is None


def test_every_problem_is_reported_at_once(tmp_path):
    people = (
        "id,Geschlecht,Bezirk\n"
        "1,weiblich,Süd\n"  # line 2: fine
        "2,,Nord\n"  # line 3: blank cell
        "1,männlich,Nord\n"  # line 4: duplicate id
        "4,weiblich,Westend\n"  # line 5: unknown value
        ",männlich,Süd\n"  # line 6: blank id
    )
    quotas = QUOTAS + "Alter,jung,5,9\n"  # column missing; minimum 5 > panel size 3
    with pytest.raises(InputError) as caught:
        load_selection(
            write(tmp_path / "p.csv", people), write(tmp_path / "q.csv", quotas), 3, id_column="id"
        )
    found = {(p.file, p.line, p.column): p for p in caught.value.problems}
    assert ("p.csv", 3, "Geschlecht") in found and "Leere Zelle" in found[
        ("p.csv", 3, "Geschlecht")
    ].message
    assert "doppelt" in found[("p.csv", 4, "id")].message
    assert "schon in Zeile 2" in found[("p.csv", 4, "id")].message
    unknown = found[("p.csv", 5, "Bezirk")]
    assert "Westend" in unknown.message and "Süd, Nord" in unknown.hint
    assert ("p.csv", 6, "id") in found
    assert any("'Alter'" in p.message and "fehlt" in p.message for p in caught.value.problems)
    sums = [p for p in caught.value.problems if "Mindestwerte ergeben zusammen 5" in p.message]
    assert len(sums) == 1 and sums[0].file == "q.csv" and sums[0].line == 6
    assert len(caught.value.problems) == 6
    # every message says where
    assert all(str(p).startswith(("p.csv", "q.csv")) for p in caught.value.problems)


def test_bad_quota_rows(tmp_path):
    problems = []
    read_quotas(
        write(
            tmp_path / "q.csv",
            "feature,value,min,max\nA,x,3,1\nA,y,zwei,2\nA,x,0,1\nA,,1,1\n",
        ),
        problems,
    )
    lines = sorted((p.line, p.column) for p in problems)
    assert lines == [(2, "min"), (3, "min"), (5, "value")]
    problems = []
    read_quotas(write(tmp_path / "r.csv", "feature,value,min,max\nA,x,0,1\nA, X ,1,1\n"), problems)
    assert [p.line for p in problems] == [3] and "doppelt" in problems[0].message


def test_unknown_quota_header(tmp_path):
    problems = []
    assert read_quotas(write(tmp_path / "q.csv", "a,b,c\n1,2,3\n"), problems) == []
    assert "Kopfzeile" in problems[0].message and problems[0].line == 1


def test_row_numbers_identify_people_without_id_column(tmp_path):
    people = "Geschlecht,Bezirk\nweiblich,Süd\nmännlich,Nord\n\nmännlich,Süd\n"
    loaded = load_selection(write(tmp_path / "p.csv", people), write(tmp_path / "q.csv", QUOTAS), 2)
    assert loaded.pool.ids == ("1", "2", "3")
    assert loaded.line(2) == 5  # the blank line is skipped, but line numbers stay true


def test_households_from_address_columns(tmp_path):
    people = (
        "id,Geschlecht,Bezirk,Straße,Nr\n"
        "a,weiblich,Süd,Hauptstraße,1\n"
        "b,männlich,Süd, hauptstraße ,1\n"
        "c,männlich,Süd,Hauptstraße,2\n"
    )
    loaded = load_selection(
        write(tmp_path / "p.csv", people),
        write(tmp_path / "q.csv", QUOTAS),
        2,
        id_column="id",
        household_columns=["Straße", "Nr"],
    )
    assert loaded.pool.household.tolist() == [0, 0, 1]
    assert np.array_equal(loaded.pool.profile[:, 1], [0, 0, 0])
