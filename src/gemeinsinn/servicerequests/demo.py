"""The Mängelmelder part of the demo: the default categories and a few hundred generated
reports over Musterstadt's Sozialräume — clustered around hotspots, in every status, with
answers and history — made through the same services as real reports, then the year's
statistics as indicators. Deterministic: the same seed gives the same reports, placed in
time relative to the day the demo is loaded."""

import datetime as dt
import json
import math
from collections.abc import Iterator

import numpy as np
import shapely
from django.db import transaction
from django.utils import timezone

from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area, Boundary
from gemeinsinn.core.models import RateHit
from gemeinsinn.formats.problems import InputError
from gemeinsinn.monitoring import services as monitoring
from gemeinsinn.servicerequests import services
from gemeinsinn.servicerequests.models import (
    CLOSED_STATUSES,
    DONE,
    IN_PROGRESS,
    REJECTED,
    REVIEWING,
    Category,
    ServiceRequest,
)

SEED = 311
REPORTS = 420
HOTSPOTS = 14
SHARE_IN_HOTSPOTS = 0.65
NEVER_ANSWERED = 0.12
DUPLICATE_SHARE = 0.06
FREQUENCY = {
    "muell": 0.30,
    "strasse": 0.18,
    "beleuchtung": 0.14,
    "gruen": 0.10,
    "graffiti": 0.10,
    "verkehrszeichen": 0.07,
    "spielplatz": 0.06,
    "sonstiges": 0.05,
}
STREETS = [
    "Lindenstraße", "Schulweg", "Am Markt", "Bahnhofstraße", "Mühlenweg", "Kirchplatz",
    "Gartenstraße", "Birkenallee", "Am Sportplatz", "Rosenweg", "Hauptstraße", "Uferweg",
    "Eichendorffstraße", "Parkstraße", "Am Spielplatz", "Industriestraße",
]  # fmt: skip
DESCRIPTIONS = {
    "muell": [
        "Neben den Glascontainern liegen seit Tagen Müllsäcke.",
        "Jemand hat alte Matratzen und ein Sofa am Waldweg abgeladen.",
        "Der Papierkorb an der Haltestelle quillt über.",
        "Bauschutt in Eimern am Straßenrand abgestellt.",
        "Viel Verpackungsmüll auf der Wiese nach dem Wochenende.",
    ],
    "strasse": [
        "Tiefes Schlagloch direkt an der Einmündung, Radfahrer müssen ausweichen.",
        "Gehwegplatten lose, Stolpergefahr für ältere Menschen.",
        "Der Radweg ist von Wurzeln aufgebrochen.",
        "Absenkung an der Bordsteinkante, Kinderwagen bleiben hängen.",
    ],
    "beleuchtung": [
        "Die Laterne vor Hausnummer 12 ist seit einer Woche aus.",
        "Drei Laternen hintereinander flackern nachts.",
        "Die Straßenlampe brennt auch tagsüber.",
        "Der Weg zur Haltestelle ist abends komplett dunkel.",
    ],
    "gruen": [
        "Die Hecke ragt weit in den Gehweg, man muss auf die Straße ausweichen.",
        "Nach dem Sturm liegt ein großer Ast auf dem Rasen.",
        "Die Bank im Park ist kaputt.",
        "Das Beet am Platz ist völlig verwildert.",
    ],
    "spielplatz": [
        "Eine Kette der Schaukel ist gerissen.",
        "Im Sandkasten liegen Glasscherben.",
        "Die Rutsche hat eine scharfe Kante.",
    ],
    "graffiti": [
        "Großflächige Schmierereien an der Unterführung.",
        "Das Wartehäuschen ist besprüht und eine Scheibe ist eingeschlagen.",
        "Beleidigende Parolen an der Schulmauer.",
    ],
    "verkehrszeichen": [
        "Das Stoppschild an der Kreuzung ist umgefahren.",
        "Das Schild zur Einbahnstraße ist verdreht.",
        "Das Zeichen ist völlig zugewachsen und nicht mehr zu sehen.",
    ],
    "sonstiges": [
        "Ein Gullydeckel klappert laut, wenn Autos darüberfahren.",
        "Am Brunnen läuft seit Tagen Wasser aus.",
        "Ein Einkaufswagen liegt im Bach.",
    ],
}
ACKNOWLEDGED = [
    "Danke für Ihre Meldung. Wir haben sie an die zuständige Stelle weitergegeben.",
    "Vielen Dank, wir prüfen das vor Ort.",
    "Danke! Die Meldung ist bei uns angekommen und wird geprüft.",
]
IN_WORK = [
    "Der Auftrag ist erteilt; die Arbeiten sind eingeplant.",
    "Die Kolonne ist informiert und kommt in den nächsten Tagen.",
]
DONE_NOTES = {
    "muell": "Der Abfall wurde entfernt. Danke für den Hinweis!",
    "strasse": "Der Schaden wurde ausgebessert.",
    "beleuchtung": "Das Leuchtmittel wurde getauscht; die Laterne brennt wieder.",
    "gruen": "Der Rückschnitt ist erledigt.",
    "spielplatz": "Das Spielgerät ist repariert und wieder freigegeben.",
    "graffiti": "Die Schmiererei wurde entfernt.",
    "verkehrszeichen": "Das Verkehrszeichen ist wieder aufgestellt.",
    "sonstiges": "Das Problem ist behoben.",
}
REJECTED_NOTES = [
    "Die Fläche gehört nicht der Stadt; wir haben den Eigentümer informiert.",
    "Vor Ort konnten wir keinen Mangel feststellen.",
    "Dafür ist der Landesbetrieb Straßenbau zuständig; wir haben die Meldung weitergeleitet.",
]


