"""Use cases of the Bürgerrat: the stratified sample of the register with response codes and
letters, volunteers' registration (online and paper), quotas proposed from the monitoring,
the public verifiable draw with its audit record, replacements, rotation and deletion.

The selection itself is the pure core `gemeinsinn.sortition`; this module feeds it the pool
and stores what it returns. Views, commands and the demo call these functions."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import math
import random
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import gemeinsinn
from gemeinsinn.accounts import roles
from gemeinsinn.areas.models import Area
from gemeinsinn.assemblies.models import (
    DRAWN,
    DROPPED,
    POOL,
    REGISTERING,
    SELECTED,
    Assembly,
    Draw,
    Invitation,
    Quota,
    Volunteer,
)
from gemeinsinn.assemblies.register import (  # noqa: F401 - read_* used by views and tests
    Resident,
    StreetDirectory,
    read_register,
    read_street_directory,
)
from gemeinsinn.core import ratelimit
from gemeinsinn.core.clients import client_bucket
from gemeinsinn.core.models import record
from gemeinsinn.formats.problems import InputError
from gemeinsinn.sortition import lottery
from gemeinsinn.sortition.feasibility import FeasibilityReport, check_feasibility
from gemeinsinn.sortition.model import Pool, TypeModel, normalize
from gemeinsinn.sortition.model import Quota as CoreQuota
from gemeinsinn.sortition.select import compute_distribution
from gemeinsinn.surveys.services import CODE_ALPHABET, CODE_LENGTH, format_code, normalise_code

ALGORITHMS = {"leximin": "LEXIMIN", "maximin": "MAXIMIN", "nash": "NASH"}
REGISTER_LIMIT = (10, 3600)  # wrong codes per client and hour


class AssemblyError(Exception):
    """A problem the resident or the staff member can fix; nothing has been stored."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# --- permissions -----------------------------------------------------------------------------


def may_manage(user) -> bool:
    """Only the Bürgerrat office (role `buergerrat`) and superusers see the pool's personal
    data and run draws."""
    return bool(user.is_authenticated and user.is_active) and (
        user.is_superuser or roles.has_role(user, roles.ASSEMBLY)
    )


# --- stage 1: the register and the stratified sample -----------------------------------------


