"""The Bürgerrat: an assembly with its term, the invited residents (a stratified sample of
the register, each with a response code), the volunteers who answered, the quotas, and the
draws with their public audit record.

Personal data (names, addresses, contact) lives only in `Invitation` and `Volunteer` and is
deleted after the term (`retention_days`); the public record (`Draw`) holds pseudonymous ids
and features only."""

import copy

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import Area, SpatialLevel

INVITING = "inviting"
REGISTERING = "registering"
DRAWN = "drawn"
STATUSES = [
    (INVITING, _("Einladung")),
    (REGISTERING, _("Rückmeldungen")),
    (DRAWN, _("ausgelost")),
]

DEFAULT_FEATURES = [
    {"name": "Geschlecht", "values": ["weiblich", "männlich", "divers"]},
    {"name": "Altersgruppe", "values": ["18–24", "25–64", "65 und älter"]},
    {"name": "Migrationsgeschichte", "values": ["ja", "nein"]},
    {"name": "Schulabschluss", "values": ["ohne / Hauptschule", "Realschule", "Abitur"]},
]


def default_features() -> list[dict]:
    return copy.deepcopy(DEFAULT_FEATURES)


def feature_problems(features, district_feature: str) -> list[str]:
    """What is wrong with a list of {name, values} (German, all at once)."""
    if not isinstance(features, list):
        return [_('Die Merkmale müssen eine Liste sein: [{"name": …, "values": […]}].')]
    problems, names = [], set()
    for number, feature in enumerate(features, start=1):
        name = feature.get("name") if isinstance(feature, dict) else None
        values = feature.get("values") if isinstance(feature, dict) else None
        if not isinstance(name, str) or not name.strip():
            problems.append(_("Merkmal %(n)d braucht einen Namen („name“).") % {"n": number})
            continue
        if name.strip().casefold() in names | {district_feature.casefold()}:
            problems.append(_("Das Merkmal „%(name)s“ kommt doppelt vor.") % {"name": name})
        names.add(name.strip().casefold())
        if (
            not isinstance(values, list)
            or len(values) < 2
            or not all(isinstance(v, str) and v.strip() for v in values)
            or len(set(values)) != len(values)
        ):
            problems.append(
                _(
                    "Merkmal „%(name)s“ braucht mindestens zwei verschiedene Ausprägungen "
                    "(„values“)."
                )
                % {"name": name}
            )
    return problems


class Assembly(models.Model):
    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    district_level = models.ForeignKey(
        SpatialLevel, on_delete=models.PROTECT, verbose_name=_("Gebietsebene der Quoten")
    )
    term_start = models.DateField(_("Amtszeit von"))
    term_end = models.DateField(_("Amtszeit bis"))
    panel_size = models.PositiveSmallIntegerField(_("Zahl der Mitglieder"))
    features = models.JSONField(
        _("Merkmale"),
        default=default_features,
        help_text=_("Liste von {name, values}; der Stadtteil kommt aus der Einladung."),
    )
    retention_days = models.PositiveIntegerField(
        _("Löschfrist nach Ende der Amtszeit (Tage)"), default=90
    )
    status = models.CharField(_("Stand"), max_length=20, choices=STATUSES, default=INVITING)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vorige Amtszeit"),
    )
    exclude_previous_members = models.BooleanField(
        _("Mitglieder der vorigen Amtszeit ausschließen"), default=True
    )
    seed_source = models.CharField(
        _("angekündigte Quelle des Startwerts"),
        max_length=300,
        blank=True,
        help_text=_("z. B. „Lottozahlen vom 6. Dezember 2026 (6 aus 49, aufsteigend)“"),
    )
    # the sample of the register (stage 1): file checksum, seed and plan per district
    register_file_name = models.CharField(max_length=300, blank=True)
    register_checksum = models.CharField(max_length=64, blank=True)
    register_rows = models.PositiveIntegerField(default=0)
    sample_seed = models.CharField(max_length=100, blank=True)
    sample_plan = models.JSONField(default=dict, blank=True)
    # HMACs of the register ids of members (kept after deletion: the next term excludes them)
    member_keys = models.JSONField(default=list, blank=True)
    personal_data_deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-term_start", "name"]
        verbose_name = _("Bürgerrat")
        verbose_name_plural = _("Bürgerräte")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = _("Das Ende der Amtszeit liegt vor ihrem Beginn.")
        if self.panel_size is not None and self.panel_size < 1:
            errors["panel_size"] = _("Der Bürgerrat braucht mindestens ein Mitglied.")
        district = self.district_level.name if self.district_level_id else ""
        problems = feature_problems(self.features, district)
        if problems:
            errors["features"] = problems
        if errors:
            raise ValidationError(errors)

    @property
    def district_feature(self) -> str:
        return self.district_level.name

    def feature_names(self) -> list[str]:
        return [self.district_feature, *(f["name"] for f in self.features)]


