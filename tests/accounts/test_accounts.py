"""Citizens register with e-mail confirmation, logins are throttled, everyone can see,
download and delete what is stored about them."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from gemeinsinn.accounts import roles
from gemeinsinn.accounts.models import LoginAttempt, Profile

PASSWORD = "Sonnenblume-am-Markt-7"


def register(client, email="anna@example.org", **extra):
    data = {"email": email, "password": PASSWORD, "display_name": "Anna", "privacy": "on"}
    return client.post(reverse("accounts:register"), {**data, **extra})


def confirmation_link() -> str:
    return re.search(r"http://testserver(/konto/bestaetigen/\S+/)", mail.outbox[-1].body).group(1)


@pytest.mark.django_db
def test_roles_exist_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert {roles.group_name(r) for r in roles.ROLES} <= names
    planning = Group.objects.get(name=roles.group_name(roles.PLANNING))
    assert planning.permissions.filter(codename="change_indexdefinition").exists()
    department = Group.objects.get(name=roles.group_name(roles.DEPARTMENT))
    assert department.permissions.filter(codename="change_event").exists()
    assert not department.permissions.filter(codename="change_indexdefinition").exists()


def test_registration_needs_the_confirmation_link(client, city):
    home = city["sozialraum"].areas.get(key="0201")
    response = register(client, home_area=home.pk)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="anna@example.org")
    assert not user.is_active and user.groups.filter(name="Bürgerinnen und Bürger").exists()
    assert Profile.objects.get(user=user).home_area == home
    assert not client.login(username="anna@example.org", password=PASSWORD)
    response = client.get(confirmation_link())
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.profile.email_confirmed_at is not None


def test_bad_or_tampered_confirmation_links(client, city):
    register(client)
    link = confirmation_link()
    response = client.get(link[:-3] + "xx/")
    assert response.status_code == 400
    assert "ungültig" in response.content.decode()
    assert not get_user_model().objects.get(email="anna@example.org").is_active


def test_registration_errors_are_german_and_store_nothing(client, city):
    response = register(client, password="1234", privacy="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte bestätigen Sie die Datenschutzhinweise." in html
    assert "Dieses Passwort ist zu kurz" in html
    assert not get_user_model().objects.exists()
    response = register(client, website="http://spam.example")  # the honeypot
    assert "sieht automatisiert aus" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_second_registration_with_the_same_address_reveals_nothing(client, city):
    register(client)
    response = register(client)
    assert response.status_code == 302  # the same answer as for a new address
    assert get_user_model().objects.count() == 1
    assert "bereits ein Konto" in mail.outbox[-1].subject


def test_registration_flood_from_one_client_is_refused(client, city):
    for number in range(5):
        register(client, email=f"person{number}@example.org")
    response = register(client, email="noch.eine@example.org")
    assert "zu viele Konten" in response.content.decode()
    assert not get_user_model().objects.filter(email="noch.eine@example.org").exists()


def test_login_is_throttled_after_five_failures(client, django_user_model):
    django_user_model.objects.create_user("planerin", "p@example.org", PASSWORD)
    for _ in range(5):
        client.post(reverse("login"), {"username": "planerin", "password": "falsch"})
    response = client.post(reverse("login"), {"username": "planerin", "password": PASSWORD})
    assert response.status_code == 200
    assert "Zu viele fehlgeschlagene Anmeldungen" in response.content.decode()
    assert "_auth_user_id" not in client.session
    LoginAttempt.objects.all().delete()  # after the waiting time
    response = client.post(reverse("login"), {"username": "planerin", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_privacy_page_download_and_deletion(client, city):
    register(client)
    client.get(confirmation_link())
    page = client.get(reverse("accounts:privacy")).content.decode()
    assert "anna@example.org" in page and "Konto endgültig löschen" in page
    data = json.loads(client.get(reverse("accounts:my_data")).content)
    assert data["konto"]["e_mail"] == "anna@example.org"
    assert data["profil"]["anzeigename"] == "Anna"
    response = client.post(reverse("accounts:delete"), {"password": "falsch"})
    assert response.status_code == 400 and "Das Passwort stimmt nicht" in response.content.decode()
    assert get_user_model().objects.filter(email="anna@example.org").exists()
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(email="anna@example.org").exists()
    assert not Profile.objects.exists()


def test_staff_role_opens_the_staff_area(client, django_user_model):
    user = django_user_model.objects.create_user("amt", "amt@example.org", PASSWORD)
    roles.assign_role(user, roles.PLANNING)
    assert user.is_staff and roles.has_role(user, roles.PLANNING)
    client.force_login(user)
    assert client.get(reverse("staff:home")).status_code == 200