def proportional(total: int, weights: Mapping[int, float]) -> dict[int, int]:
    """Whole numbers proportional to the weights that add up to `total` (largest remainder,
    ties by key)."""
    whole = sum(weights.values())
    if whole <= 0 or total <= 0:
        return {k: 0 for k in weights}
    exact = {k: total * w / whole for k, w in weights.items()}
    result = {k: math.floor(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (-(exact[k] - result[k]), k))[
        : total - sum(result.values())
    ]:
        result[k] += 1
    return result


def pick_residents(
    households: Mapping[tuple, Sequence[Resident]], plan: Mapping[int, int], seed: str
) -> list[Resident]:
    """`plan[area]` households of each area at random, one resident of each. Households and
    residents are sorted first and the generator is seeded with text, so the same inputs
    give the same sample in any process (no hash order)."""
    rng = random.Random(f"gemeinsinn-einladung-v1\n{seed}")
    by_area: dict[int, list[tuple]] = {}
    for key, members in households.items():
        by_area.setdefault(members[0].area_id, []).append(key)
    chosen = []
    for area_id in sorted(plan):
        for key in rng.sample(sorted(by_area.get(area_id, [])), plan[area_id]):
            members = sorted(households[key], key=lambda r: r.line)
            chosen.append(members[rng.randrange(len(members))])
    return chosen


def register_key(register_id: str) -> str:
    """A keyed hash of the register id: recognises members of the last term without their
    names (kept for the rotation after the personal data is deleted)."""
    salt = hashlib.sha256(("assemblies" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(salt, register_id.encode(), hashlib.sha256).hexdigest()


def new_codes(count: int, rng: random.Random | None = None) -> list[str]:
    """`count` unused response codes (a cryptographic source unless `rng` is given)."""
    choice = (rng or secrets.SystemRandom()).choice
    codes: list[str] = []
    taken: set[str] = set()
    while len(codes) < count:
        batch = ["".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)]
        taken |= set(Invitation.objects.filter(code__in=batch).values_list("code", flat=True))
        for code in batch:
            if code not in taken and len(codes) < count:
                taken.add(code)
                codes.append(code)
    return codes


def draw_sample(
    assembly: Assembly,
    data: bytes,
    filename: str,
    size: int,
    seed: str = "",
    user=None,
    code_rng: random.Random | None = None,
    directory: StreetDirectory | None = None,
) -> list[Invitation]:
    """Invite `size` residents, spread over the districts in proportion to their residents in
    the register, at most one per household (street, house number, postcode). The sample is
    reproducible from the recorded `seed` and the file; nothing is stored on an error.
    `directory` (a street directory) gives the districts when the file has none."""
    if assembly.invitations.exists():
        raise AssemblyError(_("Für diesen Bürgerrat wurden bereits Einladungen gezogen."))
    residents = read_register(data, filename, assembly, directory)
    excluded = set(assembly.previous.member_keys) if _excludes_previous(assembly) else set()
    households: dict[tuple, list[Resident]] = {}
    for resident in residents:
        if register_key(resident.register_id) not in excluded:
            households.setdefault(resident.household(), []).append(resident)
    by_area: dict[int, list[tuple]] = {}
    for key, members in households.items():
        by_area.setdefault(members[0].area_id, []).append(key)
    if not 1 <= size <= len(households):
        raise AssemblyError(
            _("Bitte zwischen 1 und %(max)d Einladungen ziehen (so viele Haushalte hat die Datei).")
            % {"max": len(households)}
        )
    population: dict[int, int] = {}
    for resident in residents:
        population[resident.area_id] = population.get(resident.area_id, 0) + 1
    plan = proportional(size, population)
    # a district with fewer households than its share gives the rest to the others
    households_in = {a: len(by_area.get(a, [])) for a in plan}
    while over := {a: n - households_in[a] for a, n in plan.items() if n > households_in[a]}:
        for a, spare in over.items():
            plan[a] -= spare
        room = {a: population[a] for a in plan if households_in[a] > plan[a]}
        for a, extra in proportional(sum(over.values()), room).items():
            plan[a] += extra
    seed = seed or secrets.token_hex(8)
    chosen = pick_residents(households, plan, f"{seed}\n{_checksum(data)}")
    codes = new_codes(len(chosen), code_rng)
    with transaction.atomic():
        invitations = Invitation.objects.bulk_create(
            Invitation(
                assembly=assembly,
                code=code,
                register_key=register_key(r.register_id),
                first_name=r.first_name,
                last_name=r.last_name,
                street=r.street,
                house_number=r.house_number,
                postcode=r.postcode,
                city=r.city,
                birth_year=r.birth_year,
                area_id=r.area_id,
                position=position,
            )
            for position, (r, code) in enumerate(zip(chosen, codes, strict=True), start=1)
        )
        assembly.register_file_name = filename[:300]
        assembly.register_checksum = _checksum(data)
        assembly.register_rows = len(residents)
        assembly.sample_seed = seed
        assembly.sample_plan = {
            str(a): {"population": population.get(a, 0), "invited": plan[a]} for a in plan
        }
        assembly.status = REGISTERING
        assembly.save()
        record(
            "assemblies.sample",
            _("%(count)d Einladungen für „%(name)s“ gezogen")
            % {"count": len(invitations), "name": assembly.name},
            actor=user,
            assembly=assembly.pk,
            checksum=assembly.register_checksum,
            seed=seed,
        )
    return invitations


def _checksum(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _excludes_previous(assembly: Assembly) -> bool:
    return assembly.previous_id is not None and assembly.exclude_previous_members


def sample_table(assembly: Assembly) -> list[dict]:
    """Residents and invitations per district, as drawn."""
    names = dict(Area.objects.filter(level=assembly.district_level).values_list("pk", "name"))
    answered = {}
    for area_id in Volunteer.objects.filter(assembly=assembly).values_list(
        "invitation__area_id", flat=True
    ):
        answered[area_id] = answered.get(area_id, 0) + 1
    rows = [
        {
            "area": names.get(int(a), a),
            "population": v["population"],
            "invited": v["invited"],
            "volunteers": answered.get(int(a), 0),
        }
        for a, v in assembly.sample_plan.items()
    ]
    return sorted(rows, key=lambda row: str(row["area"]))


def letters_pdf(assembly: Assembly, url: str) -> bytes:
    """The invitation letters as one PDF, one page per letter (mail merge)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    invitations = assembly.invitations.select_related("area").order_by("position")
    html = render_to_string(
        "assemblies/letters.html",
        {
            "assembly": assembly,
            "letters": [(i, format_code(i.code)) for i in invitations],
            "url": url,
            "city": _city_name(),
        },
    )
    return HTML(string=html).write_pdf()


def letters_path(assembly: Assembly) -> Path:
    """Where the letters of an assembly are kept (they hold names: deleted with the data)."""
    return Path(settings.DATA_DIR) / "assemblies" / f"briefe-{assembly.pk}.pdf"


def write_letters(assembly: Assembly, url: str) -> Path:
    path = letters_path(assembly)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(letters_pdf(assembly, url))
    partial.replace(path)  # a download never sees half a file
    return path


def _city_name() -> str:
    from gemeinsinn.core.models import CityProfile

    return CityProfile.current().name


def print_shop_csv(assembly: Assembly) -> str:
    """The sample for a print shop: address block and code of every letter, in letter order."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Nr", "Vorname", "Nachname", "Straße", "Hausnummer", "PLZ", "Ort", "Code"])
    for i in assembly.invitations.order_by("position"):
        writer.writerow(
            [i.position, i.first_name, i.last_name, i.street, i.house_number, i.postcode,
             i.city, format_code(i.code)]
        )  # fmt: skip
    return out.getvalue()


# --- stage 2: volunteers ---------------------------------------------------------------------


def find_invitation(assembly: Assembly, text: str, client: str = "") -> Invitation:
    """The unanswered invitation of a code; wrong codes count towards the flood limit."""
    now = timezone.now()
    bucket = client_bucket(f"assembly{assembly.pk}", client) if client else ""
    limit, window = REGISTER_LIMIT
    if bucket and ratelimit.wait_seconds(bucket, limit, window, now):
        raise AssemblyError(
            _(
                "Sie haben zu oft einen falschen Code eingegeben. Bitte versuchen Sie es in "
                "einer Stunde noch einmal oder rufen Sie uns an."
            ),
            status=429,
        )
    invitation = Invitation.objects.filter(assembly=assembly, code=normalise_code(text)).first()
    if invitation is None:
        if bucket:
            ratelimit.count(bucket, now)
        raise AssemblyError(
            _(
                "Diesen Code kennen wir nicht. Bitte prüfen Sie die Schreibweise: acht Zeichen, "
                "zum Beispiel ABCD-EFGH, wie in Ihrem Brief."
            ),
            status=404,
        )
    if Volunteer.objects.filter(invitation=invitation).exists():
        raise AssemblyError(_used_code_message(), status=409)
    return invitation


def register_volunteer(
    assembly: Assembly,
    code: str,
    features: Mapping[str, str],
    *,
    consent: bool,
    email: str = "",
    phone: str = "",
    client: str = "",
    user=None,
) -> Volunteer:
    """Register a volunteer with the code of the letter (online, or staff for a paper
    reply when `user` is given). The district comes from the invitation."""
    if assembly.status != REGISTERING:
        raise AssemblyError(_("Für diesen Bürgerrat sind keine Anmeldungen mehr möglich."))
    invitation = find_invitation(assembly, code, client)
    if not consent:
        raise AssemblyError(
            _(
                "Bitte stimmen Sie der Verwendung Ihrer Angaben zu, sonst können wir Sie "
                "nicht aufnehmen."
            )
        )
    values = {}
    for feature in assembly.features:
        value = features.get(feature["name"], "")
        if value not in feature["values"]:
            raise AssemblyError(
                _("Bitte wählen Sie bei „%(feature)s“ eine Antwort aus.")
                % {"feature": feature["name"]}
            )
        values[feature["name"]] = value
    values = {assembly.district_feature: invitation.area.name, **values}
    now = timezone.now()
    for attempt in range(5):  # two registrations at once may pick the same pseudonym
        try:
            with transaction.atomic():
                number = Volunteer.objects.filter(assembly=assembly).count() + 1 + attempt
                return Volunteer.objects.create(
                    assembly=assembly,
                    invitation=invitation,
                    pseudonym=f"F{number:04d}",
                    features=values,
                    email=email,
                    phone=phone,
                    channel=Volunteer.PAPER if user is not None else Volunteer.ONLINE,
                    consent_at=now,
                    created_at=now,
                    entered_by=user,
                )
        except IntegrityError:
            if Volunteer.objects.filter(invitation=invitation).exists():
                raise AssemblyError(_used_code_message(), status=409) from None
    raise AssemblyError(_("Bitte senden Sie das Formular gleich noch einmal."), status=503)


def _used_code_message() -> str:
    return _("Mit diesem Code hat sich schon jemand angemeldet. Jeder Code gilt einmal.")


# --- quotas ----------------------------------------------------------------------------------

# age groups of the default features from the monitoring's counts (formula of count codes)
AGE_FORMULAS = {
    "18–24": "ew_15_25+ew_u15-ew_u18",
    "25–64": "ew_u65-ew_15_25-ew_u15",
    "65 und älter": "ew_65plus",
}
MIGRATION_FORMULAS = {"ja": "migration", "nein": "ew-migration"}
FEATURE_FORMULAS = {"Altersgruppe": AGE_FORMULAS, "Migrationsgeschichte": MIGRATION_FORMULAS}


@dataclass
class QuotaProposal:
    feature: str
    value: str
    minimum: int
    maximum: int
    target: float
    source: str  # German: where the share comes from


def propose_quotas(assembly: Assembly, margin: float = 0.5) -> list[QuotaProposal]:
    """Quotas around proportional targets: the districts' residents and the city's age and
    migration structure from the monitoring (latest year); features without data there get
    equal shares. min = ⌊target·(1−margin)⌋, max = ⌈target·(1+margin)⌉ (at least 1 apart)."""
    from gemeinsinn.monitoring.services import available_years, parse_formula, values_frame

    level = assembly.district_level
    k = assembly.panel_size
    areas = list(Area.objects.filter(level=level).order_by("key"))
    years = available_years(level)
    year = years[-1] if years else None
    codes = {c for f in FEATURE_FORMULAS.values() for t in f.values() for _s, c in parse_formula(t)}
    totals: dict[str, float] = {}
    by_area: dict[int, float] = {}
    if year is not None:
        frame = values_frame(level, sorted(codes | {"ew"}), [year])
        for code, area_id, _y, value, _flag in frame.rows():
            if value is not None:
                totals[code] = totals.get(code, 0.0) + value
                if code == "ew":
                    by_area[area_id] = value
    shares: list[tuple[str, dict[str, float], str]] = []
    population = {a.name: by_area.get(a.pk, a.population or 0) for a in areas}
    source = _("Monitoring %(year)s: Einwohnende") % {"year": year} if year else ""
    if not any(population.values()):
        population, source = {a.name: 1.0 for a in areas}, _("gleiche Anteile (keine Daten)")
    shares.append((assembly.district_feature, population, source))
    for feature in assembly.features:
        formulas = FEATURE_FORMULAS.get(feature["name"], {})
        counts = {}
        for value in feature["values"]:
            terms = parse_formula(formulas.get(value, ""))
            if terms and all(code in totals for _s, code in terms):
                counts[value] = max(0.0, sum(sign * totals[code] for sign, code in terms))
        if len(counts) == len(feature["values"]) and sum(counts.values()) > 0:
            shares.append((feature["name"], counts, _("Monitoring %(year)s") % {"year": year}))
        else:
            equal = {v: 1.0 for v in feature["values"]}
            if feature["name"] == "Geschlecht" and "divers" in equal:
                equal["divers"] = 0.0
            shares.append(
                (feature["name"], equal, _("gleiche Anteile (keine Daten im Monitoring)"))
            )
    proposals = []
    for feature, counts, origin in shares:
        whole = sum(counts.values())
        for value, count in counts.items():
            target = k * count / whole if whole else 0.0
            low = math.floor(target * (1 - margin))
            high = min(k, max(math.ceil(target * (1 + margin)), low + 1))
            proposals.append(QuotaProposal(feature, value, low, high, round(target, 2), origin))
    return proposals


def save_quotas(assembly: Assembly, rows: Sequence[QuotaProposal], user=None) -> None:
    """Replace the quotas; every problem at once in German."""
    problems = []
    known = {normalize(f): f for f in assembly.feature_names()}
    for number, row in enumerate(rows, start=1):
        if normalize(row.feature) not in known:
            problems.append(
                _("Zeile %(n)d: unbekanntes Merkmal „%(f)s“.") % {"n": number, "f": row.feature}
            )
        if row.minimum > row.maximum:
            problems.append(
                _("Zeile %(n)d (%(f)s = %(v)s): „mindestens“ ist größer als „höchstens“.")
                % {"n": number, "f": row.feature, "v": row.value}
            )
        if row.maximum > assembly.panel_size:
            problems.append(
                _("Zeile %(n)d (%(f)s = %(v)s): „höchstens“ ist größer als der Bürgerrat (%(k)d).")
                % {"n": number, "f": row.feature, "v": row.value, "k": assembly.panel_size}
            )
    if problems:
        raise AssemblyError(" ".join(problems))
    with transaction.atomic():
        kept = []
        for position, row in enumerate(rows):
            quota, _created = Quota.objects.update_or_create(
                assembly=assembly,
                feature=row.feature,
                value=row.value,
                defaults={
                    "minimum": row.minimum,
                    "maximum": row.maximum,
                    "target": row.target,
                    "position": position,
                },
            )
            kept.append(quota.pk)
        assembly.quotas.exclude(pk__in=kept).delete()
        record(
            "assemblies.quotas",
            _("Quoten für „%(name)s“ gespeichert") % {"name": assembly.name},
            actor=user,
            assembly=assembly.pk,
        )


def quotas_csv(assembly: Assembly) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["feature", "value", "min", "max"])
    for q in assembly.quotas.order_by("position"):
        writer.writerow([q.feature, q.value, q.minimum, q.maximum])
    return out.getvalue()


