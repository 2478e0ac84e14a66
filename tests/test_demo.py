"""The demo city loads once, says so when asked again, and can be loaded anew."""

import pytest

from gemeinsinn.areas.models import Area
from gemeinsinn.core.demo import load_demo
from gemeinsinn.core.models import CityProfile
from gemeinsinn.monitoring.models import IndexRun


@pytest.mark.django_db(transaction=True)
def test_demo_loads_once_and_resets():
    CityProfile.objects.create(name="Alte Stadt")
    assert "bereits angelegt" in list(load_demo())[0]
    lines = list(load_demo(reset=True))
    assert CityProfile.objects.get().name == "Musterstadt"
    assert Area.objects.filter(level__code="sozialraum").count() == 82
    assert IndexRun.objects.count() == 3
    assert any("planung" in line for line in lines)
