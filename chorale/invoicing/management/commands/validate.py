"""manage.py validate FILE… — the platform's own checks on invoice files, for ERP developers."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from chorale.invoicing.formats import read_invoice
from chorale.invoicing.formats.detect import PROFILE_LABELS
from chorale.invoicing.formats.errors import FormatError
from chorale.invoicing.validation import validate_document
from chorale.invoicing.validation.engine import FATAL


def verdict_of(path: Path, engine: str | None = None) -> dict:
    """One file's result: syntax, profile, verdict and every finding."""
    result = {
        "file": str(path),
        "syntax": None,
        "profile": None,
        "valid": False,
        "errors": [],
        "warnings": [],
    }
    try:
        found, invoice = read_invoice(path.read_bytes())
    except FormatError as error:
        result["errors"].append(
            {
                "rule": error.code,
                "severity": FATAL,
                "message": error.message,
                "term": "",
                "path": "",
            }
        )
        return result
    except OSError as error:
        result["errors"].append(
            {
                "rule": "file_unreadable",
                "severity": FATAL,
                "message": f"Fichier illisible ({error.strerror}).",
                "term": "",
                "path": "",
            }
        )
        return result
    result["syntax"], result["profile"] = found.syntax, found.profile
    for finding in validate_document(found, invoice, engine):
        key = "errors" if finding.severity == FATAL else "warnings"
        result[key].append(finding.as_dict())
    result["valid"] = not result["errors"]
    return result


class Command(BaseCommand):
    help = "Validate invoice files (CII, UBL, Factur-X) with the platform's rules."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--engine",
            choices=["native", "official", "both"],
            help="validation engine (default: CHORALE_VALIDATION_ENGINE)",
        )

    def handle(self, *args, files, format, engine=None, **options):
        results = [verdict_of(Path(name), engine) for name in files]
        if format == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            for result in results:
                profile = PROFILE_LABELS.get(result["profile"], "—")
                verdict = "valide" if result["valid"] else "REJETÉE"
                self.stdout.write(
                    f"{result['file']}: {result['syntax'] or '—'}, {profile}, {verdict}"
                )
                for finding in result["errors"] + result["warnings"]:
                    where = f" [{finding['path']}]" if finding["path"] else ""
                    head = f"  {finding['severity']:7} {finding['rule']}{where} {finding['term']}"
                    self.stdout.write(f"{head.rstrip()} : {finding['message']}")
        if not all(r["valid"] for r in results):
            raise SystemExit(1)
