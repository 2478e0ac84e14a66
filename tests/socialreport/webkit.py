"""Fixtures of the report web tests (imported by test_jobs.py and test_web.py under their
*_fixture names): a planner, a
citizen and settings that run builds inline and keep files in a temporary data directory."""

import pytest


def make_user(django_user_model, username, role=None):
    from gemeinsinn.accounts import roles

    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@stadt.example", password="x-Passwort-123"
    )
    if role:
        roles.assign_role(user, role)
    return user


@pytest.fixture(name="planner")
def planner_fixture(db, django_user_model):
    from gemeinsinn.accounts import roles

    return make_user(django_user_model, "planerin", roles.PLANNING)


@pytest.fixture(name="planner_client")
def planner_client_fixture(client, planner):
    client.force_login(planner)
    return client


@pytest.fixture(name="inline_builds")
def inline_builds_fixture(settings, tmp_path):
    """Builds run in the request (no thread) and write into a fresh data directory."""
    settings.GEMEINSINN_INLINE_TASKS = True
    settings.DATA_DIR = tmp_path
    return tmp_path
