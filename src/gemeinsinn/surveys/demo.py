"""The survey part of the demo: the Bürgerumfrage (the project's demo XLSForm) imported through
the same service as a planner's upload, with a few thousand generated responses spread over
Musterstadt's Sozialräume — online and from two paper batches — whose answers follow the areas'
social situation (less satisfied and less safe where transfer receipt is high), then two
questions as indicators. Then the Familienbefragung Kinderbetreuung, ended some weeks ago, with
a repeat (one entry per child): about 500 households, more unmet need for childcare where
transfer receipt is high. Deterministic: the same seed gives the same answers, and each survey
has a random stream of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
from django.db import transaction
from django.utils import timezone

from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area
from gemeinsinn.formats.xlsform import family_form
from gemeinsinn.formats.xlsform.demo_form import DE, EN, demo_form_bytes
from gemeinsinn.monitoring.models import Value
from gemeinsinn.surveys import services
from gemeinsinn.surveys.models import ONLINE, PAPER, PaperBatch, Response, Survey

SEED = 2026
RESPONSES = 3000
MIN_PER_AREA = 25
PAPER_SHARE = 0.12
FILE_NAME = "buergerumfrage_lebensqualitaet.xlsx"
SOCIAL_INDICATOR = "transferbezug"

SATISFACTION = ["sehr_zufrieden", "eher_zufrieden", "teils", "eher_unzufrieden", "sehr_unzufrieden"]
SAFETY = ["sehr_sicher", "eher_sicher", "teils", "eher_unsicher", "sehr_unsicher"]
PLACES = ["haltestellen", "parks", "strassen", "unterfuehrungen", "wohnhaus"]
OFFERS = [
    "spielplaetze", "jugendtreff", "seniorentreff", "aerzte", "einkauf", "gruen", "oepnv",
    "kita", "beratung",
]  # fmt: skip
AGES = ["18_29", "30_44", "45_64", "65_79", "80_plus", "unter_18", "keine_angabe"]
AGE_SHARES = [0.14, 0.22, 0.30, 0.20, 0.07, 0.03, 0.04]
GENDERS = ["weiblich", "maennlich", "divers", "keine_angabe"]
GENDER_SHARES = [0.52, 0.44, 0.01, 0.03]
COMPLAINTS = [
    "Zu viel Verkehr und Lärm in der Hauptstraße.",
    "Es gibt kaum Treffpunkte für Jugendliche.",
    "Die Grünanlagen sind ungepflegt, überall liegt Müll.",
    "Die Mieten steigen, viele Nachbarn ziehen weg.",
    "Abends ist es auf den Straßen zu dunkel.",
    "Der Bus fährt am Wochenende viel zu selten.",
    "Seit die Bankfiliale zu ist, fehlt ein Treffpunkt im Viertel.",
]
FAMILY_FILE_NAME = "familienbefragung_kinderbetreuung.xlsx"
FAMILY_STREAM = 1  # the family survey draws from np.random.default_rng([SEED, FAMILY_STREAM])
HOUSEHOLDS = 500
MIN_HOUSEHOLDS_PER_AREA = 2
FAMILY_PAPER_SHARE = 0.1
FAMILY_DAYS = 56  # the family survey ran eight weeks …
FAMILY_ENDED_DAYS = 35  # … and ended five weeks ago
ENGLISH_SHARE = 0.05
CHILDREN_SHARES = [0.44, 0.37, 0.14, 0.05]  # 1, 2, 3, 4 children under 14
CHILD_AGES = ["unter_3", "3_5", "6_9", "10_13"]
CHILD_AGE_SHARES = [0.24, 0.26, 0.27, 0.23]
IN_CARE = {"unter_3": 0.38, "3_5": 0.92, "6_9": 0.62, "10_13": 0.3}  # share in Kita, Hort …
NEED_HOURS = {"unter_3": 28, "3_5": 35, "6_9": 20, "10_13": 10}  # mean hours a week
NEED_MET = ["ja", "teilweise", "nein"]
MISSING = ["plaetze", "zeiten", "naehe", "kosten", "ferien"]
REMARKS = [
    "Schön, dass wir gefragt werden.",
    "Bitte mehr Bänke für Ältere.",
    "Der Spielplatz am Markt sollte erneuert werden.",
    "Mehr Angebote für Familien wären gut.",
]


def _social_scores(areas: list[Area]) -> np.ndarray:
    """Standardised transfer receipt per area (0 where unknown): higher = more disadvantaged."""
    level = areas[0].level
    years = sorted(
        Value.objects.filter(indicator__code=SOCIAL_INDICATOR, area__level=level)
        .values_list("year", flat=True)
        .distinct()
    )
    values = {}
    if years:
        values = dict(
            Value.objects.filter(
                indicator__code=SOCIAL_INDICATOR, area__level=level, year=years[-1]
            ).values_list("area_id", "value")
        )
    raw = np.array([values.get(a.pk) if values.get(a.pk) is not None else np.nan for a in areas])
    if np.isfinite(raw).sum() < 2:
        return np.zeros(len(areas))
    mean, std = np.nanmean(raw), np.nanstd(raw) or 1.0
    return np.nan_to_num((raw - mean) / std)


def _scale(rng, shift: float) -> str:
    """A five-point answer: latent normal value shifted by the area's disadvantage."""
    latent = rng.normal(-0.55 + shift, 1.0)
    cuts = [-1.2, -0.1, 0.6, 1.4]
    return int(np.searchsorted(cuts, latent))