def _core_quotas(assembly: Assembly) -> list[CoreQuota]:
    return [
        CoreQuota(q.feature, q.value, q.minimum, q.maximum)
        for q in assembly.quotas.order_by("position")
    ]


def pool_volunteers(assembly: Assembly, exclude: Sequence[str] = ()) -> list[Volunteer]:
    """Volunteers who may be drawn: in the pool, not members of the last term."""
    volunteers = list(
        assembly.volunteers.filter(status=POOL).select_related("invitation").order_by("pseudonym")
    )
    return [v for v in volunteers if v.pseudonym not in set(exclude)]


def excluded_previous(assembly: Assembly) -> list[str]:
    if not _excludes_previous(assembly):
        return []
    keys = set(assembly.previous.member_keys)
    return [
        v.pseudonym
        for v in assembly.volunteers.select_related("invitation").order_by("pseudonym")
        if v.invitation.register_key in keys
    ]


def pool_csv(assembly: Assembly, volunteers: Sequence[Volunteer]) -> str:
    """The anonymised pool as published: pseudonym and features, no names."""
    names = assembly.feature_names()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *names])
    for v in volunteers:
        writer.writerow([v.pseudonym, *(v.features.get(n, "") for n in names)])
    return out.getvalue()


def build_pool(assembly: Assembly, volunteers: Sequence[Volunteer], size: int) -> Pool:
    if not assembly.quotas.exists():
        raise AssemblyError(_("Bitte zuerst die Quoten festlegen."))
    try:
        return Pool.from_records(
            [v.features for v in volunteers],
            _core_quotas(assembly),
            size,
            ids=[v.pseudonym for v in volunteers],
        )
    except InputError as error:
        raise AssemblyError(" ".join(str(p) for p in error.problems)) from None


