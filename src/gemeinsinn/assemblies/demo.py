"""The Bürgerrat part of the demo, deterministic (fixed seeds) and through the services: a
register extract of fictional residents, the council 2027 with its stratified sample, a pool
of volunteers (online and on paper), quotas from the monitoring and a completed public draw
with one replacement; then the next term 2028 (rotation) collecting replies."""

import csv
import datetime as dt
import io
import random
from collections.abc import Iterator

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.assemblies import services
from gemeinsinn.assemblies.models import DEFAULT_FEATURES, Assembly, Invitation

SEED = 2027
REGISTER_SIZE = 6000
INVITATIONS = 900
ANSWER_RATE = 0.33  # share of invited residents who volunteer
NEXT_TERM_ANSWERS = 40
SEED_SOURCE = "Lottozahlen vom Samstag, 5. Dezember 2026 (6 aus 49, aufsteigend)"
LOTTERY_NUMBERS = "4 9 17 23 31 42"
REPLACEMENT_NUMBERS = "2 14 15 28 36 47"
REFERENCE_YEAR = 2026

FIRST_NAMES = [
    ("Anna", "w"), ("Emine", "w"), ("Maria", "w"), ("Olga", "w"), ("Fatma", "w"), ("Lea", "w"),
    ("Sabine", "w"), ("Ingrid", "w"), ("Mia", "w"), ("Aylin", "w"), ("Petra", "w"),
    ("Jonas", "m"), ("Mehmet", "m"), ("Peter", "m"), ("Dmitri", "m"), ("Lukas", "m"),
    ("Ali", "m"), ("Klaus", "m"), ("Finn", "m"), ("Thomas", "m"), ("Yusuf", "m"), ("Kim", "d"),
]  # fmt: skip
LAST_NAMES = [
    "Müller", "Schmidt", "Yılmaz", "Schneider", "Fischer", "Kowalski", "Weber", "Meyer",
    "Wagner", "Becker", "Demir", "Hoffmann", "Schulz", "Koch", "Richter", "Ivanova", "Klein",
    "Wolf", "Schröder", "Neumann", "Braun", "Zimmermann", "Öztürk", "Krüger",
]  # fmt: skip
STREETS = ["Hauptstraße", "Schulstraße", "Gartenweg", "Lindenallee", "Bahnhofstraße",
           "Am Markt", "Kirchgasse", "Mühlenweg", "Ringstraße", "Birkenweg"]  # fmt: skip


def register_csv(areas: list[Area], rng: random.Random) -> bytes:
    """A register extract as a registration office exports it (`;`, UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["id", "Vorname", "Nachname", "Straße", "Hausnummer", "PLZ", "Ort", "Geburtsjahr",
         "Geschlecht", "Gebiet"]
    )  # fmt: skip
    weights = [max(a.population or 0, 1) for a in areas]
    number = 0
    while number < REGISTER_SIZE:
        index = rng.choices(range(len(areas)), weights)[0]
        area = areas[index]
        street = f"{STREETS[rng.randrange(len(STREETS))]}"
        house = str(rng.randint(1, 120))
        postcode = f"{59000 + 10 * index:05d}"
        family = rng.choice(LAST_NAMES)
        for _ in range(min(rng.choice([1, 1, 2, 2, 3, 4]), REGISTER_SIZE - number)):
            number += 1
            first, gender = rng.choice(FIRST_NAMES)
            year = rng.randint(REFERENCE_YEAR - 90, REFERENCE_YEAR - 18)
            writer.writerow(
                [f"R{number:06d}", first, family, street, house, postcode, "Musterstadt", year,
                 gender, area.key]
            )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _features(invitation: Invitation, gender: str, rng: random.Random) -> dict[str, str]:
    """Answers of a volunteer: age group and gender from the register, the rest skewed as in
    real pools (more people with Abitur, fewer with a migration history)."""
    age = REFERENCE_YEAR - invitation.birth_year
    return {
        "Geschlecht": {"w": "weiblich", "m": "männlich"}.get(gender, "divers"),
        "Altersgruppe": "18–24" if age < 25 else "25–64" if age < 65 else "65 und älter",
        "Migrationsgeschichte": "ja" if rng.random() < 0.22 else "nein",
        "Schulabschluss": rng.choices(
            ["ohne / Hauptschule", "Realschule", "Abitur"], [0.2, 0.3, 0.5]
        )[0],
    }


def _volunteer(assembly, share: float, count: int | None, rng, genders, staff) -> int:
    invitations = list(assembly.invitations.order_by("position"))
    chosen = (
        rng.sample(invitations, count)
        if count is not None
        else [i for i in invitations if rng.random() < share]
    )
    for n, invitation in enumerate(chosen):
        paper = n % 5 == 0
        services.register_volunteer(
            assembly,
            invitation.code,
            _features(invitation, genders[invitation.register_key], rng),
            consent=True,
            email="" if paper else f"freiwillig{n}@musterstadt.example",
            user=staff if paper else None,
        )
    return len(chosen)


def load(user) -> Iterator[str]:
    level = SpatialLevel.objects.filter(code="stadtteil").first()
    if level is None:
        return
    rng = random.Random(SEED)
    areas = list(Area.objects.filter(level=level).order_by("key"))
    register = register_csv(areas, rng)
    genders = {
        services.register_key(row["id"]): row["Geschlecht"]
        for row in csv.DictReader(io.StringIO(register.decode("utf-8-sig")), delimiter=";")
    }
    first = Assembly.objects.create(
        name="Bürgerrat Musterstadt 2027",
        slug="buergerrat-2027",
        description="Der Bürgerrat berät Rat und Verwaltung ein Jahr lang zum Sozialplan: "
        "Was brauchen die Stadtteile am dringendsten?",
        district_level=level,
        term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2027, 12, 31),
        panel_size=24,
        features=DEFAULT_FEATURES,
    )
    services.draw_sample(
        first, register, "melderegister-auszug.csv", INVITATIONS, "demo-2027", user,
        code_rng=random.Random(SEED + 1),
    )  # fmt: skip
    yield f"Bürgerrat: {INVITATIONS} Einladungen aus {REGISTER_SIZE} Einwohnenden"
    count = _volunteer(first, ANSWER_RATE, None, rng, genders, user)
    services.save_quotas(first, services.propose_quotas(first), user)
    first.seed_source = SEED_SOURCE
    first.save(update_fields=["seed_source"])
    draw = services.prepare_draw(first, user)
    services.complete_draw(draw, LOTTERY_NUMBERS, user)
    dropped = first.volunteers.get(pseudonym=draw.panel[0])
    services.replace_member(
        first, dropped, REPLACEMENT_NUMBERS, user, "Lottozahlen vom Mittwoch, 3. März 2027"
    )
    smallest = f"{draw.probability_min:.3f}".replace(".", ",")
    yield (
        f"Bürgerrat: {count} Freiwillige, {first.panel_size} ausgelost (LEXIMIN, kleinste "
        f"Wahrscheinlichkeit {smallest}), ein Nachrücker"
    )
    second = services.next_term(
        first,
        name="Bürgerrat Musterstadt 2028",
        slug="buergerrat-2028",
        term_start=dt.date(2028, 1, 1),
        term_end=dt.date(2028, 12, 31),
        user=user,
    )
    services.draw_sample(
        second, register, "melderegister-auszug.csv", INVITATIONS, "demo-2028", user,
        code_rng=random.Random(SEED + 2),
    )  # fmt: skip
    _volunteer(second, 0, NEXT_TERM_ANSWERS, rng, genders, user)
    yield f"Bürgerrat 2028: {INVITATIONS} Einladungen, Anmeldung offen"
