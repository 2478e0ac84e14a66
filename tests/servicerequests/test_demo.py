"""The demo part of the Mängelmelder on the tiny city: a few hundred reports in every
status, with answers and history, and the indicators of the latest statistics year."""

from collections import Counter

from gemeinsinn.monitoring.models import Value
from gemeinsinn.servicerequests import demo
from gemeinsinn.servicerequests.models import STATUSES, ServiceRequest, StatusChange


def test_demo_reports_cover_every_status_and_become_indicators(city_with_statistics):
    lines = list(demo.load(user=None))
    assert lines[0].startswith("Mängelmelder: 8 Kategorien")
    assert "Demomeldungen" in lines[1]
    assert lines[-1] == "Mängelmelder: Kennzahlen 2025 als Indikatoren im Monitoring"
    reports = ServiceRequest.objects.all()
    assert 300 <= reports.count() <= demo.REPORTS
    statuses = Counter(reports.values_list("status", flat=True))
    assert set(statuses) == {code for code, _label in STATUSES}
    assert reports.filter(first_answer_at__isnull=False).count() > reports.count() / 2
    assert StatusChange.objects.exclude(public_note="").count() > reports.count()
    assert reports.filter(area__isnull=True).count() == 0
    # clustered: the busiest tenth of a kilometre grid holds far more than its share
    cells = Counter((round(r.lat, 3), round(r.long, 3)) for r in reports)
    assert max(cells.values()) >= 5
    assert Value.objects.filter(indicator__code="mm_gesamt", year=2025).exists()