def check_quotas(assembly: Assembly) -> FeasibilityReport:
    """The core's exact feasibility check with its relaxation suggestions (German)."""
    volunteers = pool_volunteers(assembly, excluded_previous(assembly))
    pool = build_pool(assembly, volunteers, assembly.panel_size)
    return check_feasibility(TypeModel.build(pool))


# --- the draw --------------------------------------------------------------------------------


@dataclass
class DrawInput:
    """What a draw is computed from, checked: the pool, its volunteers and who is left out."""

    pool: Pool
    volunteers: list[Volunteer]
    excluded: list[str]


def check_draw(assembly: Assembly, algorithm: str = "leximin") -> DrawInput:
    """Everything that can stop a draw before the long computation: raises `AssemblyError`
    (with the core's relaxation suggestions when the quotas are impossible)."""
    if algorithm not in ALGORITHMS:
        raise AssemblyError(_("Unbekanntes Verfahren."))
    if assembly.draws.filter(kind=Draw.PANEL).exists():
        raise AssemblyError(_("Für diesen Bürgerrat gibt es schon eine Auslosung."))
    if not assembly.seed_source.strip():
        raise AssemblyError(
            _("Bitte zuerst die Quelle des Startwerts ankündigen (z. B. „Lottozahlen vom …“).")
        )
    excluded = excluded_previous(assembly)
    volunteers = pool_volunteers(assembly, excluded)
    pool = build_pool(assembly, volunteers, assembly.panel_size)
    report = check_feasibility(TypeModel.build(pool))
    if not report.feasible:
        raise AssemblyError(" ".join(str(p) for p in report.problems))
    return DrawInput(pool, volunteers, excluded)


