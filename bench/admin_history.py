"""Time the admin's history (the ``Change`` change list) with 2,000,000 entries, on SQLite and
on PostgreSQL, before and after issue 10's indexes and bounded paginator.

    .venv/bin/python bench/admin_history.py                                 # 2 M, both
    .venv/bin/python bench/admin_history.py --entries 200000 --backends sqlite   # quick

For each database, on a fresh database (PostgreSQL: a throwaway cluster, as ``bench/run.py``
starts it):

1. fill: migrate, drop the history indexes of migration 0006 (so that the fill writes no index
   it does not need and the first pass sees the old schema), then 63 provinces, 12,600 agencies,
   176,400 results, 630 plans with 6,300 targets and 600 officers through ``bulk_create``, and
   the entries in one ``INSERT ... SELECT`` over ``generate_series`` (PostgreSQL) or a recursive
   CTE (SQLite): the same rows on both databases, ids and times computed from the row number.
   97 % of the entries are of a result, 2 % of a target, 1 % of a plan; channels grid 50 %,
   upload 30 %, agency 10 %, admin 5 %, command 3 %, demo 2 %; 3 % without a user; one entry
   every ~63 s over the last four years, newest last. Then ANALYZE.
2. before: Django's own paginator (a full COUNT(*) per page) and no history indexes: the
   behaviour before issue 10.
3. after: the indexes created (as migration 0006 creates them), ANALYZE, the project's admin.

Each pass loads every page with the test client as a superuser (DEBUG off): ``--warmup`` untimed
loads, then ``--requests`` timed ones, round-robin over the pages (the before pass: one timed
load each, unless ``--before-requests``). The queries of the last load are captured: their
number, the slowest, and its plan (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite)
in ``bench/out/explain-history-<database>-<pass>.txt``. Results go to
``bench/out/admin-history.json``; the Markdown table is printed at the end (``--report`` prints
it again from the JSON).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402  (bench/run.py: the database and environment helpers)
from generate import PROVINCES  # noqa: E402

OUT_DIR = bench.OUT_DIR
RESULTS = OUT_DIR / "admin-history.json"
ADMIN_USER = "bench-admin"
AGENCIES_PER_PROVINCE = 200
PLAN_YEARS = range(2016, 2026)
RESULT_YEAR = 2024
OFFICERS_PER_PROVINCE = 10
# The indexes of migration 0006, dropped for the "before" pass.
HISTORY_INDEXES = ("change_changed_at", "change_channel_changed_at")
# What is searched: an officer (~3,300 entries), an agency (~150) and a province (~950).
SEARCH_USER = "canbo-33-05"
SEARCH_AGENCY = "33-X00042"
SEARCH_PROVINCE = "Hưng Yên"
PAGES = (
    "first page", "channel upload (30 %)", "channel demo (2 %)", "date filter: past 7 days",
    "date hierarchy: a year", "date hierarchy: a month", "search an officer",
    "search an agency code", "search a province", "last-but-one page",
)


# --- the orchestrating process (no Django here) ---------------------------------------------


@contextmanager
def sqlite_file(keep: bool = False):
    path = OUT_DIR / "admin-history.sqlite3"
    for leftover in OUT_DIR.glob("admin-history.sqlite3*"):
        if not keep:
            leftover.unlink()
    import sqlite3

    yield f"sqlite:///{path}", sqlite3.sqlite_version


def run_phase(name: str, database_url: str, *args: str) -> dict:
    """Run one phase in a fresh Django process and return its result."""
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        result_file = Path(tmp) / "result.json"
        command = [bench.PYTHON, __file__, "phase", name, "--result", str(result_file), *args]
        started = time.perf_counter()
        completed = subprocess.run(command, env=bench.django_env(database_url),
                                   cwd=bench.BASE_DIR)
        if completed.returncode != 0:
            raise SystemExit(f"phase {name} failed (exit {completed.returncode})")
        result = json.loads(result_file.read_text())
        result["process_seconds"] = time.perf_counter() - started
        return result


def orchestrate(options) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    report = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    report.update(entries=options.entries, machine=bench.machine(),
                  started=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()))
    report.setdefault("backends", {})

    def save():
        RESULTS.write_text(json.dumps(report, indent=2) + "\n")

    for backend in options.backends:
        opened = (sqlite_file(keep=options.after_only) if backend == "sqlite"
                  else bench.postgres_cluster())
        with opened as (database_url, version):
            print(f"== {backend} {version}", flush=True)
            passes = [("before", options.before_requests), ("after", options.requests)]
            if options.after_only:
                passes = passes[1:]
            else:
                report["backends"][backend] = {"version": version}
            result = report["backends"][backend]
            # A throwaway PostgreSQL cluster is filled every time; SQLite's file is kept.
            if not (options.after_only and backend == "sqlite"):
                fill = result["fill"] = run_phase("fill", database_url,
                                                  "--entries", str(options.entries))
                print(f"   fill: {fill['entries']:,} entries in {fill['entries_seconds']:.1f} s",
                      flush=True)
                save()
            for mode, requests in passes:
                warmup = options.warmup if mode == "after" else 0
                pages = result[mode] = run_phase(
                    "pages", database_url, "--mode", mode, "--requests", str(requests),
                    "--warmup", str(warmup),
                    "--explain", str(OUT_DIR / f"explain-history-{backend}-{mode}.txt"),
                )
                save()
                for name, page in pages["pages"].items():
                    print(f"   {mode} {name}: {page['median_ms']:,.0f} ms, "
                          f"{page['queries']} queries (slowest {page['slowest_ms']:,.0f} ms)",
                          flush=True)
    report["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    save()
    print(markdown(report))


def markdown(report: dict) -> str:
    backends = report["backends"]
    lines = [
        f"Entries: {report['entries']:,}. Median of the timed loads, in ms "
        "(queries per page in brackets).",
        "",
        "| page | " + " | ".join(
            f"{name} before | {name} after" for name in backends
        ) + " |",
        "|---|" + "---:|---:|" * len(backends),
    ]
    for page in PAGES:
        cells = []
        for backend in backends.values():
            for mode in ("before", "after"):
                figures = backend.get(mode, {}).get("pages", {}).get(page)
                cells.append(
                    f"{figures['median_ms']:,.0f} ({figures['queries']})" if figures else "–"
                )
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --- the phases, each in its own Django process -----------------------------------------------


def phase(options) -> None:
    import django

    django.setup()
    result = PHASES[options.name](options)
    Path(options.result).write_text(json.dumps(result))


def set_history_indexes(present: bool) -> None:
    """Create or drop the indexes of migration 0006, then refresh the planner's statistics."""
    from django.db import connection

    from plans.models import Change

    with connection.cursor() as cursor:
        existing = connection.introspection.get_constraints(cursor, Change._meta.db_table)
    with connection.schema_editor() as editor:
        for index in Change._meta.indexes:
            if index.name not in HISTORY_INDEXES:
                continue
            if present and index.name not in existing:
                editor.add_index(Change, index)
            elif not present and index.name in existing:
                editor.remove_index(Change, index)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def phase_fill(options) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction

    from indicators.models import Indicator
    from plans.models import Agency, Change, Plan, Province, Result, Target

    call_command("migrate", verbosity=0)
    set_history_indexes(present=False)
    started = time.perf_counter()
    User = get_user_model()
    with transaction.atomic():
        User.objects.create_superuser(ADMIN_USER, password="bench-only-password-2017")
        provinces = Province.objects.bulk_create(
            Province(code=code, name=name) for code, name in PROVINCES
        )
        agencies = Agency.objects.bulk_create(
            (Agency(province=province, code=f"{province.code}-X{n:05d}",
                    name=f"UBND xã {n}", tier=Agency.Tier.COMMUNE)
             for province in provinces for n in range(1, AGENCIES_PER_PROVINCE + 1)),
            batch_size=2000,
        )
        indicators = list(Indicator.objects.order_by("code"))
        Result.objects.bulk_create(
            (Result(year=RESULT_YEAR, agency=agency, indicator=indicator,
                    **({"value": 1} if indicator.kind != Indicator.Kind.RATIO
                       else {"numerator": 1, "denominator": 2}))
             for agency in agencies for indicator in indicators),
            batch_size=5000,
        )
        plans = Plan.objects.bulk_create(
            Plan(province=province, year=year, status=Plan.Status.OPEN)
            for province in provinces for year in PLAN_YEARS
        )
        Target.objects.bulk_create(
            (Target(plan=plan, indicator=indicator, tiers="all", value=50)
             for plan in plans for indicator in indicators[:10]),
            batch_size=5000,
        )
        unusable = make_password(None)
        User.objects.bulk_create(
            User(username=f"canbo-{province.code}-{n:02d}", password=unusable)
            for province in provinces for n in range(1, OFFICERS_PER_PROVINCE + 1)
        )
    setup_seconds = time.perf_counter() - started

    def span(queryset):
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        # The arithmetic below assumes consecutive ids, as a fresh table gives.
        assert ids[-1] - ids[0] + 1 == len(ids)
        return ids[0], len(ids)

    result_min, results = span(Result.objects.all())
    target_min, targets = span(Target.objects.all())
    plan_min, plans_n = span(Plan.objects.all())
    user_min, users = span(User.objects.exclude(username=ADMIN_USER))
    entries = options.entries
    now = int(time.time())
    step = 4 * 365 * 86400 // entries or 1
    first = now - step * entries
    postgres = connection.vendor == "postgresql"
    # One row per n in 1..entries; the same numbers on both databases.
    kind = "((n * 7) % 100)"
    bucket = "((n * 37) % 100)"
    columns = {
        "result_id": f"CASE WHEN {kind} < 97 THEN {result_min} + (n * 7919) % {results} END",
        "target_id": f"CASE WHEN {kind} IN (97, 98) THEN {target_min} + (n * 13) % {targets} END",
        "plan_id": f"CASE WHEN {kind} >= 97 THEN {plan_min} + ((n * 13) % {targets}) / 10 END",
        "changed_by_id": f"CASE WHEN (n * 13) % 100 >= 3 THEN {user_min} + (n * 11) % {users} END",
        "changed_at": (
            f"to_timestamp({first} + n * {step})" if postgres
            else f"datetime({first} + n * {step}, 'unixepoch')"
        ),
        "channel": (
            f"CASE WHEN {bucket} < 50 THEN 'grid' WHEN {bucket} < 80 THEN 'upload' "
            f"WHEN {bucket} < 90 THEN 'agency' WHEN {bucket} < 95 THEN 'admin' "
            f"WHEN {bucket} < 98 THEN 'command' ELSE 'demo' END"
        ),
        "old": "CASE WHEN n % 10 = 0 THEN NULL ELSE '{\"value\": 0}' END",
        "new": "'{\"value\": 1}'",
    }
    if postgres:
        columns["old"] = f"({columns['old']})::jsonb"
        columns["new"] = f"({columns['new']})::jsonb"
    table = Change._meta.db_table
    names = ", ".join(columns)
    values = ", ".join(columns.values())
    if postgres:
        sql = (f"INSERT INTO {table} ({names}) SELECT {values} "
               f"FROM generate_series(1::bigint, {entries}) AS g(n)")
    else:
        sql = (f"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g "
               f"WHERE n < {entries}) INSERT INTO {table} ({names}) SELECT {values} FROM g")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "entries": Change.objects.count(),
        "entries_seconds": time.perf_counter() - started,
        "setup_seconds": setup_seconds,
        "results": results, "targets": targets, "plans": plans_n, "users": users,
    }


