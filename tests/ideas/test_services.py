"""The use cases of ideas, with every bad input of issue 3: each gives a German message and
leaves what is stored as it was."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gemeinsinn.ideas import services
from gemeinsinn.ideas.models import (
    ACCEPTED,
    IMPLEMENTED,
    REVIEWING,
    AbuseReport,
    Comment,
    Follow,
    Idea,
    StatusChange,
    Support,
)
from tests.ideas.conftest import (
    INSIDE_HEIDE,
    OUTSIDE,
    area,
    idea_input,
    jpeg_with_gps,
    make_citizen,
)

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything stored about ideas, to show that a refused action changed nothing."""
    return (
        list(Idea.objects.order_by("pk").values()),
        list(Comment.objects.order_by("pk").values()),
        list(Support.objects.order_by("pk").values()),
        list(StatusChange.objects.order_by("pk").values()),
    )


def test_default_categories_are_the_fields_of_action(process):
    from gemeinsinn.ideas.models import Category

    assert list(Category.objects.values_list("name", flat=True)) == services.DEFAULT_CATEGORIES
    assert services.ensure_default_categories() == 0  # idempotent, a city's changes kept


def test_submit_idea_with_area_and_author_follows(process, citizen, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories), client="10.0.0.1")
    assert idea.status == "eingegangen"
    assert idea.area.key == "0101"
    assert idea.text == "Am Markt fehlen Sitzplätze.\nBesonders für Ältere."
    assert idea.author_name == "Anna"
    assert Follow.objects.filter(idea=idea, user=citizen).exists()
    assert idea.history.get().new_status == "eingegangen"
    assert "10.0.0.1" not in idea.client_key  # the address itself is not stored


def test_area_is_derived_from_a_map_point(process, citizen, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories, area=None, **INSIDE_HEIDE))
    assert idea.area.key == "0202"
    assert (idea.lat, idea.long) == (51.21, 7.935)


def test_point_outside_or_contradicting_or_missing_place_is_refused(process, citizen, categories):
    before = snapshot()
    with pytest.raises(services.IdeaError, match="nicht im Stadtgebiet"):
        services.submit_idea(citizen, process, idea_input(categories, area=None, **OUTSIDE))
    with pytest.raises(services.IdeaError, match="liegt in Heide, gewählt ist aber Markt"):
        services.submit_idea(citizen, process, idea_input(categories, **INSIDE_HEIDE))
    with pytest.raises(services.IdeaError, match="Bitte wählen Sie das Gebiet"):
        services.submit_idea(citizen, process, idea_input(categories, area=None))
    with pytest.raises(services.IdeaError, match="keine Zahl"):
        services.submit_idea(citizen, process, idea_input(categories, lat="Nord", long="7"))
    assert snapshot() == before


def test_script_and_html_in_an_idea_are_stored_as_plain_text(process, citizen, categories):
    idea = services.submit_idea(
        citizen,
        process,
        idea_input(
            categories,
            title="<b>Spielplatz</b><script>alert(1)</script>",
            text=(
                'Bitte <a href="javascript:alert(2)">hier</a> lesen.\n'
                "<img src=x onerror=alert(3)>Schaukel &lt;script&gt;alert(4)&lt;/script&gt;"
                "\nund 3 < 5 & gut"
            ),
        ),
    )
    assert idea.title == "Spielplatz"
    assert idea.text == "Bitte hier lesen.\nSchaukel \nund 3 < 5 & gut".replace(" \n", "\n")
    assert "<" not in idea.title and "script" not in idea.text and "onerror" not in idea.text


def test_text_that_is_only_markup_is_refused(process, citizen, categories):
    with pytest.raises(services.IdeaError, match="Bitte schreiben Sie Ihre Idee"):
        services.submit_idea(
            citizen, process, idea_input(categories, text="<script>alert(1)</script>")
        )
    assert not Idea.objects.exists()


def test_too_long_text_is_refused(process, citizen, categories):
    with pytest.raises(services.IdeaError, match="höchstens 5000"):
        services.submit_idea(citizen, process, idea_input(categories, text="x" * 5001))
    assert not Idea.objects.exists()


