"""Strategic social planning: saved need rankings ("Verdichtung") with their settings and the
data version they were computed on."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.monitoring.models import IndexRun


class SavedRanking(models.Model):
    """A need ranking with everything needed to recompute it and to see what it showed."""

    name = models.CharField(_("Name"), max_length=200)
    level = models.ForeignKey(SpatialLevel, on_delete=models.PROTECT, verbose_name=_("Ebene"))
    year = models.PositiveSmallIntegerField(_("Jahr"))
    components = models.JSONField(
        _("Bestandteile"), help_text=_("Liste aus {code, weight, higher_is_worse}")
    )
    index_run = models.ForeignKey(
        IndexRun, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("Indexlauf")
    )
    input_checksum = models.CharField(_("Prüfsumme der Eingaben"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("gespeicherte Rangfolge")
        verbose_name_plural = _("gespeicherte Rangfolgen")

    def __str__(self) -> str:
        return f"{self.name} ({self.level}, {self.year})"


class RankedArea(models.Model):
    """One area's place in a saved ranking (kept for target areas and reports)."""

    ranking = models.ForeignKey(SavedRanking, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField(null=True)
    score = models.FloatField(null=True)
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["ranking", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "area"], name="ranked_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ranking_id}/{self.area_id}: {self.rank}"


class TargetArea(models.Model):
    """The decision to make an area a target area ("Fördergebiet"): an area on a target-area
    level (areas app) whose members are areas of a saved ranking, with the reasons, who
    decided, when, and on which data version. A withdrawn decision stays on record."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="target_decisions", verbose_name=_("Gebiet")
    )
    members = models.ManyToManyField(Area, related_name="target_areas", verbose_name=_("Gebiete"))
    ranking = models.ForeignKey(
        SavedRanking,
        on_delete=models.PROTECT,
        related_name="target_areas",
        verbose_name=_("Rangfolge"),
    )
    reason = models.TextField(_("Begründung"))
    index_run = models.ForeignKey(
        IndexRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    input_checksum = models.CharField(_("Prüfsumme der Eingaben"), max_length=64)
    chosen_at = models.DateTimeField(_("beschlossen am"), default=timezone.now)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_by_name = models.CharField(_("beschlossen von"), max_length=150)
    withdrawn_at = models.DateTimeField(_("aufgehoben am"), null=True, blank=True)
    withdrawn_by_name = models.CharField(_("aufgehoben von"), max_length=150, blank=True)
    withdrawal_reason = models.TextField(_("Grund der Aufhebung"), blank=True)

    class Meta:
        ordering = ["-chosen_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="target_area_one_active",
            )
        ]
        verbose_name = _("Fördergebiet")
        verbose_name_plural = _("Fördergebiete")

    def __str__(self) -> str:
        return self.area.name

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
