"""The events part of the demo: the past expert conference "Fachkonferenz Sozialplanung"
with about a hundred registrations from every sector (a few on the waiting list, some
cancelled, people moved up) and its workshop results as ideas with official answers; an
upcoming Bürgerforum and two district meetings, one of them fully booked. Deterministic
(fixed seed, fixed dates), all through the services, without e-mails."""

import datetime as dt
import random
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area
from gemeinsinn.events import services
from gemeinsinn.events.models import (
    CITIZENS_FORUM,
    DISTRICT_MEETING,
    EXPERT_CONFERENCE,
    SECTORS,
    Event,
)
from gemeinsinn.ideas import demo as ideas_demo
from gemeinsinn.ideas import services as idea_services
from gemeinsinn.ideas.models import ACCEPTED, REVIEWING, Category

TZ = ZoneInfo("Europe/Berlin")
SEED = 2027
CONFERENCE = "Fachkonferenz Sozialplanung"
CONFERENCE_REGISTRATIONS = 108  # for 100 seats
CONFERENCE_UNCONFIRMED = 2
CONFERENCE_CANCELLED = 3

FIRST = [
    "Anna", "Ben", "Canan", "David", "Emine", "Felix", "Greta", "Hasan", "Ines", "Jan",
    "Karin", "Lukas", "Maria", "Nils", "Oksana", "Peter", "Rana", "Stefan", "Tanja", "Umut",
]  # fmt: skip
LAST = [
    "Becker", "Demir", "Fischer", "Hoffmann", "Kaya", "Klein", "Krüger", "Meyer", "Neumann",
    "Özdemir", "Schmidt", "Schulz", "Wagner", "Weber", "Wolf", "Zimmermann",
]  # fmt: skip
ORGANISATIONS = {
    "schule": ["Grundschule am Park", "Gesamtschule Nord", "Förderschule Lindenweg"],
    "kita": ["Kita Sonnenschein", "Familienzentrum Regenbogen", "Kita St. Marien"],
    "sport": ["TuS Musterstadt 1898", "Stadtsportbund", "Schwimmverein Delphin"],
    "kultur": ["Stadtbibliothek", "Musikschule", "Kulturzentrum Alte Weberei"],
    "wirtschaft": ["Werbegemeinschaft Innenstadt", "Jobcenter", "Handwerkerschaft"],
    "politik": ["Rat der Stadt", "Bezirksvertretung Nord", "Integrationsrat"],
    "jugendarbeit": ["Jugendzentrum Kompass", "Streetwork", "Jugendring"],
    "familienarbeit": ["Familienberatung", "Frühe Hilfen", "Mehrgenerationenhaus"],
    "seniorenarbeit": ["Seniorenbeirat", "Begegnungsstätte Am Brunnen", "Pflegestützpunkt"],
    "verwaltung": ["Jugendamt", "Sozialamt", "Stadtplanungsamt"],
    "sonstiges": ["Caritas", "Diakonie", "Wohnungsgenossenschaft"],
}
NEEDS = ["Gebärdensprachdolmetschung", "Platz für einen Rollstuhl", "vegetarisches Essen",
         "Kinderbetreuung am Vormittag"]  # fmt: skip

# (field of action, title, text) of the conference's workshops
RESULTS = [
    (0, "Runder Tisch der Träger im Sozialraum", "Workshop „Vernetzung“: Die Träger im "
     "Sozialraum treffen sich viermal im Jahr an einem runden Tisch, moderiert vom "
     "Quartiersmanagement."),
    (1, "Sprachförderung von der Kita bis zur Grundschule", "Workshop „Bildung“: Kitas und "
     "Grundschulen stimmen die Sprachförderung ab und übergeben Förderpläne beim Wechsel."),
    (2, "Ausbildungsbörse mit Betrieben aus dem Viertel", "Workshop „Arbeit“: Betriebe stellen "
     "Ausbildungsplätze in der Gesamtschule vor; das Jobcenter berät vor Ort."),
    (3, "Sozialsprechstunde im Familienzentrum", "Workshop „Existenzsicherung“: eine offene "
     "Sprechstunde zu Wohngeld, Kinderzuschlag und Bildungspaket im Familienzentrum."),
    (4, "Treffpunkte für Ältere im Quartier", "Workshop „Wohnen“: Bänke, ein Seniorentreff "
     "und barrierefreie Wege, damit Ältere im Viertel unterwegs sein können."),
    (4, "Spielflächen für Jugendliche", "Workshop „Jugend“: Jugendliche wünschen sich einen "
     "Treffpunkt mit Überdachung und einen Bolzplatz."),
]  # fmt: skip
ANSWERS = {
    0: (ACCEPTED, "Der runde Tisch startet im Januar; das Quartiersmanagement lädt ein."),
    2: (REVIEWING, "Das Jobcenter prüft mit der Handwerkerschaft einen Termin im Frühjahr."),
    4: (ACCEPTED, "Der Seniorentreff ist im Handlungskonzept für das kommende Jahr eingeplant."),
}


