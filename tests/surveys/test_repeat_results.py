"""Questions inside a repeat in the results: counted per entry over all entries, with the
respondents and the entries stated, fewer than five respondents hidden (however many
entries they have), every entry weighted with its response's weight."""

import pytest

from gemeinsinn.surveys import services
from gemeinsinn.surveys.results import MIN_GROUP
from tests.surveys.repeat_form import child, household_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(city):
    return services.import_survey(household_form(), "haushalt.xlsx")


@pytest.fixture
def answered(household, areas):
    """Nine households: 0, 1 or 3 children (one with 2); 11 children from 6 households."""
    markt, second = areas[0], areas[1]
    given = [
        (markt, "miete", []),
        (markt, "miete", [child("unter_3", ["kita"], 10)]),
        (markt, "eigentum", [child("3_5", ["kita"], 5), child("6_9", ["schule", "hort"], 15),
                             child("10_17", ["schule"], 20)]),
        (markt, "miete", [child("6_9", ["schule"], 10)]),
        (markt, "miete", [child("3_5", ["kita"], 12)]),
        (markt, "eigentum", []),
        (second, "miete", [child("3_5", ["kita"], 8), child("3_5", ["kita"], 8),
                           child("unter_3")]),
        (second, "miete", []),
        (markt, "miete", [child("10_17", ["schule"], 25), child("6_9")]),
    ]  # fmt: skip
    for area, living, children in given:
        services.submit_response(household, {"wohnform": living, "kinder": children}, area=area)
    return household


def _shares(result) -> list[float]:
    return [round(cell.share, 1) for cell in result.total.cells]


def test_a_question_in_a_repeat_is_counted_over_all_entries(answered):
    ages = services.results(answered, "kind_alter")
    assert ages.repeat == "kinder" and ages.repeat_label == "Kinder im Haushalt"
    assert (ages.total.respondents, ages.total.entries) == (6, 11)
    assert [cell.count for cell in ages.total.cells] == [2, 4, 3, 2]
    assert _shares(ages) == [18.2, 36.4, 27.3, 18.2]
    care = services.results(answered, "kind_betreuung")  # multiple choice per child
    assert (care.total.respondents, care.total.entries) == (6, 9)
    assert _shares(care) == [55.6, 44.4, 11.1]  # Kita, Schule, Hort
    way = services.results(answered, "kind_weg")
    assert (way.total.respondents, way.total.entries) == (6, 9)
    assert (way.total.mean, way.total.median) == (113 / 9, 10.0)
    assert (way.total.minimum, way.total.maximum) == (5, 25)
    living = services.results(answered, "wohnform")  # outside the repeat: per response
    assert living.repeat is None and living.total.respondents == 9


def test_groups_count_respondents_not_entries_for_the_rule_of_five(answered, areas):
    by_area = {g.key: g for g in services.results(answered, "kind_alter", by="area").groups}
    markt = by_area[str(areas[0].pk)]
    assert (markt.respondents, markt.entries, markt.suppressed) == (5, 8, False)
    assert [round(c.share, 1) for c in markt.cells] == [12.5, 25.0, 37.5, 25.0]
    second = by_area[str(areas[1].pk)]
    assert (second.respondents, second.entries) == (1, 3)
    assert second.suppressed and second.cells == [] and MIN_GROUP > 3
    by_living = {g.key: g for g in services.results(answered, "kind_alter", by="wohnform").groups}
    assert (by_living["miete"].respondents, by_living["miete"].entries) == (5, 8)
    assert [round(c.share, 1) for c in by_living["miete"].cells] == [25.0, 37.5, 25.0, 12.5]
    assert by_living["eigentum"].suppressed  # one household with three children
    with pytest.raises(ValueError):
        services.results(answered, "wohnform", by="kind_alter")  # an entry is no group


def test_every_entry_has_its_responses_weight(answered, areas):
    areas[0].population, areas[1].population = 1200, 900
    areas[0].save()
    areas[1].save()
    # responses: 7 from the first area, 2 from the second (population 1 200 and 900)
    first, second = (1200 / 2100) / (7 / 9), (900 / 2100) / (2 / 9)
    weighted = services.results(answered, "kind_alter", weighted=True)
    # entries: 8 from the first area (1 under 3), 3 from the second (1 under 3)
    assert weighted.total.cells[0].count == pytest.approx(first + second)
    expected = 100 * (first + second) / (8 * first + 3 * second)
    assert weighted.total.cells[0].share == pytest.approx(expected)
    assert round(expected, 1) == 22.8  # unweighted 18.2
    assert weighted.total.respondents == 6 and weighted.total.entries == 11


def test_a_question_in_a_repeat_cannot_become_an_indicator(answered):
    with pytest.raises(services.InputError) as raised:
        services.question_to_indicator(
            answered, "kind_alter", ["unter_3"], code="kinder_u3", name="Kinder unter 3"
        )
    assert "werden je Eintrag gezählt" in raised.value.problems[0].message


def test_the_results_page_states_respondents_and_entries(staff_client, answered, areas):
    page = staff_client.get(f"/verwaltung/umfragen/{answered.slug}/ergebnisse/?nach=area")
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "Frage der Wiederholung „Kinder im Haushalt“: gezählt wird jeder Eintrag – "
        "11 Einträge von 6 Befragten." in text
    )
    assert "9 Einträge von 6 Befragten; Mittelwert 12,6, Median 10,0, von 5 bis 25." in text
    assert f"<li>{areas[0].name}: Mittelwert 13,9 (7 Einträge von 5 Befragten)</li>" in text
    assert f"<li>{areas[1].name}: .</li>" in text  # 3 entries, but from one household
    row = (
        f'<th class="kern-table__cell" scope="row">{areas[0].name}</th>'
        '<td class="kern-table__cell num">5</td><td class="kern-table__cell num">8</td>'
        '<td class="kern-table__cell num">12,5</td>'
    )
    assert row in text
    assert "Die Wiederholung „Kinder im Haushalt“ steht im Export in einer eigenen Tabelle" in text
    assert "Antworten als CSV (ZIP: eine Datei je Wiederholung und das Codebuch)" in text
    weighted = staff_client.get(f"/verwaltung/umfragen/{answered.slug}/ergebnisse/?gewichtet=1")
    assert "Jeder Eintrag zählt mit dem Gewicht seiner Antwort." in weighted.content.decode()


def test_a_repeat_without_responses(household):
    ages = services.results(household, "kind_alter")
    assert (ages.total.respondents, ages.total.entries, ages.total.suppressed) == (0, 0, True)