def prepare_draw(assembly: Assembly, user=None, algorithm: str = "leximin", progress=None) -> Draw:
    """Compute the fair distribution over panels and publish it with its SHA-256 before the
    seed is known (see `check_draw` for the errors; `progress` gets the core's reports)."""
    checked = check_draw(assembly, algorithm)
    pool, volunteers, excluded = checked.pool, checked.volunteers, checked.excluded
    started = time.monotonic()
    kwargs = {"progress": progress} if progress else {}
    _result, distribution, probabilities = compute_distribution(pool, algorithm, **kwargs)
    units = lottery.weight_units(distribution.weights)
    text = lottery.distribution_csv(distribution.panels, units, pool.ids)
    people, quotas = pool_csv(assembly, volunteers), quotas_csv(assembly)
    with transaction.atomic():
        draw = Draw.objects.create(
            assembly=assembly,
            kind=Draw.PANEL,
            algorithm=algorithm,
            software_version=gemeinsinn.__version__,
            seed_source=assembly.seed_source,
            seed="",
            pool_csv=people,
            quotas_csv=quotas,
            distribution_csv=text,
            pool_checksum=_checksum(people),
            quotas_checksum=_checksum(quotas),
            digest=lottery.digest(text),
            probabilities={
                pid: round(float(p), 10) for pid, p in zip(pool.ids, probabilities, strict=True)
            },
            probability_min=float(probabilities.min()),
            probability_max=float(probabilities.max()),
            excluded=excluded,
            seconds=round(time.monotonic() - started, 2),
            created_at=timezone.now(),
            created_by=user,
        )
        record("assemblies.distribution",
               _("Verteilung für „%(name)s“ veröffentlicht") % {"name": assembly.name},
               actor=user, assembly=assembly.pk, digest=draw.digest)  # fmt: skip
    return draw


