"""A deposited invoice as files: its structured data, its PDF (Factur-X rendered on the fly), and
a selection of them as one zip."""

import io
import zipfile

from chorale.core.files import safe_filename

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
        names = set()
        for invoice in invoices:
            name = safe_filename(f"{invoice.supplier_identifier}-{invoice.number}")
            if name in names:  # two numbers that read the same once sanitised (« F/1 », « F:1 »)
                name = f"{name}-{invoice.pk}"
            names.add(name)
            archive.writestr(f"{name}.{fmt}", invoice_file(invoice, fmt))
    return buffer.getvalue()
