"""The hostile and broken files the platform must refuse cleanly, made here (a 50 MB file and a
zip bomb have no place in the repository). Each entry: name → bytes."""

import io
import zipfile

from pypdf import PdfWriter

from chorale.flows.tests.factories import invoice
from chorale.invoicing.formats import write_invoice
from chorale.invoicing.tests.factories import sample_invoice

CII_HEAD = (
    b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
    b'CrossIndustryInvoice:100">'
)


def _pdf(encrypted: bool = False, attachment: tuple[str, bytes] | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if attachment:
        writer.add_attachment(*attachment)
    if encrypted:
        writer.encrypt(user_password="secret", owner_password="secret", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def documents() -> dict[str, bytes]:
    """Broken or hostile documents, each to be rejected with a reason."""
    minimum_with_lines = invoice("FX-MIN").replace(
        b"urn:cen.eu:en16931:2017", b"urn:factur-x.eu:1p0:minimum", 1
    )
    return {
        "malforme.xml": b"<rsm:CrossIndustryInvoice><pas-ferme>",
        "xxe.xml": (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + CII_HEAD
            + b"&x;</rsm:CrossIndustryInvoice>"
        ),
        "entite-distante.xml": (
            b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">'
            + CII_HEAD
            + b"</rsm:CrossIndustryInvoice>"
        ),
        "milliard-de-rires.xml": (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(
                f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'.encode()
                for n in range(9)
            )
            + b"]>"
            + CII_HEAD
            + b"&j;</rsm:CrossIndustryInvoice>"
        ),
        "imbrication.xml": CII_HEAD
        + b"<a>" * 5000
        + b"</a>" * 5000
        + b"</rsm:CrossIndustryInvoice>",
        "mauvais-encodage.xml": invoice("ENC-1").replace(b"DUPONT", "DUPONT Éàü".encode("latin-1")),
        "vide.xml": b"",
        "binaire.xml": bytes(range(256)) * 64,
        "chiffre.pdf": _pdf(encrypted=True, attachment=("factur-x.xml", invoice("PDF-ENC"))),
        "sans-xml.pdf": _pdf(),
        "mauvais-profil.pdf": _pdf(attachment=("factur-x.xml", minimum_with_lines)),
        "ubl-sans-lignes.xml": write_invoice(sample_invoice("UBL-0"), "UBL_INVOICE")
        .replace(b"<cac:InvoiceLine>", b"<cac:Ignored>", 1)
        .replace(b"</cac:InvoiceLine>", b"</cac:Ignored>", 1),
    }


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name), content)
    return buffer.getvalue()


def zip_bomb(expanded: int) -> bytes:
    """One member that inflates to `expanded` bytes of zeros (a few kB on disk)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("bombe.xml", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(expanded >> 20):
            member.write(chunk)
    return buffer.getvalue()


def big_file(size: int) -> bytes:
    """A well-formed but oversized XML document."""
    filler = b"<!-- " + b"x" * 1000 + b" -->"
    return CII_HEAD + filler * (size // len(filler)) + b"</rsm:CrossIndustryInvoice>"