def complete_draw(draw: Draw, seed: str, user=None) -> Draw:
    """Draw the panel from the published distribution and the seed from the announced source
    (exactly what `gemeinsinn assembly draw --distribution … --seed …` computes)."""
    seed = seed.strip()
    if not seed:
        raise AssemblyError(_("Bitte den Startwert aus der angekündigten Quelle eintragen."))
    if draw.panel_number is not None:
        raise AssemblyError(_("Diese Ziehung ist schon abgeschlossen."))
    number, ids, _sha = lottery.draw(draw.distribution_csv, seed)
    assembly = draw.assembly
    with transaction.atomic():
        draw.seed = seed
        draw.panel_number = number
        draw.panel = sorted(ids)
        draw.drawn_at = timezone.now()
        draw.save()
        members = assembly.volunteers.filter(pseudonym__in=ids)
        members.update(status=SELECTED)
        assembly.member_keys = sorted(
            {*assembly.member_keys, *members.values_list("invitation__register_key", flat=True)}
        )
        assembly.status = DRAWN
        assembly.save(update_fields=["member_keys", "status"])
        record("assemblies.draw", _("Bürgerrat „%(name)s“ ausgelost") % {"name": assembly.name},
               actor=user, assembly=assembly.pk, panel=number, seed=seed)  # fmt: skip
    return draw


