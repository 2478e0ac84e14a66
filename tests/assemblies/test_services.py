"""The Bürgerrat's use cases: the stratified sample with codes, registration and its errors,
quotas from the monitoring, the public draw recomputed with the command line, replacement,
rotation, deletion after the term."""

import datetime as dt
import hashlib

import pytest

from gemeinsinn.assemblies import services
from gemeinsinn.assemblies.models import (
    DRAWN,
    DROPPED,
    REGISTERING,
    SELECTED,
    Draw,
    Invitation,
    Volunteer,
)
from gemeinsinn.commands import assembly as assembly_command
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.formats.problems import InputError
from tests.assemblies.conftest import HEADER, register_bytes, volunteer_all

pytestmark = pytest.mark.django_db


# --- the register and the sample ---------------------------------------------------------------


def test_sample_is_stratified_by_district_one_letter_per_household(assembly):
    invitations = services.draw_sample(assembly, register_bytes(), "register.csv", 40, "s1")
    assembly.refresh_from_db()
    by_district = {}
    for invitation in invitations:
        by_district[invitation.area.key] = by_district.get(invitation.area.key, 0) + 1
    assert by_district == {"01": 30, "02": 10}  # 300 : 100 residents
    households = {(i.street, i.house_number, i.postcode) for i in invitations}
    assert len(households) == 40
    assert assembly.status == REGISTERING
    assert assembly.register_rows == 400
    assert assembly.register_checksum == hashlib.sha256(register_bytes()).hexdigest()
    assert {v["invited"] for v in assembly.sample_plan.values()} == {30, 10}
    assert AuditEvent.objects.filter(action="assemblies.sample").count() == 1


def test_sample_is_reproducible_from_the_seed(assembly, city_with_ages):
    from gemeinsinn.assemblies.models import Assembly

    services.draw_sample(assembly, register_bytes(), "register.csv", 40, "gleicher-startwert")
    first = sorted(Invitation.objects.values_list("register_key", flat=True))
    other = Assembly.objects.create(
        name="B", slug="b", district_level=assembly.district_level, term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2027, 12, 31), panel_size=6, features=assembly.features,
    )  # fmt: skip
    services.draw_sample(other, register_bytes(), "register.csv", 40, "gleicher-startwert")
    assert sorted(other.invitations.values_list("register_key", flat=True)) == first
    third = Assembly.objects.create(
        name="C", slug="c", district_level=assembly.district_level, term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2027, 12, 31), panel_size=6, features=assembly.features,
    )  # fmt: skip
    services.draw_sample(third, register_bytes(), "register.csv", 40, "anderer-startwert")
    assert sorted(third.invitations.values_list("register_key", flat=True)) != first


def test_small_district_gives_its_share_to_the_others(assembly):
    # district 02 has 100 residents but only 2 households
    data = register_bytes((("01", 300),), household=2) + register_bytes(
        (("02", 100),), household=50
    ).split(b"\r\n", 1)[1].replace(b"R0", b"X0")
    invitations = services.draw_sample(assembly, data, "register.csv", 40, "s")
    keys = [i.area.key for i in invitations]
    assert keys.count("02") == 2 and keys.count("01") == 38


def test_codes_are_unique_and_readable(sampled):
    codes = list(sampled.invitations.values_list("code", flat=True))
    assert len(set(codes)) == 40
    assert all(len(c) == 8 and not set(c) & set("01IO") for c in codes)