def generate_answers(rng, score: float) -> dict:
    """One respondent's answers, valid for the demo form by construction."""
    satisfaction = SATISFACTION[_scale(rng, 0.55 * score)]
    answers: dict = {
        "wohndauer": int(min(90, rng.gamma(2.0, 8.0))),
        "zufriedenheit": satisfaction,
        "sicherheit_tag": SAFETY[_scale(rng, 0.35 * score - 0.5)],
    }
    night = SAFETY[_scale(rng, 0.6 * score + 0.45)]
    answers["sicherheit_nacht"] = night
    if satisfaction in ("eher_unzufrieden", "sehr_unzufrieden") and rng.random() < 0.4:
        answers["unzufrieden_grund"] = COMPLAINTS[rng.integers(len(COMPLAINTS))]
    if night in ("eher_unsicher", "sehr_unsicher"):
        count = int(rng.integers(1, 4))
        chosen = rng.choice(len(PLACES), size=count, replace=False)
        answers["unsichere_orte"] = [PLACES[i] for i in sorted(chosen)]
    if rng.random() < 0.12:
        answers["fehlt"] = ["nichts"]
    else:
        weights = np.array([1.0, 1.0 + score, 1.0, 1.2, 1.0, 1.0, 1.1, 1.0, 0.8 + score])
        weights = np.clip(weights, 0.2, None)
        count = int(rng.integers(1, 4))
        chosen = rng.choice(len(OFFERS), size=count, replace=False, p=weights / weights.sum())
        answers["fehlt"] = [name for i, name in enumerate(OFFERS) if i in set(chosen.tolist())]
    age = AGES[rng.choice(len(AGES), p=AGE_SHARES)]
    answers["altersgruppe"] = age
    gender = GENDERS[rng.choice(len(GENDERS), p=GENDER_SHARES)]
    if rng.random() > 0.05:
        answers["geschlecht"] = gender
    persons = int(rng.choice([1, 2, 3, 4, 5], p=[0.38, 0.33, 0.13, 0.11, 0.05]))
    answers["haushalt_personen"] = persons
    if persons > 1 and age not in ("65_79", "80_plus"):
        answers["haushalt_kinder"] = int(rng.integers(0, persons))
    elif persons > 1:
        answers["haushalt_kinder"] = 0
    if rng.random() < 0.06:
        answers["anmerkungen"] = REMARKS[rng.integers(len(REMARKS))]
    return answers


