"""What gemeinsinn makes of the words in an XLSForm: question types (with the aliases the
XLSForm specification and pyxform accept), column headers and appearances — and, for what the
platform cannot show, the German reason and the way out."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Question types the platform shows and checks. Canonical name -> aliases (lower case, single
# spaces) as written in the "type" column.
SUPPORTED_TYPES: dict[str, tuple[str, ...]] = {
    "text": ("text", "string", "add text prompt", "q string"),
    "integer": ("integer", "int", "add integer prompt", "q int"),
    "decimal": ("decimal", "add decimal prompt", "q decimal"),
    "date": ("date", "add date prompt", "q date"),
    "time": ("time",),
    "datetime": (
        "datetime",
        "date time",
        "add date time prompt",
        "add datetime prompt",
        "q date time",
        "q datetime",
    ),
    "note": ("note", "add note prompt", "q note"),
    "acknowledge": ("acknowledge", "add acknowledge prompt", "q acknowledge", "trigger"),
    "calculate": ("calculate", "add calculate prompt", "q calculate"),
    "hidden": ("hidden",),
    # metadata the platform records itself
    "start": ("start", "start time", "get start time"),
    "end": ("end", "end time", "get end time"),
    "today": ("today", "get today"),
}

SELECT_TYPES: dict[str, str] = {
    "select_one": "select_one",
    "select one": "select_one",
    "select1": "select_one",
    "select one from": "select_one",
    "select one using": "select_one",
    "add select one prompt using": "select_one",
    "select_multiple": "select_multiple",
    "select multiple": "select_multiple",
    "select all that apply": "select_multiple",
    "select all that apply from": "select_multiple",
    "select multiple from": "select_multiple",
    "select multiple using": "select_multiple",
    "add select multiple prompt using": "select_multiple",
    "rank": "rank",
}

# Types that are a supported type with a built-in constraint (as pyxform defines them).
DERIVED_TYPES: dict[str, tuple[str, str]] = {
    "phone number": ("text", r"regex(., '^\d*$')"),
    "percentage": ("integer", "0 <= . and . <= 100"),
    "number of days in last month": ("integer", "0 <= . and . <= 31"),
    "number of days in last six months": ("integer", "0 <= . and . <= 183"),
    "number of days in last year": ("integer", "0 <= . and . <= 365"),
}

# Metadata that ODK Collect reads from the phone; a web survey has none of it. Ignored with
# a warning: the form still works.
IGNORED_METADATA = frozenset(
    {
        "deviceid",
        "device id",
        "get device id",
        "imei",
        "username",
        "email",
        "phonenumber",
        "get phone number",
        "simserial",
        "sim id",
        "get sim id",
        "subscriberid",
        "subscriber id",
        "get subscriber id",
        "audit",
        "uri:deviceid",
        "uri:email",
        "uri:phonenumber",
        "uri:simserial",
        "uri:subscriberid",
        "uri:username",
    }
)


@dataclass(frozen=True)
class Unsupported:
    what: str  # German: what the form asks for
    why: str  # German: why the platform cannot show it
    fix: str  # German: what to do instead


_GEO = Unsupported(
    "Ortsangaben per GPS oder Karte",
    "gemeinsinn erhebt keine Koordinaten; der Bezug zum Stadtteil entsteht über die "
    "Gebietsauswahl der Umfrage oder den Einladungscode.",
    "Bitte die Frage entfernen oder als Auswahlfrage (select_one) mit den Stadtteilen stellen.",
)
_MEDIA = Unsupported(
    "Datei-, Foto-, Ton- oder Video-Uploads",
    "gemeinsinn nimmt in Umfragen keine Dateien an (Datenschutz, Barrierefreiheit, "
    "Papierfragebogen).",
    "Bitte die Frage entfernen oder als Textfrage (text) stellen.",
)
_BARCODE = Unsupported(
    "Barcode-Scans",
    "ein Fragebogen im Browser und auf Papier kann keine Barcodes scannen.",
    "Bitte eine Textfrage (text) verwenden.",
)
_FROM_FILE = Unsupported(
    "Auswahllisten aus externen Dateien",
    "gemeinsinn liest Auswahllisten nur aus dem Blatt choices.",
    "Bitte die Auswahlmöglichkeiten in das Blatt choices schreiben und select_one LISTE "
    "bzw. select_multiple LISTE verwenden.",
)
_RANGE = Unsupported(
    "Schieberegler (range)",
    "Schieberegler sind mit Tastatur und Screenreader schwer zu bedienen und auf Papier "
    "nicht darstellbar.",
    "Bitte select_one mit der Darstellung likert (Skala) oder integer mit constraint verwenden.",
)
_OTHER = Unsupported(
    "Geräte- und App-Funktionen von ODK Collect",
    "ein Fragebogen im Browser und auf Papier hat diese Funktionen nicht.",
    "Bitte die Zeile entfernen.",
)

UNSUPPORTED_TYPES: dict[str, Unsupported] = {
    **dict.fromkeys(
        (
            "geopoint",
            "gps",
            "location",
            "add location prompt",
            "q geopoint",
            "q location",
            "geotrace",
            "q geotrace",
            "geoshape",
            "q geoshape",
            "start-geopoint",
            "background-geopoint",
            "osm",
        ),
        _GEO,
    ),
    **dict.fromkeys(
        (
            "image",
            "photo",
            "q image",
            "q picture",
            "add image prompt",
            "add photo prompt",
            "audio",
            "q audio",
            "add audio prompt",
            "background-audio",
            "video",
            "q video",
            "add video prompt",
            "file",
            "add file prompt",
        ),
        _MEDIA,
    ),
    **dict.fromkeys(("barcode", "q barcode", "add barcode prompt"), _BARCODE),
    **dict.fromkeys(
        (
            "select_one_from_file",
            "select_multiple_from_file",
            "select one from file",
            "select multiple from file",
            "select_one_external",
            "select one external",
            "csv-external",
            "xml-external",
        ),
        _FROM_FILE,
    ),
    "range": _RANGE,
    **dict.fromkeys(("q select", "q select1"), _OTHER),
}

# Groups and repeats: "begin group", "begin_group", "end repeat" ...
CONTAINER_RE = re.compile(r"^(begin|end)[ _](group|repeat|lgroup|looped group|loop)(?:\s+(.*))?$")
CONTAINER_KINDS = {
    "group": "group",
    "repeat": "repeat",
    "lgroup": "repeat",
    "looped group": "repeat",
    "loop": "loop",
}

_ALL_ALIASES = {alias: name for name, aliases in SUPPORTED_TYPES.items() for alias in aliases}


def canonical_type(written: str) -> str | None:
    """The supported type for a type word as written (case and spaces do not matter)."""
    return _ALL_ALIASES.get(normalize_type(written))


def normalize_type(written: str) -> str:
    return " ".join(written.split()).lower()


def known_type_words() -> list[str]:
    """Every type word gemeinsinn recognises, for spelling suggestions."""
    return sorted(
        {
            *_ALL_ALIASES,
            *SELECT_TYPES,
            *DERIVED_TYPES,
            *IGNORED_METADATA,
            *UNSUPPORTED_TYPES,
            "begin group",
            "end group",
            "begin repeat",
            "end repeat",
        }
    )


# --- columns ------------------------------------------------------------------------------

# Survey sheet: header (lower case) -> canonical key. Keys with translations may carry a
# language after "::" (or ":"), e.g. "label::Deutsch (de)".
SURVEY_COLUMNS: dict[str, str] = {
    "type": "type",
    "command": "type",
    "name": "name",
    "tag": "name",
    "value": "name",
    "label": "label",
    "caption": "label",
    "hint": "hint",
    "guidance_hint": "guidance_hint",
    "required": "required",
    "required_message": "required_message",
    "requiredmsg": "required_message",
    "jr:requiredmsg": "required_message",
    "constraint": "constraint",
    "constraint_message": "constraint_message",
    "constraint message": "constraint_message",
    "constraining_message": "constraint_message",
    "constraintmsg": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "relevant": "relevant",
    "relevance": "relevant",
    "appearance": "appearance",
    "calculation": "calculation",
    "calculate": "calculation",
    "default": "default",
    "repeat_count": "repeat_count",
    "count": "repeat_count",
    "jr:count": "repeat_count",
    "choice_filter": "choice_filter",
    "parameters": "parameters",
    "read_only": "read_only",
    "readonly": "read_only",
    "trigger": "trigger",
    "image": "media",
    "big-image": "media",
    "audio": "media",
    "video": "media",
    "media": "media",
}
TRANSLATABLE = frozenset(
    {"label", "hint", "guidance_hint", "required_message", "constraint_message"}
)

# Further columns pyxform knows (never reported as misspellings).
OTHER_PYXFORM_COLUMNS = frozenset(
    {
        "rows",
        "autoplay",
        "buttontext",
        "noapperrorstring",
        "no_app_error_string",
        "body",
        "bind",
        "instance",
        "control",
        "save_to",
        "sms_field",
        "sms_option",
        "compact_tag",
        "intent",
        "max-pixels",
        "list name",
    }
)

CHOICES_COLUMNS: dict[str, str] = {
    "list_name": "list_name",
    "list name": "list_name",
    "name": "name",
    "value": "name",
    "label": "label",
    "caption": "label",
    "image": "media",
    "big-image": "media",
    "audio": "media",
    "video": "media",
    "media": "media",
}

SETTINGS_COLUMNS: dict[str, str] = {
    "form_title": "title",
    "set_form_title": "title",
    "title": "title",
    "form_id": "form_id",
    "set_form_id": "form_id",
    "id_string": "form_id",
    "version": "version",
    "default_language": "default_language",
    "allow_choice_duplicates": "allow_choice_duplicates",
}


def split_header(header: str, columns: dict[str, str]) -> tuple[str | None, str | None]:
    """(canonical key, language) for a column header; (None, None) for other columns.

    ``label::Deutsch (de)`` and ``label:Deutsch (de)`` both give ("label", "Deutsch (de)");
    media columns give "media:image", "media:audio" …: ``media::audio::English`` gives
    ("media:audio", "English").
    """
    text = " ".join(header.split())
    lowered = text.lower()
    parts = text.split("::") if "::" in text else text.split(":", 1)
    base = parts[0].strip().lower()
    if lowered in columns and not lowered.startswith("media"):
        key = columns[lowered]
        return (f"media:{lowered}" if key == "media" else key), None
    if base not in columns or len(parts) < 2:
        return None, None
    key = columns[base]
    if key == "media":
        if base == "media":
            kind = parts[1].strip().lower()
            language = "::".join(parts[2:]).strip()
        else:
            kind, language = base, "::".join(parts[1:]).strip()
        return f"media:{kind}", language or None
    if key not in TRANSLATABLE:
        return None, None
    language = "::".join(parts[1:]).strip()
    return key, language or None


# --- appearances --------------------------------------------------------------------------

SUPPORTED_APPEARANCES: dict[str, frozenset[str]] = {
    "text": frozenset({"multiline", "numbers", "masked", "url"}),
    "integer": frozenset({"thousands-sep", "numbers", "counter"}),
    "decimal": frozenset({"thousands-sep", "numbers"}),
    "date": frozenset({"no-calendar", "month-year", "year"}),
    "datetime": frozenset({"no-calendar"}),
    "select_one": frozenset(
        {
            "minimal",
            "likert",
            "horizontal",
            "horizontal-compact",
            "compact",
            "columns",
            "columns-pack",
            "list-nolabel",
            "label",
            "list",
            "autocomplete",
            "quick",
            "quickcompact",
        }
    ),
    "group": frozenset({"field-list", "table-list", "compact"}),
}
SUPPORTED_APPEARANCES["select_multiple"] = SUPPORTED_APPEARANCES["select_one"] - {
    "likert",
    "quick",
    "quickcompact",
}
SUPPORTED_APPEARANCES["rank"] = frozenset()
SUPPORTED_APPEARANCES["repeat"] = SUPPORTED_APPEARANCES["group"]

# Layout hints for a grid ("w2", "columns-3", "compact-2") are accepted for every type.
_LAYOUT_RE = re.compile(r"^(w\d+|columns-\d+|compact-\d+)$")

UNSUPPORTED_APPEARANCES: dict[str, Unsupported] = {
    **dict.fromkeys(
        ("signature", "draw", "annotate", "new", "new-front", "selfie"),
        _MEDIA,
    ),
    **dict.fromkeys(("map", "placement-map", "quick-map"), _GEO),
    **dict.fromkeys(
        (
            "ethiopian",
            "coptic",
            "islamic",
            "bikram-sambat",
            "myanmar",
            "persian",
            "buddhist",
        ),
        Unsupported(
            "Kalender außer dem gregorianischen",
            "gemeinsinn zeigt Datumsangaben im gregorianischen Kalender.",
            "Bitte die Darstellung entfernen.",
        ),
    ),
    "hidden-answer": Unsupported(
        "verborgene Antworten",
        "Antworten, die die Befragten nicht sehen, sind nicht barrierefrei prüfbar.",
        "Bitte die Darstellung entfernen.",
    ),
}
_UNSUPPORTED_APPEARANCE_PREFIXES: dict[str, Unsupported] = {
    "ex:": Unsupported(
        "den Aufruf externer Apps",
        "ein Fragebogen im Browser und auf Papier kann keine Apps starten.",
        "Bitte die Darstellung entfernen.",
    ),
    "search(": _FROM_FILE,
    "printer:": _OTHER,
}


def appearance_verdict(kind: str, token: str) -> Unsupported | None | bool:
    """For one appearance word: an ``Unsupported`` (error), ``True`` (fine) or ``None``
    (unknown: ignored with a warning)."""
    lowered = token.lower()
    for prefix, verdict in _UNSUPPORTED_APPEARANCE_PREFIXES.items():
        if lowered.startswith(prefix):
            return verdict
    if lowered in UNSUPPORTED_APPEARANCES:
        return UNSUPPORTED_APPEARANCES[lowered]
    if _LAYOUT_RE.match(lowered):
        return True
    if lowered in SUPPORTED_APPEARANCES.get(kind, frozenset()):
        return True
    return None