def test_bad_register_reports_every_problem_and_stores_nothing(assembly):
    data = "\n".join(
        [
            HEADER,
            "R1;Anna;Alt;Weg;1;10100;Kleinstadt;1970;w;01",
            "R1;Bernd;Alt;Weg;2;10100;Kleinstadt;1970;m;01",
            "R3;;Alt;Weg;3;10100;Kleinstadt;neunzehn;m;01",
            "R4;Cem;Alt;Weg;4;10100;Kleinstadt;1980;m;Atlantis",
        ]
    ).encode()
    with pytest.raises(InputError) as error:
        services.draw_sample(assembly, data, "register.csv", 2)
    texts = [str(p) for p in error.value.problems]
    assert any("Zeile 3" in t and "doppelt (schon in Zeile 2)" in t for t in texts)
    assert any("Zeile 4, Spalte Vorname: Leere Zelle" in t for t in texts)
    assert any("Zeile 4, Spalte Geburtsjahr" in t and "neunzehn" in t for t in texts)
    assert any("Zeile 5, Spalte Gebiet" in t and "Atlantis" in t for t in texts)
    assert not Invitation.objects.exists()


def test_register_without_district_column_names_the_columns(assembly):
    data = b"id;Vorname;Nachname\nR1;A;B\n"
    with pytest.raises(InputError) as error:
        services.read_register(data, "register.csv", assembly)
    assert "Spalte „Straße“ fehlt" in str(error.value)
    assert "Spalte „Gebiet“ fehlt" in str(error.value)


def test_sample_larger_than_households_is_refused(assembly):
    with pytest.raises(services.AssemblyError, match="zwischen 1 und 200"):
        services.draw_sample(assembly, register_bytes(), "register.csv", 500)


def test_letters_pdf_has_one_page_per_letter(sampled):
    import io

    from pypdf import PdfReader

    pdf = services.letters_pdf(sampled, "https://stadt.example/buergerrat/br-kleinstadt/anmelden/")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 40
    first = sampled.invitations.order_by("position").first()
    text = reader.pages[0].extract_text()
    assert services.format_code(first.code) in text
    assert f"{first.first_name} {first.last_name}" in text
    assert "stadt.example/buergerrat/br-kleinstadt/anmelden/" in text


def test_print_shop_csv(sampled):
    lines = services.print_shop_csv(sampled).splitlines()
    assert lines[0] == "Nr;Vorname;Nachname;Straße;Hausnummer;PLZ;Ort;Code"
    assert len(lines) == 41


# --- registration ------------------------------------------------------------------------------


def test_registration_takes_the_district_from_the_letter(sampled):
    invitation = sampled.invitations.get(position=35)
    volunteer = services.register_volunteer(
        sampled,
        invitation.code.lower()[:4] + "-" + invitation.code[4:],
        {"Geschlecht": "divers", "Altersgruppe": "18–24"},
        consent=True,
        email="x@example.org",
    )
    assert volunteer.features == {
        "Stadtteil": "Neustadt", "Geschlecht": "divers", "Altersgruppe": "18–24",
    }  # fmt: skip
    assert volunteer.pseudonym == "F0001" and volunteer.channel == Volunteer.ONLINE


def test_registration_errors(sampled, office):
    code = sampled.invitations.first().code
    good = {"Geschlecht": "weiblich", "Altersgruppe": "25–64"}
    with pytest.raises(services.AssemblyError) as unknown:
        services.register_volunteer(sampled, "ZZZZ-ZZZZ", good, consent=True)
    assert unknown.value.status == 404 and "kennen wir nicht" in unknown.value.message
    with pytest.raises(services.AssemblyError, match="Einverständnis|zu, sonst"):
        services.register_volunteer(sampled, code, good, consent=False)
    with pytest.raises(services.AssemblyError, match="„Altersgruppe“"):
        services.register_volunteer(sampled, code, {"Geschlecht": "weiblich"}, consent=True)
    paper = services.register_volunteer(sampled, code, good, consent=True, user=office)
    assert paper.channel == Volunteer.PAPER and paper.entered_by == office
    with pytest.raises(services.AssemblyError) as used:
        services.register_volunteer(sampled, code, good, consent=True)
    assert used.value.status == 409
    assert Volunteer.objects.count() == 1


