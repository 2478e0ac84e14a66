import pytest

from gemeinsinn.formats.xlsform.demo_form import demo_form_bytes


@pytest.fixture
def demo_bytes() -> bytes:
    return demo_form_bytes()


@pytest.fixture
def survey(city, demo_bytes):
    from gemeinsinn.surveys import services

    return services.import_survey(demo_bytes, "buergerumfrage.xlsx")


@pytest.fixture
def invitation_survey(city, demo_bytes):
    from gemeinsinn.surveys import services
    from gemeinsinn.surveys.models import INVITATION

    return services.import_survey(demo_bytes, "einladung.xlsx", access=INVITATION, slug="einladung")


@pytest.fixture
def areas(city):
    from gemeinsinn.areas.models import Area

    return list(Area.objects.filter(level=city["sozialraum"]).order_by("key"))


GOOD = {
    "wohndauer": "12",
    "zufriedenheit": "eher_zufrieden",
    "sicherheit_tag": "sehr_sicher",
    "sicherheit_nacht": "eher_sicher",
    "fehlt": ["spielplaetze", "gruen"],
    "altersgruppe": "30_44",
    "geschlecht": "weiblich",
    "haushalt_personen": "3",
    "haushalt_kinder": "1",
}


@pytest.fixture
def good_answers() -> dict:
    return dict(GOOD)


@pytest.fixture
def staff_client(client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("planerin", "p@example.org", "x", is_staff=True)
    client.force_login(user)
    return client
