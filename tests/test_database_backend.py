"""The PostgreSQL pass of `make test` really runs on PostgreSQL."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_database_is_the_configured_one():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(
            "PostgreSQL not configured: set TEST_DATABASE_URL for `make test` to run the "
            "database tests on PostgreSQL too."
        )
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # the test database lives in memory, where SQLite reports "memory"; files use WAL
    assert mode in {"wal", "memory"}
