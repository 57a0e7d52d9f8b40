"""Benchmark of reading + validating the corpus's complete CII and UBL examples with the native
engine, and the official engine's figure from the same run: invoices per second and median
milliseconds per invoice, one process.

    .venv/bin/python bench/validate.py [--rounds 10]     (make bench-validate)

The two engines run in alternate rounds, so that both see the same moments of a shared machine
(its speed drifts by a third over minutes here); the ratio of their medians is the figure to
compare with the 20x target.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "corpus"  # shipped with the project (tests/corpus/README.md)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    import django

    django.setup()
    from chorale.invoicing.formats import read_invoice
    from chorale.invoicing.validation import native_findings

    files = sorted((CORPUS / "en16931" / "examples-cii").glob("*.xml"))
    files += sorted((CORPUS / "en16931" / "examples-ubl").glob("*.xml"))
    if not files:
        raise SystemExit(f"no examples under {CORPUS}")
    contents = [(p.name, p.read_bytes()) for p in files]
    from chorale.invoicing.validation import official

    for _name, data in contents:  # build each rule set, compile each stylesheet (warm engines)
        found, invoice = read_invoice(data)
        native_findings(found, invoice)
        official.run(found.xml, found.syntax, found.profile)
    # Rounds of each engine in turn, so that both see the same moments of a shared machine.
    documents = [read_invoice(data)[0] for _name, data in contents]
    native, verdicts = [], []
    for _ in range(options.rounds):
        for _name, data in contents:
            begin = time.perf_counter()
            found, invoice = read_invoice(data)
            native_findings(found, invoice)  # model rules + syntax rules, as deposits are judged
            native.append((time.perf_counter() - begin) * 1000)
        for found in documents:
            begin = time.perf_counter()
            official.run(found.xml, found.syntax, found.profile)
            verdicts.append((time.perf_counter() - begin) * 1000)
    report("native (read + validate)", len(contents), options.rounds, native)
    report("official (SaxonC-HE, warm)", len(contents), options.rounds, verdicts)
    print(
        f"native / official: {statistics.median(verdicts) / statistics.median(native):.1f}x "
        f"by median, {statistics.mean(verdicts) / statistics.mean(native):.1f}x by mean"
    )
    # Each file's best time over the rounds: what the code costs when the machine is not busy
    # elsewhere (the figure that moves least from one run to the next).
    count = len(contents)
    best_native = [min(native[i::count]) for i in range(count)]
    best_official = [min(verdicts[i::count]) for i in range(count)]
    print(
        f"best of {options.rounds} rounds per file: native median "
        f"{statistics.median(best_native):.3f} ms, official median "
        f"{statistics.median(best_official):.3f} ms, "
        f"{statistics.median(best_official) / statistics.median(best_native):.1f}x"
    )
    by_syntax(documents, best_native, best_official, options.rounds)
    steps(contents, options.rounds)
    profiles(options.rounds)


def by_syntax(documents, best_native: list[float], best_official: list[float], rounds: int):
    """The same best times, averaged per syntax: the official rule sets differ in weight (the
    Factur-X / CEN rules for CII are several times heavier than the CEN rules for UBL)."""
    print(f"per syntax (mean over the files of each file's best of {rounds}):")
    for syntax in ("CII", "UBL"):  # UBL: its Invoice and CreditNote
        chosen = [i for i, found in enumerate(documents) if found.syntax.startswith(syntax)]
        mine = statistics.mean(best_native[i] for i in chosen)
        theirs = statistics.mean(best_official[i] for i in chosen)
        print(
            f"  {syntax} {len(chosen):2} files: native {mine:6.3f} ms, official "
            f"{theirs:6.3f} ms, {theirs / mine:5.1f}x"
        )


def steps(contents: list[tuple[str, bytes]], rounds: int) -> None:
    """Where the native engine's time goes: each step's best time per file over the rounds,
    the median over the files (the currency attributes and the filter of the business rules
    by syntax, which native_findings adds, cost a few microseconds)."""
    from chorale.invoicing.formats import detect, read_cii, read_ubl
    from chorale.invoicing.formats.values import collecting_problems
    from chorale.invoicing.validation import structure, validate

    names = ("parse + detect", "walk", "read", "model rules", "syntax rules")
    timings = {name: [[] for _ in contents] for name in names}
    for _ in range(rounds):
        for index, (_name, data) in enumerate(contents):
            marks = [time.perf_counter()]
            found = detect.detect(data)
            marks.append(time.perf_counter())
            tree = found.tree
            marks.append(time.perf_counter())
            with collecting_problems() as problems:
                invoice = (read_cii if found.syntax == detect.CII else read_ubl)(tree)
            invoice.reading_problems = problems
            marks.append(time.perf_counter())
            validate(invoice, found.profile)
            marks.append(time.perf_counter())
            structure.check(found)
            marks.append(time.perf_counter())
            for name, begin, finish in zip(names, marks[:-1], marks[1:], strict=True):
                timings[name][index].append((finish - begin) * 1000)
    print(f"native step by step (median over the files of each file's best of {rounds}):")
    for name, per_file in timings.items():
        print(f"  {name:<15} {statistics.median(min(t) for t in per_file):6.3f} ms")


def profiles(rounds: int) -> None:
    """The corpus's Factur-X BASIC and EXTENDED files (their XML): there the native engine asks
    the official one for the few rules no XPath 1.0 can say, from the rule set cut down to them.
    Each file's best time, the median per profile."""
    from chorale.invoicing.formats import read_invoice
    from chorale.invoicing.validation import native_findings, official

    folder = CORPUS / "zugferd" / "v2-correct"
    paths = sorted(folder.glob("**/*BASIC*.pdf")) + sorted(folder.glob("**/*EXTENDED*.pdf"))
    paths += sorted(folder.glob("Mustangproject/testout-ZF2Push*.xml"))
    by_profile: dict[str, list[tuple[float, float]]] = {}
    for path in paths:
        found = read_invoice(path.read_bytes())[0]
        data = found.xml  # a PDF's embedded XML: what both engines judge
        native, verdicts = [], []
        for _ in range(rounds):
            begin = time.perf_counter()
            native_findings(*read_invoice(data))
            native.append((time.perf_counter() - begin) * 1000)
            begin = time.perf_counter()
            official.run(found.xml, found.syntax, found.profile)
            verdicts.append((time.perf_counter() - begin) * 1000)
        by_profile.setdefault(found.profile, []).append((min(native), min(verdicts)))
    print(
        f"Factur-X profiles of the corpus (median over the files of each file's best of {rounds}):"
    )
    for profile, times in sorted(by_profile.items()):
        mine = statistics.median(t[0] for t in times)
        theirs = statistics.median(t[1] for t in times)
        print(
            f"  {profile:<9} {len(times):2} files: native {mine:6.3f} ms, official "
            f"{theirs:6.3f} ms, {theirs / mine:5.1f}x"
        )


def report(engine: str, examples: int, rounds: int, timings: list[float]) -> None:
    p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
    per_second = 1000 / statistics.mean(timings)
    print(
        f"{engine:<27} {examples} examples x {rounds} rounds: {per_second:7,.0f} "
        f"invoices/s, median {statistics.median(timings):7.3f} ms, p95 {p95:7.3f} ms"
    )


if __name__ == "__main__":
    main()
