"""The Bürgerrat of the demo: deterministic, with a pool of a few hundred, a completed
public draw with a replacement, and the next term collecting replies."""

import pytest

from gemeinsinn.assemblies import demo, services
from gemeinsinn.assemblies.models import DRAWN, REGISTERING, Assembly, Draw

pytestmark = pytest.mark.django_db


def fingerprint():
    return [
        (d.assembly.slug, d.kind, d.digest, d.panel_number, tuple(d.panel), d.pool_checksum)
        for d in Draw.objects.select_related("assembly").order_by("assembly__slug", "id")
    ]


def test_demo_assemblies_are_deterministic(city_with_statistics, office):
    lines = list(demo.load(office))
    assert lines[0] == "Bürgerrat: 900 Einladungen aus 6000 Einwohnenden"
    first = Assembly.objects.get(slug="buergerrat-2027")
    second = Assembly.objects.get(slug="buergerrat-2028")
    assert first.status == DRAWN and second.status == REGISTERING
    assert 250 <= first.volunteers.count() <= 350
    assert first.volunteers.filter(channel="paper").exists()
    draw = first.draws.get(kind=Draw.PANEL)
    assert draw.algorithm == "leximin" and draw.seed == demo.LOTTERY_NUMBERS
    assert draw.probability_min > 0
    assert len(services.current_panel(first)) == 24
    assert first.draws.filter(kind=Draw.REPLACEMENT).count() == 1
    assert second.volunteers.count() == demo.NEXT_TERM_ANSWERS
    assert not set(second.invitations.values_list("register_key", flat=True)) & set(
        first.member_keys
    )
    before = fingerprint()
    Assembly.objects.all().delete()
    list(demo.load(office))
    assert fingerprint() == before
