"""The planning part of the demo: a saved need ranking of the Sozialräume, two target areas
(the imported Fördergebiet and a new one from the ranking), goals with targets on indicators
and an action plan of five programmes with 25 measures and their steps, budgets, funding,
milestones, progress and links to the demo ideas. Deterministic: a fixed seed, fixed dates."""

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

import shapely
from django.db import transaction

from gemeinsinn.areas import services as area_services
from gemeinsinn.ideas.models import Idea
from gemeinsinn.monitoring.models import Indicator
from gemeinsinn.planning import services
from gemeinsinn.planning.models import (
    Budget,
    Funding,
    Goal,
    Measure,
    MeasureChange,
    MeasureStatus,
    Milestone,
    TargetArea,
)

SEED = 2026
YEAR = 2025
DECIDED = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
WEIGHTS = [
    (services.STATUS, 2.0, True),
    (services.DYNAMICS, 1.0, True),
    (services.INDICATOR + "umfrage_zufrieden", 1.0, False),
    (services.INDICATOR + "mm_gesamt_je_1000", 0.5, True),
    (services.IDEAS, 0.5, True),
    (services.INDICATOR + "kita_versorgung", 0.5, False),  # supply of social services
]

# field of action (index of the default five), goal, indicator, comparison, target, SDGs
GOALS = [
    (0, "Mehr Menschen fühlen sich im Stadtteil wohl", "umfrage_zufrieden", Goal.AT_LEAST,
     60.0, [11, 16]),
    (1, "Weniger Schulabgänge ohne Abschluss", "ohne_abschluss_quote", Goal.BELOW, 5.0, [4]),
    (1, "Sprachförderbedarf bei der Einschulung senken", "sprachfoerderquote", Goal.AT_MOST,
     20.0, [4, 10]),
    (2, "Arbeitslosigkeit im Fördergebiet senken", "arbeitslosenanteil", Goal.BELOW, 8.0,
     [8]),
    (3, "Kinderarmut im Fördergebiet unter 25 %", "kinderarmut_u15", Goal.BELOW, 25.0,
     [1, 10]),
    (3, "Altersarmut nicht weiter steigen lassen", "altersarmut", Goal.AT_MOST, 5.0, [1]),
    (4, "Sich nachts im Quartier sicher fühlen", "umfrage_sicher_nachts", Goal.AT_LEAST, 70.0,
     [11]),
]  # fmt: skip

# field of action, programme, department, [(measure, partners, [steps])]
PROGRAMMES = [
    (0, "Nachbarschaft stärken", "Amt für Soziales", [
        ("Quartiersbüro Nordstadt", "Caritas, Quartiersverein",
         ["Räume anmieten", "Team einstellen"]),
        ("Nachbarschaftscafé", "Evangelische Kirchengemeinde", []),
        ("Quartiersrat mit Sprechzeiten", "Bürgerverein Nordstadt", []),
        ("Mehrsprachige Willkommensmappe", "Integrationsrat", ["Texte übersetzen"]),
        ("Verfügungsfonds für Nachbarschaftsprojekte", "Quartiersrat", []),
    ]),
    (1, "Bildung von Anfang an", "Schulamt", [
        ("Hausaufgabenhilfe in der Stadtteilbibliothek", "Förderverein der Bibliothek", []),
        ("Sprachcafé für Eltern", "Volkshochschule", ["Kursleitung gewinnen"]),
        ("Kita-Ausbau für unter Dreijährige", "Kita-Träger", ["Standort prüfen", "Bauantrag"]),
        ("Schulhof am Nachmittag öffnen", "Grundschule am Markt", []),
        ("Schulsozialarbeit an zwei Grundschulen", "AWO", []),
    ]),
    (2, "Wege in Arbeit", "Jobcenter", [
        ("Jobbörse im Stadtteilzentrum", "Industrie- und Handelskammer", []),
        ("Ausbildungspaten für Jugendliche", "Handwerkskammer, Rotary", ["Paten schulen"]),
        ("Kinderbetreuung während Weiterbildungen", "Familienzentrum", []),
        ("Beratung für Alleinerziehende", "Diakonie", []),
        ("Sprachkurse mit Praktikum", "Volkshochschule, Betriebe", []),
    ]),
    (3, "Existenz sichern", "Amt für Soziales", [
        ("Sozialberatung vor Ort", "Caritas, Diakonie", ["Sprechstunde einrichten"]),
        ("Tafel-Ausgabestelle im Quartier", "Tafel e. V.", []),
        ("Stromspar-Check für Haushalte", "Verbraucherzentrale", []),
        ("Bildungspaket bekannt machen", "Jobcenter, Schulen", []),
        ("Schuldnerberatung ohne Wartezeit", "Verbraucherzentrale", []),
    ]),
    (4, "Wohnumfeld verbessern", "Stadtplanungsamt", [
        ("Bänke auf dem Weg zum Markt", "Seniorenbeirat", []),
        ("Sichere Querung an der Hauptstraße", "Straßenverkehrsamt", ["Verkehrszählung"]),
        ("Grünfläche statt Parkplatz an der Kirche", "Kirchengemeinde", ["Planung", "Bau"]),
        ("Beleuchtung im Durchgang", "Stadtwerke", []),
        ("Gemeinschaftsgarten auf der Brache", "Urban-Gardening-Verein", []),
    ]),
]  # fmt: skip

