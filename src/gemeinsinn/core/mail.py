"""Notification e-mails of all apps: sent after the database commit, and a mail server that
fails is logged — it must never undo stored work or turn it into an error page."""

import logging
import smtplib

from django.core.mail import EmailMessage, get_connection
from django.db import transaction

log = logging.getLogger(__name__)


def send_logged(messages: list[EmailMessage], backend: str | None = None) -> int:
    """Send the e-mails now; the number sent, 0 when the mail server failed (logged)."""
    if not messages:
        return 0
    try:
        return get_connection(backend).send_messages(messages) or 0
    except (OSError, smtplib.SMTPException):
        log.exception("e-mails could not be sent")
        return 0


def send_after_commit(messages: list[EmailMessage], backend: str | None = None) -> None:
    """Send the e-mails once the current transaction has been committed."""
    if messages:
        transaction.on_commit(lambda: send_logged(messages, backend))
