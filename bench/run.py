"""Measure the import and the dashboards on SQLite and on PostgreSQL, side by side in one run.

    .venv/bin/python bench/run.py --provinces 63          # the national scale
    .venv/bin/python bench/run.py --provinces 3 --wrk-seconds 5   # a quick development run

For each database, in this order, on a fresh database:

1. setup: migrate, then load ``agencies.csv`` and ``targets.csv`` through the project's import
   services (``agencies_import``, ``targets_import``).
2. floor: the same rows as ``results.csv`` written straight into the results table, and a
   history entry for each into the history table, as the import writes them, by a bare
   ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) in one transaction, ids resolved beforehand.
   This is what the database itself costs; the tables are then emptied again.
3. import of ``results_half.csv``, then (table emptied) of ``results.csv``, through
   ``results_import`` as ``manage.py import_results`` calls it. Each import runs in its own
   process, started by a small launcher process whose only child it is; the launcher reads the
   import's peak memory with ``resource.getrusage(RUSAGE_CHILDREN)``.
4. pages: in-process with Django's test client (DEBUG off, logged in as a superuser, so every
   province is visible): the plain page (``GET /accounts/login/``), the province dashboard, a
   target page, the comparison page, progress.csv and progress.xlsx, and through the JSON API
   (a bearer token of the same user) the plan's progress and a page of its results. Warm-up
   requests first,
   then the pages in turn, round-robin, so that noise from other processes on the machine falls
   on all of them alike. SQL queries per page are counted with CaptureQueriesContext on a
   separate request, for the largest and the smallest province.
5. load: gunicorn (2 workers, 127.0.0.1 only) and ``wrk -c 50`` on the province dashboard
   (the logged-in session cookie sent as a header) and on the plain page.

PostgreSQL is a throwaway cluster started for the run (initdb in a temporary directory,
127.0.0.1 and a free port, fsync off) and stopped at the end, whatever happens.

Results go to ``bench/out/results-<N>p.json`` and a Markdown summary to
``bench/out/report-<N>p.md``; EXPLAIN output of each page's slowest queries to
``bench/out/explain-<N>p-<database>.txt``.
"""

import argparse
import cProfile
import csv
import http.client
import io
import json
import math
import os
import platform
import pstats
import re
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "bench"
OUT_DIR = BENCH_DIR / "out"
PYTHON = sys.executable
BACKENDS = ("sqlite", "postgresql")
BENCH_USER = "bench"
# The year the province dashboards are measured for: the last full year before the merger.
PAGE_YEAR = 2024
# Issue 20's budgets, as ratios to the plain page: (warm, cold); None where none is set.
BUDGETS = {
    "dashboard": (1.5, 4), "target": (1.5, 4), "agency": (1.5, 4), "entry_year": (1.5, 4),
    "status": (1.5, 6), "report": (1.5, 6), "compare": (1.5, 15), "xlsx": (2, 20),
    "grid": (None, 10),
}
IMPORT_FLOOR_SHARE = 0.8  # import_results >= 0.8 x the database's bulk floor
LOAD_SHARE = 0.5  # under load, the dashboard serves >= half the plain page's requests/s
GOALS = {
    "import_rows_per_s": 50_000,
    "dashboard_ratio": 3.0,
    "compare_ratio": 10.0,
    "api_progress_ratio": 3.0,
}


# --- the orchestrating process (no Django here) ---------------------------------------------


