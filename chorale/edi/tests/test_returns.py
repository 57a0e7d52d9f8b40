"""Return flows: life-cycle statuses as CDAR messages for the supplier's and the recipient's
connections, received invoices delivered to the recipient's system (original + CII or UBL),
CDAR statuses sent back by the recipient's system applied as `traiter/recue` applies them (and
only to its own invoices), and the daily directory."""

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from chorale.edi import cdar, files, returns
from chorale.edi.models import Connection, Stage
from chorale.edi.tests.helpers import valid_report
from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET, invoice
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.services import invoice_process
from conftest import make_structure, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def parties(settings, tmp_path):
    settings.CHORALE_EDI_ROOT = str(tmp_path / "edi")
    supplier_user = make_user("fournisseur@example.test")
    buyer = make_user("acheteur@example.test")
    supplier = make_structure(supplier_user, identifier=SUPPLIER_SIRET, company_name="ATELIER")
    recipient = make_structure(
        buyer, identifier=RECIPIENT_SIRET, company_name="COMMUNE", is_private=False
    )
    erp = Connection.objects.create(
        structure=supplier, declared_by=supplier_user, label="ERP", partner_code="ERP001",
        protocol="SFTP", direction="EMISSION", returns=["CR", "CDV"], stage=Stage.PRODUCTION,
    )  # fmt: skip
    finance = Connection.objects.create(
        structure=recipient, declared_by=buyer, label="SI financier", partner_code="FIN001",
        protocol="SFTP", direction="RECEPTION", returns=["CR", "CDV", "FACTURES", "ANNUAIRE"],
        reception_syntax="UBL", stage=Stage.PRODUCTION,
    )  # fmt: skip
    return {"erp": erp, "finance": finance, "buyer": buyer, "root": Path(settings.CHORALE_EDI_ROOT)}


def retour(parties, code: str, prefix: str) -> list[Path]:
    """The files of `retour/` starting with `prefix`, oldest first (the event id ends a CDV
    file's name)."""
    found = (parties["root"] / code / "retour").glob(f"{prefix}*")
    return sorted(
        found, key=lambda p: int(p.stem.rsplit("_", 1)[-1]) if prefix.startswith("CDV_") else 0
    )


def test_statuses_reach_both_sides_as_cdar_and_the_invoice_reaches_the_recipients_system(parties):
    files.receive(parties["erp"], "f.xml", invoice("R-1"))
    record = InvoiceRecord.objects.get(number="R-1")
    assert record.status == "MISE_A_DISPOSITION"
    sent = retour(parties, "ERP001", "CDV_")
    codes = [cdar.read(p.read_bytes())[0].code for p in sent]
    assert codes == [200, 201, 203]  # déposée, émise, mise à disposition
    root = etree.fromstring(sent[-1].read_bytes())
    ns = cdar.NSMAP
    assert (
        root.findtext(
            "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
            namespaces=ns,
        )
        == cdar.GUIDELINE
    )
    assert root.findtext(".//ram:RecipientTradeParty/ram:RoleCode", namespaces=ns) == "SE"
    assert (
        root.findtext(".//ram:ReferenceReferencedDocument/ram:IssuerAssignedID", namespaces=ns)
        == "R-1"
    )

    delivered = retour(parties, "FIN001", "FACTURE_")
    assert len(delivered) == 1
    with zipfile.ZipFile(io.BytesIO(delivered[0].read_bytes())) as archive:
        names = sorted(archive.namelist())
        assert names == [f"{SUPPLIER_SIRET}-R-1.ubl.xml", f"{SUPPLIER_SIRET}-R-1.xml"]
        assert archive.read(f"{SUPPLIER_SIRET}-R-1.xml") == invoice("R-1")  # unchanged
        assert b"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" in archive.read(names[0])

    invoice_process(
        user=parties["buyer"], invoice_id=record.pk, to_status="MANDATEE",
        payment_order_number="DP-77",
    )  # fmt: skip
    last = cdar.read(retour(parties, "FIN001", "CDV_")[-1].read_bytes())[0]
    assert (last.code, last.to_status, last.payment_order_number) == (205, "MANDATEE", "DP-77")
    assert cdar.read(retour(parties, "ERP001", "CDV_")[-1].read_bytes())[0].code == 205


def status_file(*lines: tuple[str, int, str, str, str]) -> bytes:
    """A CDAR message as a recipient's system writes it: (number, code, precise, reason, DP)."""
    ns = cdar.NSMAP
    root = etree.Element(f"{{{cdar.NS}}}CrossDomainAcknowledgementAndResponse", nsmap=ns)
    acknowledgement = etree.SubElement(root, f"{{{cdar.NS}}}AcknowledgementDocument")
    for number, code, precise, reason, order in lines:
        ref = etree.SubElement(acknowledgement, f"{{{cdar.RAM}}}ReferenceReferencedDocument")
        etree.SubElement(ref, f"{{{cdar.RAM}}}IssuerAssignedID").text = number
        etree.SubElement(ref, f"{{{cdar.RAM}}}ProcessConditionCode").text = str(code)
        if precise:
            etree.SubElement(ref, f"{{{cdar.RAM}}}ProcessCondition").text = precise
        status = etree.SubElement(ref, f"{{{cdar.RAM}}}SpecifiedDocumentStatus")
        if reason:
            etree.SubElement(status, f"{{{cdar.RAM}}}Reason").text = reason
        if order:
            note = etree.SubElement(status, f"{{{cdar.RAM}}}IncludedNote")
            etree.SubElement(note, f"{{{cdar.RAM}}}Content").text = order
            etree.SubElement(note, f"{{{cdar.RAM}}}SubjectCode").text = "MANDAT"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def report(parties, code: str, name: str) -> str:
    return valid_report(parties["root"] / code / "retour" / f"CR_{name}.xml")


