"""The ideas part of the demo: the process "Ideen für Musterstadt 2026" with ideas from
citizens across the Sozialräume, supports, comments, official answers and a little
moderation, all generated deterministically (fixed seed, fixed dates) through the services."""

import datetime as dt
import random
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from gemeinsinn.accounts import roles
from gemeinsinn.accounts.models import Profile
from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area
from gemeinsinn.core.demo import DEMO_PASSWORD
from gemeinsinn.ideas import services
from gemeinsinn.ideas.models import (
    ACCEPTED,
    IMPLEMENTED,
    REJECTED,
    REVIEWING,
    Category,
    Idea,
    Process,
)

TZ = ZoneInfo("Europe/Berlin")
SEED = 2026
IDEA_COUNT = 96
CITIZEN = "buergerin@musterstadt.example"  # a demo citizen who can log in
MODERATOR = "moderation"
DEPARTMENT = "fachamt"
START = dt.datetime(2026, 2, 2, 9, 0, tzinfo=TZ)
LATEST = dt.datetime(2026, 11, 14, 18, 0, tzinfo=TZ)  # nothing of the demo is later

NAMES = [
    "Anna K.", "Bernd", "Cem Y.", "Dora", "Elif", "Frank M.", "Gisela", "Hakan", "Irina",
    "Jonas", "Katrin", "", "Lena S.", "Mehmet", "Nora", "Olga", "Paul", "", "Rita", "Sven",
]  # fmt: skip

# (field of action, title, text)
IDEAS = [
    (0, "Nachbarschaftscafé im Quartier", "Ein offener Treff, in dem sich Alt und Jung "
     "begegnen: einmal in der Woche Kaffee, Kuchen und Gespräche.\nVielleicht im leeren "
     "Laden an der Ecke?"),
    (0, "Quartiersrat mit festen Sprechzeiten", "Ein Gremium aus Bewohnerinnen und Bewohnern, "
     "das zweimal im Jahr mit der Verwaltung über das Viertel spricht."),
    (0, "Schwarzes Brett online und im Supermarkt", "Viele erfahren nicht, was im Viertel "
     "los ist. Ein Aushang im Supermarkt und dieselben Termine auf der Website würden helfen."),
    (0, "Mehrsprachige Willkommensmappe", "Neu Zugezogene bekommen eine Mappe mit "
     "Ansprechpersonen, Vereinen und Beratungsstellen – auf Deutsch, Türkisch, Arabisch, "
     "Russisch und Ukrainisch."),
    (1, "Hausaufgabenhilfe in der Stadtteilbibliothek", "Nachmittags fehlt ein ruhiger Ort "
     "mit Hilfe bei den Hausaufgaben. Ehrenamtliche stünden bereit."),
    (1, "Mehr Kita-Plätze für unter Dreijährige", "Die Wartelisten sind lang; Eltern können "
     "deshalb nicht arbeiten gehen."),
    (1, "Sprachcafé für Eltern", "Eltern lernen Deutsch, während die Kinder betreut werden."),
    (1, "Schulhof nachmittags öffnen", "Der Schulhof ist der einzige große Spielplatz im "
     "Viertel, aber ab 16 Uhr verschlossen."),
    (2, "Jobbörse im Stadtteilzentrum", "Einmal im Monat stellen sich Betriebe aus der "
     "Umgebung vor; Beratung zu Bewerbungen vor Ort."),
    (2, "Ausbildungspaten für Jugendliche", "Berufstätige begleiten Jugendliche beim "
     "Übergang von der Schule in die Ausbildung."),
    (2, "Kinderbetreuung bei Weiterbildungen", "Wer einen Kurs beim Jobcenter besucht, "
     "braucht in der Zeit Betreuung für die Kinder."),
    (3, "Sozialberatung vor Ort statt im Rathaus", "Eine offene Sprechstunde im Viertel "
     "zu Wohngeld, Kinderzuschlag und Bildungspaket – ohne lange Wege."),
    (3, "Tafel-Ausgabestelle näher am Quartier", "Die nächste Ausgabestelle ist für Ältere "
     "ohne Auto kaum erreichbar."),
    (3, "Stromspar-Check für Haushalte", "Beratung, wie man Energiekosten senkt, mit "
     "kostenlosen Sparlampen und Steckerleisten."),
    (4, "Mehr Bänke auf dem Weg zum Markt", "Für ältere Menschen ist der Weg zum Markt ohne "
     "Pause zu lang. Alle 200 Meter eine Bank wäre gut."),
    (4, "Sichere Querung an der Hauptstraße", "Kinder überqueren die Hauptstraße auf dem "
     "Schulweg ohne Ampel. Ein Zebrastreifen oder eine Mittelinsel fehlt."),
    (4, "Grünfläche statt Parkplatz", "Der Platz vor der Kirche könnte ein kleiner Park mit "
     "Bäumen und Schatten werden."),
    (4, "Bessere Beleuchtung im Durchgang", "Der Fußweg zwischen den Wohnblöcken ist abends "
     "dunkel; viele meiden ihn."),
    (4, "Gemeinschaftsgarten auf der Brache", "Auf der ungenutzten Fläche könnten "
     "Hochbeete für die Nachbarschaft entstehen."),
    (4, "Barrierefreier Zugang zur Haltestelle", "Mit Rollator oder Kinderwagen kommt man "
     "wegen der hohen Bordsteinkante kaum in den Bus."),
]  # fmt: skip

