"""Benchmark of the public structure search query: median and p95 latency for a SIRET, names
(the start of a name, words from inside it) and a postal code, on a table of N structures
(default 2 000 000). The baseline for the word search is what one writes without a full-text
index: each word as `LIKE '%word%'` over the names (Django's `icontains`), same ranking.

    .venv/bin/python bench/structure_search.py [--rows 2000000] [--database-url URL]

Without --database-url it builds a SQLite file in a temporary folder; with a PostgreSQL URL it
uses that database (created if needed by the caller; its structures table is filled).
"""

import argparse
import random
import sys
import time
from pathlib import Path

from serving import django_on, percentiles

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "COMMUNE",
    "MAIRIE",
    "CENTRE",
    "HOSPITALIER",
    "LYCEE",
    "COLLEGE",
    "DEPARTEMENT",
    "REGION",
    "SYNDICAT",
    "AGENCE",
    "OFFICE",
    "ECOLE",
    "UNIVERSITE",
    "CAISSE",
    "CHAMBRE",
    "INSTITUT",
    "MUSEE",
    "THEATRE",
    "BIBLIOTHEQUE",
    "PORT",
]
PLACES = [
    "NANTES",
    "LYON",
    "PARIS",
    "LILLE",
    "RENNES",
    "BREST",
    "TOURS",
    "DIJON",
    "NICE",
    "METZ",
    "REIMS",
    "ROUEN",
    "CAEN",
    "PAU",
    "BAYONNE",
    "AMIENS",
    "ANGERS",
    "NIMES",
    "LIMOGES",
    "POITIERS",
]


def luhn_complete(prefix: str) -> str:
    total = 0
    for i, digit in enumerate(reversed(prefix + "0")):
        d = int(digit) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return prefix + str((10 - total % 10) % 10)


def fill(rows: int) -> None:
    from django.utils import timezone

    from chorale.core.models import search_key
    from chorale.structures.models import Structure

    rng = random.Random(7)
    now = timezone.now()
    batch = []
    started = time.perf_counter()
    for n in range(rows):
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} DE {rng.choice(PLACES)} {n}"
        batch.append(
            Structure(
                identifier=luhn_complete(f"{20000000000000 + n * 10:014d}"[:13]),
                company_name=name,
                search_name=search_key(name),
                is_private=n % 4 == 0,
                postal_code=f"{rng.randint(1000, 98999):05d}",
                city=rng.choice(PLACES),
                validated_at=now,
                created_at=now,
                updated_at=now,
            )
        )
        if len(batch) == 10_000:
            Structure.objects.bulk_create(batch)
            batch = []
    Structure.objects.bulk_create(batch)
    print(f"filled {rows:,} structures in {time.perf_counter() - started:.0f} s")


def like_scan(name: str):
    """The baseline: every word contained anywhere in the name, without an index."""
    from chorale.core.models import search_key
    from chorale.directory.selectors import public_structure_queryset

    queryset = public_structure_queryset()
    for word in search_key(name).split():
        queryset = queryset.filter(search_name__contains=word)
    return queryset.order_by("company_name", "identifier")


def measure(label: str, queries: list[dict], search=None) -> None:
    from django.core.paginator import Paginator

    from chorale.directory.selectors import public_structure_search

    timings = []
    for criteria in queries:
        started = time.perf_counter()
        found = search(**criteria) if search else public_structure_search(**criteria)
        page = Paginator(found, 10).get_page(1)
        _ = page.paginator.count, list(page.object_list)
        timings.append((time.perf_counter() - started) * 1000)
    percentiles(label, timings, width=16)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    django_on(options.database_url)
    from django.db import connection

    from chorale.structures.models import Structure

    if Structure.objects.count() != options.rows:
        Structure.objects.all().delete()
        fill(options.rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE structures_structure")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rng = random.Random(11)
    sample = list(
        Structure.objects.filter(is_private=False).values_list(
            "identifier", "company_name", "postal_code"
        )[:5000]
    )
    picks = [rng.choice(sample) for _ in range(options.queries)]
    total = Structure.objects.count()
    print(f"{connection.vendor}, {total:,} structures, {options.queries} queries each")
    measure("SIRET", [{"siret": p[0]} for p in picks])
    measure(
        "name start",
        [{"name": " ".join(p[1].split()[:2]) + " DE " + p[1].split()[3][:3]} for p in picks],
    )
    inside = [{"name": f"{p[1].split()[1].lower()} {p[1].split()[3][:4].lower()}"} for p in picks]
    measure("name words", inside)
    measure("  LIKE baseline", inside[:20], search=like_scan)
    measure("postal code", [{"postal_code": p[2]} for p in picks])


if __name__ == "__main__":
    main()