def old_behaviour() -> None:
    """Put the history admin back as it was before issue 10: Django's own paginator (a full
    count), date hierarchy (SELECT DISTINCT over the list) and search (joins tested per entry)."""
    from types import MethodType

    from django.contrib import admin
    from django.core.paginator import Paginator

    from plans.models import Change

    history = admin.site._registry[Change]
    history.paginator = Paginator
    for name in ("get_queryset", "get_search_results"):
        setattr(history, name, MethodType(getattr(admin.ModelAdmin, name), history))


def phase_pages(options) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    # The test client then keeps each response's template context (the change list and its
    # paginator), as in the test suite; the same small cost on every pass.
    setup_test_environment()
    set_history_indexes(present=options.mode == "after")
    if options.mode == "before":
        old_behaviour()
    client = Client()
    client.force_login(get_user_model().objects.get(username=ADMIN_USER))
    url = reverse("admin:plans_change_changelist")

    def get(path):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}, not 200")
        return response

    first = get(url)
    changelist = first.context["cl"]
    # The date filter's own link ("past 7 days"), as a person would click it.
    date_filter = next(spec for spec in changelist.filter_specs
                       if getattr(spec, "field_path", "") == "changed_at")
    past_week = [choice["query_string"] for choice in date_filter.choices(changelist)][2]
    last_but_one = max(1, changelist.paginator.num_pages - 1)
    paths = dict(zip(PAGES, (
        url,
        f"{url}?channel__exact=upload",
        f"{url}?channel__exact=demo",
        f"{url}{past_week}",
        f"{url}?changed_at__year=2024",
        f"{url}?changed_at__year=2024&changed_at__month=3",
        f"{url}?q={SEARCH_USER}",
        f"{url}?q={SEARCH_AGENCY}",
        f"{url}?q={SEARCH_PROVINCE}",
        f"{url}?p={last_but_one}",
    ), strict=True))
    for _round in range(options.warmup):
        for path in paths.values():
            get(path)
    times = {name: [] for name in paths}
    captured = {}
    for round_ in range(options.requests):
        for name, path in paths.items():
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = get(path)
                times[name].append(time.perf_counter() - started)
            if round_ == options.requests - 1:
                captured[name] = (queries.captured_queries, response.context["cl"])
    pages, explain = {}, []
    for name, path in paths.items():
        queries, changelist = captured[name]
        slowest = max(queries, key=lambda q: float(q["time"]))
        pages[name] = {
            "path": path,
            "median_ms": statistics.median(times[name]) * 1000,
            "min_ms": min(times[name]) * 1000,
            "queries": len(queries),
            "slowest_ms": float(slowest["time"]) * 1000,
            "rows": len(changelist.result_list),
            "result_count": changelist.result_count,
        }
        explain.append(f"===== {name} {path}: {len(queries)} queries\n")
        for query in sorted(queries, key=lambda q: -float(q["time"]))[:2]:
            explain.append(f"--- {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n")
            explain.append(bench.explain_query(connection, query["sql"]) + "\n")
    Path(options.explain).write_text("".join(explain))
    return {"mode": options.mode, "requests": options.requests, "warmup": options.warmup,
            "pages": pages, "load_average": os.getloadavg()[0]}