COMMENTS = [
    "Sehr gute Idee, das fehlt hier wirklich.",
    "Ich würde mithelfen, wenn es losgeht.",
    "Gibt es dafür schon einen Ort?",
    "Das wünsche ich mir seit Jahren.",
    "Bitte auch an die Menschen denken, die kein Internet haben.",
    "In unserem Haus sehen das viele genauso.",
    "Wichtig wäre, dass es auch am Wochenende geht.",
]
REPLIES = [
    "Danke für die Unterstützung!",
    "Im Gemeindehaus wäre Platz, habe ich gehört.",
    "Gute Frage – vielleicht kann die Verwaltung das beantworten.",
]

# status → official answers
ANSWERS = {
    REVIEWING: [
        "Vielen Dank für Ihre Idee. Das zuständige Amt prüft sie und meldet sich bis Ende "
        "des Jahres mit einer Einschätzung.",
    ],
    ACCEPTED: [
        "Wir setzen Ihre Idee um. Sie ist in das Integrierte Handlungskonzept für den "
        "Sozialraum aufgenommen; Mittel sind für das kommende Jahr eingeplant.",
        "Die Idee wird aufgegriffen. Ein Träger aus dem Viertel hat Interesse gezeigt; wir "
        "laden im Frühjahr zu einem Treffen ein.",
    ],
    IMPLEMENTED: [
        "Umgesetzt: Das Angebot läuft seit Oktober. Danke für den Anstoß!",
    ],
    REJECTED: [
        "Leider können wir die Idee nicht umsetzen: Die Fläche gehört nicht der Stadt, und "
        "der Eigentümer hat abgelehnt. Wir suchen nach einem anderen Ort.",
    ],
}


def _at(moment: dt.datetime) -> dt.datetime:
    return min(moment, LATEST)


def _users():
    users = get_user_model()
    citizens = []
    for number, name in enumerate(NAMES, start=1):
        email = CITIZEN if number == 1 else f"buerger{number:02d}@musterstadt.example"
        user = users.objects.create_user(username=email, email=email)
        if number == 1:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
        Profile.objects.create(
            user=user,
            display_name=name,
            privacy_accepted_at=START - dt.timedelta(days=7),
            email_confirmed_at=START - dt.timedelta(days=7),
        )
        roles.assign_role(user, roles.CITIZEN)
        citizens.append(user)
    staff = {}
    for username, first, last, role in (
        (MODERATOR, "Moderation", "Musterstadt", roles.MODERATION),
        (DEPARTMENT, "Sozialamt", "Musterstadt", roles.DEPARTMENT),
    ):
        user = users.objects.create_user(
            username=username,
            email=f"{username}@musterstadt.example",
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )
        roles.assign_role(user, role)
        staff[role] = user
    return citizens, staff[roles.MODERATION], staff[roles.DEPARTMENT]


