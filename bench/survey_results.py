"""Benchmark: survey results for 50 000 responses × 40 questions by 100 areas, on SQLite in a
fresh data directory.

A form with 40 questions (25 five-point scales, 5 multiple choice with 8 options, 5 whole
numbers, 3 decimals, 2 texts) and 100 areas; the responses are written in bulk. Measured,
median of several runs:

1. reading the answers once into a polars frame (SQL + ndjson parsing); afterwards the
   frame is kept in the process while the responses stay the same,
2. the results of all 40 questions overall, and broken down by the 100 areas,
3. the staff results page by area through the whole Django stack (view, template, HTML).

Target (issue 3): the results by 100 areas render in under 1 s.

    .venv/bin/python -m bench.survey_results [--responses 50000] [--runs 5]
"""

import argparse
import io
import json
import os
import random
import statistics
import tempfile
import time

AREAS = 100
SCALES, MULTIPLE, INTEGERS, DECIMALS, TEXTS = 25, 5, 5, 3, 2


def form_bytes() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "required", "appearance"])
    for i in range(SCALES):
        survey.append(["select_one skala", f"s{i}", f"Skala {i}", "yes", "likert"])
    for i in range(MULTIPLE):
        survey.append(["select_multiple angebot", f"m{i}", f"Mehrfach {i}", "", ""])
    for i in range(INTEGERS):
        survey.append(["integer", f"n{i}", f"Zahl {i}", "", ""])
    for i in range(DECIMALS):
        survey.append(["decimal", f"d{i}", f"Dezimal {i}", "", ""])
    for i in range(TEXTS):
        survey.append(["text", f"t{i}", f"Text {i}", "", ""])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for i in range(5):
        choices.append(["skala", f"k{i}", f"Stufe {i}"])
    for i in range(8):
        choices.append(["angebot", f"a{i}", f"Angebot {i}"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append(["Benchmark-Umfrage", "bench"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_city(areas: int = AREAS):
    """A fresh database with ``areas`` square districts of 5 000 residents each."""
    import datetime as dt

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gemeinsinn.areas import services as area_services
    from gemeinsinn.areas.models import Area
    from gemeinsinn.core.models import CityProfile

    CityProfile.objects.create(name="Benchstadt")
    (level,) = area_services.ensure_levels([("bezirk", "Bezirk", "Bezirke", 0, False)])

    def square(i):
        x0, y0 = 7.0 + 0.01 * (i % 10), 51.0 + 0.01 * (i // 10)
        ring = [[x0, y0], [x0 + 0.01, y0], [x0 + 0.01, y0 + 0.01], [x0, y0 + 0.01], [x0, y0]]
        return {"type": "Polygon", "coordinates": [ring]}

    features = [
        {"type": "Feature", "properties": {"key": f"{i:03d}", "name": f"Bezirk {i}"},
         "geometry": square(i)}
        for i in range(areas)
    ]  # fmt: skip
    area_services.import_boundaries(
        json.dumps({"type": "FeatureCollection", "features": features}).encode(),
        "bezirke.geojson",
        level,
        valid_from=dt.date(2020, 1, 1),
    )
    Area.objects.update(population=5000)
    return level


def prepare(responses: int):
    from django.utils import timezone

    from gemeinsinn.areas.models import Area
    from gemeinsinn.surveys import services
    from gemeinsinn.surveys.models import Response

    level = make_city()
    survey = services.import_survey(form_bytes(), "bench.xlsx")
    areas = list(Area.objects.filter(level=level).values_list("id", flat=True))
    rng = random.Random(3)
    now = timezone.now()
    rows = []
    for _ in range(responses):
        answers = {f"s{i}": f"k{rng.randrange(5)}" for i in range(SCALES)}
        for i in range(MULTIPLE):
            answers[f"m{i}"] = sorted(rng.sample([f"a{j}" for j in range(8)], rng.randint(1, 3)))
        for i in range(INTEGERS):
            answers[f"n{i}"] = rng.randrange(100)
        for i in range(DECIMALS):
            answers[f"d{i}"] = round(rng.uniform(0, 10), 2)
        for i in range(TEXTS):
            if rng.random() < 0.3:
                answers[f"t{i}"] = "Ein kurzer Freitext zur Umfrage."
        rows.append(
            Response(survey=survey, area_id=rng.choice(areas), answers=answers, submitted_at=now)
        )
    Response.objects.bulk_create(rows, batch_size=5000)
    return survey


def median_time(function, runs: int) -> tuple[float, float, float, float]:
    """Median, min and max wall time, and the median CPU time of this process."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), min(times), max(times), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile the results page")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="gemeinsinn-bench-surveys-")
    os.environ["GEMEINSINN_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gemeinsinn.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from gemeinsinn.surveys import services

    start = time.perf_counter()
    survey = prepare(args.responses)
    print(f"prepared {args.responses} responses × 40 questions in {AREAS} areas "
          f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
    frame = services.answers_frame(survey)
    assert frame.height == args.responses and frame.width == 41
    user = get_user_model().objects.create_user("bench", "b@example.org", "x", is_staff=True)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = f"/verwaltung/umfragen/{survey.slug}/ergebnisse/?nach=area"
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    size = len(page.content)
    from gemeinsinn.surveys import results as results_module

    def cold_read():
        results_module._FRAMES.clear()
        return services.answers_frame(survey)

    cases = [
        ("read the answers into a polars frame (cold, once)", cold_read),
        (
            "answers frame when already read (checks count and max id)",
            lambda: services.answers_frame(survey),
        ),
        ("results of 40 questions overall", lambda: services.results_all(survey)),
        ("results of 40 questions by 100 areas", lambda: services.results_all(survey, by="area")),
        (
            "results by 100 areas, weighted",
            lambda: services.results_all(survey, by="area", weighted=True),
        ),
        (f"results page by area, whole stack ({size // 1024} KiB HTML)", lambda: client.get(url)),
    ]
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(client.get, url)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    for name, function in cases:
        median, low, high, cpu = median_time(function, args.runs)
        print(
            f"{name}: median {median:.3f} s (min {low:.3f}, max {high:.3f}; CPU {cpu:.3f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
