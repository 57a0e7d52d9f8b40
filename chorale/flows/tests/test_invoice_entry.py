"""« Saisir une facture »: only with the mandate; totals recomputed on the server; the Factur-X
the platform generates goes through the same checks and reaches the recipient."""

from decimal import Decimal

import pytest
from django.urls import reverse

from chorale.flows.models import Flow, FlowStatus, InvoiceDraft
from chorale.flows.processing import flow_process
from chorale.invoicing.formats import read_invoice
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.statuses import Status
from chorale.structures.models import BankAccount
from chorale.structures.services import mandate_subscribe
from conftest import make_structure, make_user, require_pango

from .factories import RECIPIENT_SIRET, SUPPLIER_SIRET


@pytest.fixture
def supplier(db):
    return make_structure(
        make_user("fournisseur@example.test"),
        identifier=SUPPLIER_SIRET,
        company_name="ATELIER DUPONT",
        address="12 rue des Artisans",
        postal_code="69002",
        city="Lyon",
    )


@pytest.fixture
def recipient(db):
    return make_structure(
        make_user("acheteur@example.test"),
        identifier=RECIPIENT_SIRET,
        company_name="COMMUNE DE BELLE-RIVIERE",
        is_private=False,
        postal_code="44999",
        city="Belle-Rivière",
    )


def signed_in(client, structure):
    client.force_login(structure.memberships.get().user)
    return client


def typed(supplier, **changes) -> dict:
    data = {
        "structure": supplier.pk,
        "destinataire": RECIPIENT_SIRET,
        "cadre": "A1",
        "type_facture": "380",
        "numero": "S-2026-1",
        "date_facture": "2026-11-20",
        "devise": "EUR",
        "conditions": "30 jours",
        "lignes-TOTAL_FORMS": "2",
        "lignes-INITIAL_FORMS": "0",
        "lignes-MIN_NUM_FORMS": "1",
        "lignes-MAX_NUM_FORMS": "1000",
        "lignes-0-designation": "Réparation de bancs",
        "lignes-0-quantite": "3",
        "lignes-0-unite": "C62",
        "lignes-0-prix_unitaire": "33.33",
        "lignes-0-remise": "0.99",
        "lignes-0-taux_tva": "20",
        "lignes-1-designation": "Formation",
        "lignes-1-quantite": "1",
        "lignes-1-unite": "HUR",
        "lignes-1-prix_unitaire": "100",
        "lignes-1-taux_tva": "0",
        "lignes-1-motif_exoneration": "Exonération, article 261-4-4° du CGI",
        "envoyer": "1",
    }
    data.update(changes)
    return data


def test_without_the_mandate_the_page_says_so_and_links_to_it(client, supplier):
    response = signed_in(client, supplier).get(reverse("flows:entry"))
    assert response.status_code == 403
    assert "mandat de facturation" in response.text
    assert reverse("structures:mandate", args=[supplier.pk]) in response.text


def test_a_typed_invoice_is_computed_generated_checked_and_routed(client, supplier, recipient):
    require_pango()
    mandate_subscribe(membership=supplier.memberships.get())
    BankAccount.objects.create(
        structure=supplier, label="Compte courant", holder="ATELIER DUPONT",
        iban="FR7630006000011234567890189", bic="AGRIFRPP",
    )  # fmt: skip
    seller = signed_in(client, supplier)
    page = seller.get(reverse("flows:entry"))
    assert page.status_code == 200 and "Valider et envoyer" in page.text
    account = supplier.bank_accounts.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    delivery_note = SimpleUploadedFile("bon-de-livraison.pdf", b"%PDF-1.4 bon", "application/pdf")
    response = seller.post(
        reverse("flows:entry"),
        typed(supplier, coordonnees=account.pk, pieces_jointes=[delivery_note]),
    )
    assert response.status_code == 302, response.text[:3000]
    flow = Flow.objects.get()
    flow_process(flow.pk)
    flow.refresh_from_db()
    assert flow.status == FlowStatus.INTEGRATED, flow.items.get().errors
    record = InvoiceRecord.objects.get()
    # 3 x 33.33 - 0.99 = 99.00 at 20 %, plus 100.00 exempt: computed here, not typed.
    totals = (record.total_without_vat, record.total_vat, record.total_with_vat)
    assert totals == (Decimal("199"), Decimal("19.80"), Decimal("218.80"))
    assert record.status == Status.AVAILABLE and record.recipient == recipient
    found, invoice = read_invoice(flow.file.open("rb").read())
    assert found.container == "PDF" and found.embedded_name == "factur-x.xml"
    assert invoice.process_id == "A1" and invoice.payment.credit_transfers[0].account_id
    assert invoice.seller.vat_id == "FR14987654324"  # computed from the SIREN
    [attachment] = invoice.attachments
    assert (
        attachment.filename == "bon-de-livraison.pdf" and attachment.mime_code == "application/pdf"
    )