def generate_household(rng, score: float) -> dict:
    """One household's answers to the family survey, valid for its form by construction: the
    children in care less often and their need met less often where the area is more
    disadvantaged, and the household less satisfied the more of its need is unmet."""
    children = []
    unmet = 0
    for _child in range(int(rng.choice(len(CHILDREN_SHARES), p=CHILDREN_SHARES)) + 1):
        age = CHILD_AGES[rng.choice(len(CHILD_AGES), p=CHILD_AGE_SHARES)]
        attends = bool(rng.random() < np.clip(IN_CARE[age] - 0.08 * score, 0.05, 0.98))
        need = int(np.clip(rng.normal(NEED_HOURS[age], 8.0), 4, 60))
        if not attends and rng.random() < 0.35:
            need = 0  # cared for at home and content with it
        entry: dict = {
            "kind_alter": age,
            "kind_betreuung": "ja" if attends else "nein",
            "kind_bedarf_stunden": need,
        }
        if need:
            gap = rng.normal(-0.9 + 0.5 * score + (0.0 if attends else 1.3), 1.0)
            met = NEED_MET[int(np.searchsorted([0.0, 0.9], gap))]
            entry["kind_bedarf_gedeckt"] = met
            unmet += met != "ja"
        children.append(entry)
    satisfaction = SATISFACTION[_scale(rng, 0.45 * score + 0.9 * unmet / len(children))]
    answers: dict = {"zufriedenheit_betreuung": satisfaction}
    if satisfaction in ("eher_unzufrieden", "sehr_unzufrieden"):
        weights = np.array([1.6 + 0.4 * score, 1.2, 0.8, 0.7 + 0.3 * score, 0.9]).clip(0.2)
        count = int(rng.integers(1, 4))
        chosen = rng.choice(len(MISSING), size=count, replace=False, p=weights / weights.sum())
        answers["betreuung_fehlt"] = [MISSING[i] for i in sorted(chosen.tolist())]
    if rng.random() > 0.04:
        single = rng.random() < np.clip(0.17 + 0.05 * score, 0.05, 0.5)
        answers["alleinerziehend"] = "ja" if single else "nein"
    answers[family_form.REPEAT] = children
    return answers


def _per_area(areas: list[Area], total: int, minimum: int = MIN_PER_AREA) -> list[int]:
    population = np.array([float(a.population or 0) for a in areas])
    if population.sum() <= 0:
        population = np.ones(len(areas))
    spread = max(0, total - minimum * len(areas))
    counts = minimum + np.floor(spread * population / population.sum()).astype(int)
    return counts.tolist()


def _response(survey, area, answers, submitted, batch=None, number=None, language=DE) -> Response:
    return Response(
        survey=survey,
        area=area,
        answers=answers,
        channel=PAPER if batch else ONLINE,
        paper_batch=batch,
        questionnaire_number=number,
        language=language,
        submitted_at=submitted,
    )


def load(user, responses: int = RESPONSES, households: int = HOUSEHOLDS) -> Iterator[str]:
    """The Bürgerumfrage, then the family survey (each only when not there yet); the family
    survey draws from a random stream of its own, so the Bürgerumfrage stays as it was."""
    level = area_services.finest_level()
    if level is None:
        yield "Umfragen: keine Gebiete, keine Demo-Umfrage"
        return
    areas = list(Area.objects.filter(level=level).order_by("key"))
    scores = _social_scores(areas)
    yield from _load_buergerumfrage(user, level, areas, scores, responses)
    yield from _load_family_survey(user, level, areas, scores, households)


