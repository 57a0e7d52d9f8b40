"""Invoice syntaxes: hardened XML parsing, recognition of the syntax and profile, containers,
and the readers and writers between each syntax and the canonical model."""

from ..model import Invoice
from . import detect as _detect
from .cii_reader import read_cii
from .cii_writer import write_cii
from .detect import CII, Detected
from .ubl_reader import read_ubl
from .ubl_writer import write_ubl
from .values import collecting_problems


def read_invoice(data: bytes) -> tuple[Detected, Invoice]:
    """Recognise a deposited file and read it into the canonical model (FormatError if not)."""
    found = _detect.detect(data)
    reader = read_cii if found.syntax == CII else read_ubl
    with collecting_problems() as problems:
        invoice = reader(found.tree)
    invoice.reading_problems = problems
    return found, invoice


def write_invoice(invoice: Invoice, syntax: str) -> bytes:
    """The invoice as CII (`CII`) or UBL (any UBL syntax: Invoice or CreditNote by BT-3)."""
    return write_cii(invoice) if syntax == CII else write_ubl(invoice)
