"""The default indicator catalogue: the common indicators of social planning
(numerator / denominator definitions after docs/methods.md §3). Plain data, no Django:
the demo generator and the importer share these codes.

Counts ("count") are imported; shares and rates are computed from them, or imported
directly when a city only has the share.
"""

from dataclasses import dataclass

DEMOGRAPHIE = "demographie"
ARMUT = "armut"
MIGRATION = "migration"
BILDUNG = "bildung"
ARBEITSMARKT = "arbeitsmarkt"
WOHNEN = "wohnen"
JUGEND = "jugend"
FAMILIE = "familie"
SENIOREN = "senioren"

TOPICS = {
    DEMOGRAPHIE: "Demographie",
    ARMUT: "Armut",
    MIGRATION: "Migration und Zuwanderung",
    BILDUNG: "Bildung",
    ARBEITSMARKT: "Arbeitsmarkt",
    WOHNEN: "Wohnen",
    JUGEND: "Jugend",
    FAMILIE: "Familie",
    SENIOREN: "Senioren",
}


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    name: str
    topic: str
    kind: str  # "count" | "share" (percent, 0–100) | "rate" (per factor)
    unit: str
    numerator: str = ""
    denominator: str = ""
    factor: float = 100.0
    higher_is_worse: bool | None = None  # None: neutral, no direction
    description: str = ""
    previous_year_denominator: bool = False  # migration rates refer to last year's residents


def _count(code, name, topic, description=""):
    return IndicatorDefinition(code, name, topic, "count", "Personen", description=description)


def _share(code, name, topic, numerator, denominator, worse=True, description=""):
    return IndicatorDefinition(
        code, name, topic, "share", "%", numerator, denominator, 100.0, worse, description
    )


POPULATION = "ew"

COUNTS = [
    _count("ew", "Einwohnende", DEMOGRAPHIE, "Einwohnende mit Hauptwohnsitz am 31.12."),
    _count("ew_u6", "Einwohnende unter 6 Jahren", DEMOGRAPHIE),
    _count("ew_u15", "Einwohnende unter 15 Jahren", DEMOGRAPHIE),
    _count("ew_u18", "Einwohnende unter 18 Jahren", DEMOGRAPHIE),
    _count("ew_u20", "Einwohnende unter 20 Jahren", DEMOGRAPHIE),
    _count("ew_15_25", "Einwohnende von 15 bis unter 25 Jahren", DEMOGRAPHIE),
    _count("ew_15_65", "Einwohnende von 15 bis unter 65 Jahren", DEMOGRAPHIE),
    _count("ew_20_65", "Einwohnende von 20 bis unter 65 Jahren", DEMOGRAPHIE),
    _count("ew_u65", "Einwohnende unter 65 Jahren (unter der Regelaltersgrenze)", DEMOGRAPHIE),
    _count("ew_65plus", "Einwohnende ab 65 Jahren", DEMOGRAPHIE),
    _count("ew_80plus", "Einwohnende ab 80 Jahren", DEMOGRAPHIE),
    _count("ew_5plus", "Einwohnende ab 5 Jahren", DEMOGRAPHIE),
    _count("arbeitslose", "Arbeitslose", ARBEITSMARKT),
    _count("arbeitslose_u25", "Arbeitslose unter 25 Jahren", ARBEITSMARKT),
    _count("langzeitarbeitslose", "Langzeitarbeitslose (über 12 Monate)", ARBEITSMARKT),
    _count("sgb2", "Leistungsbeziehende nach SGB II", ARMUT),
    _count("sgb2_u15", "Kinder unter 15 Jahren in SGB-II-Bedarfsgemeinschaften", ARMUT),
    _count("sgb2_u18", "Kinder unter 18 Jahren in SGB-II-Bedarfsgemeinschaften", ARMUT),
    _count("transfer_nicht_al", "Nicht arbeitslose Transferbeziehende (SGB II und XII)", ARMUT),
    _count("grusi_alter", "Grundsicherung im Alter (SGB XII Kap. 4)", SENIOREN),
    _count(
        "auslaender", "Einwohnende mit ausschließlich ausländischer Staatsangehörigkeit", MIGRATION
    ),
    _count("migration", "Einwohnende mit Migrationshintergrund", MIGRATION),
    _count("wohndauer5", "Einwohnende seit mindestens 5 Jahren an derselben Adresse", WOHNEN),
    _count("zuzuege", "Zuzüge über die Gebietsgrenze", WOHNEN),
    _count("fortzuege", "Fortzüge über die Gebietsgrenze", WOHNEN),
    _count("hh_kinder", "Haushalte mit Kindern unter 18 Jahren", FAMILIE),
    IndicatorDefinition(
        "kita_plaetze",
        "Plätze in Kindertageseinrichtungen",
        FAMILIE,
        "count",
        "Plätze",
        description="Genehmigte Betreuungsplätze für Kinder bis zum Schuleintritt am 1.3.",
    ),
    _count("hh_alleinerziehend", "Alleinerziehendenhaushalte mit Kindern unter 18 Jahren", FAMILIE),
    _count("schulabgaenger", "Schulabgängerinnen und Schulabgänger", BILDUNG),
    _count("ohne_abschluss", "Schulabgänge ohne Abschluss", BILDUNG),
    _count("einschulung", "Einschulungsuntersuchte Kinder", BILDUNG),
    _count("sprachfoerderbedarf", "Einschulungskinder mit Sprachförderbedarf", BILDUNG),
]

