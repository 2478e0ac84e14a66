"""The staff area: validation report before import, confirm, index settings and runs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gemeinsinn.monitoring.models import Dataset, IndexDefinition, IndexRun, Value


@pytest.fixture
def staff_client(client, django_user_model, settings):
    settings.GEMEINSINN_INLINE_TASKS = True
    user = django_user_model.objects.create_user(
        "planerin", "p@example.org", "ein-langes-Passwort-42", is_staff=True
    )
    client.force_login(user)
    return client


def test_staff_pages_need_a_login(client, city):
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def upload(client, city, name, content, **extra):
    return client.post(
        reverse("staff:upload_statistics"),
        {"level": city["sozialraum"].pk, "file": SimpleUploadedFile(name, content), **extra},
    )


def test_upload_is_validated_then_imported_on_confirmation(staff_client, city, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    content = b"Gebiet;Jahr;Merkmal;Wert\n0101;2025;ew;1000\n0102;2025;ew;800\n"
    response = upload(staff_client, city, "ew.csv", content)
    dataset = Dataset.objects.get()
    assert response.status_code == 302 and dataset.status == "validated"
    assert not Value.objects.filter(indicator__code="ew").exists()  # nothing before confirming
    page = staff_client.get(reverse("staff:dataset", args=[dataset.pk])).content.decode()
    assert "Import bestätigen" in page
    staff_client.post(reverse("staff:confirm_dataset", args=[dataset.pk]))
    dataset.refresh_from_db()
    assert dataset.status == "imported"
    assert Value.objects.get(indicator__code="ew", area__key="0101", year=2025).value == 1000


def test_bad_upload_is_rejected_with_its_problems(staff_client, city, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    content = b"Gebiet;Jahr;Merkmal;Wert\n7777;2025;ew;10\n"
    upload(staff_client, city, "falsch.csv", content)
    dataset = Dataset.objects.get()
    assert dataset.status == "rejected"
    page = staff_client.get(reverse("staff:dataset", args=[dataset.pk])).content.decode()
    assert "7777" in page and "Import bestätigen" not in page
    response = staff_client.post(reverse("staff:confirm_dataset", args=[dataset.pk]))
    assert response.status_code == 302
    assert not Value.objects.exists()


def test_wrong_file_type_is_refused(staff_client, city):
    response = upload(staff_client, city, "bild.png", b"\x89PNG")
    assert response.status_code == 200
    assert "nicht das erwartete Format" in response.content.decode()
    assert not Dataset.objects.exists()


def test_index_definition_with_unknown_indicator_is_refused(staff_client, city):
    response = staff_client.post(
        reverse("staff:index_new"),
        {
            "name": "Neu",
            "slug": "neu",
            "level": city["sozialraum"].pk,
            "status_codes": "arbeitslosenanteil, gibtsnicht",
            "dynamics_mode": "none",
            "dynamics_span": 2,
            "min_population": 300,
            "class_scheme": "mss",
            "quantile_classes": 5,
        },
    )
    assert response.status_code == 200
    assert "Unbekannte Indikatoren: gibtsnicht" in response.content.decode()
    assert not IndexDefinition.objects.exists()


def test_index_is_defined_run_and_verified(staff_client, city_with_statistics):
    response = staff_client.post(
        reverse("staff:index_new"),
        {
            "name": "Kinderarmut und Arbeit",
            "slug": "ka",
            "level": city_with_statistics["sozialraum"].pk,
            "status_codes": "arbeitslosenanteil, kinderarmut_u15:2",
            "dynamics_mode": "none",
            "dynamics_span": 2,
            "min_population": 300,
            "class_scheme": "mss",
            "quantile_classes": 5,
            "is_published": "on",
        },
    )
    definition = IndexDefinition.objects.get()
    assert response.status_code == 302
    assert definition.status_indicators[1] == {
        "code": "kinderarmut_u15", "weight": 2.0, "higher_is_worse": True,
    }  # fmt: skip
    staff_client.post(reverse("staff:index_run", args=[definition.pk]), {"year": 2025})
    run = IndexRun.objects.get()
    assert run.results.filter(included=True).count() == 3
    response = staff_client.post(reverse("staff:run_verify", args=[run.pk]), follow=True)
    assert "gleiche Eingaben, gleiche Ergebnisse" in response.content.decode()


def test_configured_sentinel_marks_missing_values(staff_client, city, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    content = b"Gebiet;Jahr;Merkmal;Wert\n0101;2025;ew;-1\n0102;2025;ew;800\n"
    upload(staff_client, city, "mit_minus_eins.csv", content, sentinels="-1")
    dataset = Dataset.objects.get()
    assert dataset.status == "validated"  # -1 is "missing", not a negative count
    staff_client.post(reverse("staff:confirm_dataset", args=[dataset.pk]))
    stored = Value.objects.get(indicator__code="ew", area__key="0101", year=2025)
    assert stored.value is None and stored.flag == "missing"


def test_sentinel_that_is_no_number_is_refused(staff_client, city):
    response = upload(staff_client, city, "x.csv", b"Gebiet;Jahr;Merkmal;Wert\n", sentinels="k.A.")
    assert "„k.A.“ ist keine Zahl" in response.content.decode()
    assert not Dataset.objects.exists()


def test_boundary_upload_is_validated_then_imported(staff_client, city, settings, tmp_path):
    from gemeinsinn.areas.models import Area, SpatialLevel
    from tests import citykit

    settings.DATA_DIR = tmp_path
    level = SpatialLevel.objects.create(
        code="foerdergebiet", name="Fördergebiet", order=5, is_target_area=True
    )
    content = citykit.geojson([("FG1", "Soziale Stadt Nord", None, (7.905, 51.205, 7.925, 51.215))])
    response = staff_client.post(
        reverse("staff:upload_boundaries"),
        {
            "level": level.pk,
            "file": SimpleUploadedFile("foerder.geojson", content),
            "valid_from": "2025-01-01",
        },
    )
    dataset = Dataset.objects.get()
    assert response.status_code == 302 and dataset.status == "validated"
    assert dataset.report["summary"]["neue Gebiete"] == 1
    assert not Area.objects.filter(level=level).exists()
    staff_client.post(reverse("staff:confirm_dataset", args=[dataset.pk]))
    assert Area.objects.get(level=level, key="FG1").current_boundary().valid_from.year == 2025


def test_city_confidentiality_settings_take_effect(staff_client, city_with_statistics, client):
    response = staff_client.post(
        reverse("staff:city"),
        {"name": "Kleinstadt", "ags": "", "min_population": 300, "min_count": 5,
         "secondary_suppression": "on", "min_denominator": 20, "suppression_mark": "*"},
    )  # fmt: skip
    assert response.status_code == 302
    url = reverse("monitoring:dl_indicator", args=["sgb2_u15", "csv"])
    text = staff_client.get(url, {"ebene": "sozialraum", "jahr": 2023}).content.decode()
    rows = {line.split(";")[0]: line.split(";")[4] for line in text.splitlines()[1:-1]}
    assert rows["0202"] == "*"  # small area, marked with the city's sign
    assert rows["0102"] == "*"  # its complement: the total would give it away
    assert rows["0201"] == "120" and rows["0101"] == "20"
