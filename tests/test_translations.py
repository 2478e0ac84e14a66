"""The committed English catalogue is complete and consistent with its German source.

The check reads the .po files as they are (it does not run makemessages), so strings added
to the code but not yet merged into the catalogue do not make it fail."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "gemeinsinn" / "locale"

PERCENT_PLACEHOLDER = re.compile(
    r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)
NAMED_PLACEHOLDER = re.compile(r"%\([^)]*\)")
BRACE_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def catalogue(language):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        return read_po(po_file)


def messages(language):
    return [message for message in catalogue(language) if message.id]


def describe(message):
    where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
    source = message.id[0] if message.pluralizable else message.id
    return f"{where} {source!r}"


def translations(message):
    """(source, translation) pairs: singular and plural forms each against their source."""
    if not message.pluralizable:
        return [(message.id, message.string)]
    sources = message.id
    return [(sources[min(i, len(sources) - 1)], text) for i, text in enumerate(message.string)]


def placeholder_patterns(message):
    """All %-placeholders where gettext saw a format string; elsewhere a bare "%" is text."""
    percent = PERCENT_PLACEHOLDER if "python-format" in message.flags else NAMED_PLACEHOLDER
    return [percent, BRACE_PLACEHOLDER, HTML_TAG]


def test_every_english_message_is_translated():
    missing = [describe(m) for m in messages("en") if not all(text for _, text in translations(m))]
    assert not missing, "Not translated:\n" + "\n".join(missing)


def test_no_english_message_is_fuzzy():
    fuzzy = [describe(m) for m in messages("en") if m.fuzzy]
    assert not fuzzy, "Marked fuzzy (check, then remove the flag):\n" + "\n".join(fuzzy)


def test_placeholders_and_tags_are_kept():
    wrong = []
    for message in messages("en"):
        for source, text in translations(message):
            for pattern in placeholder_patterns(message):
                expected, found = sorted(pattern.findall(source)), sorted(pattern.findall(text))
                if text and expected != found:
                    wrong.append(f"{describe(message)}: {expected} ≠ {found}")
    assert not wrong, "Placeholders or tags differ:\n" + "\n".join(wrong)


def test_german_and_english_catalogues_list_the_same_messages():
    def ids(language):
        return {m.id for m in messages(language)}

    assert ids("de") == ids("en")


@pytest.mark.parametrize(
    "source, text",
    [
        ("Hallo %(name)s", "Hello %(name)s"),
        ("%(count)d Ideen", "%(count)d ideas"),
        ("<strong>Neu</strong>", "<strong>New</strong>"),
    ],
)
def test_the_placeholder_check_accepts_faithful_translations(source, text):
    for pattern in (NAMED_PLACEHOLDER, PERCENT_PLACEHOLDER, HTML_TAG):
        assert sorted(pattern.findall(source)) == sorted(pattern.findall(text))


@pytest.mark.parametrize(
    "source, text",
    [
        ("Hallo %(name)s", "Hello %(nam)s"),
        ("%(count)d Ideen", "%(count)s ideas"),
        ("<strong>Neu</strong>", "<em>New</em>"),
        ("Liste aus {code, weight}", "List of {code}"),
    ],
)
def test_the_placeholder_check_finds_mistakes(source, text):
    patterns = (NAMED_PLACEHOLDER, PERCENT_PLACEHOLDER, BRACE_PLACEHOLDER, HTML_TAG)
    assert any(sorted(p.findall(source)) != sorted(p.findall(text)) for p in patterns)
