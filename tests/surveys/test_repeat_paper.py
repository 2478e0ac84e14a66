"""Paper entry of repeats: the number of entries and the entries' fields typed with the
keyboard, compared by the check of the double entry, agreed ones taken as responses."""

import pytest

from gemeinsinn.surveys import services
from gemeinsinn.surveys.models import PaperEntry, Response
from tests.surveys.repeat_form import child, household_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(city):
    return services.import_survey(household_form(), "haushalt.xlsx")


def test_the_check_compares_the_entries_of_a_repeat(household, areas):
    batch = services.create_batch(household, "Kita-Fest")
    three = {
        "wohnform": "miete",
        "kinder": [child("unter_3"), child("3_5", ["kita"], 10), child("6_9", ["schule"], 15)],
    }
    services.enter_paper(batch, 1, 1, areas[0], three)
    services.enter_paper(batch, 1, 2, areas[0], three)
    typo = {**three, "kinder": [child("unter_3"), child("3_5", ["kita"], 10), child("10_17")]}
    services.enter_paper(batch, 2, 1, areas[0], three)
    services.enter_paper(batch, 2, 2, areas[0], typo)
    services.enter_paper(batch, 3, 1, areas[1], three)
    services.enter_paper(batch, 3, 2, areas[1], {**three, "kinder": three["kinder"][:2]})
    services.enter_paper(batch, 4, 1, areas[1], {"wohnform": "eigentum"})
    services.enter_paper(batch, 4, 2, areas[1], {"wohnform": "eigentum", "kinder": []})
    check = services.check_batch(batch)
    assert check.agreed == [1, 4]  # no entries and an empty list of entries are the same
    found = [(d.number, d.question, d.entry, d.first, d.second) for d in check.disagreements]
    assert found == [
        (2, "kind_alter", 3, "6_9", "10_17"),
        (2, "kind_betreuung", 3, ["schule"], None),
        (2, "kind_weg", 3, 15, None),
        (3, "kinder", None, 3, 2),
    ]
    assert check.disagreements[-1].label == "Kinder im Haushalt: Anzahl der Einträge"
    assert services.accept_batch(batch) == 2
    stored = Response.objects.get(questionnaire_number=1)
    assert [entry["kind_alter"] for entry in stored.answers["kinder"]] == ["unter_3", "3_5", "6_9"]
    assert stored.answers["kinder"][2] == {"kind_alter": "6_9", "kind_betreuung": ["schule"],
                                           "kind_weg": 15}  # fmt: skip
    assert Response.objects.get(questionnaire_number=4).answers["kinder"] == []


def test_a_typing_error_in_an_entry_is_refused_at_once(household, areas):
    batch = services.create_batch(household, "Kita-Fest")
    with pytest.raises(services.SurveyError) as raised:
        services.enter_paper(
            batch, 1, 1, areas[0], {"wohnform": "miete", "kinder": [child("3_5", way="zehn")]}
        )
    (problem,) = raised.value.problems
    assert (problem.question, problem.instance) == ("kind_weg", 1)
    assert not PaperEntry.objects.exists()


def test_a_form_change_may_not_move_a_question_out_of_its_repeat(household, areas):
    services.submit_response(household, {"wohnform": "miete"}, area=areas[0])
    with pytest.raises(services.InputError) as raised:
        services.update_survey(
            household,
            title=household.title,
            access=household.access,
            opens_on=None,
            closes_on=None,
            data=household_form(way_in_repeat=False),
            filename="haushalt.xlsx",
        )
    (problem,) = raised.value.problems
    assert "„kind_weg“ steht im neuen Fragebogen in einer anderen Wiederholung" in problem.message


def _typed(areas, number: str, entry_pass: str, **fields) -> dict:
    data = {"number": number, "entry_pass": entry_pass, "area": areas[0].key, "p-wohnform": "1"}
    data["p-kinder-rows"] = "3"
    data.update({f"p-{name.replace('__', '-')}": value for name, value in fields.items()})
    return data