PHASES = {"fill": phase_fill, "pages": phase_pages}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command_name")
    phases = commands.add_parser("phase", help="internal: one phase in a Django process")
    phases.add_argument("name", choices=PHASES)
    phases.add_argument("--result", required=True)
    phases.add_argument("--entries", type=int)
    phases.add_argument("--mode", choices=("before", "after"))
    phases.add_argument("--requests", type=int, default=3)
    phases.add_argument("--warmup", type=int, default=1)
    phases.add_argument("--explain")

    parser.add_argument("--entries", type=int, default=2_000_000)
    parser.add_argument("--backends", default=",".join(bench.BACKENDS),
                        help="comma-separated: sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=3, help="timed loads per page, after")
    parser.add_argument("--before-requests", type=int, default=1,
                        help="timed loads per page, before (each takes seconds)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed loads per page, after")
    parser.add_argument("--after-only", action="store_true",
                        help="time the after pass only, keeping the last run's before figures "
                             "(SQLite: on the last run's file; PostgreSQL: filled again)")
    parser.add_argument("--report", action="store_true",
                        help="only print the table of the last run's admin-history.json")
    options = parser.parse_args()
    if options.command_name == "phase":
        phase(options)
    elif options.report:
        print(markdown(json.loads(RESULTS.read_text())))
    else:
        options.backends = [name for name in options.backends.split(",") if name]
        orchestrate(options)


if __name__ == "__main__":
    main()
