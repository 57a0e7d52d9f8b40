"""The invoice says exactly what was sent: every field of « Saisir une facture » reaches the
generated CII, which the official CEN EN 16931 1.3.16 rules accept with no fatal finding and
which reads back to the values typed; the platform never warns about its own output; the
attachments travel inside the Factur-X PDF; both sides download the file deposited, unchanged,
and read the whole invoice on its page."""

import hashlib
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chorale.flows.models import Flow, FlowStatus
from chorale.flows.processing import flow_process
from chorale.invoicing.formats import read_invoice
from chorale.invoicing.models import InvoiceRecord
from chorale.invoicing.validation import official
from chorale.invoicing.validation.engine import FATAL
from chorale.structures.models import BankAccount, Service
from chorale.structures.services import mandate_subscribe
from conftest import require_pango

from .factories import RECIPIENT_SIRET
from .test_invoice_entry import recipient, signed_in, supplier, typed  # noqa: F401

IBAN = "FR7630006000011234567890189"
NOTE = b"%PDF-1.4 bon de livraison n. 42"


@pytest.fixture
def sent(client, supplier, recipient):  # noqa: F811 — the entry tests' structures
    require_pango()
    mandate_subscribe(membership=supplier.memberships.get())
    account = BankAccount.objects.create(
        structure=supplier, label="Compte", holder="ATELIER DUPONT", iban=IBAN, bic="AGRIFRPP"
    )
    Service.objects.create(structure=recipient, code="TECHNIQUE", label="Services techniques")
    data = typed(
        supplier,
        code_service="TECHNIQUE",
        numero_engagement="EJ-2026-77",
        date_echeance="2026-12-20",
        tva_fournisseur="FR14987654324",
        conditions="Paiement à 30 jours, pénalités au taux légal",
        coordonnees=account.pk,
        commentaire="Intervention du 12 novembre",
        pieces_jointes=[SimpleUploadedFile("bon-de-livraison.pdf", NOTE, "application/pdf")],
        **{
            "lignes-0-motif_remise": "Remise fidélité",
            "lignes-0-frais": "12.50",
            "lignes-0-motif_frais": "Déplacement",
        },
    )
    response = signed_in(client, supplier).post(reverse("flows:entry"), data)
    assert response.status_code == 302, response.text[:2000]
    flow = Flow.objects.get()
    flow_process(flow.pk)
    flow.refresh_from_db()
    return flow


def test_every_typed_field_is_in_the_cii_and_reads_back(sent):
    assert sent.status == FlowStatus.INTEGRATED
    assert sent.items.get().errors == []  # no error, and no warning about its own output
    record = InvoiceRecord.objects.get()
    _, invoice = read_invoice(bytes(record.structured_data))
    assert (invoice.number, str(invoice.issue_date), str(invoice.due_date)) == (
        "S-2026-1",
        "2026-11-20",
        "2026-12-20",
    )
    assert (invoice.type_code, invoice.currency, invoice.process_id) == ("380", "EUR", "A1")
    assert invoice.buyer_reference == "TECHNIQUE"
    assert invoice.purchase_order_reference == "EJ-2026-77"
    assert invoice.payment_terms == "Paiement à 30 jours, pénalités au taux légal"
    assert [n.text for n in invoice.notes] == ["Intervention du 12 novembre"]
    assert invoice.seller.vat_id == "FR14987654324"
    assert invoice.buyer.legal_id.value == RECIPIENT_SIRET
    assert [t.account_id for t in invoice.payment.credit_transfers] == [IBAN]
    first, second = invoice.lines
    assert (first.item_name, first.quantity, first.unit, first.net_price) == (
        "Réparation de bancs",
        Decimal("3"),
        "C62",
        Decimal("33.33"),
    )
    assert [(a.amount, a.reason) for a in first.allowances] == [
        (Decimal("0.99"), "Remise fidélité")
    ]
    assert [(c.amount, c.reason) for c in first.charges] == [(Decimal("12.50"), "Déplacement")]
    assert first.net_amount == Decimal("111.50")  # 3 x 33.33 - 0.99 + 12.50
    assert (second.unit, second.vat_rate, second.vat_category) == ("HUR", Decimal("0"), "E")
    exempt = [v for v in invoice.vat_breakdown if v.category == "E"]
    assert exempt[0].exemption_reason == "Exonération, article 261-4-4° du CGI"
    assert invoice.totals.tax_inclusive == Decimal("233.80")  # 111.50 x 1.2 + 100
    [attachment] = invoice.attachments
    assert attachment.filename == "bon-de-livraison.pdf"


