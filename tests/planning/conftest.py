"""Fixtures of the planning tests: the tiny city with statistics, its social index computed
for 2025, and a planner."""

import pytest


@pytest.fixture
def index_run(index_definition):
    from gemeinsinn.monitoring import services

    return services.run_index(index_definition, 2025)


@pytest.fixture
def sozialraum(city_with_statistics):
    return city_with_statistics["sozialraum"]


@pytest.fixture
def planner(db):
    from django.contrib.auth import get_user_model

    from gemeinsinn.accounts import roles

    user = get_user_model().objects.create_user(
        username="planerin", email="planerin@stadt.example", password="x-Passwort-123",
        first_name="Petra", last_name="Plan",
    )  # fmt: skip
    roles.assign_role(user, roles.PLANNING)
    return user


@pytest.fixture
def planner_client(client, planner):
    client.force_login(planner)
    return client
