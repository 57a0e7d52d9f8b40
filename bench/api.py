"""Benchmark of the Chorus Pro-compatible API under 20 concurrent clients: `deposer/flux`
(deposits/s accepted by the API, p50/p95 latency, then invoices/s through 2 workers) and
`rechercher/fournisseur` (requests/s, p50/p95), served by gunicorn on PostgreSQL.

    .venv/bin/python bench/api.py [--clients 20 --deposits 25 --searches 50]
                                  [--database-url postgres://postgres@127.0.0.1:5432/chorale_bench_api]
                                  [--server-workers 4 --workers 2 --preload 200000]

The database is dropped and created again. Each client has its own technical account (its own
rate limit, raised for the run); each deposit is one CII invoice with its own number.
"""

import argparse
import base64
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from serving import environment, gunicorn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chorale_bench_api"


def recreate(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def call(url: str, body: dict, headers: dict) -> tuple[float, dict]:
    request = urllib.request.Request(  # noqa: S310 (loopback)
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310 (loopback)
        data = json.loads(answer.read())
    return time.perf_counter() - started, data


def token(base: str, account: dict) -> dict:
    form = (
        f"grant_type=client_credentials&client_id={account['client_id']}"
        f"&client_secret={account['client_secret']}"
    ).encode()
    with urllib.request.urlopen(f"{base}/api/oauth/token", data=form, timeout=30) as answer:  # noqa: S310
        access = json.loads(answer.read())["access_token"]
    technical = base64.b64encode(f"{account['login']}:{account['password']}".encode()).decode()
    return {"Authorization": f"Bearer {access}", "cpro-account": technical}


def in_parallel(clients: list, work) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()

    def run(index, headers):
        mine = work(index, headers)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(i, h)) for i, h in enumerate(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies


def figures(name: str, count: int, seconds: float, latencies: list[float]) -> None:
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{name:<24} {count:>7} requests {count / seconds:>8.1f}/s   "
        f"p50 {statistics.median(latencies) * 1000:>7.1f} ms   p95 {cuts[94] * 1000:>7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--deposits", type=int, default=25, help="per client")
    parser.add_argument("--searches", type=int, default=50, help="per client")
    parser.add_argument("--server-workers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--preload", type=int, default=200_000, help="invoices already there")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    options = parser.parse_args()
    recreate(options.database_url)
    env = environment(
        tempfile.mkdtemp(prefix="chorale-api-"),
        options.database_url,
        CHORALE_API_RATE="1000000/min",
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--force", verbosity=0)
    if options.preload:
        call_command("generate_invoices", "--count", str(options.preload), verbosity=0)
        from django.db import connection

        with connection.cursor() as cursor:  # as autovacuum would after a bulk load
            cursor.execute("VACUUM ANALYZE")
    from chorale.api.services import api_account_create
    from chorale.flows.models import FINAL_STATUSES, Flow
    from chorale.invoicing.formats import write_invoice
    from chorale.invoicing.tests.factories import sample_invoice
    from chorale.structures.models import Structure

    supplier = Structure.objects.get(identifier="98765432400019")
    accounts = [api_account_create(structure=supplier) for _ in range(options.clients)]
    # Searches run as the generated structure that holds a tenth of the preloaded invoices.
    busy = Structure.objects.get(identifier="90000000000000")
    searchers = [api_account_create(structure=busy) for _ in range(options.clients)]
    server, base = gunicorn(env, options.server_workers)
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(options.workers)
    ]
    try:
        clients = [token(base, account) for account in accounts]
        searching_clients = [token(base, account) for account in searchers]
        files = [
            [
                base64.b64encode(
                    write_invoice(sample_invoice(f"BENCH-{c:02d}-{n:04d}"), "CII")
                ).decode()
                for n in range(options.deposits)
            ]
            for c in range(options.clients)
        ]
        flux = f"{base}/cpro/factures/v1/deposer/flux"

        def deposit(index, headers):
            timings = []
            for content in files[index]:
                body = {
                    "fichierFlux": content,
                    "nomFichier": "f.xml",
                    "syntaxeFlux": "IN_DP_E1_CII_16B",
                }
                seconds, data = call(flux, body, headers)
                assert data["codeRetour"] == 0, data
                timings.append(seconds)
            return timings

        started = time.perf_counter()
        seconds, latencies = in_parallel(clients, deposit)
        total = options.clients * options.deposits
        print(
            f"{options.clients} clients, {options.server_workers} gunicorn workers x 4 threads, "
            f"{options.workers} task workers, PostgreSQL"
        )
        figures("deposer/flux", total, seconds, latencies)
        while Flow.objects.exclude(status__in=FINAL_STATUSES).exists():
            time.sleep(0.2)
        processed = time.perf_counter() - started
        integrated = Flow.objects.filter(original_name="f.xml", status="IN_INTEGRE").count()
        print(
            f"{'deposit → integrated':<24} {integrated:>7} invoices "
            f"{integrated / processed:>8.1f}/s"
            f"   (all {total} flows final after {processed:.1f} s)"
        )
        search = f"{base}/cpro/factures/v1/rechercher/fournisseur"

        def searching(index, headers):
            timings = []
            for n in range(options.searches):
                body = {
                    "typeFacture": "FACTURE",
                    "rechercheFactureParFournisseur": {
                        "pageResultatDemandee": 1 + n % 5,
                        "nbResultatsParPage": 10,
                    },
                }
                if n % 2:
                    body["statutCourant"] = ["MISE_A_DISPOSITION"]
                seconds, data = call(search, body, headers)
                assert data["codeRetour"] == 0, data
                timings.append(seconds)
            return timings

        seconds, latencies = in_parallel(searching_clients, searching)
        figures("rechercher/fournisseur", options.clients * options.searches, seconds, latencies)
    finally:
        for process in [server, *workers]:
            process.send_signal(signal.SIGTERM)
        for process in [server, *workers]:
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