def test_the_recipients_system_sends_statuses_back_and_each_line_is_answered(parties):
    files.receive(parties["erp"], "f.xml", invoice("S-1"))
    files.receive(parties["erp"], "g.xml", invoice("S-2"))
    content = status_file(
        ("S-1", 205, "MANDATEE", "", "DP-1"),  # mandatée, with its mandate number
        ("S-2", 208, "", "", ""),  # suspendue without a reason: refused
        ("X-9", 205, "", "", ""),  # no such invoice
        ("S-2", 213, "", "", ""),  # not a recipient's code
    )
    files.receive(parties["finance"], "statuts.xml", content)
    first = InvoiceRecord.objects.get(number="S-1")
    assert first.status == "MANDATEE"
    assert first.events.last().payment_order_number == "DP-1"
    assert InvoiceRecord.objects.get(number="S-2").status == "MISE_A_DISPOSITION"
    text = report(parties, "FIN001", "statuts.xml")
    assert "<Etat>IN_INTEGRE_PARTIEL</Etat>" in text and "<NombreStatutsRejetes>3<" in text
    assert "Indiquez le motif" in text and "X-9 introuvable" in text and "213" in text
    # the supplier hears of the mandate as a CDAR status
    assert cdar.read(retour(parties, "ERP001", "CDV_S-1")[-1].read_bytes())[0].to_status == (
        "MANDATEE"
    )


def test_statuses_in_qualification_are_judged_not_applied(parties):
    files.receive(parties["erp"], "f.xml", invoice("T-1"))
    Connection.objects.filter(pk=parties["finance"].pk).update(stage=Stage.QUALIFICATION)
    parties["finance"].refresh_from_db()
    files.receive(parties["finance"], "s.xml", status_file(("T-1", 205, "", "", "")))
    assert InvoiceRecord.objects.get(number="T-1").status == "MISE_A_DISPOSITION"
    text = report(parties, "FIN001", "s.xml")
    assert "<Qualification>true<" in text and "<Etat>IN_INTEGRE</Etat>" in text


def test_statuses_only_move_the_connections_own_invoices(parties):
    """Another public body's system cannot move COMMUNE's invoices, and a supplier's
    connection cannot send recipient statuses at all."""
    files.receive(parties["erp"], "f.xml", invoice("U-1"))
    other_user = make_user("autre@example.test")
    other = make_structure(
        other_user, identifier="44306184100047", company_name="AUTRE", is_private=False
    )
    stranger = Connection.objects.create(
        structure=other, declared_by=other_user, label="SI", partner_code="OTH001",
        protocol="SFTP", direction="RECEPTION", stage=Stage.PRODUCTION,
    )  # fmt: skip
    files.receive(stranger, "s.xml", status_file(("U-1", 210, "", "Refus", "")))
    assert InvoiceRecord.objects.get(number="U-1").status == "MISE_A_DISPOSITION"
    assert "U-1 introuvable" in report(parties, "OTH001", "s.xml")
    files.receive(parties["erp"], "s.xml", status_file(("U-1", 210, "", "Refus", "")))
    assert "n'est pas déclaré pour la réception" in report(parties, "ERP001", "s.xml")
    assert InvoiceRecord.objects.get(number="U-1").status == "MISE_A_DISPOSITION"


def test_a_broken_status_file_gets_a_clear_refusal(parties):
    bad = (
        b'<?xml version="1.0"?><rsm:CrossDomainAcknowledgementAndResponse xmlns:rsm="'
        + cdar.NS.encode()
        + b'"><oops'
    )
    files.receive(parties["finance"], "bad.xml", bad)
    text = report(parties, "FIN001", "bad.xml")
    assert "<Etat>IN_REJETE</Etat>" in text and "bien formé" in text


def test_the_directory_is_published_once_a_day(parties):
    assert returns.directory_publish() == 1  # only the connection that asked for it
    published = list((parties["root"] / "FIN001" / "annuaire").glob("ANNUAIRE_*.zip"))
    assert len(published) == 1
    with zipfile.ZipFile(published[0]) as archive:
        text = archive.read("annuaire-destinataires.csv").decode("utf-8-sig")
    assert RECIPIENT_SIRET in text and SUPPLIER_SIRET not in text  # public structures only
    assert returns.directory_publish() == 0
