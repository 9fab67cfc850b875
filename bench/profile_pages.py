"""Time and profile the heaviest entry and board pages of one large province, in one process.

    .venv/bin/python bench/profile_pages.py                 # ~900 agencies, 15 requests a page
    .venv/bin/python bench/profile_pages.py --communes 170 --requests 5 --top 0

A fresh SQLite database in a temporary directory is migrated and loaded, through the project's
import services (``agencies_import``, ``targets_import``, ``results_import``), with one
synthetic province of about 900 agencies: its committee, 20 departments, 30 districts and
``--communes`` communes, a plan for the year with 10 targets and the results of the 14 standard
indicators (bench/generate.py's generators), plus ``--other-provinces`` provinces of
bench/generate.py's national dataset for the comparison page. The plan is opened, a superuser
logged in with Django's test client (production settings: DEBUG off), and each page timed:

- ``plain``: ``GET /accounts/login/``, the yardstick;
- ``grid``: the entry grid of the largest tier (the communes), which is never cached;
- ``status``: the status board of the province's year;
- ``compare``: the comparison of the provinces for the year.

The pages are requested in turn, round-robin, so that noise from other processes falls on all
of them alike. "Cold" requests each follow a write through the services (one commune's yes/no
figure toggled), which moves the year's figures version on, so that no page finds its figures
kept; "warm" ones repeat the page unchanged. The table gives the median and the ratio to the
plain page's median; then, unless ``--top 0``, a cProfile of one cold request of each page,
its top functions by cumulative time.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(BASE_DIR), str(BASE_DIR / "bench")]

import generate  # noqa: E402  (bench/generate.py: the national dataset's generators)

YEAR = 2024
USERNAME = "profile"
PROVINCE = ("99", "Tỉnh Thử Nghiệm")


def configure(database: Path) -> None:
    """Set up Django with production settings (DEBUG off) on a SQLite file, as the tests do."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="egov_targets.settings",
        DEBUG="off",
        SECRET_KEY="profile-only-not-a-secret",
        DATABASE_URL=f"sqlite:///{database}",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        SECURE_SSL_REDIRECT="off",
        SECURE_COOKIES="off",
        PUBLIC_DASHBOARD="off",
        LOG_LEVEL="ERROR",
    )
    import django

    # Whitenoise warns that collectstatic has not run; the pages measured need no files.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def large_province(communes: int, rng: random.Random) -> list[dict]:
    """Return the agencies of the large province: committee, 20 departments, 30 districts,
    ``communes`` communes, all active in every year."""
    code, name = PROVINCE
    committee = f"{code}-UBND"
    agencies = [dict(code=committee, name=f"UBND tỉnh {name}", tier="province", parent="",
                     active_from="", active_to="")]
    for number, department in enumerate(generate.DEPARTMENTS[:20], 1):
        agencies.append(dict(code=f"{code}-S{number:02d}", name=department, tier="department",
                             parent=committee, active_from="", active_to=""))
    districts = []
    for number in range(1, 31):
        district = f"{code}-H{number:03d}"
        districts.append(district)
        kind = rng.choice(generate.DISTRICT_KINDS)
        agencies.append(dict(code=district,
                             name=f"UBND {kind} {rng.choice(generate.PLACE_NAMES)} {number}",
                             tier="district", parent=committee, active_from="", active_to=""))
    for number in range(1, communes + 1):
        kind = rng.choice(generate.COMMUNE_KINDS)
        agencies.append(dict(code=f"{code}-X{number:05d}",
                             name=f"UBND {kind} {rng.choice(generate.PLACE_NAMES)} {number}",
                             tier="commune", parent=rng.choice(districts),
                             active_from="", active_to=""))
    return agencies


def write_files(directory: Path, *, communes: int, others: int, seed: int) -> dict:
    """Write agencies.csv, targets.csv and results.csv (the year only); return their counts."""
    import csv

    counts = {"agencies": 0, "targets": 0, "results": 0}
    provinces = [(PROVINCE, None)] + [(p, None) for p in generate.PROVINCES[:others]]
    with (
        open(directory / "agencies.csv", "w", newline="", encoding="utf-8") as agencies_file,
        open(directory / "targets.csv", "w", newline="", encoding="utf-8") as targets_file,
        open(directory / "results.csv", "w", newline="", encoding="utf-8") as results_file,
    ):
        agencies_csv = csv.writer(agencies_file, lineterminator="\n")
        targets_csv = csv.writer(targets_file, lineterminator="\n")
        results_csv = csv.writer(results_file, lineterminator="\n")
        agencies_csv.writerow(generate.AGENCY_COLUMNS)
        targets_csv.writerow(generate.TARGET_COLUMNS)
        results_csv.writerow(generate.RESULT_COLUMNS)
        for (code, name), _unused in provinces:
            rng = random.Random(f"{seed}-{code}")
            if (code, name) == PROVINCE:
                agencies = large_province(communes, rng)
            else:
                agencies = generate.province_agencies(rng, code, name)
            for agency in agencies:
                agencies_csv.writerow([code, name, agency["code"], agency["name"],
                                       agency["tier"], agency["parent"], agency["active_from"],
                                       agency["active_to"]])
            counts["agencies"] += len(agencies)
            for row in generate.province_targets(rng):
                if row[0] == YEAR:
                    targets_csv.writerow([code, *row])
                    counts["targets"] += 1
            maturity = rng.uniform(0.3, 0.6)
            for agency in agencies:
                for row in generate.agency_results(rng, agency, maturity):
                    if row[0] == YEAR:
                        results_csv.writerow(row)
                        counts["results"] += 1
    return counts


