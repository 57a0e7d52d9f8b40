"""Benchmark of the invoicing espaces: median and p95 server time (the whole Django request,
templates included) of the supplier list (unfiltered and filtered), the recipient inbox and
the invoice detail page, over N invoices (default 1 000 000, made by `generate_invoices`).

    .venv/bin/python bench/portal.py [--rows 1000000] [--database-url postgres://…]

Without --database-url it builds a SQLite file in a temporary folder. The measured users manage
the structures that receive a tenth of the rows each (about 100 000 invoices per list).
"""

import argparse
import random
import sys
import time
from pathlib import Path

from serving import django_on, percentiles

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(client, label: str, urls: list[str]) -> None:
    timings = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    percentiles(label, timings, width=30, digits=1)


def manager(email: str, structure):
    from chorale.accounts.models import User
    from chorale.structures.models import Membership, Role
    from chorale.structures.services import grant_default_spaces

    user, _ = User.objects.get_or_create(email=email, defaults={"is_active": True})
    membership, created = Membership.objects.get_or_create(
        user=user, structure=structure, defaults={"role": Role.PRINCIPAL}
    )
    if created:
        grant_default_spaces(membership)
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    django_on(options.database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from chorale.invoicing.models import InvoiceRecord
    from chorale.structures.models import Structure

    missing = options.rows - InvoiceRecord.objects.count()
    if missing > 0:
        started = time.perf_counter()
        call_command("generate_invoices", count=missing)
        print(f"generated {missing:,} invoices in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        # What autovacuum does on a live database: statistics, and the visibility map that
        # lets the list counts be index-only scans (a freshly bulk-loaded table has none).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    supplier = Structure.objects.get(identifier="90000000000000")
    recipient = Structure.objects.get(identifier="91000000000000")
    seller, buyer = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    seller.force_login(manager("bench-fournisseur@example.test", supplier))
    buyer.force_login(manager("bench-acheteur@example.test", recipient))
    rng = random.Random(5)
    sent, received = reverse("portal:invoices_sent"), reverse("portal:invoices_received")
    print(
        f"{connection.vendor}, {InvoiceRecord.objects.count():,} invoices; the supplier has "
        f"{supplier.invoices_sent.count():,}, the recipient {recipient.invoices_received.count():,}"
    )
    n = options.requests
    pages = [rng.randint(1, 50) for _ in range(n)]
    measure(seller, "supplier list, unfiltered", [f"{sent}?page={p}&taille=20" for p in pages])
    measure(
        seller,
        "supplier list, filtered",
        [
            f"{sent}?statut={s}&du=2025-0{rng.randint(1, 9)}-01&montant_min=100&tri=-montant"
            for s in rng.choices(["MISE_A_DISPOSITION", "SUSPENDUE", "MANDATEE"], k=n)
        ],
    )
    measure(buyer, "recipient inbox", [f"{received}?page={p}&taille=20" for p in pages])
    service_ids = list(recipient.services.values_list("pk", flat=True))
    measure(
        buyer,
        "recipient inbox, one service",
        [f"{received}?service={rng.choice(service_ids)}&statut=MISE_A_DISPOSITION" for _ in pages],
    )
    ids = list(supplier.invoices_sent.values_list("pk", flat=True)[:5000])
    measure(
        seller,
        "invoice detail",
        [reverse("portal:invoice_sent", args=[rng.choice(ids)]) for _ in range(n)],
    )


if __name__ == "__main__":
    main()
