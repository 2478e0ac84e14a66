"""The table of stored responses takes hundreds of inserts a second in a survey wave: every
index is one more page written per response, so none may repeat the start of another."""

import pytest
from django.db import connection

from gemeinsinn.surveys.models import Response


@pytest.mark.django_db
def test_no_index_of_the_responses_is_the_beginning_of_another():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Response._meta.db_table)
    indexes = {tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"]}
    assert ("survey_id", "area_id") in indexes  # a survey's responses are still found by index
    redundant = [
        columns
        for columns in indexes
        if any(other != columns and other[: len(columns)] == columns for other in indexes)
    ]
    assert redundant == []
