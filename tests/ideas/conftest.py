"""Fixtures of the idea tests: the tiny city of tests/conftest.py, the default fields of
action, a process that collects ideas now, confirmed citizens and staff with their roles."""

import datetime as dt
import io

import pytest

INSIDE_MARKT = {"lat": "51.21", "long": "7.905"}  # Sozialraum 0101 Markt
INSIDE_HEIDE = {"lat": "51.21", "long": "7.935"}  # Sozialraum 0202 Heide
OUTSIDE = {"lat": "51.30", "long": "7.95"}


@pytest.fixture
def process(city):
    from django.utils import timezone

    from gemeinsinn.ideas.models import Process
    from gemeinsinn.ideas.services import ensure_default_categories

    ensure_default_categories()
    now = timezone.now()
    return Process.objects.create(
        title="Ideen für Kleinstadt",
        slug="ideen-kleinstadt",
        description="Was fehlt in Ihrem Viertel?",
        collect_from=now - dt.timedelta(days=10),
        collect_until=now + dt.timedelta(days=20),
        comment_until=now + dt.timedelta(days=40),
    )


def make_citizen(name: str, confirmed: bool = True):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from gemeinsinn.accounts import roles
    from gemeinsinn.accounts.models import Profile

    user = get_user_model().objects.create_user(
        username=f"{name}@example.org", email=f"{name}@example.org", password="x-Passwort-123"
    )
    Profile.objects.create(
        user=user,
        display_name=name.capitalize(),
        privacy_accepted_at=timezone.now(),
        email_confirmed_at=timezone.now() if confirmed else None,
    )
    roles.assign_role(user, roles.CITIZEN)
    return user


def make_staff(name: str, role: str):
    from django.contrib.auth import get_user_model

    from gemeinsinn.accounts import roles

    user = get_user_model().objects.create_user(
        username=name, email=f"{name}@stadt.example", password="x-Passwort-123",
        first_name=name.capitalize(), last_name="Amt",
    )  # fmt: skip
    roles.assign_role(user, role)
    return user


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run the e-mails that wait for the end of the transaction."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def citizen(db):
    return make_citizen("anna")


@pytest.fixture
def other_citizen(db):
    return make_citizen("bert")


@pytest.fixture
def moderator(db):
    from gemeinsinn.accounts import roles

    return make_staff("moni", roles.MODERATION)


@pytest.fixture
def department(db):
    from gemeinsinn.accounts import roles

    return make_staff("fritz", roles.DEPARTMENT)


@pytest.fixture
def categories(process):
    from gemeinsinn.ideas.models import Category

    return {c.name: c for c in Category.objects.all()}


def area(key: str):
    from gemeinsinn.areas.models import Area

    return Area.objects.get(level__code="sozialraum", key=key)


def idea_input(categories, **overrides):
    from gemeinsinn.ideas.services import IdeaInput

    values = {
        "title": "Mehr Bänke am Markt",
        "text": "Am Markt fehlen Sitzplätze.\nBesonders für Ältere.",
        "category": categories["Wohnen und Wohnumgebung"],
        "area": area("0101"),
    }
    values.update(overrides)
    return IdeaInput(**values)


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A small JPEG whose EXIF names a camera and a GPS position."""
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 12.0, 36.0), 3: "E", 4: (7.0, 54.0, 18.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