def test_exemption_needs_a_reason_and_errors_stay_on_the_page(client, supplier, recipient):
    mandate_subscribe(membership=supplier.memberships.get())
    seller = signed_in(client, supplier)
    response = seller.post(
        reverse("flows:entry"), typed(supplier, **{"lignes-1-motif_exoneration": ""})
    )
    assert response.status_code == 400 and "exonération de TVA" in response.text
    unknown = seller.post(reverse("flows:entry"), typed(supplier, destinataire="35600000000048"))
    assert "Aucune structure publique active" in unknown.text
    from django.core.files.uploadedfile import SimpleUploadedFile

    script = SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")
    refused = seller.post(reverse("flows:entry"), typed(supplier, pieces_jointes=[script]))
    assert refused.status_code == 400 and "type de fichier non accepté" in refused.text
    assert not Flow.objects.exists()


def test_a_draft_is_kept_resumed_and_private_to_its_structure(client, supplier, recipient):
    mandate_subscribe(membership=supplier.memberships.get())
    seller = signed_in(client, supplier)
    data = typed(supplier, brouillon_enregistrer="1", numero="BROUILLON-1")
    del data["envoyer"]
    response = seller.post(reverse("flows:entry"), data)
    draft = InvoiceDraft.objects.get()
    assert response.status_code == 302 and f"brouillon={draft.pk}" in response["Location"]
    resumed = seller.get(response["Location"])
    assert 'value="BROUILLON-1"' in resumed.text and "Réparation de bancs" in resumed.text
    other = make_structure(make_user("autre@example.test"), identifier="11122233300013")
    mandate_subscribe(membership=other.memberships.get())
    stranger = signed_in(client, other)
    assert stranger.get(f"{reverse('flows:entry')}?brouillon={draft.pk}").status_code == 404


def test_a_plain_pdf_with_its_key_data_becomes_a_checked_invoice(client, supplier, recipient):
    require_pango()
    from django.core.files.uploadedfile import SimpleUploadedFile

    mandate_subscribe(membership=supplier.memberships.get())
    seller = signed_in(client, supplier)
    data = {
        "structure": supplier.pk,
        "destinataire": RECIPIENT_SIRET,
        "numero": "P-1",
        "date_facture": "2026-11-20",
        "montant_ht": "250.00",
        "taux_tva": "20",
    }
    not_pdf = seller.post(
        reverse("flows:deposit_pdf"), {**data, "fichier": SimpleUploadedFile("f.pdf", b"hello")}
    )
    assert not_pdf.status_code == 400 and "fichier PDF" in not_pdf.text
    pdf = SimpleUploadedFile("facture-P-1.pdf", b"%PDF-1.4 facture", "application/pdf")
    response = seller.post(reverse("flows:deposit_pdf"), {**data, "fichier": pdf})
    assert response.status_code == 302
    flow = Flow.objects.get()
    flow_process(flow.pk)
    record = InvoiceRecord.objects.get()
    assert record.total_with_vat == Decimal("300.00") and record.status == Status.AVAILABLE
    _, invoice = read_invoice(flow.file.open("rb").read())
    assert invoice.attachments[0].filename == "facture-P-1.pdf"


def test_the_saisie_page_looks_up_a_public_recipient_and_its_services(client, supplier, recipient):
    from chorale.structures.models import Service

    Service.objects.create(structure=recipient, code="ECOLES", label="Écoles")
    seller = signed_in(client, supplier)
    found = seller.get(reverse("flows:recipient_lookup"), {"siret": RECIPIENT_SIRET}).json()
    assert found["name"] == "COMMUNE DE BELLE-RIVIERE"
    assert found["services"] == [{"code": "ECOLES", "label": "Écoles", "requiresEngagement": False}]
    private = seller.get(reverse("flows:recipient_lookup"), {"siret": SUPPLIER_SIRET})
    assert private.status_code == 404 and private.json()["code"] == "recipient_unknown"
