"""Fixtures of the Bürgerrat tests: the tiny city of tests/conftest.py with the age and
migration counts the quota proposal reads, a register extract, an assembly, staff roles."""

import datetime as dt
import random

import pytest

# extra counts per Sozialraum for 2025: ew_u18, ew_15_25, ew_65plus, migration
EXTRA = {
    "0101": (220, 150, 210, 300),
    "0102": (160, 100, 150, 150),
    "0201": (360, 220, 200, 700),
    "0202": (50, 30, 30, 20),
}
FEATURES = [
    {"name": "Geschlecht", "values": ["weiblich", "männlich", "divers"]},
    {"name": "Altersgruppe", "values": ["18–24", "25–64", "65 und älter"]},
]
HEADER = "id;Vorname;Nachname;Straße;Hausnummer;PLZ;Ort;Geburtsjahr;Geschlecht;Gebiet"


def register_bytes(per_district=(("01", 300), ("02", 100)), household=2) -> bytes:
    """`household` residents share each address; district keys of the tiny city."""
    lines = [HEADER]
    number = 0
    for key, count in per_district:
        for i in range(count):
            number += 1
            house = i // household + 1
            lines.append(
                f"R{number:05d};Vor{number};Nach{number};Weg {key};{house};1{key}00;Kleinstadt;"
                f"{1950 + number % 50};w;{key}"
            )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture
def city_with_ages(city_with_statistics):
    from gemeinsinn.monitoring.services import import_statistics

    lines = ["Gebiet;Jahr;Merkmal;Wert"]
    for key, values in EXTRA.items():
        for code, value in zip(
            ("ew_u18", "ew_15_25", "ew_65plus", "migration"), values, strict=True
        ):
            lines.append(f"{key};2025;{code};{value}")
    import_statistics("\n".join(lines).encode(), "alter.csv", city_with_statistics["sozialraum"])
    return city_with_statistics


@pytest.fixture
def assembly(city_with_ages):
    from gemeinsinn.assemblies.models import Assembly

    return Assembly.objects.create(
        name="Bürgerrat Kleinstadt",
        slug="br-kleinstadt",
        district_level=city_with_ages["stadtteil"],
        term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2027, 12, 31),
        panel_size=6,
        features=FEATURES,
        seed_source="Lottozahlen vom 5. Dezember 2026",
    )


@pytest.fixture
def sampled(assembly):
    from gemeinsinn.assemblies import services

    services.draw_sample(assembly, register_bytes(), "register.csv", 40, "s1")
    return assembly


def volunteer_all(assembly, count=None, seed=7):
    """Register invited residents with features spread deterministically."""
    from gemeinsinn.assemblies import services

    rng = random.Random(seed)
    genders = FEATURES[0]["values"][:2]
    ages = FEATURES[1]["values"]
    invitations = list(assembly.invitations.order_by("position"))[:count]
    for n, invitation in enumerate(invitations):
        services.register_volunteer(
            assembly,
            invitation.code,
            {"Geschlecht": genders[n % 2], "Altersgruppe": rng.choice(ages)},
            consent=True,
        )
    return invitations


@pytest.fixture
def pool(sampled):
    from gemeinsinn.assemblies import services

    volunteer_all(sampled, 30)
    services.save_quotas(sampled, services.propose_quotas(sampled))
    return sampled


def make_user(name, role=None):
    from django.contrib.auth import get_user_model

    from gemeinsinn.accounts import roles

    user = get_user_model().objects.create_user(
        username=name, email=f"{name}@stadt.example", password="x-Passwort-123"
    )
    if role:
        roles.assign_role(user, role)
    return user


@pytest.fixture
def office(db):
    from gemeinsinn.accounts import roles

    return make_user("geschaeftsstelle", roles.ASSEMBLY)


@pytest.fixture
def planner(db):
    from gemeinsinn.accounts import roles

    return make_user("planerin", roles.PLANNING)
