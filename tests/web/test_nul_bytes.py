"""NUL bytes in a request are refused with a clear message before they reach the database
(PostgreSQL cannot store them)."""

import pytest

from gemeinsinn.ideas.models import Idea


@pytest.mark.django_db
def test_nul_in_query_or_form_is_a_clear_400(client):
    response = client.get("/gebiete/", {"ebene": "a\x00b"})
    assert response.status_code == 400
    assert "Nullzeichen" in response.content.decode()
    response = client.post("/ideen/neu/", {"title": "Bank\x00", "text": "x"})
    assert response.status_code == 400
    assert Idea.objects.count() == 0


@pytest.mark.django_db
def test_ordinary_requests_pass(client):
    assert client.get("/", {"q": "Straße"}).status_code == 200