def _at(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def _person(rng: random.Random, number: int, *, sector: str = "") -> services.RegistrationInput:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return services.RegistrationInput(
        name=f"{first} {last}",
        email=f"teilnahme{number:03d}@musterstadt.example",
        organisation=rng.choice(ORGANISATIONS[sector]) if sector else "",
        sector=sector,
        needs=rng.choice(NEEDS) if rng.random() < 0.08 else "",
        consent=True,
    )


def _fill(event, people, rng, *, start, unconfirmed=0, cancelled=0) -> list:
    """Register the people one after another from ``start``; all but the last
    ``unconfirmed`` confirm a day later; then ``cancelled`` confirmed ones cancel."""
    registrations = []
    for index, given in enumerate(people):
        moment = start + dt.timedelta(hours=7 * index + rng.randrange(5))
        registration = services.register(event, given, now=moment, notify=False)
        if index < len(people) - unconfirmed:
            services.confirm(registration.token, now=moment + dt.timedelta(hours=20))
        registrations.append(registration)
    last = start + dt.timedelta(hours=7 * len(people) + 48)
    confirmed = registrations[: len(people) - unconfirmed]
    for offset, registration in enumerate(rng.sample(confirmed[:40], cancelled)):
        registration.refresh_from_db()
        services.cancel(registration.token, now=last + dt.timedelta(days=offset), notify=False)
    return registrations


def _district_of(area: Area) -> Area:
    """The area a district meeting is for: the one above the finest level, if any."""
    return area.parent or area


def load(user) -> Iterator[str]:
    rng = random.Random(SEED)
    level = area_services.finest_level()
    areas = list(Area.objects.filter(level=level).order_by("key")) if level else []
    if not areas:
        yield "Veranstaltungen: übersprungen (keine Gebiete)."
        return
    staff = get_user_model().objects.filter(username=ideas_demo.DEPARTMENT).first() or user
    place = {"step_free": True, "induction_loop": True, "languages": "Deutsch"}
    with transaction.atomic():
        conference = services.save_event(
            user,
            Event(
                title=CONFERENCE,
                kind=EXPERT_CONFERENCE,
                description=(
                    "Fachkräfte aus Schule, Kita, Sport, Kultur, Wirtschaft, Politik, Jugend-, "
                    "Familien- und Seniorenarbeit beraten über den Sozialbericht: Was zeigen die "
                    "Zahlen, was sehen Sie im Alltag? In Workshops entstehen Vorschläge für das "
                    "Integrierte Handlungskonzept."
                ),
                starts_at=_at(2026, 9, 24, 9, 0),
                ends_at=_at(2026, 9, 24, 16, 30),
                place_name="Rathaus, Ratssaal",
                place_address="Markt 1, 59999 Musterstadt",
                capacity=100,
                audience="Fachkräfte",
                registration_opens=_at(2026, 6, 1, 8, 0),
                registration_closes=_at(2026, 9, 17, 23, 59),
                sign_language=True,
                accessibility_notes="Aufzug am Seiteneingang Kirchstraße. Mittagessen inklusive.",
                is_public=True,
                **place,
            ),
        )
        sectors = [code for code, _label in SECTORS]
        people = [
            _person(rng, number, sector=sectors[number % len(sectors)])
            for number in range(1, CONFERENCE_REGISTRATIONS + 1)
        ]
        _fill(
            conference,
            people,
            rng,
            start=_at(2026, 6, 2, 8, 0),
            unconfirmed=CONFERENCE_UNCONFIRMED,
            cancelled=CONFERENCE_CANCELLED,
        )
        seats = services.seats(conference)
        yield (
            f"Veranstaltungen: {CONFERENCE} mit {CONFERENCE_REGISTRATIONS} Anmeldungen "
            f"({seats.confirmed} bestätigt, {seats.waiting} auf der Warteliste)"
        )

        categories = list(Category.objects.order_by("order", "name"))
        results = []
        for number, (category, title, text) in enumerate(RESULTS):
            area = areas[(number * 7) % len(areas)]
            idea = services.record_result(
                conference,
                staff,
                idea_services.IdeaInput(
                    title=f"{title} ({area.name})"[: idea_services.MAX_TITLE],
                    text=text,
                    category=categories[category % len(categories)],
                    area=area,
                ),
                now=conference.ends_at + dt.timedelta(days=2, minutes=number),
            )
            if number in ANSWERS:
                status, answer = ANSWERS[number]
                idea_services.answer_idea(
                    idea,
                    staff,
                    answer,
                    new_status=status,
                    now=conference.ends_at + dt.timedelta(days=20 + number),
                    notify=False,
                )
            results.append(idea)
        yield f"Veranstaltungen: {len(results)} Ergebnisse der Workshops als Ideen"

        forum = services.save_event(
            user,
            Event(
                title="Bürgerforum Sozialbericht 2027",
                kind=CITIZENS_FORUM,
                description=(
                    "Die Stadt stellt den Sozialbericht vor. An Thementischen sagen Sie, was in "
                    "Ihrem Viertel gebraucht wird."
                ),
                starts_at=_at(2027, 3, 18, 18, 0),
                ends_at=_at(2027, 3, 18, 20, 30),
                place_name="Stadthalle",
                place_address="Parkstraße 5, 59999 Musterstadt",
                capacity=150,
                audience="Bürgerinnen und Bürger",
                registration_opens=_at(2026, 11, 1, 8, 0),
                registration_closes=_at(2027, 3, 16, 23, 59),
                step_free=True,
                sign_language=True,
                induction_loop=True,
                childcare=True,
                languages="Deutsch, Türkisch, Arabisch, Ukrainisch",
                accessibility_notes="Kinderbetreuung ab 3 Jahren bitte bei der Anmeldung angeben.",
                is_public=True,
            ),
        )
        offset = CONFERENCE_REGISTRATIONS
        forum_people = [_person(rng, offset + n) for n in range(1, 25)]
        _fill(forum, forum_people, rng, start=_at(2026, 11, 2, 9, 0))
        offset += len(forum_people)

        meetings = []
        for number, (area, capacity, month, count) in enumerate(
            [(areas[0], 25, 2, 28), (areas[len(areas) // 2], 60, 4, 12)]
        ):
            district = _district_of(area)
            meeting = services.save_event(
                user,
                Event(
                    title=f"Stadtteilversammlung {district.name}",
                    kind=DISTRICT_MEETING,
                    description=(
                        f"Was läuft gut in {district.name}, was fehlt? Die Verwaltung stellt "
                        "die Zahlen des Sozialberichts für den Stadtteil vor und hört zu."
                    ),
                    starts_at=_at(2027, month, 10 + number, 18, 0),
                    ends_at=_at(2027, month, 10 + number, 20, 0),
                    place_name=f"Gemeindezentrum {district.name}",
                    place_address=f"Kirchplatz {number + 2}, 59999 Musterstadt",
                    area=district,
                    capacity=capacity,
                    audience="Bürgerinnen und Bürger, Jugendliche",
                    registration_opens=_at(2026, 11, 1, 8, 0),
                    registration_closes=_at(2027, month, 9 + number, 12, 0),
                    step_free=number == 1,
                    childcare=True,
                    languages="Deutsch, Türkisch",
                    accessibility_notes=(
                        ""
                        if number == 1
                        else "Der Saal liegt im ersten Stock; es gibt keinen "
                        "Aufzug. Bitte melden Sie sich, wir helfen."
                    ),
                    is_public=True,
                ),
            )
            people = [_person(rng, offset + n) for n in range(1, count + 1)]
            _fill(meeting, people, rng, start=_at(2026, 11, 3 + number, 10, 0))
            offset += count
            meetings.append(meeting)
    yield (
        f"Veranstaltungen: „{forum.title}“ und {len(meetings)} Stadtteilversammlungen "
        f"({', '.join(m.area.name for m in meetings)}); Anmeldungen insgesamt {offset}."
    )
