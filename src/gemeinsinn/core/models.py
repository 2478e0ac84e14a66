from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.analysis.confidentiality import ConfidentialityRules


class CityProfile(models.Model):
    """The one municipality this installation serves, with its publication rules."""

    name = models.CharField(_("Name"), max_length=200, default="Musterstadt")
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel"), max_length=8, blank=True, help_text=_("8 Ziffern")
    )
    min_population = models.PositiveIntegerField(
        _("Mindesteinwohnerzahl je Gebiet"),
        default=300,
        help_text=_("Gebiete mit weniger Einwohnenden zeigen keine Indikatoren und keinen Index."),
    )
    min_count = models.PositiveSmallIntegerField(
        _("Kleinste veröffentlichte Fallzahl"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Fallzahlen von 1 bis unter diesem Wert werden gesperrt (höchstens 5)."),
    )
    secondary_suppression = models.BooleanField(_("Sekundärsperrung"), default=True)
    rounding_base = models.PositiveSmallIntegerField(
        _("Rundung von Fallzahlen auf"),
        null=True,
        blank=True,
        choices=[(3, "3"), (5, "5"), (10, "10")],
    )
    min_denominator = models.PositiveIntegerField(_("Kleinste Bezugsgröße für Anteile"), default=20)
    suppression_mark = models.CharField(
        _("Sperrzeichen"), max_length=1, default=".", choices=[(".", "."), ("*", "*")]
    )
    # printed in the reports for households without internet (Kompass, Sozialbericht)
    contact_office = models.CharField(
        _("Ansprechstelle"), max_length=200, blank=True, help_text=_("z. B. Amt für Soziales")
    )
    contact_address = models.TextField(_("Anschrift"), max_length=500, blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    contact_hours = models.CharField(
        _("Sprechzeiten"), max_length=200, blank=True, help_text=_("z. B. Mo–Fr 8–12 Uhr")
    )

    class Meta:
        verbose_name = _("Stadtprofil")
        verbose_name_plural = _("Stadtprofil")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "CityProfile":
        profile = cls.objects.order_by("pk").first()
        return profile if profile is not None else cls()

    @property
    def has_contact(self) -> bool:
        return any(
            (self.contact_office, self.contact_address, self.contact_phone, self.contact_email)
        )

    def confidentiality_rules(self) -> ConfidentialityRules:
        return ConfidentialityRules(
            min_population=self.min_population,
            min_count=self.min_count,
            secondary_suppression=self.secondary_suppression,
            rounding_base=self.rounding_base,
            min_denominator=self.min_denominator,
            mark=self.suppression_mark,
        )


class AuditEvent(models.Model):
    """Who did what, when: imports, index runs, publication decisions."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=100)
    summary = models.TextField()
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


def record(action: str, summary: str, actor=None, **details) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(action=action, summary=summary, actor=actor, details=details)


class RateHit(models.Model):
    """One counted action of a client (a keyed hash of its address or its API key), for the
    flood limits of all apps (see ``core.ratelimit``). Old rows are removed as new ones arrive."""

    bucket = models.CharField(max_length=80)
    created_at = models.DateTimeField()

    class Meta:
        # the second index keeps the pruning of old hits cheap
        indexes = [
            models.Index(fields=["bucket", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.created_at:%Y-%m-%d %H:%M:%S}"
