"""Events of participation (expert conference, Bürgerforum, district meeting) with their
place, accessibility, capacity and registration window, and the registrations with their
status: unconfirmed until the e-mail link is opened, then confirmed or on the waiting list,
or cancelled. Personal data of registrations is erased some time after the event; status
and sector stay for the statistics."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import Area

EXPERT_CONFERENCE = "fachkonferenz"
CITIZENS_FORUM = "buergerforum"
DISTRICT_MEETING = "stadtteilversammlung"
KINDS = [
    (EXPERT_CONFERENCE, _("Fachkonferenz")),
    (CITIZENS_FORUM, _("Bürgerforum")),
    (DISTRICT_MEETING, _("Stadtteilversammlung")),
]

UNCONFIRMED = "unbestaetigt"
CONFIRMED = "bestaetigt"
WAITING = "warteliste"
CANCELLED = "abgesagt"
STATUSES = [
    (UNCONFIRMED, _("E-Mail noch nicht bestätigt")),
    (CONFIRMED, _("bestätigt")),
    (WAITING, _("Warteliste")),
    (CANCELLED, _("abgesagt")),
]

SECTORS = [
    ("schule", _("Schule")),
    ("kita", _("Kita")),
    ("sport", _("Sport")),
    ("kultur", _("Kultur")),
    ("wirtschaft", _("Wirtschaft")),
    ("politik", _("Politik")),
    ("jugendarbeit", _("Jugendarbeit")),
    ("familienarbeit", _("Familienarbeit")),
    ("seniorenarbeit", _("Seniorenarbeit")),
    ("verwaltung", _("Verwaltung")),
    ("sonstiges", _("Sonstiges")),
]


class Event(models.Model):
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=30, choices=KINDS)
    description = models.TextField(_("Beschreibung"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    place_name = models.CharField(_("Ort"), max_length=200)
    place_address = models.CharField(_("Adresse"), max_length=300)
    lat = models.FloatField(_("Breitengrad"), null=True, blank=True)
    long = models.FloatField(_("Längengrad"), null=True, blank=True)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("Gebiet"),
        help_text=_("leer: für die ganze Stadt"),
    )
    capacity = models.PositiveIntegerField(_("Plätze"))
    audience = models.CharField(
        _("Zielgruppe"),
        max_length=200,
        help_text=_("z. B. Fachkräfte, Bürgerinnen und Bürger, Jugendliche"),
    )
    registration_opens = models.DateTimeField(_("Anmeldung ab"))
    registration_closes = models.DateTimeField(_("Anmeldung bis"))
    step_free = models.BooleanField(_("stufenloser Zugang"), default=False)
    sign_language = models.BooleanField(_("Gebärdensprachdolmetschung"), default=False)
    induction_loop = models.BooleanField(_("Induktionsschleife"), default=False)
    childcare = models.BooleanField(_("Kinderbetreuung"), default=False)
    languages = models.CharField(
        _("Gesprochene Sprachen"), max_length=200, default="Deutsch", blank=True
    )
    accessibility_notes = models.TextField(_("Weitere Hinweise zur Barrierefreiheit"), blank=True)
    is_public = models.BooleanField(
        _("veröffentlicht"), default=False, help_text=_("sonst ein Entwurf, nur für die Verwaltung")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")

    def __str__(self) -> str:
        return self.title

    def has_sector(self) -> bool:
        """Expert conferences ask for the sector of the participants."""
        return self.kind == EXPERT_CONFERENCE


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail"), max_length=254)
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    sector = models.CharField(_("Bereich"), max_length=30, choices=SECTORS, blank=True)
    needs = models.TextField(_("Unterstützungsbedarf"), blank=True)
    status = models.CharField(_("Stand"), max_length=20, choices=STATUSES, default=UNCONFIRMED)
    token = models.CharField(max_length=64, unique=True)
    client_key = models.CharField(max_length=60, blank=True, db_index=True)
    created_at = models.DateTimeField(_("Angemeldet am"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("Bestätigt am"), null=True, blank=True)
    moved_up_at = models.DateTimeField(_("Nachgerückt am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("Abgesagt am"), null=True, blank=True)
    erased_at = models.DateTimeField(_("Personendaten gelöscht am"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(email=""),
                name="events_one_registration_per_email",
            )
        ]
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")

    def __str__(self) -> str:
        return f"{self.event_id}: {self.name or self.pk} ({self.status})"
