"""Coverage-guided fuzzing (atheris/libFuzzer) of everything a deposit's bytes go through:
batch unpacking, format detection, reading and native validation. Anything but a FormatError
is a crash that libFuzzer reports with the input that caused it.

    make fuzz                     # FUZZ_SECONDS=60 by default
    .venv/bin/python fuzz/read_invoice.py -max_total_time=600 var/fuzz-corpus
"""

import os
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
os.environ.setdefault("CHORALE_VAR_DIR", tempfile.mkdtemp(prefix="chorale-fuzz-"))

import django  # noqa: E402

django.setup()

with atheris.instrument_imports(include=["chorale"]):
    from chorale.flows.batch import documents
    from chorale.invoicing.formats import read_invoice, write_invoice
    from chorale.invoicing.formats.errors import FormatError
    from chorale.invoicing.tests.factories import sample_invoice
    from chorale.invoicing.validation import validate_document


def one_input(data: bytes) -> None:
    for document in documents("lot.zip", data):
        if document.content is None:
            continue
        try:
            found, invoice = read_invoice(document.content)
        except FormatError:
            continue
        validate_document(found, invoice, "native")


def seeds(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for syntax in ("CII", "UBL_INVOICE"):
        (folder / f"seed-{syntax}.xml").write_bytes(write_invoice(sample_invoice(), syntax))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    folders = [a for a in arguments if not a.startswith("-")]
    if not folders:
        folders = [str(ROOT / "var" / "fuzz-corpus")]
        arguments.append(folders[0])
    seeds(Path(folders[0]))
    atheris.Setup([sys.argv[0], *arguments], one_input)
    atheris.Fuzz()