def _sampler(areas: list[Area], rng: np.random.Generator):
    """Uniform random points inside an area (rejection sampling in its bounding box)."""
    shapes = {
        b.area_id: shapely.geometry.shape(json.loads(b.geojson))
        for b in Boundary.objects.filter(area__in=areas, valid_to__isnull=True)
    }
    for shape in shapes.values():
        shapely.prepare(shape)

    def point_in(area_id: int) -> tuple[float, float]:
        shape = shapes[area_id]
        min_x, min_y, max_x, max_y = shape.bounds
        for _ in range(1000):
            x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if shapely.contains_xy(shape, x, y):
                return float(y), float(x)
        centre = shape.representative_point()
        return centre.y, centre.x

    return point_in


def _answers(category: Category, rng: np.random.Generator) -> dict[str, list[str]]:
    answers = {}
    for attribute in category.attributes.all():
        values = [v.key for v in attribute.values.all()]
        if not attribute.variable or not (attribute.required or rng.random() < 0.4):
            continue
        if attribute.datatype == "singlevaluelist" and values:
            answers[attribute.code] = [values[int(rng.integers(len(values)))]]
        elif attribute.datatype == "multivaluelist" and values:
            count = int(rng.integers(1, min(3, len(values)) + 1))
            answers[attribute.code] = list(rng.choice(values, size=count, replace=False))
        elif attribute.datatype == "number":
            answers[attribute.code] = [str(int(rng.integers(10, 120)))]
        elif attribute.datatype == "string":
            answers[attribute.code] = [f"Nr. {int(rng.integers(100, 999))}"]
    return answers


def _days(rng: np.random.Generator, median: float, sigma: float = 0.8) -> dt.timedelta:
    return dt.timedelta(days=float(min(90.0, median * math.exp(rng.normal(0, sigma)))))


def _clear() -> None:
    """Remove earlier demo reports (the demo is loaded into a fresh or reset database)."""
    with transaction.atomic():
        ServiceRequest.objects.update(duplicate_of=None)
        ServiceRequest.objects.all().delete()
        RateHit.objects.filter(bucket__startswith="report-support").delete()


