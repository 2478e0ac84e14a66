"""Repeats in the web form: as many entries as repeat_count asks for, or added one by one;
each entry checked on its own, errors shown at the entry; the answers stored as a list."""

import io

import openpyxl
import pytest

from gemeinsinn.surveys import services
from gemeinsinn.surveys.models import Response

pytestmark = pytest.mark.django_db


def _form() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "required", "constraint", "repeat_count"])
    sheet.append(["integer", "kinder_zahl", "Wie viele Kinder leben bei Ihnen?", "yes", "", ""])
    sheet.append(["begin repeat", "kinder", "Ihre Kinder", "", "", "${kinder_zahl}"])
    sheet.append(["integer", "kind_alter", "Alter des Kindes", "yes", ". < 30", ""])
    sheet.append(["end repeat", "", "", "", "", ""])
    sheet.append(["begin repeat", "wuensche", "Ihre Wünsche", "", "", ""])
    sheet.append(["text", "wunsch", "Wunsch", "", "", ""])
    sheet.append(["end repeat", "", "", "", "", ""])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append(["Familienumfrage", "familien"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def family_survey(city):
    return services.import_survey(_form(), "familien.xlsx")


def _post(client, survey, data, action="next"):
    page = client.get(f"/umfragen/{survey.slug}/seite/1/")
    return client.post(
        f"/umfragen/{survey.slug}/seite/1/",
        {"shown": page.context["shown"], "action": action, **data},
    )


def test_repeat_entries_follow_the_count_and_are_checked_one_by_one(client, family_survey, areas):
    client.post(f"/umfragen/{family_survey.slug}/", {"area": areas[0].pk})
    first = _post(client, family_survey, {"q-kinder_zahl": "2", "q-kinder-count": "0"})
    assert first.status_code == 400
    text = first.content.decode()
    assert "Erwartet werden 2 Einträge, gegeben sind 0." in text
    assert (
        text.count('name="q-kinder-1-kind_alter"') == 1 and 'name="q-kinder-2-kind_alter"' in text
    )
    wrong = _post(
        client,
        family_survey,
        {"q-kinder_zahl": "2", "q-kinder-count": "2", "q-kinder-1-kind_alter": "4",
         "q-kinder-2-kind_alter": "40", "q-wuensche-count": "1"},
    )  # fmt: skip
    assert wrong.status_code == 400
    assert "Diese Antwort ist nicht zulässig." in wrong.content.decode()
    assert wrong.context["errors"] == {"kinder-2-kind_alter": ["Diese Antwort ist nicht zulässig."]}
    assert 'href="#q-kinder-2-kind_alter"' in wrong.content.decode()
    answered = {
        "q-kinder_zahl": "2",
        "q-kinder-count": "2",
        "q-kinder-1-kind_alter": "4",
        "q-kinder-2-kind_alter": "7",
        "q-wuensche-count": "1",
        "q-wuensche-1-wunsch": "Spielplatz",
    }
    added = _post(client, family_survey, answered, action="add:wuensche")
    assert added.status_code == 200
    assert 'name="q-wuensche-2-wunsch"' in added.content.decode()
    done = _post(
        client, family_survey, {**answered, "q-wuensche-count": "2", "q-wuensche-2-wunsch": ""}
    )
    assert done.status_code == 302 and done["Location"].endswith("/absenden/")
    summary = client.get(done["Location"])
    assert "4; 7" in summary.content.decode()  # the two entries of the repeat
    client.post(
        f"/umfragen/{family_survey.slug}/absenden/",
        {"submission_key": summary.context["draft"].submission_key},
    )
    stored = Response.objects.get()
    assert stored.answers["kinder"] == [{"kind_alter": 4}, {"kind_alter": 7}]
    assert stored.answers["wuensche"] == [{"wunsch": "Spielplatz"}]  # the empty entry dropped


def test_repeats_on_the_one_page_form(client, family_survey, areas):
    page = client.get(f"/umfragen/{family_survey.slug}/eine-seite/")
    data = {
        "shown": page.context["shown"],
        "submission_key": page.context["submission_key"],
        "area": areas[0].pk,
        "q-kinder_zahl": "1",
        "q-kinder-count": "1",
        "q-kinder-1-kind_alter": "3",
        "q-wuensche-count": "1",
        "q-wuensche-1-wunsch": "",
    }
    missing = client.post(
        f"/umfragen/{family_survey.slug}/eine-seite/", {**data, "q-kinder-count": "0"}
    )
    assert missing.status_code == 400
    assert "Erwartet wird 1 Eintrag, gegeben sind 0." in missing.content.decode()
    done = client.post(f"/umfragen/{family_survey.slug}/eine-seite/", data)
    assert done.status_code == 302
    assert Response.objects.get().answers["kinder"] == [{"kind_alter": 3}]
