"""The demo city: each capability adds its part through its own services, so the demo
shows exactly what a city would see after importing its own files."""

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from gemeinsinn.core.models import CityProfile

DEMO_USER = "planung"
DEMO_PASSWORD = "Musterstadt-Demo-2026"


def load_demo(reset: bool = False) -> Iterator[str]:
    from gemeinsinn.assemblies import demo as assemblies_demo
    from gemeinsinn.events import demo as events_demo
    from gemeinsinn.ideas import demo as ideas_demo
    from gemeinsinn.monitoring import demo as monitoring_demo
    from gemeinsinn.planning import demo as planning_demo
    from gemeinsinn.servicerequests import demo as servicerequests_demo
    from gemeinsinn.surveys import demo as surveys_demo

    if CityProfile.objects.exists() and not reset:
        yield "Die Demodaten sind bereits angelegt (neu anlegen mit --reset)."
        return
    if reset:
        _clear()
    directory = Path(settings.DATA_DIR) / "demo"
    directory.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        CityProfile.objects.create(
            name="Musterstadt",
            ags="05999000",
            contact_office="Stadt Musterstadt, Amt für Soziales – Sozialplanung",
            contact_address="Rathaus, Marktplatz 1\n12345 Musterstadt",
            contact_phone="01234 567-890",
            contact_email="sozialplanung@musterstadt.example",
            contact_hours="Mo–Fr 8–12 Uhr, Do 14–18 Uhr",
        )
        user = get_user_model().objects.create_superuser(
            DEMO_USER, f"{DEMO_USER}@musterstadt.example", DEMO_PASSWORD
        )
    yield from monitoring_demo.load(directory, user)
    yield from ideas_demo.load(user)
    yield from events_demo.load(user)
    yield from servicerequests_demo.load(user)
    yield from surveys_demo.load(user)
    yield from assemblies_demo.load(user)
    yield from planning_demo.load(user)
    yield f"Anmeldung für die Verwaltung: Benutzer „{DEMO_USER}“, Passwort „{DEMO_PASSWORD}“."


def _clear() -> None:
    """Empty every table: the data directory is the demo's, nothing else lives in it."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
