"""A supplier is who it says it is: the seller's legal identifier is the depositing structure,
and the payee account one the structure declared."""

import dataclasses

import pytest

from chorale.flows.models import Flow
from chorale.flows.services import flow_deposit
from chorale.invoicing.formats import write_invoice
from chorale.invoicing.model import CreditTransfer, Identifier, PaymentInstructions
from chorale.invoicing.models import InvoiceRecord
from chorale.invoicing.tests.factories import sample_invoice
from chorale.structures.models import BankAccount, CheckRule, IdentifierType
from conftest import make_structure, make_user

from .factories import SUPPLIER_SIRET

OTHER_SIRET = "44306184100047"  # another company, with its own bank account
OWN_IBAN, OTHER_IBAN = "FR7630006000011234567890189", "FR1420041010050500013M02606"


def deposit(supplier, model, syntax="CII") -> Flow:
    user = supplier.memberships.get().user
    flow = flow_deposit(
        user=user,
        supplier=supplier,
        filename="f.xml",
        content=write_invoice(model, syntax),
        channel="PORTAIL",
    )
    return Flow.objects.get(pk=flow.pk)


def findings(flow: Flow) -> list[dict]:
    return [e for item in flow.items.all() for e in item.errors]


def rules(flow: Flow) -> list[str]:
    return [e["rule"] for e in findings(flow)]


def paid_to(model, iban: str):
    model.payment = PaymentInstructions(means_code="58", credit_transfers=[CreditTransfer(iban)])
    return model


@pytest.mark.parametrize("syntax", ["CII", "UBL_INVOICE"])
def test_an_invoice_in_another_companys_name_is_rejected_naming_both_sirets(
    supplier, recipient, syntax
):
    forged = paid_to(sample_invoice(seller=OTHER_SIRET), OTHER_IBAN)
    # The depositor's own SIRET as a BT-29 does not make the other company's BT-30 theirs.
    forged.seller.identifiers = [Identifier(SUPPLIER_SIRET, "0009")]
    flow = deposit(supplier, forged, syntax)
    (finding,) = [f for f in findings(flow) if f["rule"] == "CHORALE-FOURNISSEUR-NON-AUTORISE"]
    assert OTHER_SIRET in finding["message"] and SUPPLIER_SIRET in finding["message"]
    assert finding["severity"] == "fatal" and finding["term"] == "BT-30"
    assert not InvoiceRecord.objects.exists()


def test_the_siren_of_the_depositing_company_is_its_own(supplier, recipient):
    own = sample_invoice()
    own.seller.legal_id = Identifier(SUPPLIER_SIRET[:9], "0002")
    assert rules(deposit(supplier, own)) == []


def test_without_bt30_the_siret_in_bt29_decides(supplier, recipient):
    own = sample_invoice("B-1")
    own.seller.legal_id = None
    own.seller.identifiers = [Identifier(SUPPLIER_SIRET, "0009")]
    assert rules(deposit(supplier, own)) == []
    other = sample_invoice("B-2")
    other.seller.legal_id = None
    other.seller.identifiers = [Identifier(OTHER_SIRET, "0009")]
    assert rules(deposit(supplier, other)) == ["CHORALE-FOURNISSEUR-NON-AUTORISE"]
    anonymous = sample_invoice("B-3")
    anonymous.seller.legal_id = None
    assert rules(deposit(supplier, anonymous)) == ["CHORALE-FOURNISSEUR-NON-AUTORISE"]


def test_a_foreign_supplier_cannot_sell_as_a_french_company(recipient):
    foreign = make_structure(
        make_user("gmbh@example.test"),
        identifier="DE136695976",
        identifier_type=IdentifierType.EU_VAT,
        company_name="BEISPIEL GMBH",
    )
    by_vat = sample_invoice("D-1")
    by_vat.seller.legal_id = None
    by_vat.seller.vat_id = "DE136695976"
    assert rules(deposit(foreign, by_vat)) == []
    as_french = sample_invoice("D-2")  # BT-30 is a French SIRET
    as_french.seller.vat_id = "DE136695976"
    assert rules(deposit(foreign, as_french)) == ["CHORALE-FOURNISSEUR-NON-AUTORISE"]


def test_the_payee_account_must_be_declared_when_the_structure_declared_some(supplier, recipient):
    assert rules(deposit(supplier, paid_to(sample_invoice("P-1"), OTHER_IBAN))) == []
    BankAccount.objects.create(
        structure=supplier, label="Principal", holder="Atelier", iban=OWN_IBAN, bic="BDFEFRPP"
    )
    assert rules(deposit(supplier, paid_to(sample_invoice("P-2"), OWN_IBAN))) == []
    rejected = deposit(supplier, paid_to(sample_invoice("P-3"), OTHER_IBAN))
    (finding,) = findings(rejected)
    assert (finding["rule"], finding["severity"], finding["term"]) == (
        "CHORALE-IBAN-NON-DECLARE",
        "fatal",
        "BT-84",
    )
    assert OTHER_IBAN in finding["message"]
    assert not InvoiceRecord.objects.filter(number="P-3").exists()
    supplier.bank_account_rule = CheckRule.WARN
    supplier.save()
    warned = deposit(supplier, paid_to(sample_invoice("P-4"), OTHER_IBAN))
    assert [(f["rule"], f["severity"]) for f in findings(warned)] == [
        ("CHORALE-IBAN-NON-DECLARE", "warning")
    ]
    assert InvoiceRecord.objects.filter(number="P-4").exists()


def test_a_spaced_iban_is_the_declared_one(supplier, recipient):
    BankAccount.objects.create(
        structure=supplier, label="Principal", holder="Atelier", iban=OWN_IBAN, bic="BDFEFRPP"
    )
    spaced = " ".join(OWN_IBAN[i : i + 4] for i in range(0, len(OWN_IBAN), 4))
    model = paid_to(sample_invoice(), spaced)
    assert dataclasses.replace(model).payment.credit_transfers[0].account_id == spaced
    assert rules(deposit(supplier, model)) == []