FUNDING_PROGRAMMES = {
    "land": "Sozialer Zusammenhalt (Städtebauförderung)",
    "bund": "Sozialer Zusammenhalt (Bund)",
    "eu": "ESF Plus",
    "dritte": "Stiftung Bürgersinn",
    "kommune": "Eigenanteil",
}
STATUS_NAMES = [name for name, _progress in services.DEFAULT_STATUSES]
# the council's budget for 2026, with commitments for 2027 and 2028: the municipal shares
BUDGET_DECIDED = dt.date(2025, 12, 11)
# applications for 2027 decided in 2026, in both half-years: measure number -> (day, approval)
DECISIONS_2027 = {
    "1.1": (dt.date(2026, 4, 22), "bewilligt"),
    "2.3": (dt.date(2026, 5, 27), "bewilligt"),
    "3.4": (dt.date(2026, 6, 10), "abgelehnt"),
    "4.2": (dt.date(2026, 9, 16), "bewilligt"),
    "5.1": (dt.date(2026, 10, 7), "bewilligt"),
    "2.5": (dt.date(2026, 11, 4), "abgelehnt"),
}


def load(user) -> Iterator[str]:
    level = area_services.finest_level()
    run = services.index_run_for(level, YEAR) if level else None
    if run is None:
        yield "Planung: übersprungen (kein Sozialindex für 2025)."
        return
    rng = random.Random(SEED)
    with transaction.atomic():
        services.ensure_default_statuses()
        available = {source.code for source in services.sources(level, YEAR)}
        choices = [
            services.Choice(code, weight, worse)
            for code, weight, worse in WEIGHTS
            if code in available
        ]
        ranking = services.need_ranking(level, YEAR, choices)
        saved = services.save_ranking("Verdichtung 2025 (Demo)", ranking, user)
        targets = _target_areas(saved, user)
        goals = _goals(targets[0])
        count = _plan(rng, goals, targets, user)
    names = ", ".join(t.area.name for t in targets)
    yield f"Planung: Rangfolge „{saved.name}“, Fördergebiete {names}"
    yield f"Planung: {len(goals)} Ziele, {count} Maßnahmen in 5 Programmen"


def _target_areas(saved, user):
    """The imported Fördergebiet with the ranked Sozialräume that hold at least a tenth of its
    surface, and a new one from the two highest ranked Sozialräume outside it."""
    ranked = list(saved.areas.filter(rank__isnull=False).select_related("area").order_by("rank"))
    existing = services.free_target_areas().order_by("key").first()
    targets = []
    inside = set()
    if existing is not None and existing.current_boundary():
        outline = shapely.geometry.shape(existing.current_boundary().geometry)
        for row in ranked:
            boundary = row.area.current_boundary()
            shape = shapely.geometry.shape(boundary.geometry) if boundary else None
            if shape is not None and outline.intersection(shape).area >= 0.1 * outline.area:
                inside.add(row.area_id)
        if inside:
            targets.append(
                services.mark_target_area(
                    saved, sorted(inside), "Gebiet der Städtebauförderung „Sozialer Zusammenhalt“; "
                    "die Sozialräume darin liegen in der Rangfolge weit vorn.", user,
                    existing=existing,
                )
            )  # fmt: skip
    top = [row for row in ranked if row.area_id not in inside][:2]
    targets.append(
        services.mark_target_area(
            saved, [row.area_id for row in top],
            "Höchster Bedarf außerhalb des Fördergebiets: " + "; ".join(
                row.explanation for row in top),
            user, name="Fördergebiet " + "/".join(row.area.name for row in top),
        )
    )  # fmt: skip
    TargetArea.objects.filter(pk__in=[t.pk for t in targets]).update(chosen_at=DECIDED)
    return targets


def _goals(target) -> list[Goal]:
    fields = list(services.fields_of_action())
    goals = []
    for order, (field, title, code, comparison, value, sdgs) in enumerate(GOALS, start=1):
        indicator = Indicator.objects.filter(code=code).first()
        goals.append(
            Goal.objects.create(
                field=fields[field], title=title, indicator=indicator,
                target_area=target if code in ("arbeitslosenanteil", "kinderarmut_u15") else None,
                comparison=comparison, target_value=value, target_year=2030, sdgs=sdgs,
                order=order,
            )
        )  # fmt: skip
    return goals


