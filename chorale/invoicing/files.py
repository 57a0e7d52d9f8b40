"""A deposited invoice as files: its structured data, its PDF (Factur-X rendered on the fly), and
a selection of them as one zip."""

import io
import zipfile

from chorale.core.files import safe_filename

from .formats import read_invoice
from .formats.facturx import write_facturx
from .models import InvoiceRecord


def invoice_pdf(invoice: InvoiceRecord) -> bytes:
    """The invoice as PDF: the Factur-X PDF deposited, unchanged, when it was one; else the
    platform's readable rendering of its XML (never in place of an original PDF)."""
    if invoice.original:
        with invoice.original.open("rb") as original:
            return original.read()
    return write_facturx(read_invoice(bytes(invoice.structured_data))[1])


def invoice_file(invoice: InvoiceRecord, fmt: str) -> bytes:
    """`fmt` is "pdf" or "xml"."""
    return invoice_pdf(invoice) if fmt == "pdf" else bytes(invoice.structured_data)


def invoice_original(invoice: InvoiceRecord) -> tuple[bytes, str]:
    """The file the supplier deposited, unchanged (its SHA-256 is `invoice.sha256`), and its
    extension: the Factur-X PDF, or the XML."""
    if invoice.original:
        return invoice_pdf(invoice), "pdf"
    return bytes(invoice.structured_data), "xml"


def invoices_zip(invoices, fmt: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        names = set()
        for invoice in invoices:
            name = safe_filename(f"{invoice.supplier_identifier}-{invoice.number}")
            if name in names:  # two numbers that read the same once sanitised (« F/1 », « F:1 »)
                name = f"{name}-{invoice.pk}"
            names.add(name)
            archive.writestr(f"{name}.{fmt}", invoice_file(invoice, fmt))
    return buffer.getvalue()
