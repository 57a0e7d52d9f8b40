"""The invoice validator on its own, without the platform's settings nor a database:

    chorale-validate FILE… [--format json] [--engine native|official] [--jobs N]
    python -m chorale.invoicing.validate FILE…

and from Python:

    from chorale.invoicing.validate import validate_bytes
    report = validate_bytes(data)  # report.valid, report.errors, report.as_dict()

The platform judges deposits with the same calls (read_invoice, validate_document), and
`manage.py validate` prints the same reports. Settings come from the environment
(chorale/invoicing/options.py: CHORALE_VALIDATION_ENGINE, CHORALE_FR_RULES…). Exit status: 0 when
every file is valid, 1 when one is not, 2 on a wrong command line."""

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from chorale.core.collector import tune_for_batches

from .formats import read_invoice
from .formats.detect import PROFILE_LABELS
from .formats.errors import FormatError
from .validation import validate_document
from .validation.engine import FATAL

CHUNK = 16  # files handed to a worker at once with --jobs


@dataclasses.dataclass
class Report:
    """One file's verdict: its syntax and profile, valid or not, every finding as a dict
    (rule, severity, message, term, path)."""

    file: str = ""
    syntax: str | None = None
    profile: str | None = None
    valid: bool = False
    errors: list[dict] = dataclasses.field(default_factory=list)
    warnings: list[dict] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    def refuse(self, rule: str, message: str) -> "Report":
        self.errors.append(
            {"rule": rule, "severity": FATAL, "message": message, "term": "", "path": ""}
        )
        return self


def validate_bytes(data: bytes, *, engine: str | None = None, name: str = "") -> Report:
    """The verdict on one invoice's bytes (CII, UBL or a Factur-X PDF): the format's schema,
    the EN 16931 and profile rules by `engine` (native unless the settings say otherwise),
    Chorale's amount warnings, the French reform's rules if asked."""
    report = Report(file=name)
    try:
        found, invoice = read_invoice(data)
    except FormatError as error:
        return report.refuse(error.code, error.message)
    report.syntax, report.profile = found.syntax, found.profile
    for finding in validate_document(found, invoice, engine):
        (report.errors if finding.severity == FATAL else report.warnings).append(finding.as_dict())
    report.valid = not report.errors
    return report


def validate_path(path: str | Path, engine: str | None = None) -> Report:
    """The verdict on one file (an unreadable file is refused, never raised)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return Report(file=str(path)).refuse(
            "file_unreadable", f"Fichier illisible ({error.strerror})."
        )
    return validate_bytes(data, engine=engine, name=str(path))


def _chunk(paths: Sequence[str], engine: str | None) -> list[dict]:
    return [validate_path(path, engine).as_dict() for path in paths]


def validate_paths(
    paths: Sequence[str], *, engine: str | None = None, jobs: int = 1
) -> Iterator[dict]:
    """The reports of many files, in their order: in this process, or in `jobs` processes
    (each warms its engine once, then judges chunks of files)."""
    if jobs <= 1 or len(paths) <= CHUNK:
        for path in paths:
            yield validate_path(path, engine).as_dict()
        return
    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        for reports in pool.map(_chunk, chunks, [engine] * len(chunks)):
            yield from reports
    finally:  # (a reader gone: the chunks not started are dropped, not judged for nobody)
        pool.shutdown(cancel_futures=True)


def text_lines(report: dict) -> Iterator[str]:
    """A report as `manage.py validate` and `chorale-validate` print it."""
    profile = PROFILE_LABELS.get(report["profile"], "—")
    verdict = "valide" if report["valid"] else "REJETÉE"
    yield f"{report['file']}: {report['syntax'] or '—'}, {profile}, {verdict}"
    for finding in report["errors"] + report["warnings"]:
        where = f" [{finding['path']}]" if finding["path"] else ""
        head = f"  {finding['severity']:7} {finding['rule']}{where} {finding['term']}"
        yield f"{head.rstrip()} : {finding['message']}"


def write(reports: Iterable[dict], output_format: str, out) -> bool:
    """Print the reports (JSON: one array, as `manage.py validate --format json`); whether all
    were valid."""
    valid = True
    if output_format == "json":
        listed = list(reports)
        valid = all(r["valid"] for r in listed)
        out.write(json.dumps(listed, ensure_ascii=False, indent=2) + "\n")
        return valid
    for report in reports:
        valid = valid and report["valid"]
        for line in text_lines(report):
            out.write(line + "\n")
    return valid


def arguments(
    parser: argparse.ArgumentParser, engines: Sequence[str] = ("native", "official")
) -> argparse.ArgumentParser:
    """The command line's arguments (`manage.py validate` adds the `both` engine)."""
    parser.add_argument("files", nargs="+")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument(
        "--engine",
        choices=list(engines),
        help="validation engine (default: CHORALE_VALIDATION_ENGINE, native)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes judging files in parallel (default: 1)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = arguments(
        argparse.ArgumentParser(
            prog="chorale-validate",
            description="Validate invoice files (CII, UBL, Factur-X) against EN 16931 and "
            "their profile's rules.",
        )
    )
    options = parser.parse_args(argv)
    if options.jobs < 1:
        parser.error("--jobs must be 1 or more")
    reports = validate_paths(options.files, engine=options.engine, jobs=options.jobs)
    return 0 if write(reports, options.format, sys.stdout) else 1


def cli() -> None:
    """The command line's entry (`python -m`, the console script): a process of its own, its
    collector tuned for many files in a row. A reader that stops reading (`| head`) ends it
    quietly, as other command lines end."""
    tune_for_batches()
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's advice: no further write to the closed pipe, not even at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    sys.exit(code)


if __name__ == "__main__":
    cli()