def _plan(rng: random.Random, goals, targets, user) -> int:
    fields = list(services.fields_of_action())
    statuses = {s.name: s for s in MeasureStatus.objects.all()}
    count = 0
    for p_number, (field, title, department, measures) in enumerate(PROGRAMMES, start=1):
        programme = _measure(
            str(p_number), Measure.PROGRAMME, None, title, fields[field], department, "",
            statuses["in Umsetzung"], user,
        )  # fmt: skip
        ideas = list(
            Idea.objects.filter(category=fields[field], is_hidden=False).order_by("created_at")
        )
        for m_number, (m_title, partners, steps) in enumerate(measures, start=1):
            state = STATUS_NAMES[rng.randrange(len(STATUS_NAMES))]
            measure = _measure(
                f"{p_number}.{m_number}", Measure.MEASURE, programme, m_title, fields[field],
                department, partners, statuses[state], user,
            )  # fmt: skip
            count += 1
            measure.goals.set([g for g in goals if g.field_id == fields[field].pk])
            measure.target_areas.set(targets[: 1 + m_number % 2])
            measure.ideas.set([i for i in ideas if _similar(i.title, m_title)][:3])
            _money(rng, measure)
            _milestones(rng, measure)
            for s_number, s_title in enumerate(steps, start=1):
                _measure(
                    f"{p_number}.{m_number}.{s_number}", Measure.STEP, measure, s_title,
                    fields[field], department, "",
                    statuses["abgeschlossen" if s_number == 1 else state], user,
                )  # fmt: skip
    MeasureChange.objects.update(at=DECIDED)
    return count


def _measure(number, kind, parent, title, field, department, partners, status, user) -> Measure:
    start = dt.date(2026, 1 + len(number) % 6, 1)
    measure = Measure.objects.create(
        number=number, kind=kind, parent=parent, title=title, field=field,
        department=department, partners=partners, status=status, start=start,
        end=dt.date(2028, 12, 31), description=f"{title}: Teil des Handlungskonzepts 2026–2028.",
    )  # fmt: skip
    services.record_created(measure, user)
    return measure


def _similar(idea_title: str, measure_title: str) -> bool:
    """Ideas whose title shares a long word with the measure's title inspired it."""
    words = {w.lower() for w in measure_title.replace("-", " ").split() if len(w) > 5}
    return any(w.lower().strip("()") in words for w in idea_title.replace("-", " ").split())


def _money(rng: random.Random, measure: Measure) -> None:
    """Budgets and funding for 2026–2028. The grants for 2026 were decided in the autumn of
    2025 (their own generator, so the other demo values stay as they were), the applications
    for 2027 of DECISIONS_2027 in 2026; the rest are applied for or planned."""
    granted_2026 = dt.date(2025, 9, 1) + dt.timedelta(
        days=random.Random(measure.number).randrange(100)
    )
    for year in (2026, 2027, 2028):
        amount = Decimal(rng.randrange(5, 60) * 1000)
        Budget.objects.create(measure=measure, year=year, amount=amount)
        land = (amount * Decimal("0.6")).quantize(Decimal("1"))
        source = ("land", "bund", "eu", "dritte")[rng.randrange(4)]
        approval = "bewilligt" if year == 2026 else ("beantragt", "geplant")[year - 2027]
        decided_on = granted_2026 if year == 2026 else None
        if year == 2027 and measure.number in DECISIONS_2027:
            decided_on, approval = DECISIONS_2027[measure.number]
        Funding.objects.create(
            measure=measure, source=source, programme=FUNDING_PROGRAMMES[source], year=year,
            amount=land, approval=approval, decided_on=decided_on,
        )  # fmt: skip
        Funding.objects.create(
            measure=measure, source="kommune", programme=FUNDING_PROGRAMMES["kommune"],
            year=year, amount=amount - land, approval="bewilligt", decided_on=BUDGET_DECIDED,
        )  # fmt: skip


def _milestones(rng: random.Random, measure: Measure) -> None:
    due = dt.date(2026, 3 + rng.randrange(6), 1)
    Milestone.objects.create(
        measure=measure, title="Konzept abgestimmt", due=due,
        reached=due + dt.timedelta(days=rng.randrange(30)) if measure.status.progress else None,
    )  # fmt: skip
    Milestone.objects.create(measure=measure, title="Erste Angebote laufen",
                             due=dt.date(2027, 1 + rng.randrange(12), 1))  # fmt: skip