def test_image_is_reencoded_without_exif(process, citizen, categories, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")
    with Image.open(io.BytesIO(jpeg_with_gps())) as original:
        assert original.getexif().get(0x010F) == "Kamerahersteller"
    idea = services.submit_idea(citizen, process, idea_input(categories, image=upload))
    with idea.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
    assert (idea.image_width, idea.image_height) == (64, 48)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"<html><script>alert(1)</script></html>", "ist kein Foto"),
        (b"GIF89a" + b"\x00" * 100, "ist kein Foto"),  # a fake header
        (b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024), "größer als 10 MB"),
    ],
    ids=["html-as-image", "fake-gif", "oversized"],
)
def test_fake_or_oversized_image_is_refused(
    process, citizen, categories, settings, tmp_path, content, message
):
    settings.MEDIA_ROOT = tmp_path
    services.submit_idea(citizen, process, idea_input(categories, title="Erste Idee"))
    before = snapshot()
    upload = SimpleUploadedFile("bild.jpg", content, content_type="image/jpeg")
    with pytest.raises(services.IdeaError, match=message) as error:
        services.submit_idea(citizen, process, idea_input(categories, image=upload))
    assert error.value.field == "image"
    assert snapshot() == before
    assert not list(tmp_path.rglob("*.jpg"))


def test_submission_outside_the_collecting_phase_is_refused(process, citizen, categories):
    before = snapshot()
    early = process.collect_from - dt.timedelta(hours=1)
    with pytest.raises(services.IdeaError, match="ab dem .* mitmachen"):
        services.submit_idea(citizen, process, idea_input(categories), now=early)
    commenting = process.collect_until + dt.timedelta(hours=1)
    with pytest.raises(services.IdeaError, match="bis zum .* eingereicht werden"):
        services.submit_idea(citizen, process, idea_input(categories), now=commenting)
    late = process.comment_until + dt.timedelta(hours=1)
    with pytest.raises(services.IdeaError, match="ist abgeschlossen"):
        services.submit_idea(citizen, process, idea_input(categories), now=late)
    assert snapshot() == before


def test_comments_are_allowed_in_the_comment_phase_but_not_after(
    process, citizen, other_citizen, categories
):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    commenting = process.collect_until + dt.timedelta(hours=1)
    services.comment(idea, other_citizen, "Gute Idee!", now=commenting)
    services.support(idea, other_citizen, now=commenting)
    late = process.comment_until + dt.timedelta(hours=1)
    before = snapshot()
    with pytest.raises(services.IdeaError, match="abgeschlossen"):
        services.comment(idea, citizen, "Noch etwas", now=late)
    assert snapshot() == before