def replace_member(
    assembly: Assembly, dropped: Volunteer, seed: str, user=None, seed_source: str = ""
) -> Draw:
    """Draw a replacement for a member who dropped out: among the remaining pool, those who
    keep every quota with the rest of the panel; if nobody does, those with the dropped
    member's features; else anybody. The candidates are published as a distribution with
    equal weights, so `gemeinsinn assembly draw` recomputes the choice from the seed, whose
    public source (`seed_source`) is recorded with it."""
    seed = seed.strip()
    if dropped.assembly_id != assembly.pk or dropped.status != SELECTED:
        raise AssemblyError(_("Nur ausgeloste Mitglieder können ersetzt werden."))
    if not seed:
        raise AssemblyError(_("Bitte einen Startwert für die Nachrücker-Ziehung angeben."))
    panel = [v for v in assembly.volunteers.filter(status=SELECTED) if v.pk != dropped.pk]
    remaining = pool_volunteers(assembly, excluded_previous(assembly))
    if not remaining:
        raise AssemblyError(_("Im Pool ist niemand mehr, der nachrücken kann."))
    quotas = list(assembly.quotas.all())

    def keeps_quotas(candidate: Volunteer) -> bool:
        members = [*panel, candidate]
        return all(
            q.minimum <= sum(m.features.get(q.feature) == q.value for m in members) <= q.maximum
            for q in quotas
        )

    names = assembly.feature_names()
    rules = [
        (keeps_quotas, _("Nachrücker halten alle Quoten ein.")),
        (
            lambda c: all(c.features.get(n) == dropped.features.get(n) for n in names),
            _("Niemand hält alle Quoten ein; Nachrücker haben dieselben Merkmale."),
        ),
        (lambda c: True, _("Niemand hält die Quoten ein; alle im Pool kommen in Frage.")),
    ]
    candidates, note = next(
        ([c for c in remaining if rule(c)], note)
        for rule, note in rules
        if any(rule(c) for c in remaining)
    )
    ids = [c.pseudonym for c in candidates]
    text = lottery.distribution_csv([[i] for i in range(len(ids))], [lottery.UNITS] * len(ids), ids)
    number, chosen, sha = lottery.draw(text, seed)
    people, quotas_text = pool_csv(assembly, remaining), quotas_csv(assembly)
    with transaction.atomic():
        draw = Draw.objects.create(
            assembly=assembly,
            kind=Draw.REPLACEMENT,
            algorithm="uniform",
            software_version=gemeinsinn.__version__,
            seed_source=seed_source or _("Startwert der Verwaltung"),
            seed=seed,
            pool_csv=people,
            quotas_csv=quotas_text,
            distribution_csv=text,
            pool_checksum=_checksum(people),
            quotas_checksum=_checksum(quotas_text),
            digest=sha,
            panel_number=number,
            panel=chosen,
            probability_min=1 / len(ids),
            probability_max=1 / len(ids),
            replaced=dropped.pseudonym,
            note=note,
            created_at=timezone.now(),
            drawn_at=timezone.now(),
            created_by=user,
        )
        dropped.status = DROPPED
        dropped.save(update_fields=["status"])
        successor = assembly.volunteers.get(pseudonym=chosen[0])
        successor.status = SELECTED
        successor.save(update_fields=["status"])
        assembly.member_keys = sorted({*assembly.member_keys, successor.invitation.register_key})
        assembly.save(update_fields=["member_keys"])
        record("assemblies.replacement",
               _("Nachrücker für „%(name)s“ gezogen") % {"name": assembly.name},
               actor=user, assembly=assembly.pk, dropped=dropped.pseudonym,
               successor=successor.pseudonym)  # fmt: skip
    return draw