def load(user) -> Iterator[str]:
    created = services.ensure_default_categories()
    categories = {c.code: c for c in Category.objects.prefetch_related("attributes__values")}
    yield f"Mängelmelder: {created} Kategorien mit ihren Fachämtern und Zusatzfragen angelegt"
    level = area_services.finest_level()
    areas = list(Area.objects.filter(level=level).order_by("key")) if level else []
    if not areas:
        yield "Mängelmelder: keine Gebiete, keine Demomeldungen"
        return
    _clear()
    rng = np.random.default_rng([SEED, 2025])
    point_in = _sampler(areas, rng)
    weights = np.array([max(a.population or 0, 50) for a in areas], dtype=float)
    weights /= weights.sum()
    codes = [c for c in FREQUENCY if c in categories]
    frequency = np.array([FREQUENCY[c] for c in codes])
    frequency /= frequency.sum()

    hotspots = []
    for _ in range(HOTSPOTS):
        area = areas[int(rng.choice(len(areas), p=weights))]
        lat, lon = point_in(area.pk)
        hotspots.append((lat, lon, codes[int(rng.choice(len(codes), p=frequency))]))

    now = timezone.now().replace(microsecond=0)
    years = monitoring.available_years(level)
    first_year = years[-1] if years else now.year - 1
    start = timezone.make_aware(dt.datetime(first_year, 1, 1, 7))
    span = (now - dt.timedelta(hours=2) - start).total_seconds()
    moments = sorted(
        start + dt.timedelta(seconds=span * float(u) ** 0.85) for u in rng.random(REPORTS)
    )

    made: list[ServiceRequest] = []
    for moment in moments:
        if rng.random() < SHARE_IN_HOTSPOTS:
            centre_lat, centre_lon, code = hotspots[int(rng.integers(len(hotspots)))]
            if rng.random() < 0.35:  # other problems near a hotspot too
                code = codes[int(rng.choice(len(codes), p=frequency))]
            spread = float(rng.uniform(40, 160))
            lat = centre_lat + rng.normal(0, spread) / 111_320
            lon = centre_lon + rng.normal(0, spread) / (111_320 * math.cos(math.radians(lat)))
        else:
            code = codes[int(rng.choice(len(codes), p=frequency))]
            lat, lon = point_in(areas[int(rng.choice(len(areas), p=weights))].pk)
        category = categories[code]
        texts = DESCRIPTIONS[code]
        submission = services.Submission(
            service_code=code,
            lat=f"{lat:.6f}",
            long=f"{lon:.6f}",
            address_string=f"{STREETS[int(rng.integers(len(STREETS)))]} {int(rng.integers(1, 80))}",
            attributes=_answers(category, rng),
            description=texts[int(rng.integers(len(texts)))],
        )
        try:
            report = services.submit_request(
                submission, source="api" if rng.random() < 0.3 else "web", now=moment
            )
        except services.SubmissionError:  # a hotspot point that fell outside the city
            continue
        made.append(report)
        _simulate(report, made, user, rng, now)
    yield _summary(made)
    if years:
        try:
            services.update_indicators(years[-1], user=user)
        except InputError as error:  # pragma: no cover - the demo city has residents
            yield f"Mängelmelder: keine Kennzahlen ({error})"
        else:
            yield f"Mängelmelder: Kennzahlen {years[-1]} als Indikatoren im Monitoring"


def _simulate(report, made, user, rng, now) -> None:
    """Answers and status changes of one report, as far as they lie before now."""
    code = report.category.code
    requested = report.requested_at
    if rng.random() < DUPLICATE_SHARE:
        earlier = [
            other
            for other in made[:-1]
            if other.category_id == report.category_id
            and other.status != "duplicate"
            and services.distance_m(report.lat, report.long, other.lat, other.long) < 250
        ]
        when = requested + _days(rng, 1.5)
        if earlier and when < now:
            services.merge_duplicates(report, earlier[-1], user=user, now=when)
            return
    if rng.random() < NEVER_ANSWERED:
        return
    answered = requested + _days(rng, 2.5)
    if answered >= now:
        return
    services.change_status(
        report,
        REVIEWING,
        public_note=ACKNOWLEDGED[int(rng.integers(len(ACKNOWLEDGED)))],
        user=user,
        now=answered,
        notify=False,
    )
    working = answered + _days(rng, 1.5)
    if working >= now:
        return
    services.change_status(
        report,
        IN_PROGRESS,
        public_note=IN_WORK[int(rng.integers(len(IN_WORK)))] if rng.random() < 0.5 else "",
        internal_note="Auftrag an den Bauhof." if rng.random() < 0.5 else "",
        user=user,
        now=working,
        notify=False,
    )
    expected = report.category.expected_days or 14
    closing = working + _days(rng, expected * 0.7, 0.7)
    if closing >= now:
        return
    rejected = rng.random() < 0.12
    services.change_status(
        report,
        REJECTED if rejected else DONE,
        public_note=REJECTED_NOTES[int(rng.integers(len(REJECTED_NOTES)))]
        if rejected
        else DONE_NOTES[code],
        user=user,
        now=closing,
        notify=False,
    )
    feedback = closing + dt.timedelta(days=2)
    if not rejected and feedback < now:
        chance = rng.random()
        if chance < 0.2:
            services.record_feedback(report, report.secret, solved=True, now=feedback)
        elif chance < 0.24:
            services.record_feedback(report, report.secret, solved=False, now=feedback)
    if rng.random() < 0.25:
        ServiceRequest.objects.filter(pk=report.pk).update(support_count=int(rng.integers(1, 6)))


def _summary(made) -> str:
    statuses = ServiceRequest.objects.filter(pk__in=[r.pk for r in made]).values_list(
        "status", flat=True
    )
    closed = sum(1 for s in statuses if s in CLOSED_STATUSES)
    areas = ServiceRequest.objects.filter(pk__in=[r.pk for r in made]).values("area").distinct()
    return (
        f"Mängelmelder: {len(made)} Demomeldungen in {areas.count()} Sozialräumen "
        f"({len(made) - closed} offen, {closed} abgeschlossen)"
    )
