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