SHARES = [
    _share("anteil_u18", "Anteil unter 18-Jährige", DEMOGRAPHIE, "ew_u18", "ew", worse=None),
    _share("anteil_65plus", "Anteil ab 65-Jährige", DEMOGRAPHIE, "ew_65plus", "ew", worse=None),
    _share(
        "jugendquotient",
        "Jugendquotient",
        DEMOGRAPHIE,
        "ew_u20",
        "ew_20_65",
        worse=None,
        description="Einwohnende unter 20 je 100 Einwohnende von 20 bis unter 65 Jahren",
    ),
    _share(
        "altenquotient",
        "Altenquotient",
        DEMOGRAPHIE,
        "ew_65plus",
        "ew_20_65",
        worse=None,
        description="Einwohnende ab 65 je 100 Einwohnende von 20 bis unter 65 Jahren",
    ),
    _share(
        "sgb2_quote",
        "SGB-II-Quote",
        ARMUT,
        "sgb2",
        "ew_u65",
        description="Leistungsbeziehende nach SGB II je 100 Einwohnende unter 65 Jahren",
    ),
    _share(
        "kinderarmut_u15",
        "Kinderarmut (unter 15 Jahren)",
        ARMUT,
        "sgb2_u15",
        "ew_u15",
        description="Kinder unter 15 in SGB-II-Bedarfsgemeinschaften (MSS-Indikator S4)",
    ),
    _share("kinderarmut_u18", "Kinderarmut (unter 18 Jahren)", ARMUT, "sgb2_u18", "ew_u18"),
    _share(
        "transferbezug",
        "Transferbezug (nicht arbeitslos)",
        ARMUT,
        "transfer_nicht_al",
        "ew",
        description="Nicht arbeitslose Beziehende von SGB II und XII (MSS-Indikator S3)",
    ),
    _share(
        "altersarmut",
        "Altersarmut",
        SENIOREN,
        "grusi_alter",
        "ew_65plus",
        description="Grundsicherung im Alter je 100 Einwohnende ab 65 Jahren",
    ),
    _share(
        "hochaltrige",
        "Anteil Hochaltrige",
        SENIOREN,
        "ew_80plus",
        "ew_65plus",
        worse=None,
        description="Einwohnende ab 80 je 100 Einwohnende ab 65 Jahren",
    ),
    _share(
        "arbeitslosenanteil",
        "Arbeitslosenanteil",
        ARBEITSMARKT,
        "arbeitslose",
        "ew_15_65",
        description="Arbeitslose je 100 Einwohnende von 15 bis unter 65 (MSS-Indikator S1)",
    ),
    _share(
        "jugendarbeitslosigkeit", "Jugendarbeitslosigkeit", JUGEND, "arbeitslose_u25", "ew_15_25"
    ),
    _share(
        "langzeitarbeitslosigkeit",
        "Langzeitarbeitslosigkeit",
        ARBEITSMARKT,
        "langzeitarbeitslose",
        "ew_15_65",
    ),
    _share(
        "alleinerziehende",
        "Alleinerziehende",
        FAMILIE,
        "hh_alleinerziehend",
        "hh_kinder",
        description="Alleinerziehendenhaushalte je 100 Haushalte mit Kindern unter 18",
    ),
    _share(
        "auslaenderanteil",
        "Anteil Ausländerinnen und Ausländer",
        MIGRATION,
        "auslaender",
        "ew",
        worse=None,
    ),
    _share(
        "migrationsanteil",
        "Anteil mit Migrationshintergrund",
        MIGRATION,
        "migration",
        "ew",
        worse=None,
    ),
    _share(
        "wohndauer",
        "Wohndauer mindestens 5 Jahre",
        WOHNEN,
        "wohndauer5",
        "ew_5plus",
        worse=False,
        description="Einwohnende seit mindestens 5 Jahren an derselben Adresse",
    ),
    IndicatorDefinition(
        "wanderungsvolumen",
        "Wanderungsvolumen",
        WOHNEN,
        "rate",
        "je 100 EW",
        "zuzuege+fortzuege",
        "ew",
        100.0,
        True,
        "Zu- und Fortzüge je 100 Einwohnende des Vorjahres",
        True,
    ),
    IndicatorDefinition(
        "wanderungssaldo",
        "Wanderungssaldo",
        WOHNEN,
        "rate",
        "je 100 EW",
        "zuzuege-fortzuege",
        "ew",
        100.0,
        None,
        "Zu- minus Fortzüge je 100 Einwohnende des Vorjahres",
        True,
    ),
    IndicatorDefinition(
        "kita_versorgung",
        "Kita-Versorgung",
        FAMILIE,
        "rate",
        "je 100 Kinder",
        "kita_plaetze",
        "ew_u6",
        100.0,
        False,
        "Plätze in Kindertageseinrichtungen je 100 Kinder unter 6 Jahren (Angebot sozialer "
        "Infrastruktur; höher ist besser)",
    ),
    _share(
        "ohne_abschluss_quote",
        "Schulabgänge ohne Abschluss",
        BILDUNG,
        "ohne_abschluss",
        "schulabgaenger",
    ),
    _share(
        "sprachfoerderquote",
        "Sprachförderbedarf bei der Einschulung",
        BILDUNG,
        "sprachfoerderbedarf",
        "einschulung",
    ),
]

DEFAULT_CATALOGUE = COUNTS + SHARES
BY_CODE = {definition.code: definition for definition in DEFAULT_CATALOGUE}