def _load_buergerumfrage(user, level, areas, scores, responses: int) -> Iterator[str]:
    if Survey.objects.filter(file_name=FILE_NAME).exists():
        yield "Umfragen: die Demo-Umfrage ist bereits angelegt"
        return
    today = timezone.localdate()
    survey = services.import_survey(
        demo_form_bytes(),
        FILE_NAME,
        opens_on=today - dt.timedelta(days=42),
        closes_on=today + dt.timedelta(days=60),
        user=user,
    )
    questions = len(survey.form.questions())
    yield f"Umfragen: „{survey.title}“ aus {FILE_NAME} angelegt ({questions} Fragen)"
    rng = np.random.default_rng(SEED)
    now = timezone.now()
    batches = [
        PaperBatch(survey=survey, name="Wochenmarkt Innenstadt", created_by=user),
        PaperBatch(survey=survey, name="Seniorentreffs der Stadtteile", created_by=user),
    ]
    with transaction.atomic():
        for batch in batches:
            batch.save()
        rows, numbers = [], [0, 0]
        for area, score, count in zip(areas, scores, _per_area(areas, responses), strict=True):
            for _index in range(count):
                answers = generate_answers(rng, float(score))
                paper = rng.random() < PAPER_SHARE
                batch_index = int(answers["altersgruppe"] in ("65_79", "80_plus"))
                if paper:
                    numbers[batch_index] += 1
                submitted = now - dt.timedelta(minutes=int(rng.integers(0, 42 * 24 * 60)))
                rows.append(
                    _response(
                        survey,
                        area,
                        answers,
                        submitted,
                        batches[batch_index] if paper else None,
                        numbers[batch_index] if paper else None,
                    )
                )
        Response.objects.bulk_create(rows, batch_size=1000)
    paper = sum(numbers)
    yield (
        f"Umfragen: {len(rows)} Antworten in {len(areas)} {level.plural} "
        f"({len(rows) - paper} online, {paper} auf Papier)"
    )
    for question, values, code, name in (
        (
            "zufriedenheit",
            ["sehr_zufrieden", "eher_zufrieden"],
            "umfrage_zufrieden",
            "Zufrieden oder sehr zufrieden mit dem Stadtteil (Umfrage)",
        ),
        (
            "sicherheit_nacht",
            ["sehr_sicher", "eher_sicher"],
            "umfrage_sicher_nachts",
            "Fühlt sich nachts allein sicher (Umfrage)",
        ),
    ):
        indicator = services.question_to_indicator(
            survey, question, values, code=code, name=name, user=user
        )
        yield f"Umfragen: Frage „{question}“ als Indikator „{indicator.name}“"


def _load_family_survey(user, level, areas, scores, households: int) -> Iterator[str]:
    """The family survey: ended FAMILY_ENDED_DAYS ago after FAMILY_DAYS, one response per
    household with an entry per child, some typed from the paper questionnaires of one batch."""
    if Survey.objects.filter(file_name=FAMILY_FILE_NAME).exists():
        yield "Umfragen: die Familienbefragung ist bereits angelegt"
        return
    closes_on = timezone.localdate() - dt.timedelta(days=FAMILY_ENDED_DAYS)
    survey = services.import_survey(
        family_form.family_form_bytes(),
        FAMILY_FILE_NAME,
        opens_on=closes_on - dt.timedelta(days=FAMILY_DAYS),
        closes_on=closes_on,
        user=user,
    )
    (repeat,) = [group for group in survey.form.groups() if group.repeat]
    yield (
        f"Umfragen: „{survey.title}“ aus {FAMILY_FILE_NAME} angelegt "
        f"({len(survey.form.questions())} Fragen, Wiederholung „{repeat.labels[DE]}“)"
    )
    rng = np.random.default_rng([SEED, FAMILY_STREAM])
    ended = timezone.now() - dt.timedelta(days=FAMILY_ENDED_DAYS)
    batch = PaperBatch(survey=survey, name="Elternabende in Kitas und Schulen", created_by=user)
    counts = _per_area(areas, households, minimum=MIN_HOUSEHOLDS_PER_AREA)
    with transaction.atomic():
        batch.save()
        rows, paper = [], 0
        for area, score, count in zip(areas, scores, counts, strict=True):
            for _index in range(count):
                answers = generate_household(rng, float(score))
                on_paper = rng.random() < FAMILY_PAPER_SHARE
                paper += on_paper
                minutes = int(rng.integers(0, FAMILY_DAYS * 24 * 60))
                language = EN if rng.random() < ENGLISH_SHARE else DE
                rows.append(
                    _response(
                        survey,
                        area,
                        answers,
                        ended - dt.timedelta(minutes=minutes),
                        batch if on_paper else None,
                        paper if on_paper else None,
                        language,
                    )
                )
        Response.objects.bulk_create(rows, batch_size=1000)
    children = sum(len(row.answers[family_form.REPEAT]) for row in rows)
    yield (
        f"Umfragen: {len(rows)} Haushalte mit {children} Kindern in {len(areas)} "
        f"{level.plural} ({len(rows) - paper} online, {paper} auf Papier)"
    )