def current_panel(assembly: Assembly) -> list[str]:
    return list(
        assembly.volunteers.filter(status=SELECTED)
        .order_by("pseudonym")
        .values_list("pseudonym", flat=True)
    )


# --- rotation and deletion -------------------------------------------------------------------


def next_term(assembly: Assembly, *, name: str, slug: str, term_start, term_end, user=None):
    """A new term of the council (annual rotation): same settings and quotas, members of
    this term excluded unless switched off."""
    with transaction.atomic():
        new = Assembly.objects.create(
            name=name, slug=slug, description=assembly.description,
            district_level=assembly.district_level, term_start=term_start, term_end=term_end,
            panel_size=assembly.panel_size, features=assembly.features,
            retention_days=assembly.retention_days, previous=assembly,
            exclude_previous_members=True,
        )  # fmt: skip
        Quota.objects.bulk_create(
            Quota(assembly=new, feature=q.feature, value=q.value, minimum=q.minimum,
                  maximum=q.maximum, target=q.target, position=q.position)
            for q in assembly.quotas.all()
        )  # fmt: skip
        record("assemblies.term", _("Neue Amtszeit „%(name)s“ angelegt") % {"name": name},
               actor=user, assembly=new.pk, previous=assembly.pk)  # fmt: skip
    return new


def deletion_date(assembly: Assembly) -> dt.date:
    return assembly.term_end + dt.timedelta(days=assembly.retention_days)


def delete_expired_personal_data(today: dt.date | None = None) -> list[Assembly]:
    """Delete names, addresses and contacts of every assembly whose retention ended. The
    public record (pseudonyms, features, draws) and the members' keyed hashes stay."""
    today = today or timezone.localdate()
    done = []
    for assembly in Assembly.objects.filter(personal_data_deleted_at__isnull=True):
        if deletion_date(assembly) < today:
            with transaction.atomic():
                count = assembly.invitations.count()
                assembly.invitations.all().delete()  # volunteers go with them
                letters_path(assembly).unlink(missing_ok=True)
                assembly.personal_data_deleted_at = timezone.now()
                assembly.save(update_fields=["personal_data_deleted_at"])
                record("assemblies.delete",
                       _("Personendaten von „%(name)s“ gelöscht (%(count)d Einladungen)")
                       % {"name": assembly.name, "count": count}, assembly=assembly.pk)  # fmt: skip
            done.append(assembly)
    return done
