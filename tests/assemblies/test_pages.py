"""The Bürgerrat's pages: the public record without personal data and its files, the
registration with the code, and the staff flow from the register upload to the draw, only
for the Bürgerrat office."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gemeinsinn.assemblies import services
from gemeinsinn.assemblies.models import Draw, Volunteer
from tests.assemblies.conftest import register_bytes, volunteer_all

pytestmark = pytest.mark.django_db

GOOD = {"feature_0": "weiblich", "feature_1": "25–64", "consent": "on"}


def url(name, assembly, *args):
    return reverse(f"assemblies:{name}", args=[assembly.slug, *args])


def test_registration_page(client, sampled):
    invitation = sampled.invitations.get(position=3)
    page = client.get(url("register", sampled))
    assert page.status_code == 200
    assert "Ihr Code aus dem Brief" in page.text
    wrong = client.post(url("register", sampled), {**GOOD, "code": "ABCD-EFGH"})
    assert wrong.status_code == 404 and "Diesen Code kennen wir nicht" in wrong.text
    no_consent = {**GOOD, "code": invitation.code}
    del no_consent["consent"]
    missing = client.post(url("register", sampled), no_consent)
    assert missing.status_code == 400 and "Ohne Ihr Einverständnis" in missing.text
    done = client.post(url("register", sampled), {**GOOD, "code": invitation.code}, follow=True)
    assert done.redirect_chain[-1][0] == url("thanks", sampled)
    assert "Sie sind angemeldet" in done.text
    again = client.post(url("register", sampled), {**GOOD, "code": invitation.code})
    assert again.status_code == 409 and "schon jemand angemeldet" in again.text
    assert Volunteer.objects.get().features["Stadtteil"] == "Altstadt"


def test_registration_closed_before_the_sample(client, assembly):
    page = client.get(url("register", assembly))
    assert "keine Anmeldungen möglich" in page.text


def test_public_record_has_no_personal_data_and_its_files(client, sampled):
    volunteer_all(sampled)
    services.save_quotas(sampled, services.propose_quotas(sampled))
    draw = services.complete_draw(services.prepare_draw(sampled), "1 2 3 4 5 6")
    assert client.get(reverse("assemblies:index")).status_code == 200
    page = client.get(url("detail", sampled))
    assert page.status_code == 200
    for invitation in sampled.invitations.all():
        assert invitation.last_name not in page.text
        assert invitation.code not in page.text
    assert draw.digest in page.text and draw.pool_checksum in page.text
    assert "40 aus 400 Einträgen des Melderegisters" in page.text
    assert sampled.register_checksum in page.text
    assert "Lottozahlen vom 5. Dezember 2026" in page.text
    assert ", ".join(draw.panel) in page.text
    assert f"Gremium Nr. {draw.panel_number}" in page.text
    for name, field in [("verteilung.csv", "distribution_csv"), ("freiwillige.csv", "pool_csv"),
                        ("quoten.csv", "quotas_csv")]:  # fmt: skip
        response = client.get(url("download", sampled, draw.pk, name))
        assert response.status_code == 200
        assert response.content.decode() == getattr(draw, field)
    assert client.get(url("download", sampled, draw.pk, "namen.csv")).status_code == 404


def test_public_record_after_deletion(client, sampled):
    volunteer_all(sampled)
    services.save_quotas(sampled, services.propose_quotas(sampled))
    draw = services.complete_draw(services.prepare_draw(sampled), "1 2 3 4 5 6")
    services.delete_expired_personal_data(dt.date(2030, 1, 1))
    page = client.get(url("detail", sampled))
    assert ", ".join(draw.panel) in page.text


@pytest.mark.parametrize("name", ["manage", "volunteers", "quotas", "draw"])
def test_staff_pages_only_for_the_office(client, sampled, planner, office, name):
    assert client.get(url(name, sampled)).status_code == 302  # to the login
    client.force_login(planner)
    assert client.get(url(name, sampled)).status_code == 403
    client.force_login(office)
    assert client.get(url(name, sampled)).status_code == 200


def test_letters_and_print_shop_only_for_the_office(
    client, sampled, planner, office, settings, tmp_path
):
    settings.GEMEINSINN_INLINE_TASKS = True
    settings.DATA_DIR = tmp_path
    client.force_login(planner)
    assert client.post(url("letters", sampled)).status_code == 403
    assert client.get(url("print_shop", sampled)).status_code == 403
    client.force_login(office)
    assert client.get(url("letters", sampled)).status_code == 404  # not written yet
    page = client.post(url("letters", sampled), follow=True)
    assert "Die Briefe werden erzeugt" in page.text and "Briefe neu erzeugen" in page.text
    pdf = client.get(url("letters", sampled))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    shop = client.get(url("print_shop", sampled))
    assert shop.content.decode("utf-8-sig").startswith("Nr;Vorname;Nachname")
    sampled.term_end = dt.date(2020, 1, 1)
    sampled.save()
    services.delete_expired_personal_data()
    assert not services.letters_path(sampled).exists()  # the letters hold names


def test_letters_fail_without_a_sample(client, assembly, office, settings, tmp_path):
    from gemeinsinn.assemblies import tasks

    settings.DATA_DIR = tmp_path
    client.force_login(office)
    page = client.post(url("letters", assembly), follow=True)
    assert "Es gibt noch keine Einladungen" in page.text
    services.draw_sample(assembly, register_bytes(), "register.csv", 10)
    tasks._write(assembly.pk, "failed", "Platte voll", tasks.LETTERS)
    assert (
        "Die Briefe konnten nicht erzeugt werden: Platte voll"
        in client.get(url("manage", assembly)).text
    )


def test_upload_of_the_register(client, assembly, office):
    client.force_login(office)
    bad = SimpleUploadedFile("register.csv", b"id;Vorname\nR1;Anna\n")
    page = client.post(url("manage", assembly), {"action": "sample", "file": bad, "size": 5})
    assert page.status_code == 400
    assert "Spalte „Gebiet“ fehlt" in page.text
    good = SimpleUploadedFile("register.csv", register_bytes())
    done = client.post(
        url("manage", assembly), {"action": "sample", "file": good, "size": 40, "seed": "x"},
        follow=True,
    )  # fmt: skip
    assert "Die Einladungen sind gezogen" in done.text
    assert assembly.invitations.count() == 40
    assert "Startwert x" in done.text


def test_paper_reply_and_personal_data_for_the_office(client, sampled, office):
    client.force_login(office)
    invitation = sampled.invitations.first()
    page = client.post(url("volunteers", sampled), {**GOOD, "code": invitation.code}, follow=True)
    assert "Rückmeldung erfasst: F0001" in page.text
    assert invitation.last_name in page.text
    assert Volunteer.objects.get().channel == Volunteer.PAPER


def test_quotas_draw_replacement_and_next_term_through_the_pages(
    client, sampled, office, settings, tmp_path
):
    settings.GEMEINSINN_INLINE_TASKS = True
    settings.DATA_DIR = tmp_path
    volunteer_all(sampled)
    client.force_login(office)
    page = client.post(url("quotas", sampled), {"action": "propose"}, follow=True)
    assert "Die Quoten sind gespeichert" in page.text
    assert "Die Quoten sind mit den Freiwilligen erfüllbar" in page.text
    divers = sampled.quotas.get(value="divers")
    data = {"action": "save"}
    for quota in sampled.quotas.all():
        data[f"min_{quota.pk}"], data[f"max_{quota.pk}"] = quota.minimum, quota.maximum
    data[f"min_{divers.pk}"] = 1
    page = client.post(url("quotas", sampled), data, follow=True)
    assert "Die Quoten sind nicht erfüllbar" in page.text
    assert "Mindestwert für Geschlecht = divers von 1 auf 0 senken" in page.text
    data[f"min_{divers.pk}"] = "eins"
    assert "Bitte ganze Zahlen" in client.post(url("quotas", sampled), data).text
    data[f"min_{divers.pk}"] = 0
    client.post(url("quotas", sampled), data)

    page = client.post(
        url("draw", sampled),
        {"action": "prepare", "seed_source": "Lottozahlen vom 1. 1.", "algorithm": "leximin"},
        follow=True,
    )
    assert "Schritt 2: Ziehen" in page.text
    draw = Draw.objects.get()
    assert draw.digest in page.text and draw.panel_number is None
    page = client.post(url("draw", sampled), {"action": "complete", "seed": "7 8 9"}, follow=True)
    assert "Der Bürgerrat ist ausgelost" in page.text
    draw.refresh_from_db()
    member = draw.panel[0]
    page = client.post(
        url("draw", sampled),
        {"action": "replace", "member": member, "seed": "n1", "seed_source": "Lotto vom 3.3."},
        follow=True,
    )
    assert f"für {member} nach" in page.text
    page = client.post(
        url("draw", sampled),
        {"action": "term", "name": "BR 2028", "slug": "br-2028", "term_start": "2028-01-01",
         "term_end": "2028-12-31"},
        follow=True,
    )  # fmt: skip
    assert page.redirect_chain[-1][0] == reverse("assemblies:manage", args=["br-2028"])


def test_erase_button(client, sampled, office):
    client.force_login(office)
    page = client.post(url("erase", sampled), follow=True)
    assert "Die Löschfrist endet erst am 30.03.2028" in page.text
    sampled.term_end = dt.date(2020, 1, 1)
    sampled.save()
    page = client.post(url("erase", sampled), follow=True)
    assert "Die Personendaten sind gelöscht" in page.text
    assert not sampled.invitations.exists()


def test_distribution_progress_and_failure(client, sampled, office, settings, tmp_path):
    from gemeinsinn.assemblies import tasks

    settings.DATA_DIR = tmp_path
    client.force_login(office)
    stand = url("draw_progress", sampled)
    done = client.get(stand)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    tasks._write(sampled.pk, "running", "[    3.0 s] Runde 2 – festgelegt 12/40")
    running = client.get(stand)
    assert "festgelegt 12/40" in running.text and 'hx-trigger="every 2s"' in running.text
    assert "festgelegt 12/40" in client.get(url("draw", sampled)).text
    page = client.post(
        url("draw", sampled),
        {"action": "prepare", "seed_source": "Lotto", "algorithm": "leximin"},
    )
    assert "wird schon berechnet" in page.text
    tasks.run_distribution(sampled.pk, office.pk, "leximin")  # no quotas yet: fails
    page = client.get(url("draw", sampled))
    assert "Die Berechnung ist fehlgeschlagen: Bitte zuerst die Quoten festlegen." in page.text


def test_assembly_is_created_in_the_admin(admin_client, city_with_ages):
    import json

    from gemeinsinn.assemblies.models import DEFAULT_FEATURES, Assembly

    page = admin_client.get("/admin/assemblies/assembly/add/")
    assert page.status_code == 200 and "Migrationsgeschichte" in page.text  # the default
    data = {
        "name": "Bürgerrat 2029", "slug": "br-2029", "description": "",
        "district_level": city_with_ages["stadtteil"].pk, "term_start": "2029-01-01",
        "term_end": "2029-12-31", "panel_size": 20, "features": json.dumps(DEFAULT_FEATURES),
        "retention_days": 90, "exclude_previous_members": "on", "seed_source": "",
    }  # fmt: skip
    assert admin_client.post("/admin/assemblies/assembly/add/", data).status_code == 302
    assert Assembly.objects.get(slug="br-2029").features == DEFAULT_FEATURES
    bad = admin_client.post(
        "/admin/assemblies/assembly/add/", {**data, "slug": "x", "features": "[1]"}
    )
    assert "Merkmal 1 braucht einen Namen" in bad.text


def test_upload_with_a_street_directory(client, assembly, office):
    client.force_login(office)
    register = "id;Vorname;Nachname;Straße;Hausnummer;PLZ;Ort;Geburtsjahr;Geschlecht\n" + "".join(
        f"R{n};V{n};N{n};{'Am Markt' if n % 2 else 'Heideweg'};{n};10100;Kleinstadt;1970;w\n"
        for n in range(1, 21)
    )
    streets = "Straße;Gebiet\nAm Markt;Altstadt\nHeideweg;Neustadt\n"
    page = client.post(
        url("manage", assembly),
        {"action": "sample", "size": 10,
         "file": SimpleUploadedFile("register.csv", register.encode()),
         "directory": SimpleUploadedFile("strassen.csv", streets.encode())},
        follow=True,
    )  # fmt: skip
    assert "Die Einladungen sind gezogen" in page.text
    assert (
        sorted(assembly.invitations.values_list("area__key", flat=True)) == ["01"] * 5 + ["02"] * 5
    )
    bad = client.post(
        url("manage", assembly),
        {"action": "sample", "size": 10,
         "file": SimpleUploadedFile("register.csv", register.encode()),
         "directory": SimpleUploadedFile("strassen.csv", b"Strasse;Gebiet\nX;Atlantis\n")},
    )  # fmt: skip
    assert bad.status_code == 400 and "Gebiet „Atlantis“ ist unbekannt" in bad.text


def test_staff_index(client, sampled, office, planner):
    client.force_login(planner)
    assert client.get(reverse("assemblies:staff_index")).status_code == 403
    client.force_login(office)
    page = client.get(reverse("assemblies:staff_index"))
    assert "Bürgerrat Kleinstadt" in page.text
    assert reverse("admin:assemblies_assembly_add") in page.text
    home = client.get(reverse("staff:home"))
    assert reverse("assemblies:staff_index") in home.text