def test_the_official_cen_rules_find_nothing_fatal(sent):
    record = InvoiceRecord.objects.get()
    findings = official.run_cen(bytes(record.structured_data), "CII")
    assert [f for f in findings if f.severity == FATAL] == []


def test_the_cen_rules_do_catch_a_broken_line(sent):
    """The check above can fail: a line allowance without its reason breaks BR-42."""
    record = InvoiceRecord.objects.get()
    reason = "<ram:Reason>Remise fidélité</ram:Reason>".encode()
    assert reason in bytes(record.structured_data)
    broken = bytes(record.structured_data).replace(reason, b"")
    assert "BR-42" in [f.rule for f in official.run_cen(broken, "CII") if f.severity == FATAL]


def test_attachments_are_inside_the_pdf_and_on_both_sides_pages(client, sent, supplier, recipient):  # noqa: F811
    from pypdf import PdfReader

    record = InvoiceRecord.objects.get()
    reader = PdfReader(io.BytesIO(sent.file.open("rb").read()))
    assert reader.attachments["bon-de-livraison.pdf"] == [NOTE]
    assert "factur-x.xml" in reader.attachments
    printed = " ".join(page.extract_text() for page in reader.pages)
    assert "Remise fidélité" in printed and "Déplacement" in printed  # shown on the PDF too
    for structure, page in (
        (supplier, "portal:invoice_sent"),
        (recipient, "portal:invoice_received"),
    ):
        viewer = signed_in(client, structure)
        text = viewer.get(reverse(page, args=[record.pk])).content.decode()
        for shown in ("Réparation de bancs", "Remise fidélité", "Déplacement", "heure", IBAN,
                      "EJ-2026-77", "20/12/2026", "Intervention du 12 novembre",
                      "bon-de-livraison.pdf", "Exonération, article 261-4-4° du CGI"):  # fmt: skip
            assert shown in text, (structure, shown)
        document = viewer.get(reverse("portal:invoice_supporting_document", args=[record.pk, 0]))
        assert (
            b"".join(document.streaming_content if document.streaming else [document.content])
            == NOTE
        )


def test_both_sides_download_the_file_deposited_unchanged(client, sent, supplier, recipient):  # noqa: F811
    record = InvoiceRecord.objects.get()
    deposited = sent.file.open("rb").read()
    assert record.original and hashlib.sha256(deposited).hexdigest() == record.sha256
    for structure, url in (
        (supplier, "portal:invoice_sent_download"),
        (recipient, "portal:invoice_received_download"),
    ):
        viewer = signed_in(client, structure)
        for fmt in ("original", "pdf"):
            answer = viewer.get(reverse(url, args=[record.pk, fmt]))
            assert answer.content == deposited, (structure, fmt)
            assert hashlib.sha256(answer.content).hexdigest() == record.sha256


def test_a_user_of_another_structure_gets_neither_the_file_nor_its_attachments(client, sent):
    from conftest import make_structure, make_user

    other = make_structure(make_user("autre@example.test"), identifier="44306184100047")
    record = InvoiceRecord.objects.get()
    stranger = signed_in(client, other)
    assert (
        stranger.get(reverse("portal:invoice_supporting_document", args=[record.pk, 0])).status_code
        == 404
    )
    assert (
        stranger.get(
            reverse("portal:invoice_sent_download", args=[record.pk, "original"])
        ).status_code
        == 404
    )
