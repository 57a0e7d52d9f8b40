"""Benchmark of the portal under load: N people at once (default 50) browsing and processing
invoices over M stored invoices (default 1 000 000), against gunicorn on PostgreSQL; per page
median, p95 and errors.

    .venv/bin/python bench/load.py --database-url postgres://…/chorale_load [--users 50]
        [--seconds 60] [--rows 1000000] [--think 3.0] [--ramp 10] [--server-workers 4]

A headless load generator in the manner of locust: each person is a thread with its own
signed-in session, arriving one after the other over --ramp seconds, choosing a page by weight,
then pausing (0.5 to 1.5 times --think seconds, 3 s on average: reading a list or an invoice
takes a person longer); the server processes are warmed up first, untimed. Half
work for the supplier that sent a tenth of the invoices, half for the commune that received a
tenth: dashboards, lists (pages, filters, a number), invoice pages, the events feed, and
« Traiter » (Mise à disposition → Prise en compte), a real POST with its CSRF token; they chose
the daily e-mail digest, as people of such a body would. The
database keeps its invoices between runs: only the missing ones are generated (`make
bench-load` creates it once).
"""

import argparse
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests
from serving import environment, gunicorn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def ensure_database(url: str) -> None:
    """Create the database if it does not exist yet (its invoices are kept between runs)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(rows: int, users: int) -> dict:
    """Invoices, people and their sessions; what each simulated person will ask for."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from chorale.accounts.models import NotificationSettings, User
    from chorale.invoicing.models import InvoiceRecord
    from chorale.lifecycle.statuses import Status
    from chorale.structures.models import Membership, Role, Structure
    from chorale.structures.services import grant_default_spaces

    call_command("migrate", verbosity=0)
    missing = rows - InvoiceRecord.objects.count()
    if missing > 0:
        started = time.perf_counter()
        call_command("generate_invoices", count=missing, verbosity=0)
        print(f"generated {missing:,} invoices in {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:  # as autovacuum would after a bulk load
            cursor.execute("VACUUM ANALYZE")
    supplier = Structure.objects.get(identifier="90000000000000")
    recipient = Structure.objects.get(identifier="91000000000000")
    people = []
    for n in range(users):
        structure, side = (supplier, "supplier") if n % 2 == 0 else (recipient, "recipient")
        user, _ = User.objects.get_or_create(
            email=f"charge-{side}-{n}@example.test", defaults={"is_active": True}
        )
        membership, created = Membership.objects.get_or_create(
            user=user, structure=structure, defaults={"role": Role.SECONDARY}
        )
        if created:
            grant_default_spaces(membership)
        # A body handling thousands of invoices chooses the daily digest (as in bench/ingest):
        # no e-mail per status change to each of its people.
        NotificationSettings.objects.update_or_create(user=user, defaults={"daily_digest": True})
        client = Client()
        client.force_login(user)
        people.append((side, client.cookies[settings.SESSION_COOKIE_NAME].value))
    sent = supplier.invoices_sent.order_by("?")[:5000]
    waiting = recipient.invoices_received.filter(status=Status.AVAILABLE).order_by("?")[:20000]
    return {
        "people": people,
        "sent": list(sent.values_list("pk", "number")),
        "received": list(recipient.invoices_received.order_by("?")[:5000].values_list("pk")),
        "waiting": [pk for (pk,) in waiting.values_list("pk")],
        "services": list(recipient.services.values_list("pk", flat=True)),
        "counts": (InvoiceRecord.objects.count(), supplier.invoices_sent.count()),
    }


class Person(threading.Thread):
    def __init__(self, base, side, cookie, data, waiting, deadline, think, seed, results):
        super().__init__(daemon=True)
        self.base, self.side, self.data, self.waiting = base, side, data, waiting
        self.deadline, self.think, self.results = deadline, think, results
        self.rng = random.Random(seed)
        self.start_after = 0.0  # people arrive one after the other, as locust spawns them
        self.http = requests.Session()
        self.http.cookies.set("sessionid", cookie)

    def timed(self, label: str, method: str, path: str, expected: int, **kwargs):
        started = time.perf_counter()
        try:
            response = self.http.request(
                method, self.base + path, allow_redirects=False, timeout=30, **kwargs
            )
            ok = response.status_code == expected
        except requests.RequestException:
            response, ok = None, False
        self.results[label].append(((time.perf_counter() - started) * 1000, ok))
        return response

    def supplier_page(self) -> None:
        rng, sent = self.rng, self.data["sent"]
        page = rng.choices(
            ["dashboard", "list", "filtered", "number", "detail", "feed"], [1, 3, 2, 1, 3, 1]
        )[0]
        if page == "dashboard":
            self.timed("accueil", "GET", "/accueil/", 200)
        elif page == "list":
            self.timed(
                "factures émises", "GET", f"/factures-emises/?page={rng.randint(1, 50)}", 200
            )
        elif page == "filtered":
            status = rng.choice(["MISE_A_DISPOSITION", "SUSPENDUE", "MANDATEE"])
            query = f"statut={status}&du=2025-0{rng.randint(1, 9)}-01&montant_min=100&tri=-montant"
            self.timed("factures émises, filtrées", "GET", f"/factures-emises/?{query}", 200)
        elif page == "number":
            number = rng.choice(sent)[1]
            self.timed(
                "factures émises, un numéro", "GET", f"/factures-emises/?numero={number}", 200
            )
        elif page == "detail":
            pk = rng.choice(sent)[0]
            self.timed("facture émise", "GET", f"/factures-emises/{pk}/", 200)
        else:
            self.timed("fil d'événements", "GET", "/evenements/", 200)

    def recipient_page(self) -> None:
        rng = self.rng
        page = rng.choices(["dashboard", "list", "service", "detail", "process"], [1, 3, 2, 3, 2])[
            0
        ]
        if page == "dashboard":
            self.timed("accueil", "GET", "/accueil/", 200)
        elif page == "list":
            self.timed(
                "factures reçues", "GET", f"/factures-recues/?page={rng.randint(1, 50)}", 200
            )
        elif page == "service":
            service = rng.choice(self.data["services"])
            query = f"service={service}&statut=MISE_A_DISPOSITION"
            self.timed("factures reçues, un service", "GET", f"/factures-recues/?{query}", 200)
        elif page == "detail" or not self.waiting:
            pk = rng.choice(self.data["received"])[0]
            self.timed("facture reçue", "GET", f"/factures-recues/{pk}/", 200)
        else:
            pk = self.waiting.pop()
            page = self.timed("facture reçue", "GET", f"/factures-recues/{pk}/", 200)
            token = CSRF.search(page.text) if page is not None else None
            if token is None:
                self.results["traiter (POST)"].append((0.0, False))
                return
            form = {
                "csrfmiddlewaretoken": token.group(1),
                "statut": "PRISE_EN_COMPTE_DESTINATAIRE",
                "statut_attendu": "MISE_A_DISPOSITION",
            }
            headers = {"Referer": f"{self.base}/factures-recues/{pk}/"}
            self.timed(
                "traiter (POST)",
                "POST",
                f"/factures-recues/{pk}/traiter/",
                302,
                data=form,
                headers=headers,
            )

    def run(self) -> None:
        self.http.get(self.base + "/accueil/", timeout=30)  # the CSRF cookie
        time.sleep(self.start_after)
        while time.monotonic() < self.deadline:
            (self.supplier_page if self.side == "supplier" else self.recipient_page)()
            time.sleep(self.think * self.rng.uniform(0.5, 1.5))


def warm_up(base: str, data: dict, results: dict) -> None:
    """Every server process loads its code and templates before anything is timed: a few
    people visit each page a few times, and what they saw is forgotten."""
    visitors = [
        Person(base, side, cookie, data, [], 0, 0.0, 1000 + n, defaultdict(list))
        for n, (side, cookie) in enumerate(data["people"][:8])
    ]
    for visitor in visitors:
        visitor.http.get(base + "/accueil/", timeout=30)
        for _ in range(15):
            (visitor.supplier_page if visitor.side == "supplier" else visitor.recipient_page)()
    results.clear()


def report(results: dict, seconds: float) -> None:
    total = sum(len(v) for v in results.values())
    errors = sum(not ok for v in results.values() for _, ok in v)
    print(f"{'page':<30} {'requests':>8} {'median':>8} {'p95':>8} {'max':>8} {'errors':>6}")
    worst = 0.0
    for label in sorted(results):
        timings = sorted(ms for ms, _ in results[label])
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        worst = max(worst, p95)
        failed = sum(not ok for _, ok in results[label])
        print(
            f"{label:<30} {len(timings):>8} {statistics.median(timings):>6.1f}ms "
            f"{p95:>6.1f}ms {timings[-1]:>6.0f}ms {failed:>6}"
        )
    print(
        f"{total:,} requests in {seconds:.0f} s ({total / seconds:.0f}/s), {errors} errors; "
        f"worst p95 per page {worst:.0f} ms (target: under 150 ms, 0 errors)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--think", type=float, default=3.0, help="mean pause between pages (s)")
    parser.add_argument("--server-workers", type=int, default=4)
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds to bring everyone in")
    options = parser.parse_args()
    env = environment(tempfile.mkdtemp(prefix="chorale-load-"), options.database_url)
    ensure_database(options.database_url)
    import django

    django.setup()
    data = prepare(options.rows, options.users)
    stored, supplier_count = data["counts"]
    print(
        f"{stored:,} invoices stored; the supplier's list holds {supplier_count:,}; "
        f"{options.users} people, {options.seconds} s, pauses of {options.think} s on average"
    )
    server, base = gunicorn(env, options.server_workers)
    try:
        results: dict[str, list] = defaultdict(list)
        waiting = data["waiting"]
        share = len(waiting) // max(1, options.users)
        deadline = time.monotonic() + options.ramp + options.seconds
        people = [
            Person(
                base, side, cookie, data, waiting[n * share : (n + 1) * share],
                deadline, options.think, n, results,
            )
            for n, (side, cookie) in enumerate(data["people"])
        ]  # fmt: skip
        warm_up(base, data, results)
        for n, person in enumerate(people):
            person.start_after = n * options.ramp / len(people)
        started = time.perf_counter()
        for person in people:
            person.start()
        for person in people:
            person.join()
        report(results, time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