def test_wrong_codes_are_limited_per_client(sampled):
    good = {"Geschlecht": "weiblich", "Altersgruppe": "25–64"}
    for _ in range(services.REGISTER_LIMIT[0]):
        with pytest.raises(services.AssemblyError):
            services.register_volunteer(sampled, "AAAA-AAAA", good, consent=True, client="1.2.3.4")
    code = sampled.invitations.first().code
    with pytest.raises(services.AssemblyError) as blocked:
        services.register_volunteer(sampled, code, good, consent=True, client="1.2.3.4")
    assert blocked.value.status == 429
    services.register_volunteer(sampled, code, good, consent=True, client="5.6.7.8")


# --- quotas ------------------------------------------------------------------------------------


def test_quotas_are_proposed_from_the_monitoring(sampled):
    rows = {(p.feature, p.value): p for p in services.propose_quotas(sampled)}

    # residents 2025: Altstadt 1224 + 918 = 2142, Neustadt 1530 + 255 = 1785; k = 6
    def bounds(feature, value):
        return rows[(feature, value)].minimum, rows[(feature, value)].maximum

    assert rows[("Stadtteil", "Altstadt")].target == pytest.approx(3.27)
    assert bounds("Stadtteil", "Altstadt") == (1, 5)
    # ages: 18–24 = 500 + 653 − 790 = 363, 25–64 = 3345 − 500 − 653 = 2192, 65+ = 590
    assert rows[("Altersgruppe", "18–24")].target == pytest.approx(6 * 363 / 3145, abs=0.01)
    assert bounds("Altersgruppe", "25–64") == (2, 6)
    assert bounds("Altersgruppe", "65 und älter") == (0, 2)
    # no gender in the monitoring: equal shares, "divers" without a target
    assert rows[("Geschlecht", "weiblich")].target == 3.0
    assert (rows[("Geschlecht", "divers")].minimum, rows[("Geschlecht", "divers")].maximum) == (
        0,
        1,
    )
    assert "gleiche Anteile" in rows[("Geschlecht", "weiblich")].source


def test_quota_errors(sampled):
    rows = services.propose_quotas(sampled)
    rows[0].minimum, rows[0].maximum = 4, 2
    rows[1].maximum = 9
    with pytest.raises(services.AssemblyError) as error:
        services.save_quotas(sampled, rows)
    assert "„mindestens“ ist größer als „höchstens“" in error.value.message
    assert "größer als der Bürgerrat (6)" in error.value.message
    assert not sampled.quotas.exists()


def test_impossible_quotas_get_relaxation_suggestions(sampled):
    volunteer_all(sampled)
    rows = services.propose_quotas(sampled)
    for row in rows:
        if row.value == "divers":
            row.minimum = 1
    services.save_quotas(sampled, rows)
    report = services.check_quotas(sampled)
    assert not report.feasible
    assert [r.describe() for r in report.relaxations] == [
        "Mindestwert für Geschlecht = divers von 1 auf 0 senken (um 1)"
    ]
    with pytest.raises(services.AssemblyError, match="divers von 1 auf 0"):
        services.prepare_draw(sampled)


# --- the draw and its public record ------------------------------------------------------------


@pytest.fixture
def drawn(sampled):
    volunteer_all(sampled)
    services.save_quotas(sampled, services.propose_quotas(sampled))
    draw = services.prepare_draw(sampled)
    return services.complete_draw(draw, "3 11 19 27 38 45")


def test_draw_stores_distribution_probabilities_and_panel(drawn):
    assembly = drawn.assembly
    assembly.refresh_from_db()
    assert assembly.status == DRAWN
    assert drawn.algorithm == "leximin" and drawn.panel_number >= 1
    assert len(drawn.panel) == 6
    assert sorted(services.current_panel(assembly)) == drawn.panel
    assert sum(drawn.probabilities.values()) == pytest.approx(6, abs=1e-6)
    assert drawn.probability_min == pytest.approx(min(drawn.probabilities.values()))
    assert drawn.digest == hashlib.sha256(drawn.distribution_csv.encode()).hexdigest()
    assert drawn.pool_checksum == hashlib.sha256(drawn.pool_csv.encode()).hexdigest()
    assert drawn.pool_csv.splitlines()[0] == "id,Stadtteil,Geschlecht,Altersgruppe"
    assert "Nach" not in drawn.pool_csv and "Weg" not in drawn.pool_csv  # no names, no streets
    assert len(assembly.member_keys) == 6


