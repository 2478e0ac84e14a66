"""The breakdown tables of the staff results page: shares and means per area, and groups
below five respondents hidden."""

import re

import pytest

from gemeinsinn.surveys import services

pytestmark = pytest.mark.django_db


def test_breakdown_by_area_shows_shares_and_hides_small_groups(
    staff_client, survey, areas, good_answers
):
    for _number in range(6):
        services.submit_response(survey, good_answers, area=areas[0])
    for _number in range(4):
        services.submit_response(survey, {**good_answers, "wohndauer": "30"}, area=areas[1])
    text = staff_client.get(
        f"/verwaltung/umfragen/{survey.slug}/ergebnisse/?nach=area"
    ).content.decode()
    first, second = areas[0].name, areas[1].name
    row = re.search(rf'<th class="kern-table__cell" scope="row">{first}</th>(.*?)</tr>', text)
    cells = re.findall(r'<td class="kern-table__cell num">([^<]*)</td>', row.group(1))
    assert cells == ["6", "0,0", "100,0", "0,0", "0,0", "0,0"]  # zufriedenheit: eher zufrieden
    assert re.search(rf"{second}</th><td[^>]*>&lt; 5</td><td[^>]*>zu wenige Befragte", text)
    assert f"<li>{first}: Mittelwert 12,0 (n = 6)</li>" in text
    assert f"<li>{second}: .</li>" in text
    assert 'role="region"' in text and 'tabindex="0"' in text
