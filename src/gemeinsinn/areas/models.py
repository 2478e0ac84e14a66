"""The spatial spine: levels, areas and their boundary versions. Every other object in
gemeinsinn belongs to an area."""

import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpatialLevel(models.Model):
    """A level of the city's hierarchy (Stadt > Stadtteil > Sozialraum) or a kind of
    free-form target area that cuts across it (e.g. Fördergebiet)."""

    code = models.SlugField(_("Kürzel"), max_length=50, unique=True)
    name = models.CharField(_("Name"), max_length=100)
    name_plural = models.CharField(_("Name (Mehrzahl)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("0 = oberste Ebene")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("übergeordnete Ebene"),
    )
    is_target_area = models.BooleanField(
        _("Zielgebiet (quer zur Hierarchie)"),
        default=False,
        help_text=_("Freie Gebiete wie Fördergebiete, die die Hierarchie schneiden."),
    )

    class Meta:
        ordering = ["is_target_area", "order"]
        verbose_name = _("Gebietsebene")
        verbose_name_plural = _("Gebietsebenen")

    def __str__(self) -> str:
        return self.name

    @property
    def plural(self) -> str:
        return self.name_plural or self.name


class Area(models.Model):
    level = models.ForeignKey(
        SpatialLevel, on_delete=models.PROTECT, related_name="areas", verbose_name=_("Ebene")
    )
    key = models.CharField(
        _("Schlüssel"), max_length=50, help_text=_("Amtlicher Schlüssel, führende Nullen zählen")
    )
    name = models.CharField(_("Name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("übergeordnetes Gebiet"),
    )
    population = models.PositiveIntegerField(_("Einwohnende"), null=True, blank=True)

    class Meta:
        ordering = ["level__order", "key"]
        constraints = [models.UniqueConstraint(fields=["level", "key"], name="area_unique_key")]
        verbose_name = _("Gebiet")
        verbose_name_plural = _("Gebiete")

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"

    def current_boundary(self):
        return self.boundaries.filter(valid_to__isnull=True).order_by("-valid_from").first()


class Boundary(models.Model):
    """One version of an area's outline, valid from a date until the next version."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="boundaries")
    valid_from = models.DateField(_("gültig ab"))
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)
    geojson = models.TextField(_("Geometrie (GeoJSON, WGS84)"))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    area_m2 = models.FloatField(_("Fläche in m²"))
    source = models.CharField(_("Quelle"), max_length=300, blank=True)

    class Meta:
        ordering = ["area", "-valid_from"]
        indexes = [models.Index(fields=["valid_to"])]
        verbose_name = _("Gebietsgrenze")
        verbose_name_plural = _("Gebietsgrenzen")

    def __str__(self) -> str:
        return f"{self.area} ab {self.valid_from}"

    @property
    def geometry(self) -> dict:
        return json.loads(self.geojson)
