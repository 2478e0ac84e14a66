"""Notification e-mails are sent after the commit, and a failing mail server is logged
instead of turning stored work into an error page."""

import smtplib

import pytest
from django.core import mail as outbox
from django.core.mail import EmailMessage

from gemeinsinn.core import mail


@pytest.mark.django_db
def test_mails_wait_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_after_commit([EmailMessage("Betreff", "Text", None, ["a@example.org"])])
        assert outbox.outbox == []
    assert [m.to for m in outbox.outbox] == [["a@example.org"]]


@pytest.mark.django_db
def test_a_failing_mail_server_is_logged(django_capture_on_commit_callbacks, monkeypatch, caplog):
    class Broken:
        def send_messages(self, messages):
            raise smtplib.SMTPServerDisconnected("mail server gone")

    monkeypatch.setattr(mail, "get_connection", lambda backend=None: Broken())
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_after_commit([EmailMessage("Betreff", "Text", None, ["a@example.org"])])
    assert "could not be sent" in caplog.text
    assert mail.send_logged([EmailMessage("Betreff", "Text", None, ["b@example.org"])]) == 0
