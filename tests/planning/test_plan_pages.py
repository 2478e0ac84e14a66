"""Pages of the action plan: the planners' tree, a status change, import and export, the admin
keeping the history, and the public pages (only public measures)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gemeinsinn.planning.models import Measure, MeasureStatus
from tests.planning.test_exchange import ROWS, csv


@pytest.fixture
def plan(city, planner):
    from gemeinsinn.ideas.services import ensure_default_categories
    from gemeinsinn.planning import services
    from gemeinsinn.planning.services import exchange

    ensure_default_categories()
    services.ensure_default_statuses()
    exchange.import_measures(csv(*ROWS), "plan.csv", planner)
    return {m.number: m for m in Measure.objects.all()}


def test_staff_plan_page_shows_tree_progress_and_budget(planner_client, plan):
    page = planner_client.get("/verwaltung/planung/handlungskonzept/").content.decode()
    assert "Hausaufgabenhilfe" in page and 'value="100"' in page
    assert "12.501 €" in page and "22.501 €" in page  # 10 000 + 12 500,50, whole euros


def test_status_change_on_the_measure_page(planner_client, plan):
    url = f"/verwaltung/planung/massnahmen/{plan['1.1'].pk}/"
    done = MeasureStatus.objects.get(name="abgeschlossen")
    response = planner_client.post(url, {"status": done.pk, "progress": "", "note": "fertig"})
    assert response.status_code == 302
    assert "Stand: in Vorbereitung → abgeschlossen" in planner_client.get(url).content.decode()
    same = planner_client.post(url, {"status": done.pk, "progress": ""})
    assert same.status_code == 400 and "Nichts zu speichern" in same.content.decode()
    wrong = planner_client.post(url, {"status": done.pk, "progress": "130"})
    assert wrong.status_code == 400


def test_import_page_reports_problems_and_export(planner_client, plan):
    bad = SimpleUploadedFile("plan.csv", csv("2;Programm;;X;;Kultur;;;;;geplant;;;"))
    response = planner_client.post("/verwaltung/planung/handlungskonzept/import/", {"file": bad})
    html = response.content.decode()
    assert response.status_code == 400 and "Nichts importiert" in html
    assert "plan.csv, Zeile 2, Spalte Handlungsfeld: Unbekanntes Handlungsfeld „Kultur“." in html
    export = planner_client.get("/verwaltung/planung/handlungskonzept/massnahmen.csv")
    text = export.content.decode("utf-8-sig")
    assert (
        text.startswith("Nummer;Art;gehört zu;Titel") and "1.1;Maßnahme;1;Hausaufgabenhilfe" in text
    )
    assert (
        planner_client.get("/verwaltung/planung/handlungskonzept/massnahmen.pdf").status_code == 404
    )


def test_admin_edit_keeps_the_history(admin_client, plan):
    measure = plan["1.1"]
    url = f"/admin/planning/measure/{measure.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"title": "Hausaufgabenhilfe plus", "goals": [], "target_areas": [], "ideas": []})
    for prefix in ("budgets", "fundings", "milestones"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update({"budgets-TOTAL_FORMS": 0})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert measure.history.first().summary == "Geändert: Titel"


def test_public_pages_show_only_public_measures(client, plan):
    plan["1.1.1"].is_public = False
    plan["1.1.1"].save()
    page = client.get("/handlungskonzept/").content.decode()
    assert "Hausaufgabenhilfe" in page and "Räume finden" not in page
    assert "Bildung und Erziehung" in page
    detail = client.get(f"/handlungskonzept/massnahmen/{plan['1.1'].pk}/").content.decode()
    assert "Förderverein" in detail and "Angelegt (Import aus plan.csv)" in detail
    assert client.get(f"/handlungskonzept/massnahmen/{plan['1.1.1'].pk}/").status_code == 404


def admin_funding_post(admin_client, measure, approval, decided_on):
    url = f"/admin/planning/measure/{measure.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"goals": [], "target_areas": [], "ideas": []})
    for prefix in ("budgets", "fundings", "milestones"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update({
        "fundings-TOTAL_FORMS": 1, "fundings-0-source": "land", "fundings-0-year": 2026,
        "fundings-0-programme": "Sozialer Zusammenhalt", "fundings-0-amount": "120000",
        "fundings-0-approval": approval, "fundings-0-decided_on": decided_on,
    })  # fmt: skip
    return admin_client.post(url, data)


def test_admin_funding_needs_the_date_of_its_decision(admin_client, client, plan):
    measure = plan["1.1"]
    refused = admin_funding_post(admin_client, measure, "bewilligt", "")
    assert refused.status_code == 200
    assert "Bitte das Datum des Bescheids angeben" in refused.content.decode()
    assert "Bescheid vom" in refused.content.decode()  # the inline's column
    assert not measure.fundings.exists()
    saved = admin_funding_post(admin_client, measure, "bewilligt", "12.03.2026")
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert measure.fundings.get().decided_on.isoformat() == "2026-03-12"
    detail = client.get(f"/handlungskonzept/massnahmen/{measure.pk}/").content.decode()
    assert "Land 2026: 120.000 € (Sozialer Zusammenhalt), bewilligt am 12.03.2026" in detail


def test_new_status_in_the_admin_tells_the_supporters(
    admin_client, plan, django_user_model, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.core import mail

    from gemeinsinn.ideas.models import Idea, Process, Support

    when = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    process = Process.objects.create(
        title="Ideen", slug="ideen", collect_from=when, collect_until=when, comment_until=when
    )
    measure = plan["1.1"]
    idea = Idea.objects.create(process=process, title="Lernhilfe", text="…", category=measure.field)
    Support.objects.create(idea=idea, user=django_user_model.objects.create_user("eva", "eva@x.de"))
    measure.ideas.add(idea)
    url = f"/admin/planning/measure/{measure.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"status": MeasureStatus.objects.get(name="abgeschlossen").pk})
    data.update({"goals": [], "target_areas": [], "ideas": [idea.pk]})
    for prefix in ("budgets", "fundings", "milestones"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    assert [m.to for m in mail.outbox] == [["eva@x.de"]]
    assert "in Vorbereitung → abgeschlossen" in mail.outbox[0].body
    assert measure.history.first().summary == "Geändert: Stand"