def load(user) -> Iterator[str]:
    """Create the demo's process, people, ideas, supports, comments and answers."""
    rng = random.Random(SEED)
    level = area_services.finest_level()
    areas = list(Area.objects.filter(level=level).order_by("key")) if level else []
    if not areas:
        yield "Ideen: übersprungen (keine Gebiete)."
        return
    with transaction.atomic():
        services.ensure_default_categories()
        categories = list(Category.objects.order_by("order", "name"))
        process = Process.objects.create(
            title="Ideen für Musterstadt 2026",
            slug="ideen-musterstadt-2026",
            description=(
                "Was brauchen Sie in Ihrem Sozialraum? Bringen Sie Ihre Ideen ein, unterstützen "
                "und kommentieren Sie die Ideen anderer. Die Verwaltung antwortet auf jede Idee "
                "öffentlich; die Ideen fließen in den Sozialbericht und das Handlungskonzept."
            ),
            collect_from=dt.datetime(2026, 1, 15, tzinfo=TZ),
            collect_until=dt.datetime(2027, 12, 31, 23, 59, tzinfo=TZ),
            comment_until=dt.datetime(2028, 3, 31, 23, 59, tzinfo=TZ),
        )
        citizens, moderator, department = _users()
        ideas = []
        for number in range(IDEA_COUNT):
            category_index, title, text = IDEAS[number % len(IDEAS)]
            area = areas[rng.randrange(len(areas))]
            author = citizens[rng.randrange(len(citizens))]
            moment = START + dt.timedelta(hours=number * 60 + rng.randrange(10))
            suffix = f" ({area.name})" if number >= len(IDEAS) else ""
            ideas.append(
                services.submit_idea(
                    author,
                    process,
                    services.IdeaInput(
                        title=(title + suffix)[: services.MAX_TITLE],
                        text=text,
                        category=categories[category_index % len(categories)],
                        area=area,
                    ),
                    now=_at(moment),
                )
            )
        yield f"Ideen: {len(ideas)} Ideen in {len({i.area_id for i in ideas})} {level.plural}"

        supports = comments = answers = 0
        for idea in ideas:
            others = [c for c in citizens if c.pk != idea.author_id]
            for supporter in rng.sample(others, rng.randrange(0, 12)):
                services.support(idea, supporter, now=_at(idea.created_at + dt.timedelta(days=1)))
                supports += 1
            for index, text in enumerate(rng.sample(COMMENTS, rng.randrange(0, 4))):
                writer = others[rng.randrange(len(others))]
                when = _at(idea.created_at + dt.timedelta(days=2 + index, hours=index))
                first = services.comment(idea, writer, text, now=when, notify=False)
                comments += 1
                if rng.random() < 0.4:
                    services.comment(
                        idea,
                        idea.author,
                        rng.choice(REPLIES),
                        parent=first,
                        now=_at(when + dt.timedelta(hours=3)),
                        notify=False,
                    )
                    comments += 1
            roll = rng.random()
            if roll < 0.65:
                status = rng.choice([REVIEWING, ACCEPTED, ACCEPTED, IMPLEMENTED, REJECTED])
                services.answer_idea(
                    idea,
                    department,
                    rng.choice(ANSWERS[status]),
                    new_status=status,
                    now=_at(idea.created_at + dt.timedelta(days=10 + rng.randrange(20))),
                    notify=False,
                )
                answers += 1
            elif roll < 0.8:
                services.change_status(
                    idea,
                    department,
                    REVIEWING,
                    now=_at(idea.created_at + dt.timedelta(days=7)),
                    notify=False,
                )
        yield f"Ideen: {supports} Unterstützungen, {comments} Kommentare, {answers} Antworten"

        # a little moderation: one hidden comment, one open report in the queue
        target = ideas[3]
        rude = services.comment(
            target,
            citizens[5],
            "Das ist doch Quatsch, wer so etwas vorschlägt, hat keine Ahnung.",
            now=_at(target.created_at + dt.timedelta(days=6)),
            notify=False,
        )
        services.report_abuse(
            citizens[1],
            target,
            "Beleidigend gegenüber der Autorin.",
            comment=rude,
            now=_at(rude.created_at + dt.timedelta(hours=2)),
        )
        services.hide(
            rude,
            moderator,
            "Persönlicher Angriff entfernt (Netiquette).",
            now=_at(rude.created_at + dt.timedelta(hours=5)),
        )
        services.report_abuse(
            citizens[2],
            ideas[7],
            "Das ist Werbung für ein Geschäft.",
            now=_at(ideas[7].created_at + dt.timedelta(days=1)),
        )
    answered = Idea.objects.exclude(answer="").count()
    yield (
        f"Ideen: {answered} von {len(ideas)} beantwortet; Anmeldung Bürgerin „{CITIZEN}“, "
        f"Moderation „{MODERATOR}“, Fachamt „{DEPARTMENT}“, Passwort „{DEMO_PASSWORD}“."
    )
