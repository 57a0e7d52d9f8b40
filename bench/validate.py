"""Benchmark of reading + validating (native engine) the corpus's complete CII and UBL examples:
invoices per second and median milliseconds per invoice, one process.

    .venv/bin/python bench/validate.py [--rounds 20]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    import django

    django.setup()
    from chorale.invoicing.formats import read_invoice
    from chorale.invoicing.validation import validate

    files = sorted((CORPUS / "en16931" / "examples-cii").glob("*.xml"))
    files += sorted((CORPUS / "en16931" / "examples-ubl").glob("*.xml"))
    if not files:
        raise SystemExit(f"no examples under {CORPUS}: ../shared is needed")
    contents = [(p.name, p.read_bytes()) for p in files]
    timings = []
    started = time.perf_counter()
    for _ in range(options.rounds):
        for _name, data in contents:
            begin = time.perf_counter()
            found, invoice = read_invoice(data)
            validate(invoice, found.profile)
            timings.append((time.perf_counter() - begin) * 1000)
    elapsed = time.perf_counter() - started
    print(f"{len(contents)} examples x {options.rounds} rounds, native engine, one process")
    print(
        f"invoices/s {len(timings) / elapsed:,.0f}   median {statistics.median(timings):.3f} ms   "
        f"p95 {sorted(timings)[int(len(timings) * 0.95) - 1]:.3f} ms per invoice"
    )


if __name__ == "__main__":
    main()