def test_the_typist_enters_the_entries_row_by_row_and_the_check_shows_them(
    staff_client, household, areas
):
    batch = services.create_batch(household, "Kita-Fest")
    url = f"/verwaltung/umfragen/{household.slug}/papier/{batch.pk}/"
    page = staff_client.get(url).content.decode()
    assert 'name="p-kinder-count"' in page and 'name="p-kinder-3-kind_alter"' in page
    assert 'name="p-kinder-4-kind_alter"' not in page  # three rows until more are asked for
    assert 'aria-describedby="h-kinder-kind_alter"' in page
    assert 'id="h-kinder-kind_alter">kind_alter: 1 unter 3 Jahre · 2 3 bis 5 Jahre' in page
    two = {"kinder__1__kind_alter": "1", "kinder__1__kind_betreuung": "1 3",
           "kinder__2__kind_alter": "3", "kinder__2__kind_weg": "12"}  # fmt: skip
    first = staff_client.post(url, _typed(areas, "1", "1", **two))
    assert first.status_code == 302 and first["Location"].endswith("?bogen=2&erfassung=1")
    stored = PaperEntry.objects.get(number=1, entry_pass=1).answers
    assert stored["kinder"] == [
        {"kind_alter": "unter_3", "kind_betreuung": ["kita", "hort"]},
        {"kind_alter": "6_9", "kind_weg": "12"},
    ]
    other_age = {**two, "kinder__2__kind_alter": "4"}
    second = staff_client.post(url, _typed(areas, "1", "2", **other_age))
    assert second.status_code == 302
    check = staff_client.get(url + "pruefung/").content.decode()
    assert "kind_alter (Eintrag 2) Alter des Kindes" in check
    assert '<td class="kern-table__cell">6_9</td><td class="kern-table__cell">10_17</td>' in check
    assert "1 Bogen stimmt überein" not in check
    fixed = staff_client.post(url, _typed(areas, "1", "2", **two))
    assert fixed.status_code == 302
    assert services.accept_batch(batch) == 1
    assert Response.objects.get().answers["kinder"][1] == {"kind_alter": "6_9", "kind_weg": 12}


def test_more_rows_than_shown_a_row_beyond_the_number_and_a_typing_error(
    staff_client, household, areas
):
    batch = services.create_batch(household, "Kita-Fest")
    url = f"/verwaltung/umfragen/{household.slug}/papier/{batch.pk}/"
    more = staff_client.post(url, _typed(areas, "1", "1", kinder__count="5",
                                         kinder__1__kind_alter="2"))  # fmt: skip
    assert more.status_code == 400 and not PaperEntry.objects.exists()
    text = more.content.decode()
    assert "5 Einträge: die Felder bis Eintrag 5 sind jetzt da" in text
    assert 'name="p-kinder-5-kind_alter"' in text and 'name="p-kinder-6-kind_alter"' not in text
    assert 'name="p-kinder-rows" value="5"' in text and 'value="2"' in text  # kept
    five = {f"kinder__{n}__kind_alter": "2" for n in range(1, 6)}
    saved = staff_client.post(url, {**_typed(areas, "1", "1", kinder__count="5", **five),
                                    "p-kinder-rows": "5"})  # fmt: skip
    assert saved.status_code == 302
    assert len(PaperEntry.objects.get(number=1).answers["kinder"]) == 5
    beyond = staff_client.post(url, _typed(areas, "2", "1", kinder__count="1",
                                           kinder__2__kind_alter="2"))  # fmt: skip
    assert beyond.status_code == 400
    assert (
        "Eintrag 2 ist ausgefüllt, die Anzahl der Einträge ist aber 1." in beyond.content.decode()
    )
    typo = staff_client.post(url, _typed(areas, "2", "1", kinder__1__kind_alter="2",
                                         kinder__1__kind_weg="zehn"))  # fmt: skip
    assert typo.status_code == 400
    text = typo.content.decode()
    assert (
        '<a class="kern-link" href="#p-kinder-1-kind_weg">Kinder im Haushalt, Eintrag 1: '
        "Weg zur Kita oder Schule (Minuten): " in text
    )
    assert 'id="p-kinder-1-kind_weg" value="zehn" autocomplete="off" aria-invalid="true"' in text
    assert PaperEntry.objects.count() == 1