def download(client, draw, name, directory):
    """A published file as anyone gets it from the public page, saved unchanged."""
    from django.urls import reverse

    response = client.get(reverse("assemblies:download", args=[draw.assembly.slug, draw.pk, name]))
    assert response.status_code == 200
    path = directory / name
    path.write_bytes(response.content)
    return path


def test_published_draw_is_recomputed_by_the_command(drawn, client, tmp_path, capsys):
    distribution = download(client, drawn, "verteilung.csv", tmp_path)
    code = assembly_command.main(
        ["draw", "--distribution", str(distribution), "--seed", drawn.seed]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert f"Gezogen: Gremium Nr. {drawn.panel_number}" in out
    chosen = out.split("Ausgewählt: ")[1].strip().split(", ")
    assert sorted(chosen) == drawn.panel


def test_draw_needs_an_announced_seed_source_and_happens_once(drawn):
    assembly = drawn.assembly
    with pytest.raises(services.AssemblyError, match="schon eine Auslosung"):
        services.prepare_draw(assembly)
    with pytest.raises(services.AssemblyError, match="schon abgeschlossen"):
        services.complete_draw(drawn, "1 2 3")


def test_replacement_keeps_the_quotas_and_is_recomputable(drawn, client, tmp_path, capsys):
    assembly = drawn.assembly
    dropped = assembly.volunteers.get(pseudonym=drawn.panel[0])
    replacement = services.replace_member(assembly, dropped, "Nachrücker 1")
    dropped.refresh_from_db()
    assert dropped.status == DROPPED
    successor = assembly.volunteers.get(pseudonym=replacement.panel[0])
    assert successor.status == SELECTED
    panel = list(assembly.volunteers.filter(status=SELECTED))
    assert len(panel) == 6
    for quota in assembly.quotas.all():
        count = sum(m.features[quota.feature] == quota.value for m in panel)
        assert quota.minimum <= count <= quota.maximum, quota
    assert replacement.kind == Draw.REPLACEMENT and replacement.replaced == dropped.pseudonym
    path = download(client, replacement, "verteilung.csv", tmp_path)
    assert (
        assembly_command.main(["draw", "--distribution", str(path), "--seed", "Nachrücker 1"]) == 0
    )
    assert f"Ausgewählt: {successor.pseudonym}" in capsys.readouterr().out


def test_rotation_excludes_members_of_the_last_term(drawn):
    first = drawn.assembly
    first.refresh_from_db()
    second = services.next_term(
        first, name="Bürgerrat 2028", slug="br-2028", term_start=dt.date(2028, 1, 1),
        term_end=dt.date(2028, 12, 31),
    )  # fmt: skip
    assert second.quotas.count() == first.quotas.count()
    invitations = services.draw_sample(second, register_bytes(), "register.csv", 194, "s2")
    invited = {i.register_key for i in invitations}
    assert not invited & set(first.member_keys)
    # a member invited anyway (e.g. a register without the exclusion) is left out of the draw
    member = first.volunteers.get(pseudonym=drawn.panel[0]).invitation
    second.exclude_previous_members = True
    volunteer_all(second, 30)
    second.invitations.filter(pk=second.invitations.first().pk).update(
        register_key=member.register_key
    )
    assert services.excluded_previous(second) == ["F0001"]
    assert "F0001" not in [v.pseudonym for v in services.pool_volunteers(second, ["F0001"])]


def test_personal_data_is_deleted_after_the_term(drawn):
    assembly = drawn.assembly
    assembly.refresh_from_db()
    assert services.deletion_date(assembly) == dt.date(2028, 3, 30)
    assert services.delete_expired_personal_data(dt.date(2028, 3, 30)) == []
    assert services.delete_expired_personal_data(dt.date(2028, 3, 31)) == [assembly]
    assert not Invitation.objects.exists() and not Volunteer.objects.exists()
    drawn.refresh_from_db()
    assert len(drawn.panel) == 6 and len(assembly.member_keys) == 6  # the public record stays


def test_erase_command(drawn, capsys):
    from django.core.management import call_command

    assembly = drawn.assembly
    assembly.term_end = dt.date(2020, 1, 1)
    assembly.save()
    call_command("erase_assembly_data")
    assert "1 Bürgerräte: Bürgerrat Kleinstadt" in capsys.readouterr().out
    assert not Invitation.objects.exists()


def test_volunteer_data_in_the_privacy_download(sampled, db):
    from gemeinsinn.accounts.services import personal_data
    from tests.assemblies.conftest import make_user

    user = make_user("anna")
    invitation = sampled.invitations.first()
    services.register_volunteer(
        sampled, invitation.code, {"Geschlecht": "weiblich", "Altersgruppe": "25–64"},
        consent=True, email="ANNA@stadt.example",
    )  # fmt: skip
    data = personal_data(user)["buergerrat"]
    assert data[0]["name"] == f"{invitation.first_name} {invitation.last_name}"
    assert data[0]["merkmale"]["Stadtteil"] == "Altstadt"


def test_permissions(office, planner, db):
    from django.contrib.auth.models import AnonymousUser

    assert services.may_manage(office)
    assert not services.may_manage(planner)
    assert not services.may_manage(AnonymousUser())


def test_published_files_recompute_the_distribution_with_the_command(drawn, client, tmp_path):
    people = download(client, drawn, "freiwillige.csv", tmp_path)
    quotas = download(client, drawn, "quoten.csv", tmp_path)
    out = tmp_path / "nachgerechnet.csv"
    code = assembly_command.main(
        ["select", "--people", str(people), "--quotas", str(quotas), "--size", "6",
         "--id-column", "id", "--seed", drawn.seed, "--distribution", str(out), "--quiet"]
    )  # fmt: skip
    assert code == 0
    assert hashlib.sha256(out.read_bytes()).hexdigest() == drawn.digest


def test_assembly_settings_are_checked(assembly):
    from django.core.exceptions import ValidationError

    assembly.term_end = dt.date(2026, 1, 1)
    assembly.features = [
        {"name": "Geschlecht", "values": ["weiblich"]},
        {"name": "Stadtteil", "values": ["a", "b"]},
        {"values": ["a", "b"]},
    ]
    with pytest.raises(ValidationError) as error:
        assembly.full_clean()
    messages = error.value.message_dict
    assert messages["term_end"] == ["Das Ende der Amtszeit liegt vor ihrem Beginn."]
    assert messages["features"] == [
        "Merkmal „Geschlecht“ braucht mindestens zwei verschiedene Ausprägungen („values“).",
        "Das Merkmal „Stadtteil“ kommt doppelt vor.",
        "Merkmal 3 braucht einen Namen („name“).",
    ]


def test_pseudonym_taken_at_the_same_time_is_retried(sampled):
    good = {"Geschlecht": "weiblich", "Altersgruppe": "25–64"}
    first, second = sampled.invitations.order_by("position")[:2]
    services.register_volunteer(sampled, first.code, good, consent=True)
    Volunteer.objects.update(pseudonym="F0002")  # as if another registration got there first
    volunteer = services.register_volunteer(sampled, second.code, good, consent=True)
    assert volunteer.pseudonym == "F0003"


DIRECTORY = (
    "Straße;Hausnummer von;Hausnummer bis;Gebiet\n"
    "Lindenweg;1;20;Altstadt\n"
    "Lindenweg;21;99;02\n"
    "Am Markt;;;01\n"
).encode()


def test_street_directory_gives_the_districts(assembly):
    directory = services.read_street_directory(DIRECTORY, "strassen.csv", assembly.district_level)
    register = (
        "id;Vorname;Nachname;Straße;Hausnummer;PLZ;Ort;Geburtsjahr;Geschlecht\n"
        "R1;Anna;A;Lindenweg;3a;10100;Kleinstadt;1970;w\n"
        "R2;Bert;B;lindenweg ;40;10100;Kleinstadt;1980;m\n"
        "R3;Cem;C;Am Markt;7;10100;Kleinstadt;1990;m\n"
    ).encode()
    residents = services.read_register(register, "register.csv", assembly, directory)
    names = {r.register_id: r.area_id for r in residents}
    areas = dict(assembly.district_level.areas.values_list("key", "pk"))
    assert names == {"R1": areas["01"], "R2": areas["02"], "R3": areas["01"]}
    invitations = services.draw_sample(
        assembly, register, "register.csv", 3, "s", directory=directory
    )
    assert sorted(i.area.key for i in invitations) == ["01", "01", "02"]


def test_addresses_missing_from_the_street_directory(assembly):
    directory = services.read_street_directory(DIRECTORY, "strassen.csv", assembly.district_level)
    register = (
        "id;Vorname;Nachname;Straße;Hausnummer;PLZ;Ort;Geburtsjahr;Geschlecht\n"
        "R1;Anna;A;Lindenweg;120;10100;Kleinstadt;1970;w\n"
        "R2;Bert;B;Gartenweg;4;10100;Kleinstadt;1980;m\n"
    ).encode()
    with pytest.raises(InputError) as error:
        services.read_register(register, "register.csv", assembly, directory)
    texts = [str(p) for p in error.value.problems]
    assert texts[0].startswith("register.csv, Zeile 2, Spalte Straße: Die Adresse „Lindenweg 120“")
    assert "„Gartenweg 4“ steht nicht im Straßenverzeichnis" in texts[1]


def test_bad_street_directory(assembly):
    data = "Straße;Hausnummer von;Hausnummer bis;Gebiet\nLindenweg;30;20;01\n;;;Atlantis\n"
    with pytest.raises(InputError) as error:
        services.read_street_directory(data.encode(), "strassen.csv", assembly.district_level)
    texts = [str(p) for p in error.value.problems]
    assert any("Zeile 2" in t and "„30“ bis „20“ ist ungültig" in t for t in texts)
    assert any("Zeile 3, Spalte Straße: Leere Zelle" in t for t in texts)
    assert any("Zeile 3, Spalte Gebiet: Gebiet „Atlantis“ ist unbekannt" in t for t in texts)


PICK = """
import django, sys
django.setup()
from gemeinsinn.assemblies.register import Resident
from gemeinsinn.assemblies.services import pick_residents
households = {}
for n in range(300):
    street, number = f"Weg {n % 7}", str(n // 3)
    r = Resident(n + 2, f"R{n}", "V", "N", street, number, "10100", "K", 1970, "", n % 3)
    households.setdefault(r.household(), []).append(r)
plan = {0: 5, 1: 7, 2: 3}
print(",".join(r.register_id for r in pick_residents(households, plan, "startwert")))
"""


def test_sample_is_the_same_in_every_process(tmp_path):
    import os
    import subprocess
    import sys

    results = set()
    for hash_seed in ("1", "2", "random"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "GEMEINSINN_DATA_DIR": str(tmp_path),
               "DJANGO_SETTINGS_MODULE": "gemeinsinn.settings"}  # fmt: skip
        run = subprocess.run(
            [sys.executable, "-c", PICK], env=env, capture_output=True, text=True, check=True
        )
        results.add(run.stdout.strip())
    assert len(results) == 1
    assert len(results.pop().split(",")) == 15
