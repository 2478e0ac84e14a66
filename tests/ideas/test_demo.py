"""The ideas of the demo: through the services, deterministic, with every kind of content."""

import pytest
from django.contrib.auth import get_user_model

from gemeinsinn.ideas import demo
from gemeinsinn.ideas.models import AbuseReport, Comment, Idea, Process, Support

pytestmark = pytest.mark.django_db


def fingerprint():
    return (
        [
            (i.title, i.area.key, i.category.name, i.status, i.support_count, i.answer,
             i.author_name, i.created_at.isoformat())
            for i in Idea.objects.select_related("area", "category").order_by("created_at", "title")
        ],
        sorted((c.idea.title, c.text, c.author_name, c.is_hidden) for c in Comment.objects.all()),
    )  # fmt: skip


def test_demo_ideas_are_deterministic(city):
    lines = list(demo.load(None))
    assert lines[0].startswith("Ideen: 96 Ideen in 4 Sozialräume")
    assert "Passwort" in lines[-1]
    process = Process.objects.get()
    assert process.title == "Ideen für Musterstadt 2026"
    assert Support.objects.exists() and Comment.objects.filter(parent__isnull=False).exists()
    assert Idea.objects.exclude(answer="").count() > 20
    assert set(Idea.objects.values_list("status", flat=True)) >= {
        "eingegangen", "in_pruefung", "angenommen", "umgesetzt", "abgelehnt",
    }  # fmt: skip
    assert Comment.objects.filter(is_hidden=True).count() == 1
    assert AbuseReport.objects.filter(resolved_at__isnull=True).count() == 1
    first = fingerprint()
    Idea.objects.all().delete()
    Process.objects.all().delete()
    get_user_model().objects.all().delete()
    list(demo.load(None))
    assert fingerprint() == first
