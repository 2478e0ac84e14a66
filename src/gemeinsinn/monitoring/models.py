"""Indicators, their values per area and year, imports, and index runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.monitoring.default_catalogue import TOPICS


class Indicator(models.Model):
    KINDS = [
        ("count", _("Anzahl")),
        ("share", _("Anteil in %")),
        ("rate", _("Quote je Bezugsgröße")),
    ]
    DIRECTIONS = [
        ("worse", _("hoher Wert bedeutet mehr Benachteiligung")),
        ("better", _("hoher Wert ist günstig")),
        ("neutral", _("ohne Wertung")),
    ]

    code = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    topic = models.CharField(_("Themenfeld"), max_length=30, choices=list(TOPICS.items()))
    kind = models.CharField(_("Art"), max_length=10, choices=KINDS)
    unit = models.CharField(_("Einheit"), max_length=30, blank=True)
    numerator = models.CharField(
        _("Zähler"),
        max_length=200,
        blank=True,
        help_text=_("Kürzel einer Anzahl, auch Summe oder Differenz: zuzuege+fortzuege"),
    )
    denominator = models.CharField(_("Nenner"), max_length=60, blank=True)
    factor = models.FloatField(_("Faktor"), default=100.0)
    previous_year_denominator = models.BooleanField(_("Nenner aus dem Vorjahr"), default=False)
    direction = models.CharField(
        _("Richtung"), max_length=10, choices=DIRECTIONS, default="neutral"
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    licence = models.CharField(_("Lizenz"), max_length=100, blank=True)

    class Meta:
        ordering = ["topic", "name"]
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")

    def __str__(self) -> str:
        return self.name

    @property
    def is_computed(self) -> bool:
        return bool(self.numerator and self.denominator)

    @property
    def higher_is_worse(self) -> bool | None:
        return {"worse": True, "better": False}.get(self.direction)


class Dataset(models.Model):
    """One uploaded file: validated first, imported only when confirmed, all or nothing."""

    STATUSES = [
        ("validated", _("geprüft, wartet auf Bestätigung")),
        ("rejected", _("abgelehnt, Fehler in der Datei")),
        ("running", _("wird importiert")),
        ("imported", _("importiert")),
        ("failed", _("Import fehlgeschlagen")),
    ]
    KINDS = [("statistics", _("Statistiktabelle")), ("boundaries", _("Gebietsgrenzen"))]

    kind = models.CharField(max_length=20, choices=KINDS)
    level = models.ForeignKey(SpatialLevel, on_delete=models.PROTECT, verbose_name=_("Ebene"))
    file_name = models.CharField(_("Datei"), max_length=300)
    stored_file = models.CharField(max_length=500, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    year = models.PositiveSmallIntegerField(_("Jahr"), null=True, blank=True)
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=STATUSES)
    report = models.JSONField(default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Datenlieferung")
        verbose_name_plural = _("Datenlieferungen")

    def __str__(self) -> str:
        return self.file_name


class RowIdField(models.BigAutoField):
    """On SQLite an INTEGER PRIMARY KEY without AUTOINCREMENT: the ids of deleted rows may be
    reused, and bulk inserts skip the bookkeeping in sqlite_sequence (a third faster)."""

    def db_type_suffix(self, connection):
        return None if connection.vendor == "sqlite" else super().db_type_suffix(connection)


class Value(models.Model):
    FLAGS = [("", _("Wert")), ("suppressed", _("an der Quelle gesperrt")), ("missing", _("fehlt"))]

    id = RowIdField(primary_key=True)

    # A fact table written a million rows at a time. The unique constraint (indicator, area,
    # year) is its only index: every query names the indicator. The foreign keys are kept by
    # Django (deletion cascades) and by the import, which maps only known keys to ids; a
    # database check per row and each further index would slow an import down by a third.
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="values",
        db_index=False,
        db_constraint=False,
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="values", db_index=False, db_constraint=False
    )
    year = models.PositiveSmallIntegerField(_("Jahr"))
    value = models.FloatField(null=True, blank=True)
    flag = models.CharField(max_length=12, choices=FLAGS, blank=True, default="")
    dataset = models.ForeignKey(
        Dataset,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area", "year"], name="value_unique")
        ]
        verbose_name = _("Wert")
        verbose_name_plural = _("Werte")

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.area_id}/{self.year}: {self.value}"


class IndexDefinition(models.Model):
    """The settings of a composite social index (e.g. the MSS method)."""

    CLASS_SCHEMES = [
        ("mss", _("Schwellenwerte wie im Berliner Monitoring (±1, 1,5)")),
        ("quantiles", _("Quantilsklassen")),
    ]
    DYNAMICS_MODES = [
        ("none", _("ohne Dynamik")),
        ("change", _("Veränderung der Statusindikatoren über die Jahre")),
        ("indicators", _("eigene Dynamikindikatoren")),
    ]

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kürzel"), unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    level = models.ForeignKey(SpatialLevel, on_delete=models.PROTECT, verbose_name=_("Ebene"))
    status_indicators = models.JSONField(
        _("Statusindikatoren"), help_text=_("Liste aus {code, weight, higher_is_worse}")
    )
    dynamics_mode = models.CharField(
        _("Dynamik"), max_length=12, choices=DYNAMICS_MODES, default="change"
    )
    dynamics_indicators = models.JSONField(_("Dynamikindikatoren"), default=list, blank=True)
    dynamics_span = models.PositiveSmallIntegerField(_("Dynamik über Jahre"), default=2)
    min_population = models.PositiveIntegerField(_("Mindesteinwohnerzahl"), default=300)
    excluded_keys = models.TextField(
        _("ausgeschlossene Gebiete (Ausreißer)"), blank=True, help_text=_("Schlüssel, durch Komma")
    )
    reference_keys = models.TextField(
        _("Referenzgebiete"),
        blank=True,
        help_text=_(
            "Schlüssel der Gebiete, deren Mittelwert und Streuung den Maßstab bilden, durch "
            "Komma; leer: alle Gebiete im Index"
        ),
    )
    class_scheme = models.CharField(
        _("Klassenbildung"), max_length=12, choices=CLASS_SCHEMES, default="mss"
    )
    quantile_classes = models.PositiveSmallIntegerField(_("Anzahl Quantilsklassen"), default=5)
    is_published = models.BooleanField(_("öffentlich zeigen"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Indexdefinition")
        verbose_name_plural = _("Indexdefinitionen")

    def __str__(self) -> str:
        return self.name

    def excluded_key_set(self) -> frozenset[str]:
        return _key_set(self.excluded_keys)

    def reference_key_set(self) -> frozenset[str] | None:
        return _key_set(self.reference_keys) or None


def _key_set(text: str) -> frozenset[str]:
    return frozenset(k.strip() for k in text.replace(";", ",").split(",") if k.strip())


class IndexRun(models.Model):
    """One computation of an index for a year, with everything needed to recompute it."""

    definition = models.ForeignKey(IndexDefinition, on_delete=models.CASCADE, related_name="runs")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    parameters = models.JSONField(_("Einstellungen"))
    input_checksum = models.CharField(_("Prüfsumme der Eingaben"), max_length=64)
    result_checksum = models.CharField(_("Prüfsumme der Ergebnisse"), max_length=64)
    statistics = models.JSONField(_("Mittelwerte und Standardabweichungen"), default=dict)
    warnings = models.JSONField(default=list, blank=True)
    software_version = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Indexberechnung")
        verbose_name_plural = _("Indexberechnungen")

    def __str__(self) -> str:
        return f"{self.definition} {self.year}"


class IndexResult(models.Model):
    run = models.ForeignKey(IndexRun, on_delete=models.CASCADE, related_name="results")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="index_results")
    included = models.BooleanField()
    exclusion_reason = models.CharField(max_length=40, blank=True)
    status_index = models.FloatField(null=True)
    status_class = models.PositiveSmallIntegerField(null=True)
    dynamics_index = models.FloatField(null=True)
    dynamics_class = models.PositiveSmallIntegerField(null=True)
    combined_class = models.CharField(max_length=8, blank=True)
    contributions = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "area"], name="index_result_unique")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.area_id}: {self.combined_class}"