def django_env(database_url: str) -> dict:
    """Return the environment of a Django process of the benchmark: production settings
    (DEBUG off) on plain HTTP, with the given database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="egov_targets.settings",
        PYTHONPATH=str(BASE_DIR),
        DEBUG="off",
        SECRET_KEY="bench-only-not-a-secret",
        DATABASE_URL=database_url,
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        # Loopback without a TLS proxy in front: no HTTPS redirect, cookies over plain HTTP.
        SECURE_SSL_REDIRECT="off",
        SECURE_COOKIES="off",
        PUBLIC_DASHBOARD="off",
        LOG_LEVEL="ERROR",
        # Whitenoise warns that collectstatic has not run; the pages measured need no files.
        PYTHONWARNINGS="ignore:No directory at",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def run_phase(name: str, database_url: str, *args: str) -> dict:
    """Run one phase in a fresh process (through the memory launcher) and return its result."""
    with tempfile.TemporaryDirectory(prefix="bench-phase-") as tmp:
        result_file, rss_file = Path(tmp) / "result.json", Path(tmp) / "rss.json"
        command = [PYTHON, __file__, "phase", name, "--result", str(result_file), *args]
        launcher = [PYTHON, __file__, "launch", "--rss", str(rss_file), "--", *command]
        started = time.perf_counter()
        completed = subprocess.run(launcher, env=django_env(database_url), cwd=BASE_DIR)
        elapsed = time.perf_counter() - started
        if completed.returncode != 0:
            raise SystemExit(f"phase {name} failed (exit {completed.returncode})")
        result = json.loads(result_file.read_text())
        result["max_rss_mib"] = json.loads(rss_file.read_text())["max_rss_kib"] / 1024
        result["process_seconds"] = elapsed
        return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(command: list[str]) -> list[str]:
    """Return ``command`` run as the postgres user (initdb refuses to run as root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def postgres_cluster():
    """Start a throwaway PostgreSQL cluster on 127.0.0.1; yield its DATABASE_URL; stop it."""
    import psycopg2

    tmp = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    # BENCH_PG_PORT: a port agreed for this machine's users, rather than any free one.
    port = int(os.environ.get("BENCH_PG_PORT") or free_port())
    data, log = tmp / "data", tmp / "log"
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    started = False
    try:
        subprocess.run(
            as_postgres(["initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                         "--locale=C.UTF-8", "--no-sync"]),
            check=True, stdout=subprocess.DEVNULL,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            as_postgres(["pg_ctl", "-D", str(data), "-l", str(log), "-w", "-o", options, "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )
        started = True
        connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres",
                                      dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE bench")
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        connection.close()
        yield f"postgres://postgres@127.0.0.1:{port}/bench?conn_max_age=60", version
    finally:
        if started:
            subprocess.run(
                as_postgres(["pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"]),
                stdout=subprocess.DEVNULL,
            )
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def sqlite_database(scale: str):
    """Yield the DATABASE_URL of a fresh SQLite file; the file stays for a later look."""
    path = OUT_DIR / f"bench-{scale}.sqlite3"
    for leftover in OUT_DIR.glob(f"bench-{scale}.sqlite3*"):
        leftover.unlink()
    yield f"sqlite:///{path}", sqlite3.sqlite_version


@contextmanager
def gunicorn(database_url: str):
    """Serve the project with gunicorn, 2 workers on 127.0.0.1; yield the base URL."""
    port = free_port()
    process = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "egov_targets.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning"],
        env=django_env(database_url), cwd=BASE_DIR,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if http_get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def http_get(port: int, path: str, cookie: str = "") -> tuple[int, int]:
    """Return (status, body length) of one GET on 127.0.0.1, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def run_wrk(port: int, path: str, cookie: str, seconds: int, connections: int) -> dict:
    """Load one page with wrk; return requests/s, latency and errors (non-2xx, socket)."""
    status, _ = http_get(port, path, cookie)
    if status != 200:
        raise SystemExit(f"{path} answers {status} before the load test, not 200")
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    url = f"http://127.0.0.1:{port}{path}"
    # Warm both workers up first (imports, templates, database connections) with two
    # connections, so that no backlog of unanswered requests is left for the measured run.
    subprocess.run(
        ["wrk", "-t", "2", "-c", "2", "-d", "3s", *headers, url],
        check=True, capture_output=True, timeout=60,
    )
    http_get(port, path, cookie)
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
         "--latency", *headers, url],
        check=True, capture_output=True, text=True, timeout=seconds + 60,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    latency = re.search(r"^\s+50%\s+(\S+)\s*$", output, re.M)
    latency_99 = re.search(r"^\s+99%\s+(\S+)\s*$", output, re.M)
    # wrk counts only 4xx/5xx as errors; a redirect (to the login page) would pass unseen,
    # so the page is checked again after the load.
    status_after, _ = http_get(port, path, cookie)
    return {
        "path": path,
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
        "latency_p50": latency.group(1) if latency else "",
        "latency_p99": latency_99.group(1) if latency_99 else "",
        "status_after": status_after,
    }


def bench_backend(backend: str, scale: str, data: Path, options, result: dict, save,
                  growth: bool = False) -> None:
    """Run every phase on one database, filling ``result``; ``save()`` after each phase, so
    that an interrupted run keeps what it measured. ``growth``: setup, import and pages only."""
    opened = sqlite_database(scale) if backend == "sqlite" else postgres_cluster()
    with opened as (database_url, version):
        print(f"== {backend} {version}", flush=True)
        result.update(backend=backend, version=version)

        def step(key, name, *args):
            result[key] = run_phase(name, database_url, *args)
            save()
            return result[key]

        setup = step("setup", "setup", "--data", str(data))
        print(f"   setup done in {setup['process_seconds']:.1f} s", flush=True)
        if growth:
            # The pages only: the import at this scale, then the same page timings.
            step("import_full", "import", "--file", str(data / "results.csv"))
            step("pages", "pages", "--requests", str(options.requests), "--warmup",
                 str(options.warmup), "--cold-requests", str(options.cold_requests),
                 "--explain", str(OUT_DIR / f"explain-{scale}-{backend}.txt"))
            return
        floor = step("floor", "floor", "--file", str(data / "results.csv"))
        print(f"   floor: {floor['rows_per_s']:,.0f} rows/s", flush=True)
        for key, file in (("import_half", "results_half.csv"), ("import_full", "results.csv")):
            run_phase("wipe", database_url)
            figures = step(key, "import", "--file", str(data / file))
            print(f"   {file}: {figures['rows_per_s']:,.0f} rows/s, "
                  f"{figures['max_rss_mib']:.0f} MiB", flush=True)
        pages = step(
            "pages", "pages", "--requests", str(options.requests), "--warmup",
            str(options.warmup), "--cold-requests", str(options.cold_requests),
            "--explain", str(OUT_DIR / f"explain-{scale}-{backend}.txt"),
        )
        for name, page in pages["pages"].items():
            print(f"   {name}: median {page['median_ms']:.1f} ms, {page['queries']} queries",
                  flush=True)
        if options.wrk_seconds:
            result["load"] = {}
            with gunicorn(database_url) as port:
                for name in ("plain", "dashboard"):
                    load = result["load"][name] = run_wrk(
                        port, pages["pages"][name]["path"], pages["cookie"],
                        options.wrk_seconds, options.connections,
                    )
                    save()
                    print(f"   load {name}: {load['requests_per_s']:,.1f} requests/s, "
                          f"{load['non_2xx'] + load['socket_errors']} errors", flush=True)


def sqlite_after_analyze(scale: str, options, result: dict, save) -> None:
    """Measure the SQLite pages again after a fresh ANALYZE (``--sqlite-analyze``).

    The results import runs ANALYZE on SQLite after a large import, so the pages are measured
    with statistics already; this pass is a second sample of the same state, or a check after
    changing the import. It runs last, on the database file the SQLite pass left, so that a
    run cut short still has both databases' main figures.
    """
    database_url = f"sqlite:///{OUT_DIR / f'bench-{scale}.sqlite3'}"
    print("== sqlite after ANALYZE", flush=True)
    run_phase("analyze", database_url)
    result["pages_analyzed"] = run_phase(
        "pages", database_url, "--requests", str(options.requests), "--warmup",
        str(options.warmup), "--cold-requests", str(options.cold_requests),
        "--explain", str(OUT_DIR / f"explain-{scale}-sqlite-analyzed.txt"),
    )
    save()
    for name, page in result["pages_analyzed"]["pages"].items():
        print(f"   {name}: median {page['median_ms']:.1f} ms", flush=True)


def profile_import(backend: str, scale: str, data: Path) -> None:
    """Import ``results.csv`` once under cProfile; write the summary beside the results."""
    opened = sqlite_database(scale) if backend == "sqlite" else postgres_cluster()
    with opened as (database_url, version):
        print(f"== {backend} {version}: profiling the import", flush=True)
        run_phase("setup", database_url, "--data", str(data))
        target = OUT_DIR / f"profile-import-{scale}-{backend}.txt"
        run_phase("import", database_url, "--file", str(data / "results.csv"),
                  "--profile", str(target))
        print(f"   {target}", flush=True)


def machine() -> dict:
    memory_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu.group(1) if cpu else platform.processor(),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average_at_start": os.getloadavg(),
    }


def growth(options) -> None:
    """Time the same pages of the largest province (Hà Nội, about 900 agencies, first at
    every scale) with 1, 5, 20 and 63 provinces in the database (``--growth``): a page that
    grows with the country rather than its province shows it here."""
    scales = [int(part) for part in options.growth.split(",") if part]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    results_file = OUT_DIR / "results-growth.json"
    report = {"machine": machine(), "options": vars(options), "scales": {},
              "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}

    def save():
        results_file.write_text(json.dumps(report, indent=2) + "\n")

    for provinces in scales:
        data = OUT_DIR / f"data-{provinces}"
        subprocess.run(
            [PYTHON, str(BENCH_DIR / "generate.py"), "--provinces", str(provinces),
             "--seed", str(options.seed), "--out", str(data)],
            check=True,
        )
        entry = report["scales"][str(provinces)] = {
            "dataset": json.loads((data / "counts.json").read_text()), "backends": {},
        }
        for backend in options.backends:
            entry["backends"][backend] = {}
            bench_backend(backend, f"{provinces}p", data, options, entry["backends"][backend],
                          save, growth=True)
    report["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    report["machine"]["load_average_at_end"] = os.getloadavg()
    save()
    summary = growth_markdown(report)
    (OUT_DIR / "report-growth.md").write_text(summary)
    print(summary)


def growth_markdown(report: dict) -> str:
    """Return the growth table: each page's warm and cold ratio at each scale."""
    scales = list(report["scales"])
    backends = list(report["scales"][scales[0]]["backends"])
    lines = ["| page | database | " + " | ".join(
        f"{scale} ({report['scales'][scale]['dataset']['agencies']:,} agencies)"
        for scale in scales) + " |\n", "|---|---|" + "---|" * len(scales) + "\n"]
    first = report["scales"][scales[0]]["backends"][backends[0]]["pages"]["pages"]
    for page in first:
        for backend in backends:
            cells = []
            for scale in scales:
                pages = report["scales"][scale]["backends"][backend].get("pages", {}).get("pages")
                if not pages:
                    cells.append("–")
                    continue
                plain = pages["plain"]["median_ms"]
                figures = pages[page]
                cell = f"{figures['median_ms'] / plain:.1f}x"
                if figures.get("cold_median_ms"):
                    cell += f" / {figures['cold_median_ms'] / plain:.1f}x"
                cell += f" ({figures['queries']} q)"
                cells.append(cell)
            lines.append(f"| {page} | {backend} | " + " | ".join(cells) + " |\n")
    lines.append("\nEach cell: warm / cold ratio to the plain page of the same run and database, "
                 "and the queries of the warm page.\n")
    return "".join(lines)


def orchestrate(options) -> None:
    if options.growth:
        growth(options)
        return
    scale = f"{options.provinces}p"
    data = OUT_DIR / f"data-{options.provinces}"
    if options.report:
        report = json.loads((OUT_DIR / f"results-{scale}.json").read_text())
        print(markdown(report))
        return
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    print(f"== generating {options.provinces} provinces into {data}", flush=True)
    subprocess.run(
        [PYTHON, str(BENCH_DIR / "generate.py"), "--provinces", str(options.provinces),
         "--seed", str(options.seed), "--out", str(data)],
        check=True,
    )
    if options.profile_import:
        for backend in options.backends:
            profile_import(backend, scale, data)
        return
    report = {
        "machine": machine(),
        "dataset": json.loads((data / "counts.json").read_text()),
        "options": vars(options),
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "backends": {},
    }
    results_file = OUT_DIR / f"results-{scale}.json"

    def save():
        results_file.write_text(json.dumps(report, indent=2) + "\n")

    for backend in options.backends:
        report["backends"][backend] = {}
        bench_backend(backend, scale, data, options, report["backends"][backend], save)
    if "sqlite" in options.backends and options.sqlite_analyze:
        sqlite_after_analyze(scale, options, report["backends"]["sqlite"], save)
    report["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    report["machine"]["load_average_at_end"] = os.getloadavg()
    save()
    summary = markdown(report)
    (OUT_DIR / f"report-{scale}.md").write_text(summary)
    print(summary)


def load_ratio(backend: dict) -> str:
    load = backend["load"]
    ratio = load["dashboard"]["requests_per_s"] / load["plain"]["requests_per_s"]
    return f"{ratio:.2f} {'met' if ratio >= LOAD_SHARE else 'missed'}"


def safe(cell, backend: dict) -> str:
    """Return ``cell(backend)``, or a dash for a figure a cut-short run did not reach."""
    try:
        return cell(backend)
    except KeyError:
        return "–"


def markdown(report: dict) -> str:
    """Return the figures of a run as the Markdown tables of BENCHMARKS.md."""
    backends = report["backends"]
    names = list(backends)
    head = "| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names) + "\n"

    def row(label, cell):
        return f"| {label} | " + " | ".join(safe(cell, backends[name]) for name in names) + " |\n"

    dataset = report["dataset"]
    lines = [
        f"Dataset: {dataset['provinces']} provinces, {dataset['agencies']:,} agencies, "
        f"{dataset['targets']:,} targets, {dataset['results']:,} results. "
        f"Run {report['started']} – {report.get('finished', '(cut short)')}; load average "
        f"{report['machine']['load_average_at_start'][0]:.1f} at start, "
        f"{report['machine'].get('load_average_at_end', [0])[0]:.1f} at end.\n",
        "\n### Import of results.csv\n\n",
        head,
        row("setup: agencies.csv (s)", lambda b: f"{b['setup']['agencies_seconds']:.1f}"),
        row("setup: targets.csv (s)", lambda b: f"{b['setup']['targets_seconds']:.1f}"),
        row("floor (executemany / COPY), rows/s",
            lambda b: f"{b['floor']['rows_per_s']:,.0f}"),
        row("floor: write + commit (s)",
            lambda b: f"{b['floor']['write_seconds']:.1f} + {b['floor']['commit_seconds']:.1f}"),
        row("results_import, full file, rows/s",
            lambda b: f"{b['import_full']['rows_per_s']:,.0f}"),
        row("results_import, full file, seconds",
            lambda b: f"{b['import_full']['seconds']:.1f}"),
        row(f"import / floor (budget >= {IMPORT_FLOOR_SHARE})",
            lambda b: f"{b['import_full']['rows_per_s'] / b['floor']['rows_per_s']:.2f} "
                      + ("met" if b['import_full']['rows_per_s']
                         >= IMPORT_FLOOR_SHARE * b['floor']['rows_per_s'] else "missed")),
        row("goal >= 50,000 rows/s",
            lambda b: "met" if b["import_full"]["rows_per_s"] >= GOALS["import_rows_per_s"]
            else f"missed ({b['import_full']['rows_per_s'] / GOALS['import_rows_per_s']:.0%} "
                 "of it)"),
        row("results_import, half file, rows/s",
            lambda b: f"{b['import_half']['rows_per_s']:,.0f}"),
        row("peak memory, half file (MiB)", lambda b: f"{b['import_half']['max_rss_mib']:.0f}"),
        row("peak memory, full file (MiB)", lambda b: f"{b['import_full']['max_rss_mib']:.0f}"),
        row("peak memory of the floor process (MiB)",
            lambda b: f"{b['floor']['max_rss_mib']:.0f}"),
        "\n### Server time per page (test client, in-process, DEBUG off)\n\n",
    ]
    names = [name for name in names if "pages" in backends[name]]
    if not names:
        return "".join(lines)
    head = "| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names) + "\n"
    first = backends[names[0]]["pages"]
    lines.append(
        f"Province {first['province']} ({first['agencies']} agencies), year {PAGE_YEAR}, "
        f"{first['requests']} requests per page after {first['warmup']} warm-up requests. "
        "Ratio = median / median of the plain page. Load average (1 min) before and after "
        "the timed requests: " + "; ".join(
            f"{name} {backends[name]['pages']['load_average'][0]:.1f} → "
            f"{backends[name]['pages']['load_average'][1]:.1f}"
            for name in names if "load_average" in backends[name]["pages"]
        ) + ".\n\n"
    )
    lines.append(
        "Warm: the same page again (its figures kept in the cache); cold: right after a write "
        "through the services, which moves the year's figures version on.\n\n"
    )
    lines.append(
        "| page | " + " | ".join(
            f"{name} warm median ms | {name} p95 ms | {name} warm ratio | {name} cold median ms "
            f"| {name} cold ratio | {name} queries (warm)" for name in names
        ) + " |\n|---|" + "---|" * (6 * len(names)) + "\n"
    )
    for page in first["pages"]:
        cells = []
        for name in names:
            pages = backends[name]["pages"]["pages"]
            figures = pages[page]
            ratio = figures["median_ms"] / pages["plain"]["median_ms"]
            queries = f"{figures['queries']}"
            if figures.get("cold_queries") is not None:
                queries += f" / {figures['cold_queries']} cold"
            if figures.get("queries_smallest") is not None:
                queries += f" (smallest province: {figures['queries_smallest']})"
            cold = figures.get("cold_median_ms")
            cold_cells = (
                f"{cold:.1f} | {cold / pages['plain']['median_ms']:.1f}x" if cold else "– | –"
            )
            cells.append(
                f"{figures['median_ms']:.1f} | {figures['p95_ms']:.1f} | {ratio:.1f}x | "
                f"{cold_cells} | {queries}"
            )
        lines.append(f"| {page} | " + " | ".join(cells) + " |\n")
    lines.append("\n### Issue 20's budgets (ratio to the plain page)\n\n")
    lines.append("| page | budget warm / cold | " + " | ".join(
        f"{name} warm | {name} cold" for name in names) + " |\n|---|---|"
        + "---|" * (2 * len(names)) + "\n")
    for page, (warm_budget, cold_budget) in BUDGETS.items():
        if page not in first["pages"]:
            continue
        cells = []
        for name in names:
            pages = backends[name]["pages"]["pages"]
            plain = pages["plain"]["median_ms"]
            for value, budget in ((pages[page]["median_ms"], warm_budget),
                                  (pages[page].get("cold_median_ms"), cold_budget)):
                if value is None or budget is None:
                    cells.append(f"{value / plain:.1f}x" if value else "–")
                    continue
                ratio = value / plain
                cells.append(f"{ratio:.1f}x {'met' if ratio <= budget else 'missed'}")
        budget_text = " / ".join("–" if b is None else f"{b:g}x"
                                 for b in (warm_budget, cold_budget))
        lines.append(f"| {page} | {budget_text} | " + " | ".join(cells) + " |\n")
    lines.append("\nEarlier goals: province dashboard <= 3x, comparison page <= 10x, the API's "
                 "progress <= 3x the plain page.\n\n")
    lines.append(head)
    for page, goal in (("dashboard", "dashboard_ratio"), ("compare", "compare_ratio"),
                       ("api_progress", "api_progress_ratio")):
        def verdict(b, page=page, goal=goal):
            pages = b["pages"]["pages"]
            ratio = pages[page]["median_ms"] / pages["plain"]["median_ms"]
            if ratio <= GOALS[goal]:
                return f"met ({ratio:.1f}x)"
            return f"missed ({ratio:.1f}x, {ratio / GOALS[goal]:.1f} times the goal)"
        lines.append(row(f"{page} <= {GOALS[goal]:.0f}x plain", verdict))
    analyzed = backends.get("sqlite", {}).get("pages_analyzed")
    if analyzed:
        lines.append(
            "\n### SQLite with planner statistics (after `ANALYZE`)\n\n"
            "| page | median ms | p95 ms | ratio | queries |\n|---|---|---|---|---|\n"
        )
        plain = analyzed["pages"]["plain"]["median_ms"]
        for page, figures in analyzed["pages"].items():
            lines.append(
                f"| {page} | {figures['median_ms']:.1f} | {figures['p95_ms']:.1f} | "
                f"{figures['median_ms'] / plain:.1f}x | {figures['queries']} |\n"
            )
    names = [name for name in names if "load" in backends[name]]
    head = "| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names) + "\n"
    if names:
        options = report["options"]
        lines.append(
            f"\n### Under load: gunicorn, 2 workers, `wrk -t 2 -c {options['connections']} "
            f"-d {options['wrk_seconds']}s`\n\n"
        )
        lines.append(head)
        for page in ("plain", "dashboard"):
            lines.append(row(f"{page}: requests/s",
                             lambda b, page=page: f"{b['load'][page]['requests_per_s']:,.1f}"))
            lines.append(row(f"{page}: latency p50 / p99",
                             lambda b, page=page: f"{b['load'][page]['latency_p50']} / "
                                                  f"{b['load'][page]['latency_p99']}"))
            lines.append(row(f"{page}: errors (non-2xx + socket) of requests",
                             lambda b, page=page: f"{b['load'][page]['non_2xx']} + "
                                                  f"{b['load'][page]['socket_errors']} of "
                                                  f"{b['load'][page]['requests']:,}"))
        lines.append(row(f"dashboard / plain requests/s (budget >= {LOAD_SHARE})", load_ratio))
    return "".join(lines)


# --- the launcher: one child, its peak memory ------------------------------------------------


def launch(options) -> None:
    """Run the command after ``--`` as this process's only child; record its peak memory."""
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    completed = subprocess.run(command)
    # Linux reports ru_maxrss in KiB; with a single child this is that child's peak.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(options.rss).write_text(json.dumps({"max_rss_kib": usage.ru_maxrss}))
    sys.exit(completed.returncode)


# --- the phases, each in its own Django process -----------------------------------------------


def phase(options) -> None:
    import django

    django.setup()
    result = PHASES[options.name](options)
    Path(options.result).write_text(json.dumps(result))


def data_lines(path: Path) -> int:
    with open(path, "rb") as file:
        return sum(1 for _ in file) - 1


def phase_setup(options) -> dict:
    """Migrate, load agencies and targets through the import services, add the bench user."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from plans.services.imports import agencies_import, targets_import

    data = Path(options.data)
    call_command("migrate", verbosity=0)
    timings = {}
    for name, service in (("agencies", agencies_import), ("targets", targets_import)):
        with open(data / f"{name}.csv", "rb") as source:
            started = time.perf_counter()
            report = service(source=source)
            timings[f"{name}_seconds"] = time.perf_counter() - started
            timings[f"{name}_created"] = report.created
    get_user_model().objects.create_superuser(BENCH_USER, password="bench-only-password-2017")
    return timings


def result_columns():
    """Return the results table and its columns in the order the floor writes them."""
    from plans.models import Result

    return Result._meta.db_table, [f.column for f in Result._meta.concrete_fields]


def change_columns():
    """Return the history table and its columns in the order the floor writes them."""
    from plans.models import Change

    fields = [f for f in Change._meta.concrete_fields if not f.primary_key]
    return Change._meta.db_table, [f.column for f in fields]


def floor_rows(path: Path, first_id: int) -> tuple[list, list]:
    """Return the rows of ``path`` as tuples for the results table (codes resolved to ids,
    result ids from ``first_id`` on) and their history entries, as the import writes them."""
    from django.utils import timezone

    from indicators.models import Indicator
    from plans.models import Agency, Change, Plan
    from plans.services.history import result_snapshot_json

    agencies = {code: (pk, province_id)
                for code, pk, province_id in Agency.objects.values_list("code", "id", "province")}
    plans = {(province_id, year): pk
             for province_id, year, pk in Plan.objects.values_list("province", "year", "id")}
    indicators = dict(Indicator.objects.values_list("code", "id"))
    kinds = dict(Indicator.objects.values_list("code", "kind"))
    yes = {"1", "yes", "có", "true"}
    now = timezone.now()
    _table, columns = result_columns()
    _table, history_columns = change_columns()
    rows, history = [], []
    with open(path, encoding="utf-8-sig", newline="") as file:
        for pk, record in enumerate(csv.DictReader(file), start=first_id):
            code = record["indicator_code"]
            value = record["value"]
            if kinds[code] == "yes_no":
                value = 1 if value.lower() in yes else 0
            else:
                value = int(value) if value else None
            agency_id, province_id = agencies[record["agency_code"]]
            year = int(record["year"])
            numerator = int(record["numerator"]) if record["numerator"] else None
            denominator = int(record["denominator"]) if record["denominator"] else None
            values = {
                "id": pk,
                "year": year,
                "agency_id": agency_id,
                "indicator_id": indicators[code],
                "value": value,
                "numerator": numerator,
                "denominator": denominator,
                "note": record["note"],
                "is_sample": False,
                "version": 1,
                "updated_by_id": None,
                "updated_at": now,
            }
            rows.append(tuple(values[column] for column in columns))
            entry = {
                "result_id": pk,
                "target_id": None,
                "plan_id": plans.get((province_id, year)),
                "submission_id": None,
                "changed_by_id": None,
                "changed_at": now,
                "api_token_id": None,
                "channel": Change.Channel.COMMAND.value,
                "old": None,
                "new": result_snapshot_json((value, numerator, denominator, record["note"])),
            }
            history.append(tuple(entry[column] for column in history_columns))
    return rows, history


def copy_text(value) -> str:
    """Return ``value`` in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def copy_buffer(rows: list) -> io.StringIO:
    """Return ``rows`` as the text a COPY ... FROM STDIN reads."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(copy_text(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    return buffer


def phase_floor(options) -> dict:
    """Write the rows of the file straight into the results table, and their history entries
    into the history table; time only the write.

    One transaction, as the import's; the time until the commit returns is split in two
    because Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, checked at the commit.
    Result ids are chosen beforehand (after the largest stored one), so that each entry names
    its result without reading anything back.
    """
    from django.db import connection, transaction

    table, columns = result_columns()
    history_table, history_columns = change_columns()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        first_id = cursor.fetchone()[0] + 1
    rows, history = floor_rows(Path(options.file), first_id)
    writes = [(table, columns, rows), (history_table, history_columns, history)]
    if connection.vendor == "postgresql":
        buffers = [copy_buffer(written) for _table, _columns, written in writes]
    started = time.perf_counter()
    with transaction.atomic():
        # The driver's own cursor: no Django wrapper between the rows and the database.
        cursor = connection.connection.cursor()
        for index, (name, names, written) in enumerate(writes):
            if connection.vendor == "sqlite":
                marks = ", ".join("?" * len(names))
                cursor.executemany(
                    f"INSERT INTO {name} ({', '.join(names)}) VALUES ({marks})", written
                )
            else:
                cursor.copy_expert(f"COPY {name} ({', '.join(names)}) FROM STDIN", buffers[index])
        written_at = time.perf_counter()
    seconds = time.perf_counter() - started
    with connection.cursor() as check:
        check.execute(f"SELECT COUNT(*) FROM {table}")
        count = check.fetchone()[0]
        check.execute(f"SELECT COUNT(*) FROM {history_table} WHERE result_id IS NOT NULL")
        entries = check.fetchone()[0]
    if count != len(rows) or entries != len(history):
        raise SystemExit(f"floor wrote {count} rows and {entries} entries, expected {len(rows)}")
    return {
        "method": "executemany" if connection.vendor == "sqlite" else "COPY",
        "rows": len(rows),
        "seconds": seconds,
        "rows_per_s": len(rows) / seconds,
        "write_seconds": written_at - started,
        "commit_seconds": seconds - (written_at - started),
    }


def phase_wipe(options) -> dict:
    """Empty the results table and their change entries (raw SQL: no per-row deletes)."""
    from django.db import connection, transaction

    from plans.models import Change, Result

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Change._meta.db_table} WHERE result_id IS NOT NULL")
        cursor.execute(f"DELETE FROM {Result._meta.db_table}")
    # Reclaim the deleted rows so that the next write starts from a clean table.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
    return {}


def phase_analyze(options) -> dict:
    """Gather the query planner's statistics (SQLite's ANALYZE; PostgreSQL's autovacuum does
    it by itself)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {}


def phase_import(options) -> dict:
    """Import a results file through the project's import service, as import_results does."""
    from django.db import connection

    from plans.models import Change, Result
    from plans.services.imports import ImportRefused, results_import

    path = Path(options.file)
    rows = data_lines(path)
    profiler = cProfile.Profile() if options.profile else None
    with open(path, "rb") as source:
        started = time.perf_counter()
        try:
            if profiler:
                report = profiler.runcall(results_import, source=source)
            else:
                report = results_import(source=source)
        except ImportRefused as refused:
            for error in refused.report.errors[:20]:
                print(f"line {error.line}: {error.message}", file=sys.stderr)
            raise SystemExit("the import refused the generated file") from None
        seconds = time.perf_counter() - started
    if profiler:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(40)
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("tottime").print_stats(25)
        Path(options.profile).write_text(stream.getvalue())
    if connection.vendor == "postgresql":
        # What autovacuum does within a minute or so of a large import (PostgreSQL 13+ vacuums
        # after inserts too): statistics, and the visibility map that lets the progress sums
        # read the covering index alone. Pages then see the same state whatever autovacuum's
        # timing. (The import runs ANALYZE itself on SQLite.)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    if report.created != rows or Result.objects.count() != rows:
        raise SystemExit(f"the import created {report.created} results, expected {rows}")
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "changes": Change.objects.filter(result__isnull=False).count(),
        "file_mib": path.stat().st_size / 1024 / 1024,
    }


def percentile(values, share: float) -> float:
    """Return the nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def phase_pages(options) -> dict:
    """Time each page with the test client; count its queries; explain its slowest queries."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from indicators.models import Indicator
    from plans.models import Agency, Plan, Province, Result, Target
    from plans.services.api_tokens import api_token_create
    from plans.services.results import ResultEntry, results_record_grid

    # The test client's host must be allowed, as in Django's own test runner.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # The API's rate limit would stop the timed requests; it is not what is measured.
    settings.API_RATE_LIMIT = "1000000/min"
    _row, token = api_token_create(username=BENCH_USER, label="bench")
    provinces = list(
        Province.objects.filter(plans__year=PAGE_YEAR)
        .annotate(n=Count("agencies", distinct=True))
        .order_by("-n", "code")
    )
    largest, smallest = provinces[0], provinces[-1]

    def urls_for(province) -> dict:
        plan = Plan.objects.get(province=province, year=PAGE_YEAR)
        # The widest scope is the heaviest target page: every tier.
        target = min(
            Target.objects.filter(plan=plan).select_related("indicator"),
            key=lambda t: (-len(t.tier_list), t.indicator.code),
        )
        kwargs = {"province_code": province.code, "year": PAGE_YEAR}
        return {
            "plain": reverse("login"),
            "dashboard": reverse("plans:dashboard_plan", kwargs=kwargs),
            "target": reverse("plans:dashboard_target",
                              kwargs={**kwargs, "target_id": target.pk}),
            "compare": reverse("plans:dashboard_compare", kwargs={"year": PAGE_YEAR}),
            "csv": reverse("plans:dashboard_csv", kwargs=kwargs),
            "xlsx": reverse("plans:dashboard_xlsx", kwargs=kwargs),
            "api_progress": f"/api/v1/provinces/{province.code}/plans/{PAGE_YEAR}/progress",
            "api_results": f"/api/v1/provinces/{province.code}/plans/{PAGE_YEAR}/results",
            "report": reverse("plans:dashboard_report", kwargs=kwargs),
            "status": reverse("plans:status_board", kwargs=kwargs),
            "entry_year": reverse("plans:entry_year", kwargs=kwargs),
            "agency": reverse("plans:entry_agency",
                              kwargs={**kwargs, "agency_code": written_agency(province).code}),
            "grid": reverse("plans:entry_grid", kwargs={**kwargs, "tier": largest_tier(province)}),
        }

    def largest_tier(province) -> str:
        return (
            Agency.objects.filter(province=province).filter(Agency.active_in(PAGE_YEAR))
            .values("tier").annotate(n=Count("id")).order_by("-n", "tier")[0]["tier"]
        )

    def written_agency(province):
        """The agency whose figure the cold measurements change: the first of the tier the
        widest target covers, active that year."""
        return (
            Agency.objects.filter(province=province, tier=largest_tier(province))
            .filter(Agency.active_in(PAGE_YEAR)).order_by("code").first()
        )

    client = Client()
    client.force_login(get_user_model().objects.get(username=BENCH_USER))
    urls = urls_for(largest)
    smallest_urls = urls_for(smallest)

    def get(path):
        headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
        response = client.get(path, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}, not 200")
        # Streaming responses are consumed, as a server would send them.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return len(body)

    load_before = os.getloadavg()
    sizes = {}
    for _round in range(options.warmup):
        for name, path in urls.items():
            sizes[name] = get(path)
    times = {name: [] for name in urls}
    for _round in range(options.requests):
        for name, path in urls.items():
            started = time.perf_counter()
            get(path)
            times[name].append(time.perf_counter() - started)

    def queries_of(path):
        with CaptureQueriesContext(connection) as captured:
            get(path)
        return captured.captured_queries

    # Cold: right after a write through the services (one agency's yes/no figure toggled),
    # which moves the year's figures version on, so that no page finds its figures kept.
    user = get_user_model().objects.get(username=BENCH_USER)
    plan = Plan.objects.select_related("province").get(province=largest, year=PAGE_YEAR)
    agency = written_agency(largest)
    yes_no = Indicator.objects.filter(kind=Indicator.Kind.YES_NO).order_by("code").first()

    def write():
        current = Result.objects.filter(agency=agency, indicator=yes_no, year=PAGE_YEAR).first()
        value = 0 if current is not None and current.value == 1 else 1
        results_record_grid(
            plan=plan, user=user, channel="grid",
            entries=[ResultEntry(agency=agency, indicator=yes_no, value=value,
                                 expected_version=current.version if current else 0)],
        )

    # The queries of each page warm, counted before the writes below.
    warm_queries = {name: queries_of(path) for name, path in urls.items()}
    cold = {name: [] for name in urls if name != "plain"}
    for _round in range(options.cold_requests):
        for name in cold:
            write()
            started = time.perf_counter()
            get(urls[name])
            cold[name].append(time.perf_counter() - started)

    explain = []
    pages = {}
    for name, path in urls.items():
        queries = warm_queries[name]
        if name in cold:
            write()
        cold_queries = queries_of(path)
        pages[name] = {
            "path": path,
            "median_ms": statistics.median(times[name]) * 1000,
            "p95_ms": percentile(times[name], 0.95) * 1000,
            "min_ms": min(times[name]) * 1000,
            "bytes": sizes[name],
            "queries": len(queries),
            "queries_smallest": (
                len(queries_of(smallest_urls[name])) if smallest_urls[name] != path else None
            ),
            "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
            "cold_median_ms": statistics.median(cold[name]) * 1000 if name in cold else None,
            "cold_queries": len(cold_queries),
        }
        explain.append(f"===== {name} {path}: {len(cold_queries)} queries (cold)\n")
        for query in sorted(cold_queries, key=lambda q: -float(q["time"]))[:2]:
            explain.append(f"--- {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n")
            explain.append(explain_query(connection, query["sql"]) + "\n")
    Path(options.explain).write_text("".join(explain))
    session = settings.SESSION_COOKIE_NAME
    return {
        "province": f"{largest.name} ({largest.code})",
        "agencies": largest.n,
        "smallest_province": f"{smallest.name} ({smallest.code}), {smallest.n} agencies",
        "requests": options.requests,
        "cold_requests": options.cold_requests,
        "warmup": options.warmup,
        "pages": pages,
        "load_average": [load_before[0], os.getloadavg()[0]],
        "cookie": f"{session}={client.cookies[session].value}",
    }


def explain_query(connection, sql: str) -> str:
    """Return the database's plan of ``sql`` (with timings on PostgreSQL)."""
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    if sql.startswith("SAVEPOINT") or sql.startswith("RELEASE"):
        return ""
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            return "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
    except Exception as exc:  # a captured query is not always re-runnable as text
        return f"(not explained: {exc})"


PHASES = {
    "setup": phase_setup,
    "floor": phase_floor,
    "wipe": phase_wipe,
    "import": phase_import,
    "analyze": phase_analyze,
    "pages": phase_pages,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command_name")

    launcher = commands.add_parser("launch", help="internal: run a command, record its memory")
    launcher.add_argument("--rss", required=True)
    launcher.add_argument("command", nargs=argparse.REMAINDER)

    phases = commands.add_parser("phase", help="internal: one phase in a Django process")
    phases.add_argument("name", choices=PHASES)
    phases.add_argument("--result", required=True)
    phases.add_argument("--data")
    phases.add_argument("--file")
    phases.add_argument("--requests", type=int, default=30)
    phases.add_argument("--warmup", type=int, default=3)
    phases.add_argument("--cold-requests", type=int, default=10)
    phases.add_argument("--explain")
    phases.add_argument("--profile", help="write a cProfile summary of the import here")

    parser.add_argument("--provinces", type=int, default=63)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--backends", default=",".join(BACKENDS),
                        help="comma-separated: sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up requests per page")
    parser.add_argument("--cold-requests", type=int, default=10,
                        help="requests per page each right after a write (cold: figures not kept)")
    parser.add_argument("--wrk-seconds", type=int, default=30,
                        help="duration of each wrk run; 0 skips the load test")
    parser.add_argument("--connections", type=int, default=50, help="wrk connections")
    parser.add_argument("--sqlite-analyze", action=argparse.BooleanOptionalAction,
                        default=False,
                        help="on SQLite, measure the pages once more after a fresh ANALYZE "
                             "(default: off, since the import runs ANALYZE itself)")
    parser.add_argument("--growth", default="",
                        help="comma-separated province counts (e.g. 1,5,20,63): only time the "
                             "pages at each scale, for the growth table")
    parser.add_argument("--report", action="store_true",
                        help="only print the tables of the last run's results-<N>p.json")
    parser.add_argument("--profile-import", action="store_true",
                        help="only profile the import of results.csv (cProfile), nothing else")
    options = parser.parse_args()

    if options.command_name == "launch":
        launch(options)
    elif options.command_name == "phase":
        phase(options)
    else:
        options.backends = [name for name in options.backends.split(",") if name]
        unknown = set(options.backends) - set(BACKENDS)
        if unknown:
            parser.error(f"unknown backends: {', '.join(sorted(unknown))}")
        # Stop the PostgreSQL cluster and gunicorn on Ctrl-C or a kill as well.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        orchestrate(options)


if __name__ == "__main__":
    main()
