"""Benchmark of reading + validating the corpus's complete CII and UBL examples with the native
engine, and the official engine's figure from the same run: invoices per second and median
milliseconds per invoice, one process.

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
    from chorale.invoicing.validation import native_findings

    files = sorted((CORPUS / "en16931" / "examples-cii").glob("*.xml"))
    files += sorted((CORPUS / "en16931" / "examples-ubl").glob("*.xml"))
    if not files:
        raise SystemExit(f"no examples under {CORPUS}: ../shared is needed")
    contents = [(p.name, p.read_bytes()) for p in files]
    for _name, data in contents:  # build each rule set once (warm engine, as in a worker)
        native_findings(*read_invoice(data))
    timings = []
    started = time.perf_counter()
    for _ in range(options.rounds):
        for _name, data in contents:
            begin = time.perf_counter()
            found, invoice = read_invoice(data)
            native_findings(found, invoice)  # model rules + syntax rules, as deposits are judged
            timings.append((time.perf_counter() - begin) * 1000)
    elapsed = time.perf_counter() - started
    report("native", len(contents), options.rounds, timings, elapsed)

    from chorale.invoicing.validation import official

    documents = [read_invoice(data)[0] for _name, data in contents]
    for found in documents:  # compile each stylesheet once (warm engine, as in a worker)
        official.run(found.xml, found.syntax, found.profile)
    rounds = max(1, options.rounds // 5)
    timings = []
    started = time.perf_counter()
    for _ in range(rounds):
        for found in documents:
            begin = time.perf_counter()
            official.run(found.xml, found.syntax, found.profile)
            timings.append((time.perf_counter() - begin) * 1000)
    elapsed = time.perf_counter() - started
    report("official (SaxonC-HE, warm)", len(contents), rounds, timings, elapsed)


def report(engine: str, examples: int, rounds: int, timings: list[float], elapsed: float) -> None:
    p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
    print(
        f"{engine:<27} {examples} examples x {rounds} rounds: {len(timings) / elapsed:7,.0f} "
        f"invoices/s, median {statistics.median(timings):7.3f} ms, p95 {p95:7.3f} ms"
    )


if __name__ == "__main__":
    main()
