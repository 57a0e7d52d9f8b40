"""A deposited invoice as files: its structured data, its PDF (Factur-X rendered on the fly), and
a selection of them as one zip."""

import io
import zipfile

from .formats import read_invoice
from .formats.facturx import write_facturx
from .models import InvoiceRecord


def invoice_pdf(invoice: InvoiceRecord) -> bytes:
    return write_facturx(read_invoice(bytes(invoice.structured_data))[1])


def invoice_file(invoice: InvoiceRecord, fmt: str) -> bytes:
    """`fmt` is "pdf" or "xml"."""
    return invoice_pdf(invoice) if fmt == "pdf" else bytes(invoice.structured_data)


def invoices_zip(invoices, fmt: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for invoice in invoices:
            name = f"{invoice.supplier_identifier}-{invoice.number}.{fmt}"
            archive.writestr(name, invoice_file(invoice, fmt))
    return buffer.getvalue()