class Invitation(models.Model):
    """One invited resident (one per household) with the personal response code."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="invitations")
    code = models.CharField(_("Rückmeldecode"), max_length=20, unique=True)
    register_key = models.CharField(max_length=64)
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    street = models.CharField(_("Straße"), max_length=200)
    house_number = models.CharField(_("Hausnummer"), max_length=20)
    postcode = models.CharField(_("PLZ"), max_length=10)
    city = models.CharField(_("Ort"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("Geburtsjahr"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("Gebiet"))
    position = models.PositiveIntegerField(default=0)  # order of the letters

    class Meta:
        ordering = ["assembly", "position"]
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")

    def __str__(self) -> str:
        return self.code

    def address_line(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}"


POOL = "pool"
SELECTED = "selected"
DROPPED = "dropped"
VOLUNTEER_STATUSES = [
    (POOL, _("im Pool")),
    (SELECTED, _("ausgelost")),
    (DROPPED, _("ausgeschieden")),
]


class Volunteer(models.Model):
    """A resident who answered the invitation and wants to take part."""

    ONLINE, PAPER = "online", "paper"
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="volunteers")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="volunteer"
    )
    pseudonym = models.CharField(_("Kennung"), max_length=20)
    features = models.JSONField(_("Merkmale"))
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    channel = models.CharField(
        max_length=10, choices=[(ONLINE, _("online")), (PAPER, _("Papier"))], default=ONLINE
    )
    consent_at = models.DateTimeField(_("Einwilligung am"))
    status = models.CharField(max_length=10, choices=VOLUNTEER_STATUSES, default=POOL)
    created_at = models.DateTimeField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assembly", "pseudonym"]
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "pseudonym"], name="assembly_volunteer_pseudonym"
            )
        ]
        verbose_name = _("Freiwillige Person")
        verbose_name_plural = _("Freiwillige")

    def __str__(self) -> str:
        return self.pseudonym


class Quota(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="quotas")
    feature = models.CharField(_("Merkmal"), max_length=100)
    value = models.CharField(_("Ausprägung"), max_length=200)
    minimum = models.PositiveSmallIntegerField(_("mindestens"))
    maximum = models.PositiveSmallIntegerField(_("höchstens"))
    target = models.FloatField(_("Sollwert"), default=0.0)  # proportional share × panel size
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["assembly", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "feature", "value"], name="assembly_quota_once"
            )
        ]
        verbose_name = _("Quote")
        verbose_name_plural = _("Quoten")

    def __str__(self) -> str:
        return f"{self.feature} = {self.value}: {self.minimum}–{self.maximum}"


class Draw(models.Model):
    """One public, verifiable draw: the panel or a replacement. Everything here is public
    (no names): checksums, algorithm, seed, the published files and the result."""

    PANEL, REPLACEMENT = "panel", "replacement"
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="draws")
    kind = models.CharField(
        max_length=20,
        choices=[(PANEL, _("Auslosung")), (REPLACEMENT, _("Nachrücker"))],
        default=PANEL,
    )
    algorithm = models.CharField(_("Verfahren"), max_length=20)
    software_version = models.CharField(max_length=30)
    seed_source = models.CharField(_("Quelle des Startwerts"), max_length=300)
    seed = models.CharField(_("Startwert"), max_length=300)
    pool_csv = models.TextField()  # anonymised features of the pool (pseudonym + features)
    quotas_csv = models.TextField()
    distribution_csv = models.TextField()
    pool_checksum = models.CharField(max_length=64)
    quotas_checksum = models.CharField(max_length=64)
    digest = models.CharField(_("SHA-256 der Verteilung"), max_length=64)
    panel_number = models.PositiveIntegerField(null=True, blank=True)  # None: not yet drawn
    panel = models.JSONField(default=list)  # pseudonyms, sorted
    probabilities = models.JSONField(default=dict)  # pseudonym → probability
    probability_min = models.FloatField(null=True)
    probability_max = models.FloatField(null=True)
    excluded = models.JSONField(default=list)  # pseudonyms left out (previous term)
    replaced = models.CharField(max_length=20, blank=True)  # pseudonym of who dropped out
    note = models.TextField(blank=True)
    seconds = models.FloatField(default=0.0)
    created_at = models.DateTimeField()
    drawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assembly", "created_at", "id"]
        verbose_name = _("Ziehung")
        verbose_name_plural = _("Ziehungen")

    def __str__(self) -> str:
        return f"{self.assembly} – {self.get_kind_display()} {self.created_at:%Y-%m-%d}"