def load(directory: Path) -> None:
    """Migrate, import the three files through the services, open the plans, add the user."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from plans.models import Plan
    from plans.services.imports import agencies_import, results_import, targets_import
    from plans.services.plans import plan_status_record

    call_command("migrate", verbosity=0)
    for name, service in (("agencies", agencies_import), ("targets", targets_import),
                          ("results", results_import)):
        with open(directory / f"{name}.csv", "rb") as source:
            service(source=source)
    user = get_user_model().objects.create_superuser(USERNAME, password="profile-only-2017")
    for plan in Plan.objects.filter(year=YEAR):
        plan.status = Plan.Status.OPEN
        plan_status_record(plan=plan, old_status=Plan.Status.DRAFT, user=user)


def measure(options) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from indicators.models import Indicator
    from plans.models import Agency, Plan, Result
    from plans.services.results import ResultEntry, results_record_grid

    user = get_user_model().objects.get(username=USERNAME)
    plan = Plan.objects.select_related("province").get(province__code=PROVINCE[0], year=YEAR)
    kwargs = {"province_code": PROVINCE[0], "year": YEAR}
    urls = {
        "plain": reverse("login"),
        "grid": reverse("plans:entry_grid", kwargs={**kwargs, "tier": "commune"}),
        "status": reverse("plans:status_board", kwargs=kwargs),
        "compare": reverse("plans:dashboard_compare", kwargs={"year": YEAR}),
    }
    client = Client()
    client.force_login(user)
    agency = Agency.objects.filter(province=plan.province, tier="commune").order_by("code")[0]
    yes_no = Indicator.objects.filter(kind=Indicator.Kind.YES_NO).order_by("code")[0]

    def write():
        """Toggle one commune's yes/no figure through the services: the figures move on."""
        current = Result.objects.filter(agency=agency, indicator=yes_no, year=YEAR).first()
        value = 0 if current is not None and current.value == 1 else 1
        results_record_grid(
            plan=plan, user=user, channel="grid",
            entries=[ResultEntry(agency=agency, indicator=yes_no, value=value,
                                 expected_version=current.version if current else 0)],
        )

    def get(path):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}, not 200")
        return len(response.content)

    sizes = {name: get(path) for name, path in urls.items()}
    for _round in range(options.warmup):
        for path in urls.values():
            get(path)
    queries = {}
    for name, path in urls.items():
        with CaptureQueriesContext(connection) as captured:
            get(path)
        queries[name] = len(captured.captured_queries)
    warm = {name: [] for name in urls}
    cold = {name: [] for name in urls}
    for _round in range(options.requests):
        for name, path in urls.items():
            started = time.perf_counter()
            get(path)
            warm[name].append(time.perf_counter() - started)
        for name, path in urls.items():
            write()
            started = time.perf_counter()
            get(path)
            cold[name].append(time.perf_counter() - started)

    plain = statistics.median(cold["plain"])
    rows = plan.province.agencies.filter(tier="commune").count()
    print(f"\nProvince {PROVINCE[0]}: {plan.province.agencies.count()} agencies, grid of "
          f"{rows} communes; {options.requests} requests a page, warm and cold; "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print(f"{'page':<9} {'warm ms':>9} {'warm x':>7} {'cold ms':>9} {'cold x':>7} "
          f"{'queries':>8} {'KiB':>7}")
    for name in urls:
        warm_ms, cold_ms = statistics.median(warm[name]), statistics.median(cold[name])
        print(f"{name:<9} {warm_ms * 1000:9.1f} {warm_ms / plain:6.1f}x {cold_ms * 1000:9.1f} "
              f"{cold_ms / plain:6.1f}x {queries[name]:8d} {sizes[name] / 1024:7.0f}")
    if not options.top:
        return
    for name, path in urls.items():
        write()
        profiler = cProfile.Profile()
        profiler.runcall(get, path)
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats(options.sort).print_stats(options.top)
        print(f"\n===== {name} {path}: one cold request, top {options.top} by {options.sort}")
        print(stream.getvalue().split("\n", 4)[-1].strip("\n"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=850,
                        help="communes of the large province (default 850)")
    parser.add_argument("--other-provinces", type=int, default=4,
                        help="provinces of bench/generate.py beside it, for the comparison")
    parser.add_argument("--requests", type=int, default=15, help="timed requests a page")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up requests a page")
    parser.add_argument("--top", type=int, default=25,
                        help="functions listed per profile; 0: no profile")
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"),
                        help="the profiles' order: cumulative (default) or own time")
    parser.add_argument("--seed", type=int, default=2017)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-pages-") as tmp:
        directory = Path(tmp)
        configure(directory / "db.sqlite3")
        started = time.perf_counter()
        counts = write_files(directory, communes=options.communes,
                             others=options.other_provinces, seed=options.seed)
        load(directory)
        print(f"Loaded {counts['agencies']:,} agencies, {counts['targets']} targets, "
              f"{counts['results']:,} results in {time.perf_counter() - started:.1f} s")
        measure(options)


if __name__ == "__main__":
    main()
