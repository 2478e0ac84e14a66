"""The idea pages through Django's test client: German, escaped, without JavaScript; each
refused input answers with its message and changes nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gemeinsinn.ideas import services
from gemeinsinn.ideas.models import Comment, Idea, Support
from tests.ideas.conftest import INSIDE_HEIDE, area, idea_input, jpeg_with_gps

pytestmark = pytest.mark.django_db


def form_data(categories, **overrides):
    data = {
        "title": "Treffpunkt für Jugendliche",
        "text": "Ein Jugendtreff im Bahnhofsviertel.",
        "category": str(categories["Partizipation und Vernetzung"].pk),
        "area": str(area("0201").pk),
        "lat": "",
        "long": "",
    }
    data.update(overrides)
    return data


def test_list_filters_and_detail(client, process, citizen, categories):
    services.submit_idea(citizen, process, idea_input(categories, title="Bänke am Markt"))
    services.submit_idea(
        citizen,
        process,
        idea_input(
            categories,
            title="Kita in Heide",
            category=categories["Bildung und Erziehung"],
            area=None,
            **INSIDE_HEIDE,
        ),
    )
    page = client.get(reverse("ideas:index")).content.decode()
    assert "Bänke am Markt" in page and "Kita in Heide" in page
    assert "2 Ideen gefunden" in page
    page = client.get(reverse("ideas:index"), {"gebiet": area("0202").pk}).content.decode()
    assert "Kita in Heide" in page and "Bänke am Markt" not in page
    bildung = categories["Bildung und Erziehung"].pk
    page = client.get(reverse("ideas:index"), {"handlungsfeld": bildung}).content.decode()
    assert "Kita in Heide" in page and "Bänke am Markt" not in page
    page = client.get(reverse("ideas:index"), {"stand": "angenommen"}).content.decode()
    assert "0 Ideen gefunden" in page
    idea = Idea.objects.get(title="Kita in Heide")
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "Kita in Heide" in page and "Heide" in page and "Melden Sie sich an" in page


def test_submission_needs_login(client, process):
    response = client.get(reverse("ideas:submit"))
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_submit_through_the_form(client, process, citizen, categories, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(citizen)
    assert "Idee einreichen" in client.get(reverse("ideas:submit")).content.decode()
    photo = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(reverse("ideas:submit"), {**form_data(categories), "image": photo})
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:detail", args=[idea.pk])
    assert idea.area.key == "0201" and idea.image
    page = client.get(response["Location"]).content.decode()
    assert "Ihre Idee ist eingegangen" in page
    image = client.get(reverse("ideas:image", args=[idea.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_script_in_idea_and_comment_is_rendered_escaped(
    client, process, citizen, other_citizen, categories
):
    client.force_login(citizen)
    client.post(
        reverse("ideas:submit"),
        form_data(
            categories,
            title="Park <script>alert('t')</script>",
            text="Text &lt;script&gt;alert('e')&lt;/script&gt; mit <i>HTML</i>\nzweite Zeile",
        ),
    )
    idea = Idea.objects.get()
    client.force_login(other_citizen)
    client.post(
        reverse("ideas:comment", args=[idea.pk]),
        {"text": "<img src=x onerror=alert('c')>Kommentar <b>fett</b> 1 < 2"},
    )
    assert Comment.objects.get().text == "Kommentar fett 1 < 2"
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "alert(" not in page and "onerror" not in page and "<i>HTML" not in page
    assert "Text  mit HTML<br>zweite Zeile" in page
    assert "Kommentar fett 1 &lt; 2" in page


def test_form_errors_are_german_and_nothing_is_stored(client, process, citizen, categories):
    client.force_login(citizen)
    fake = SimpleUploadedFile("bild.png", b"kein Bild", content_type="image/png")
    response = client.post(reverse("ideas:submit"), {**form_data(categories), "image": fake})
    assert response.status_code == 400
    assert "Die Datei „bild.png“ ist kein Foto" in response.content.decode()
    response = client.post(reverse("ideas:submit"), form_data(categories, area="", text=""))
    assert response.status_code == 400
    assert "Bitte schreiben Sie Ihre Idee." in response.content.decode()
    response = client.post(reverse("ideas:submit"), form_data(categories, website="spam"))
    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_flood_through_the_form_gets_a_clear_message(client, process, citizen, categories):
    client.force_login(citizen)
    for number in range(services.IDEA_LIMIT):
        response = client.post(reverse("ideas:submit"), form_data(categories, title=f"T{number}"))
        assert response.status_code == 302
    response = client.post(reverse("ideas:submit"), form_data(categories, title="Zu viel"))
    assert response.status_code == 400
    assert "zu viele Ideen (höchstens 5 in 60 Minuten)" in response.content.decode()
    assert Idea.objects.count() == services.IDEA_LIMIT


def test_form_outside_the_phase_shows_the_message(client, process, citizen, categories):
    from django.utils import timezone

    process.collect_until = timezone.now() - dt.timedelta(days=1)
    process.save()
    client.force_login(citizen)
    page = client.get(reverse("ideas:submit")).content.decode()
    assert "können Sie die Ideen noch bis zum" in page
    assert 'enctype="multipart/form-data"' not in page
    response = client.post(reverse("ideas:submit"), form_data(categories))
    assert response.status_code == 400 and not Idea.objects.exists()


def test_support_twice_and_follow(client, process, citizen, other_citizen, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    client.force_login(other_citizen)
    client.post(reverse("ideas:support", args=[idea.pk]))
    response = client.post(reverse("ideas:support", args=[idea.pk]), follow=True)
    assert "Sie unterstützen diese Idee bereits" in response.content.decode()
    assert Support.objects.count() == 1
    client.post(reverse("ideas:follow", args=[idea.pk]), {"an": "1"})
    assert idea.follows.filter(user=other_citizen).exists()
    client.post(reverse("ideas:follow", args=[idea.pk]), {"an": "0"})
    assert not idea.follows.filter(user=other_citizen).exists()


def test_reply_and_report_comment(client, process, citizen, other_citizen, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    first = services.comment(idea, other_citizen, "Erster")
    client.force_login(citizen)
    page = client.get(reverse("ideas:detail", args=[idea.pk]), {"antwort": first.pk})
    assert "Sie antworten auf den Kommentar von Bert" in page.content.decode()
    client.post(reverse("ideas:comment", args=[idea.pk]), {"text": "Antwort", "parent": first.pk})
    assert Comment.objects.get(text="Antwort").parent == first
    response = client.post(
        reverse("ideas:report", args=[idea.pk]), {"kommentar": first.pk, "reason": "Spam"}
    )
    assert response.status_code == 302
    assert first.abuse_reports.get().reason == "Spam"


def test_moderation_queue_hide_and_block(
    client, process, citizen, other_citizen, moderator, categories
):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    rude = services.comment(idea, other_citizen, "Gemeinheit")
    services.report_abuse(citizen, idea, "beleidigend", comment=rude)
    client.force_login(citizen)
    assert client.get(reverse("ideas:moderation")).status_code == 403
    client.force_login(moderator)
    page = client.get(reverse("ideas:moderation")).content.decode()
    assert "1 offene Meldung" in page and "beleidigend" in page
    url = reverse("ideas:moderate_comment", args=[rude.pk])
    response = client.post(url, {"action": "hide", "reason": ""})
    assert response.status_code == 400 and "öffentlichen Grund" in response.content.decode()
    client.post(url, {"action": "hide", "reason": "Beleidigung entfernt"})
    client.post(url, {"action": "block", "block_reason": "Wiederholt"})
    assert services.is_blocked(other_citizen)
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "Gemeinheit" not in page and "Grund: Beleidigung entfernt" in page
    client.post(
        reverse("ideas:moderate_idea", args=[idea.pk]),
        {"action": "hide", "reason": "Doppelt eingereicht"},
    )
    assert idea.title not in client.get(reverse("ideas:index")).content.decode()
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "Doppelt eingereicht" in page and "Am Markt fehlen" not in page


def test_staff_answer_page(client, process, citizen, department, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    url = reverse("ideas:answer", args=[idea.pk])
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(department)
    response = client.post(url, {"status": "angenommen", "answer": "Wir <b>prüfen</b> das."})
    assert response.status_code == 302
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "Wir prüfen das." in page and "Fritz Amt" in page and "angenommen" in page
    response = client.post(url, {"status": "angenommen", "answer": "Wir prüfen das."})
    assert response.status_code == 400 and "Nichts zu speichern" in response.content.decode()


def test_statistics_page(client, process, citizen, department, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    services.answer_idea(idea, department, "Ja.")
    page = client.get(reverse("ideas:statistics")).content.decode()
    assert "1 sichtbare Ideen, davon 1 beantwortet" in page
    assert "Mühlenweg" in page  # districts without ideas are listed


def test_district_profile_lists_the_ideas(client, process, citizen, department, categories):
    answered = services.submit_idea(citizen, process, idea_input(categories, title="Bänke"))
    services.answer_idea(answered, department, "Kommt.", new_status="umgesetzt")
    services.submit_idea(citizen, process, idea_input(categories, title="Brunnen"))
    page = client.get(reverse("areas:profile", args=["sozialraum", "0101"])).content.decode()
    assert "2 Ideen aus Markt" in page
    assert "Bänke</a> – umgesetzt, beantwortet" in page
    assert "Brunnen</a> – eingegangen" in page
    page = client.get(reverse("areas:profile", args=["sozialraum", "0202"])).content.decode()
    assert "0 Ideen aus Heide" in page


def test_list_filter_by_a_coarser_area_from_the_profile_link(client, process, citizen, categories):
    from gemeinsinn.areas.models import Area

    services.submit_idea(citizen, process, idea_input(categories, title="Im Markt"))
    services.submit_idea(
        citizen, process, idea_input(categories, title="In Heide", area=None, **INSIDE_HEIDE)
    )
    stadtteil = Area.objects.get(level__code="stadtteil", key="02")
    profile = client.get(reverse("areas:profile", args=["stadtteil", "02"])).content.decode()
    assert f"{reverse('ideas:index')}?gebiet={stadtteil.pk}" in profile
    page = client.get(reverse("ideas:index"), {"gebiet": stadtteil.pk}).content.decode()
    assert "In Heide" in page and "Im Markt" not in page and "1 Idee gefunden" in page


def test_deleted_account_leaves_anonymous_contributions(client, process, citizen, categories):
    from gemeinsinn.accounts.services import delete_account

    idea = services.submit_idea(citizen, process, idea_input(categories))
    services.comment(idea, citizen, "Nachtrag")
    delete_account(citizen, "x-Passwort-123")
    idea.refresh_from_db()
    assert idea.author is None and idea.author_name == "" and idea.client_key == ""
    assert Comment.objects.get().author_name == ""
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "Anna" not in page and "von anonym" in page


def test_double_submit_of_the_form_leads_to_the_stored_idea(client, process, citizen, categories):
    client.force_login(citizen)
    first = client.post(reverse("ideas:submit"), form_data(categories))
    second = client.post(reverse("ideas:submit"), form_data(categories), follow=True)
    idea = Idea.objects.get()
    assert first["Location"] == reverse("ideas:detail", args=[idea.pk])
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "eben schon eingereicht" in second.content.decode()
