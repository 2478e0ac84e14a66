"""Target areas ("Fördergebiete") chosen from a saved need ranking: the decision with its
reasons, who took it, when, and on which data version (index run, checksum of the inputs).

A target area is an area on a target-area level of the areas app ("target areas that cut
across levels"): either one that exists already (e.g. imported with its boundary) or a new one
whose outline is the union of its members' outlines."""

import json

import shapely
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area, Boundary, SpatialLevel
from gemeinsinn.core.models import record
from gemeinsinn.ideas.services import staff_name
from gemeinsinn.planning.models import SavedRanking, TargetArea
from gemeinsinn.planning.services.ranking import PlanningError

TARGET_LEVEL = ("foerdergebiet", "Fördergebiet", "Fördergebiete")
MAX_REASON = 5000


def target_level() -> SpatialLevel:
    """The first target-area level, created ("Fördergebiet") when the city has none."""
    level = SpatialLevel.objects.filter(is_target_area=True).order_by("order", "pk").first()
    if level is None:
        code, name, plural = TARGET_LEVEL
        level = SpatialLevel.objects.create(
            code=code, name=name, name_plural=plural, order=99, is_target_area=True
        )
    return level


def free_target_areas():
    """Areas of target-area levels without an active decision: they can be designated."""
    active = TargetArea.objects.filter(withdrawn_at__isnull=True).values("area_id")
    return Area.objects.filter(level__is_target_area=True).exclude(pk__in=active)


def active_target_areas():
    return (
        TargetArea.objects.filter(withdrawn_at__isnull=True)
        .select_related("area", "ranking")
        .prefetch_related("members")
    )


def mark_target_area(
    ranking: SavedRanking,
    member_ids: list[int],
    reason: str,
    user,
    *,
    name: str = "",
    existing: Area | None = None,
) -> TargetArea:
    """Record the decision; a new target area is created when no existing one is given."""
    reason = (reason or "").strip()
    name = (name or "").strip()
    ranked = {
        row.area_id: row
        for row in ranking.areas.filter(area_id__in=member_ids).select_related("area")
    }
    problems = []
    if not member_ids:
        problems.append(_("Bitte mindestens ein Gebiet aus der Rangfolge auswählen."))
    unranked = [pk for pk in member_ids if pk not in ranked or ranked[pk].rank is None]
    if unranked:
        problems.append(
            _("Nur Gebiete mit einem Rang in dieser Rangfolge können Fördergebiet werden.")
        )
    if not reason:
        problems.append(
            _("Bitte die Gründe der Auswahl angeben, z. B. „höchster Bedarf bei Kinderarmut“.")
        )
    elif len(reason) > MAX_REASON:
        problems.append(_("Die Begründung ist zu lang: höchstens 5 000 Zeichen."))
    if existing is None and not name:
        problems.append(
            _("Bitte einen Namen für das neue Fördergebiet angeben oder ein vorhandenes wählen.")
        )
    if existing is not None and not existing.level.is_target_area:
        problems.append(_("„%(name)s“ ist kein Zielgebiet.") % {"name": existing.name})
    if problems:
        raise PlanningError(" ".join(problems))
    members = [ranked[pk].area for pk in member_ids]
    try:
        with transaction.atomic():
            area = existing or _new_target_area(name, members)
            decision = TargetArea.objects.create(
                area=area,
                ranking=ranking,
                reason=reason,
                index_run=ranking.index_run,
                input_checksum=ranking.input_checksum,
                chosen_by=user if getattr(user, "is_authenticated", False) else None,
                chosen_by_name=staff_name(user) if user else "",
            )
            decision.members.set(members)
            record(
                "planning.target_area",
                _("Fördergebiet „%(name)s“ aus der Rangfolge „%(ranking)s“ beschlossen")
                % {"name": area.name, "ranking": ranking.name},
                actor=user,
                target_area=decision.pk,
                members=[m.key for m in members],
                index_run=ranking.index_run_id,
                input_checksum=ranking.input_checksum,
            )
    except IntegrityError as error:
        raise PlanningError(
            _("„%(name)s“ ist bereits Fördergebiet. Bitte die bestehende Entscheidung zuerst "
              "aufheben.") % {"name": (existing.name if existing else name)}
        ) from error  # fmt: skip
    return decision


def _new_target_area(name: str, members: list[Area]) -> Area:
    level = target_level()
    if Area.objects.filter(level=level, name=name).exists():
        raise PlanningError(
            _("Ein Fördergebiet „%(name)s“ gibt es schon. Bitte einen anderen Namen wählen oder "
              "das vorhandene auswählen.") % {"name": name}
        )  # fmt: skip
    keys = set(Area.objects.filter(level=level).values_list("key", flat=True))
    number = 1
    while f"FG{number:02d}" in keys:
        number += 1
    populations = [m.population for m in members]
    area = Area.objects.create(
        level=level,
        key=f"FG{number:02d}",
        name=name,
        population=sum(populations) if None not in populations else None,
    )
    outlines = [m.current_boundary() for m in members]
    if all(outlines):
        union = shapely.union_all([shapely.geometry.shape(b.geometry) for b in outlines])
        min_lon, min_lat, max_lon, max_lat = union.bounds
        Boundary.objects.create(
            area=area,
            valid_from=timezone.localdate(),
            geojson=json.dumps(shapely.geometry.mapping(union), separators=(",", ":")),
            min_lon=min_lon,
            min_lat=min_lat,
            max_lon=max_lon,
            max_lat=max_lat,
            area_m2=sum(b.area_m2 for b in outlines),
            source=_("Vereinigung der Gebiete %(keys)s")
            % {"keys": ", ".join(m.key for m in members)},
        )
    return area


def withdraw_target_area(decision: TargetArea, reason: str, user) -> TargetArea:
    reason = (reason or "").strip()
    if not decision.is_active:
        raise PlanningError(_("Diese Entscheidung ist bereits aufgehoben."))
    if not reason:
        raise PlanningError(_("Bitte den Grund der Aufhebung angeben."))
    with transaction.atomic():
        decision.withdrawn_at = timezone.now()
        decision.withdrawn_by_name = staff_name(user)
        decision.withdrawal_reason = reason[:MAX_REASON]
        decision.save(update_fields=["withdrawn_at", "withdrawn_by_name", "withdrawal_reason"])
        record(
            "planning.target_area_withdrawn",
            _("Fördergebiet „%(name)s“ aufgehoben") % {"name": decision.area.name},
            actor=user,
            target_area=decision.pk,
        )
    return decision
