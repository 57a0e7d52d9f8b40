"""End to end with the public corpus: one batch mixing the CEN's complete examples, addressed
to the test structures, with broken corpus files. The compte rendu names each document's
result and rule ids; the valid invoices reach the recipient's inbox."""

from pathlib import Path

import pytest
from lxml import etree

from chorale.flows.models import FlowStatus, ItemResult
from chorale.flows.services import flow_report
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.statuses import Status
from conftest import CORPUS

from .factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from .test_deposit import deposit, zipped

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
SIRET_SCHEME = "0009"
# What follows SpecifiedLegalOrganization in a CII trade party (the schema's order).
AFTER_LEGAL = (
    "DefinedTradeContact",
    "PostalTradeAddress",
    "URIUniversalCommunication",
    "SpecifiedTaxRegistration",
)


def _cii_party(party: etree._Element, siret: str) -> None:
    legal = party.find(f"{{{RAM}}}SpecifiedLegalOrganization")
    if legal is None:
        legal = etree.Element(f"{{{RAM}}}SpecifiedLegalOrganization")
        later = [c for c in party if etree.QName(c).localname in AFTER_LEGAL]
        (later[0].addprevious if later else party.append)(legal)
    identifier = legal.find(f"{{{RAM}}}ID")
    if identifier is None:
        identifier = etree.Element(f"{{{RAM}}}ID")
        legal.insert(0, identifier)
    identifier.text, identifier.attrib["schemeID"] = siret, SIRET_SCHEME


def _ubl_party(party: etree._Element, siret: str) -> None:
    legal = party.find(f"{{{CAC}}}PartyLegalEntity")
    identifier = legal.find(f"{{{CBC}}}CompanyID")
    if identifier is None:
        identifier = etree.Element(f"{{{CBC}}}CompanyID")
        legal.find(f"{{{CBC}}}RegistrationName").addnext(identifier)
    identifier.text, identifier.attrib["schemeID"] = siret, SIRET_SCHEME


def addressed(path: Path, number: int) -> bytes:
    """A corpus invoice sent by the test supplier to the test recipient: their SIRETs as the
    legal ids of seller (BT-30) and buyer (BT-47), the buyer reference (BT-10) naming one of
    the recipient's services, its number (BT-1) made its own (the CEN examples share a few);
    nothing else changed."""
    root = etree.fromstring(path.read_bytes())
    if etree.QName(root).localname == "CrossIndustryInvoice":
        identifier = root.find(f"{{{RSM}}}ExchangedDocument/{{{RAM}}}ID")
        _cii_party(next(root.iter(f"{{{RAM}}}SellerTradeParty")), SUPPLIER_SIRET)
        _cii_party(next(root.iter(f"{{{RAM}}}BuyerTradeParty")), RECIPIENT_SIRET)
        references = root.iter(f"{{{RAM}}}BuyerReference")
    else:
        _ubl_party(root.find(f"{{{CAC}}}AccountingSupplierParty/{{{CAC}}}Party"), SUPPLIER_SIRET)
        _ubl_party(root.find(f"{{{CAC}}}AccountingCustomerParty/{{{CAC}}}Party"), RECIPIENT_SIRET)
        references = root.iterfind(f"{{{CBC}}}BuyerReference")
        identifier = root.find(f"{{{CBC}}}ID")
    identifier.text = f"{identifier.text}-{number}"
    for reference in references:
        reference.text = "TECHNIQUE"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# The CEN examples the platform rejects, and why: CII is judged by the Factur-X EN 16931 rules,
# stricter on structure than the CEN's own CII rules; Chorus wants a credit note's invoice.
REJECTED_EXAMPLES = {
    "CII_example5.xml": ("FX-SCH-STRUCTURE",),
    "huf_example_cii.xml": ("FX-SCH-STRUCTURE",),
    "XRechnung-O.xml": ("FX-SCH-A-000616", "FX-SCH-A-000589"),
    "ubl-tc434-creditnote1.xml": ("CHORALE-AVOIR-SANS-FACTURE",),
}
BROKEN = {  # broken corpus files, as they are → the rule ids their rejection must name
    "ZUGFeRD_2.0_fully_compliant_complete.pdf": ("BR-S-02",),
    "Facture_UE_EN16931.pdf": ("BR-IC-11",),
    "factur-x-invalid-xml-encoding-attribute.pdf": ("xml_malformed",),
    "additional-data-sample-1.pdf": ("format_unsupported_zugferd1",),  # ZUGFeRD 1.0
    "eicar.ubl.xml": (
        "BR-CL-24",
        "CHORALE-FOURNISSEUR-NON-AUTORISE",
        "CHORALE-DESTINATAIRE-INCONNU",
    ),
}


@pytest.mark.django_db
def test_a_batch_of_corpus_files_is_judged_routed_and_reported(supplier, recipient):
    examples = sorted((CORPUS / "en16931" / "examples-cii").glob("*.xml"))
    examples += sorted((CORPUS / "en16931" / "examples-ubl").glob("*.xml"))
    found = {p.name: p for p in CORPUS.rglob("*") if p.name in BROKEN}
    files = {f"exemples/{p.name}": addressed(p, n) for n, p in enumerate(examples, start=1)}
    files.update({f"casses/{name}": found[name].read_bytes() for name in BROKEN})
    flow = deposit(supplier, zipped(files), "corpus.zip")

    assert flow.status == FlowStatus.PARTIAL
    items = {item.name: item for item in flow.items.all()}
    assert len(items) == len(files)
    valid = [p for p in examples if p.name not in REJECTED_EXAMPLES]
    for path in valid:
        item = items[f"exemples/{path.name}"]
        fatal = [e["rule"] for e in item.errors if e["severity"] == "fatal"]
        assert (item.result, fatal) == (ItemResult.ACCEPTED, []), path.name
    expected = {f"exemples/{name}": rules for name, rules in REJECTED_EXAMPLES.items()}
    expected.update({f"casses/{name}": rules for name, rules in BROKEN.items()})
    for name, rules in expected.items():
        item = items[name]
        assert item.result == ItemResult.REJECTED, name
        assert set(rules) <= {e["rule"] for e in item.errors}, name
        assert all(e["message"] for e in item.errors), name
    inbox = InvoiceRecord.objects.filter(recipient=recipient)
    assert inbox.count() == len(valid) >= 25
    # Those naming a service (BT-10) are in its inbox; the others in the structure's.
    assert set(inbox.values_list("service__code", flat=True)) == {"TECHNIQUE", None}
    assert set(inbox.values_list("status", flat=True)) == {Status.AVAILABLE}
    report = flow_report(flow)
    assert (report["nombreFacturesAcceptees"], report["nombreFacturesRejetees"]) == (
        len(valid),
        len(expected),
    )