def test_one_support_per_person(process, citizen, other_citizen, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    services.support(idea, other_citizen)
    before = snapshot()
    with pytest.raises(services.IdeaError, match="bereits"):
        services.support(idea, other_citizen)
    with pytest.raises(services.IdeaError, match="eigene Idee"):
        services.support(idea, citizen)
    assert snapshot() == before
    idea.refresh_from_db()
    assert idea.support_count == 1


def test_flood_of_ideas_from_one_account_is_throttled(process, citizen, categories):
    for number in range(services.IDEA_LIMIT):
        services.submit_idea(
            citizen, process, idea_input(categories, title=f"Idee {number}"), client="10.0.0.9"
        )
    before = snapshot()
    with pytest.raises(services.IdeaError, match="zu viele Ideen .* in 60 Minuten"):
        services.submit_idea(citizen, process, idea_input(categories), client="10.0.0.8")
    assert snapshot() == before
    later = timezone.now() + services.FLOOD_WINDOW + dt.timedelta(minutes=1)
    services.submit_idea(citizen, process, idea_input(categories), now=later)


def test_flood_from_one_client_across_accounts_is_throttled(process, categories):
    for number in range(services.IDEA_LIMIT * services.CLIENT_FACTOR):
        user = make_citizen(f"bot{number}")
        services.submit_idea(
            user, process, idea_input(categories, title=f"Idee {number}"), client="10.6.6.6"
        )
    newcomer = make_citizen("neu")
    with pytest.raises(services.IdeaError, match="Bitte versuchen Sie es in \\d+ Minuten"):
        services.submit_idea(newcomer, process, idea_input(categories), client="10.6.6.6")
    services.submit_idea(newcomer, process, idea_input(categories), client="10.1.1.1")


def test_flood_of_comments_is_throttled(process, citizen, other_citizen, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    for number in range(services.COMMENT_LIMIT):
        services.comment(idea, other_citizen, f"Kommentar {number}")
    with pytest.raises(services.IdeaError, match="zu viele Kommentare"):
        services.comment(idea, other_citizen, "Noch einer")
    assert Comment.objects.count() == services.COMMENT_LIMIT


def test_unconfirmed_and_anonymous_people_cannot_contribute(process, categories):
    from django.contrib.auth.models import AnonymousUser

    unconfirmed = make_citizen("neu", confirmed=False)
    with pytest.raises(services.IdeaError, match="bestätigen Sie zuerst"):
        services.submit_idea(unconfirmed, process, idea_input(categories))
    with pytest.raises(services.IdeaError, match="melden Sie sich an"):
        services.submit_idea(AnonymousUser(), process, idea_input(categories))
    assert not Idea.objects.exists()


def test_blocked_user_cannot_contribute_and_stored_content_stays(
    process, citizen, other_citizen, moderator, categories
):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    own = services.submit_idea(other_citizen, process, idea_input(categories, title="Bert"))
    services.comment(idea, other_citizen, "Unfreundlich")
    services.block_user(other_citizen, moderator, "Wiederholte Beleidigungen")
    before = snapshot()
    with pytest.raises(services.IdeaError, match="gesperrt"):
        services.submit_idea(other_citizen, process, idea_input(categories))
    with pytest.raises(services.IdeaError, match="gesperrt"):
        services.comment(idea, other_citizen, "Noch mal")
    with pytest.raises(services.IdeaError, match="gesperrt"):
        services.support(idea, other_citizen)
    with pytest.raises(services.IdeaError, match="bereits gesperrt"):
        services.block_user(other_citizen, moderator, "doppelt")
    assert snapshot() == before
    assert Idea.objects.get(pk=own.pk).title == "Bert"


def test_only_moderators_block_and_hide(process, citizen, other_citizen, department, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    with pytest.raises(services.IdeaError, match="Nur die Moderation"):
        services.block_user(citizen, other_citizen, "weil")
    with pytest.raises(services.IdeaError, match="Nur die Moderation"):
        services.hide(idea, department, "weil")
    assert not Idea.objects.get(pk=idea.pk).is_hidden


def test_comment_replies_are_one_level(process, citizen, other_citizen, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    first = services.comment(idea, other_citizen, "Ja!")
    reply = services.comment(idea, citizen, "Danke", parent=first)
    reply_to_reply = services.comment(idea, other_citizen, "Gern", parent=reply)
    assert reply.parent == first
    assert reply_to_reply.parent == first


def test_script_in_a_comment_is_stored_as_plain_text(process, citizen, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    created = services.comment(
        idea, citizen, "<script>alert('x')</script>Gut<br>so <a href='https://x.example'>Link</a>"
    )
    assert created.text == "Gutso Link"


def test_report_hide_and_queue(process, citizen, other_citizen, moderator, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    rude = services.comment(idea, other_citizen, "Beleidigung")
    services.report_abuse(citizen, idea, "beleidigend", comment=rude)
    with pytest.raises(services.IdeaError, match="bereits gemeldet"):
        services.report_abuse(citizen, idea, "nochmal", comment=rude)
    with pytest.raises(services.IdeaError, match="Bitte schreiben Sie kurz"):
        services.report_abuse(citizen, idea, "  ")
    queue = services.moderation_queue()
    assert [r.comment for r in queue["reports"]] == [rude]
    assert idea in queue["ideas"] and rude in queue["comments"]
    with pytest.raises(services.IdeaError, match="öffentlichen Grund"):
        services.hide(rude, moderator, "")
    services.hide(rude, moderator, "Beleidigung entfernt")
    rude.refresh_from_db()
    assert rude.is_hidden and rude.hidden_reason == "Beleidigung entfernt"
    assert rude.text == "Beleidigung"  # kept for the record, not shown
    assert AbuseReport.objects.get().resolved_by == moderator
    assert services.moderation_queue()["reports"] == []


def test_official_answer_and_status_with_history_and_mail(
    process, citizen, other_citizen, department, categories, mailoutbox, commits
):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    services.follow(idea, other_citizen)
    mailoutbox.clear()
    with commits(execute=True):
        services.change_status(idea, department, REVIEWING, base_url="http://testserver/")
    assert len(mailoutbox) == 2
    assert {m.to[0] for m in mailoutbox} == {citizen.email, other_citizen.email}
    assert "in Prüfung" in mailoutbox[0].body
    assert f"http://testserver/ideen/{idea.pk}/" in mailoutbox[0].body
    mailoutbox.clear()
    with commits(execute=True):
        services.answer_idea(
            idea, department, "Wir stellen im Frühjahr drei Bänke auf.", new_status=ACCEPTED
        )
    idea.refresh_from_db()
    assert idea.status == ACCEPTED
    assert idea.answer == "Wir stellen im Frühjahr drei Bänke auf."
    assert idea.answered_by_name == "Fritz Amt" and idea.answered_at is not None
    assert "Antwort der Verwaltung" in mailoutbox[0].subject
    assert "drei Bänke" in mailoutbox[0].body
    steps = [(s.old_status, s.new_status, s.by_name) for s in idea.history.all()]
    assert steps == [
        ("", "eingegangen", ""),
        ("eingegangen", "in_pruefung", "Fritz Amt"),
        ("in_pruefung", "angenommen", "Fritz Amt"),
    ]
    services.follow(idea, other_citizen, on=False)
    mailoutbox.clear()
    with commits(execute=True):
        services.change_status(idea, department, IMPLEMENTED)
    assert [m.to for m in mailoutbox] == [[citizen.email]]


def test_answer_refused_for_citizens_and_for_nothing_new(
    process, citizen, department, moderator, categories
):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    before = snapshot()
    with pytest.raises(services.IdeaError, match="Nur Fachämter"):
        services.answer_idea(idea, citizen, "Selbst beantwortet", new_status=ACCEPTED)
    with pytest.raises(services.IdeaError, match="Nur Fachämter"):
        services.change_status(idea, moderator, ACCEPTED)
    with pytest.raises(services.IdeaError, match="Nichts zu speichern"):
        services.change_status(idea, department, idea.status)
    with pytest.raises(services.IdeaError, match="gibt es nicht"):
        services.change_status(idea, department, "erledigt")
    assert snapshot() == before


def test_new_comment_notifies_followers_but_not_the_writer(
    process, citizen, other_citizen, categories, mailoutbox, commits
):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    services.follow(idea, other_citizen)
    mailoutbox.clear()
    with commits(execute=True):
        services.comment(idea, other_citizen, "Ich bin dafür.\nUnbedingt!")
    assert [m.to for m in mailoutbox] == [[citizen.email]]
    assert "Ich bin dafür." in mailoutbox[0].body
    assert "Bert hat die Idee" in mailoutbox[0].body


def test_statistics_and_area_summary(process, citizen, department, categories):
    answered = services.submit_idea(citizen, process, idea_input(categories, title="A"))
    services.submit_idea(citizen, process, idea_input(categories, title="B"))
    services.submit_idea(
        citizen, process, idea_input(categories, title="C", area=None, **INSIDE_HEIDE)
    )
    services.answer_idea(answered, department, "Wird gemacht.")
    rows = {row.area.key: row for row in services.district_statistics()}
    assert (rows["0101"].ideas, rows["0101"].answered, rows["0101"].unanswered) == (2, 1, 1)
    assert (rows["0202"].ideas, rows["0202"].answered) == (1, 0)
    assert rows["0102"].ideas == 0
    summary = services.area_summary(area("0101"))
    assert summary["count"] == 2
    from gemeinsinn.areas.models import Area

    stadtteil = Area.objects.get(level__code="stadtteil", key="02")
    assert services.area_summary(stadtteil)["count"] == 1  # areas inside count too


def test_double_submit_of_idea_and_comment_stores_one(process, citizen, categories):
    idea = services.submit_idea(citizen, process, idea_input(categories))
    with pytest.raises(services.IdeaError, match="eben schon eingereicht") as error:
        services.submit_idea(citizen, process, idea_input(categories))
    assert error.value.existing == idea
    services.comment(idea, citizen, "Noch ein Gedanke")
    with pytest.raises(services.IdeaError, match="eben schon geschrieben"):
        services.comment(idea, citizen, "Noch ein Gedanke")
    assert (Idea.objects.count(), Comment.objects.count()) == (1, 1)


def test_privacy_data_and_download_list_a_persons_ideas(citizen, process, categories):
    from gemeinsinn.accounts.services import personal_data

    services.submit_idea(citizen, process, idea_input(categories), client="10.0.0.9")
    data = personal_data(citizen)
    assert [i["titel"] for i in data["ideen"]["ideen"]] == ["Mehr Bänke am Markt"]
    assert data["ideen"]["kommentare"] == []
