"""Benchmark of `manage.py import_sirene`: rows/s and peak RSS, CSV and Parquet, SQLite and
PostgreSQL. Generates N synthetic establishment rows in the official format (54 columns).

    .venv/bin/python bench/sirene_import.py [--rows 2000000] [--postgres URL]

Each import runs in its own process against a fresh database, so peak RSS is that import's.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chorale.directory.sirene.columns import ESTABLISHMENT_COLUMNS  # noqa: E402

STREETS = ["RUE", "AV", "BD", "PL", "CHE", "RTE", "IMP", "ALL"]
CITIES = [("75007", "PARIS", "75107"), ("69002", "LYON", "69382"), ("31000", "TOULOUSE", "31555")]


def luhn_complete(prefix: str) -> str:
    total = 0
    for i, digit in enumerate(reversed(prefix + "0")):
        d = int(digit) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return prefix + str((10 - total % 10) % 10)


def synthetic_rows(count: int):
    rng = random.Random(42)
    index = {name: i for i, name in enumerate(ESTABLISHMENT_COLUMNS)}
    for n in range(count):
        siren = luhn_complete(f"{100000000 + n // 3:09d}"[:8])
        siret = luhn_complete(siren + f"{n % 3 + 1:04d}")
        postal, city, commune = CITIES[n % len(CITIES)]
        row = [""] * len(ESTABLISHMENT_COLUMNS)
        row[index["siren"]] = siren
        row[index["nic"]] = siret[9:]
        row[index["siret"]] = siret
        row[index["statutDiffusionEtablissement"]] = "O"
        row[index["etablissementSiege"]] = "true" if n % 3 == 0 else "false"
        row[index["numeroVoieEtablissement"]] = str(rng.randint(1, 200))
        row[index["typeVoieEtablissement"]] = rng.choice(STREETS)
        row[index["libelleVoieEtablissement"]] = f"DE LA REPUBLIQUE {n % 97}"
        row[index["codePostalEtablissement"]] = postal
        row[index["libelleCommuneEtablissement"]] = city
        row[index["codeCommuneEtablissement"]] = commune
        row[index["etatAdministratifEtablissement"]] = "A" if n % 10 else "F"
        row[index["dateDernierTraitementEtablissement"]] = "2026-10-31T12:00:00"
        row[index["activitePrincipaleEtablissement"]] = "84.11Z"
        yield row


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(ESTABLISHMENT_COLUMNS)
        writer.writerows(synthetic_rows(count))


def write_parquet(path: Path, count: int, chunk: int = 100_000) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, pa.string()) for name in ESTABLISHMENT_COLUMNS])
    with pq.ParquetWriter(path, schema) as writer:
        rows = synthetic_rows(count)
        done = 0
        while done < count:
            block = [next(rows) for _ in range(min(chunk, count - done))]
            columns = list(zip(*block, strict=True))
            writer.write_table(pa.table(list(columns), schema=schema))
            done += len(block)


def run(args: list[str], env: dict) -> tuple[float, int, str]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    output = process.stdout.read()
    if status != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{output}")
    return elapsed, usage.ru_maxrss // 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument(
        "--postgres",
        help="a PostgreSQL server URL without database name, "
        "e.g. postgres://postgres@127.0.0.1:5432 (a bench database is created)",
    )
    options = parser.parse_args()
    if options.generate:
        write_csv(Path(options.generate) / "StockEtablissement_utf8.csv", options.rows)
        write_parquet(Path(options.generate) / "StockEtablissement_utf8.parquet", options.rows)
        return

    with tempfile.TemporaryDirectory(prefix="chorale-bench-") as folder:
        folder = Path(folder)
        files = {
            "csv": folder / "StockEtablissement_utf8.csv",
            "parquet": folder / "StockEtablissement_utf8.parquet",
        }
        started = time.perf_counter()
        # In a child process: the forked imports then inherit no large peak from this one.
        subprocess.run(
            [sys.executable, __file__, "--generate", str(folder), "--rows", str(options.rows)],
            check=True,
        )
        print(
            f"generated {options.rows:,} rows in {time.perf_counter() - started:.1f} s "
            f"(CSV {files['csv'].stat().st_size / 2**20:.0f} MiB, "
            f"Parquet {files['parquet'].stat().st_size / 2**20:.0f} MiB)"
        )

        databases = {"sqlite": lambda: f"sqlite:///{folder / 'bench.sqlite3'}"}
        if options.postgres:
            databases["postgresql"] = lambda: f"{options.postgres.rstrip('/')}/chorale_bench"
        print(
            f"{'database':<11} {'format':<8} {'rows/s':>10} {'seconds':>8} {'peak RSS':>9}"
            "   (rows/s: the import itself; seconds: the whole command)"
        )
        for engine, url in databases.items():
            for fmt, path in files.items():
                env = {
                    **os.environ,
                    "DATABASE_URL": url(),
                    "DJANGO_SETTINGS_MODULE": "config.settings.development",
                    "CHORALE_VAR_DIR": str(folder),
                }
                reset_database(engine, folder, options.postgres)
                run(["migrate", "-v0"], env)
                seconds, rss, output = run(["import_sirene", str(path), "--no-progress"], env)
                rate = output.rsplit(", ", 1)[-1].split()[0]
                print(f"{engine:<11} {fmt:<8} {rate:>10} {seconds:>8.1f} {rss:>6} MiB")


def reset_database(engine: str, folder: Path, server: str | None) -> None:
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (folder / f"bench.sqlite3{suffix}").unlink(missing_ok=True)
        return
    for statement in ("DROP DATABASE IF EXISTS chorale_bench", "CREATE DATABASE chorale_bench"):
        subprocess.run(
            ["psql", f"{server.rstrip('/')}/postgres", "-q", "-c", statement],
            check=True,
            env={**os.environ, "PGOPTIONS": "--client-min-messages=warning"},
        )


if __name__ == "__main__":
    main()
