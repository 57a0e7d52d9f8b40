"""Deposit → stored → processed by the worker → routed, with a compte rendu listing each error."""

import io
import tarfile
import zipfile
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from chorale.core.errors import BusinessError
from chorale.flows.models import Flow, FlowItem, FlowStatus, ItemResult
from chorale.flows.processing import flow_process
from chorale.flows.services import flow_deposit, flow_report
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.models import InvoiceEvent
from chorale.lifecycle.statuses import Status
from chorale.structures.models import Space, SpaceSubscription
from conftest import add_member, make_structure, make_user, require_pango

from .factories import RECIPIENT_SIRET, SUPPLIER_SIRET, invoice


def deposit(supplier, content: bytes, name="facture.xml") -> Flow:
    user = supplier.memberships.get().user
    flow = flow_deposit(
        user=user, supplier=supplier, filename=name, content=content, channel="PORTAIL"
    )
    return Flow.objects.get(pk=flow.pk)


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def rules(flow: Flow) -> list[list[str]]:
    return [[e["rule"] for e in item.errors] for item in flow.items.all()]


def test_a_valid_invoice_is_accepted_routed_and_reported(supplier, recipient):
    flow = deposit(supplier, invoice(service="TECHNIQUE"))
    assert flow.number.startswith("CPP") and len(flow.number) == 25
    assert flow.status == FlowStatus.INTEGRATED
    record = InvoiceRecord.objects.get()
    assert (record.recipient, record.service.code, record.status) == (
        recipient,
        "TECHNIQUE",
        Status.AVAILABLE,
    )
    assert list(record.events.values_list("to_status", flat=True)) == [
        "DEPOSEE",
        "EN_COURS_ACHEMINEMENT",
        "MISE_A_DISPOSITION",
    ]
    report = flow_report(flow)
    assert report["nombreFacturesAcceptees"] == 1
    assert report["documents"][0]["resultat"] == ItemResult.ACCEPTED
    assert flow.file.read() == invoice(service="TECHNIQUE")  # kept as received


def test_ubl_deposits_are_accepted_too(supplier, recipient):
    assert deposit(supplier, invoice(syntax="UBL_INVOICE")).status == FlowStatus.INTEGRATED


def test_a_batch_mixing_good_and_bad_documents_is_partially_integrated(supplier, recipient):
    batch = zipped(
        {
            "bonne.xml": invoice("F-1"),
            "../../etc/passwd.xml": invoice("F-2"),
            "vide.xml": b"",
            "casse.xml": b"<rsm:CrossIndustryInvoice",
            "xxe.xml": b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
            "inconnu.xml": invoice("F-3", buyer="35600000000048"),
            "garbage.bin": bytes(range(256)),
        }
    )
    flow = deposit(supplier, batch, "lot.zip")
    assert flow.status == FlowStatus.PARTIAL
    assert (flow.accepted_count, flow.rejected_count) == (1, 6)
    assert rules(flow) == [
        [],
        ["CHORALE-LOT"],  # a name that could escape a folder is refused
        ["empty_file"],
        ["xml_malformed"],
        ["xml_doctype_forbidden"],
        ["CHORALE-DESTINATAIRE-INCONNU"],
        ["format_unsupported"],
    ]
    assert all(e["message"] for item in flow.items.all() for e in item.errors)
    refused = FlowItem.objects.get(position=1)
    assert refused.name == "../../etc/passwd.xml"  # recorded as given, never used as a path
    assert "Nom de fichier dangereux" in refused.errors[0]["message"]


def test_tar_batches_are_read_too(supplier, recipient):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, content in {"a.xml": invoice("T-1"), "b.xml": invoice("T-2")}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    assert deposit(supplier, buffer.getvalue(), "lot.tar").status == FlowStatus.INTEGRATED


def test_a_zip_bomb_member_is_refused_without_being_expanded(supplier, recipient, settings):
    settings.CHORALE_MAX_XML_BYTES = 100_000
    bomb = zipped({"bombe.xml": b"<r>" + b"0" * 5_000_000 + b"</r>", "ok.xml": invoice("Z-1")})
    flow = deposit(supplier, bomb, "lot.zip")
    assert rules(flow) == [["CHORALE-LOT"], []]
    assert "trop volumineux" in flow.items.first().errors[0]["message"]


def test_duplicate_number_is_rejected_by_the_database_rule(supplier, recipient):
    deposit(supplier, invoice("F-9"))
    second = deposit(supplier, invoice("F-9"))
    assert second.status == FlowStatus.REJECTED
    assert rules(second) == [["CHORALE-DOUBLON"]]
    assert InvoiceRecord.objects.count() == 1


def test_service_code_and_engagement_rules_of_the_recipient(supplier, recipient):
    recipient.requires_service_code = True
    recipient.save()
    assert rules(deposit(supplier, invoice("S-1"))) == [["CHORALE-SERVICE-OBLIGATOIRE"]]
    assert rules(deposit(supplier, invoice("S-2", service="INCONNU"))) == [
        ["CHORALE-SERVICE-INCONNU"]
    ]
    assert rules(deposit(supplier, invoice("S-3", service="MARCHES"))) == [
        ["CHORALE-ENGAGEMENT-OBLIGATOIRE"]
    ]
    assert rules(deposit(supplier, invoice("S-4", service="MARCHES", engagement="EJ-77"))) == [[]]


def test_the_seller_must_be_the_depositing_structure(supplier, recipient):
    flow = deposit(supplier, invoice(seller="35600000000048"))
    assert rules(flow) == [["CHORALE-FOURNISSEUR-NON-AUTORISE"]]


def test_a_private_recipient_is_refused(supplier, recipient):
    recipient.is_private = True
    recipient.save()
    assert rules(deposit(supplier, invoice())) == [["CHORALE-DESTINATAIRE-INACTIF"]]


def test_a_credit_note_must_reference_an_invoice(supplier, recipient):
    assert rules(deposit(supplier, invoice("A-1", type_code="381"))) == [
        ["CHORALE-AVOIR-SANS-FACTURE"]
    ]
    assert rules(deposit(supplier, invoice("A-2", type_code="381", preceding="F-1"))) == [[]]


def test_only_members_with_factures_emises_open_may_deposit(supplier, recipient):
    outsider = make_user("intrus@example.test")
    with pytest.raises(BusinessError) as error:
        flow_deposit(
            user=outsider, supplier=supplier, filename="f.xml", content=invoice(), channel="API"
        )
    assert error.value.code == "not_member"
    membership = add_member(supplier, outsider)
    space = SpaceSubscription.objects.create(
        membership=membership, space=Space.INVOICES_SENT, is_approved=False
    )
    with pytest.raises(BusinessError) as error:  # asked for, not yet granted
        flow_deposit(
            user=outsider, supplier=supplier, filename="f.xml", content=invoice(), channel="API"
        )
    assert error.value.code == "not_member"
    space.is_approved = True
    space.save()
    flow_deposit(
        user=outsider, supplier=supplier, filename="f.xml", content=invoice(), channel="API"
    )


def test_empty_and_oversized_deposits_are_refused_at_once(supplier, recipient, settings):
    settings.CHORALE_MAX_DEPOSIT_BYTES = 1000
    with pytest.raises(BusinessError, match="vide"):
        deposit(supplier, b"")
    with pytest.raises(BusinessError, match="taille maximale"):
        deposit(supplier, b"x" * 2000)
    assert not Flow.objects.exists()


def test_a_worker_killed_mid_batch_is_resumed_without_judging_anything_twice(
    supplier, recipient, monkeypatch
):
    from chorale.flows import processing, services

    monkeypatch.setattr(services, "process_flow", SimpleNamespace(enqueue=lambda **kwargs: None))
    monkeypatch.setattr(processing, "CHUNK", 1)  # each document written as soon as judged
    flow = deposit(supplier, zipped({"a.xml": invoice("R-1"), "b.xml": invoice("R-2")}), "lot.zip")
    real_documents = processing.documents

    def killed_after_first(name, content):
        iterator = real_documents(name, content)
        yield next(iterator)
        raise KeyboardInterrupt  # the worker dies here

    monkeypatch.setattr(processing, "documents", killed_after_first)
    with pytest.raises(KeyboardInterrupt):
        flow_process(flow.pk)
    first = FlowItem.objects.get()
    assert Flow.objects.get(pk=flow.pk).status == FlowStatus.PROCESSING
    monkeypatch.setattr(processing, "documents", real_documents)
    flow_process(flow.pk)
    flow_process(flow.pk)  # once more: nothing changes
    assert FlowItem.objects.count() == 2 and FlowItem.objects.first().pk == first.pk
    assert sorted(InvoiceRecord.objects.values_list("number", flat=True)) == ["R-1", "R-2"]
    assert Flow.objects.get(pk=flow.pk).status == FlowStatus.INTEGRATED


def test_a_chunk_interrupted_before_its_write_leaves_nothing_and_is_judged_again(
    supplier, recipient, monkeypatch
):
    from chorale.flows import processing, services

    monkeypatch.setattr(services, "process_flow", SimpleNamespace(enqueue=lambda **kwargs: None))
    names = {f"{n}.xml": invoice(f"R-{n}") for n in range(5)}
    flow = deposit(supplier, zipped(names), "lot.zip")
    real_start = processing.invoices_start

    def dying(*args, **kwargs):
        real_start(*args, **kwargs)
        raise KeyboardInterrupt  # the worker dies before the chunk's transaction commits

    monkeypatch.setattr(processing, "invoices_start", dying)
    with pytest.raises(KeyboardInterrupt):
        flow_process(flow.pk)
    assert not FlowItem.objects.exists() and not InvoiceRecord.objects.exists()
    monkeypatch.setattr(processing, "invoices_start", real_start)
    flow_process(flow.pk)
    assert FlowItem.objects.filter(result=ItemResult.ACCEPTED).count() == 5
    assert InvoiceEvent.objects.count() == 5 * 3  # Déposée, acheminement, mise à disposition
    assert set(InvoiceRecord.objects.values_list("status", flat=True)) == {Status.AVAILABLE}


def test_duplicates_within_a_chunk_and_with_earlier_deposits_are_rejected(
    supplier, recipient, monkeypatch
):
    from chorale.flows import services

    monkeypatch.setattr(services, "process_flow", SimpleNamespace(enqueue=lambda **kwargs: None))
    flow_process(deposit(supplier, invoice("R-OLD")).pk)
    names = {"a.xml": invoice("R-NEW"), "b.xml": invoice("R-NEW"), "c.xml": invoice("R-OLD")}
    flow = deposit(supplier, zipped(names), "lot.zip")
    flow_process(flow.pk)
    items = list(FlowItem.objects.filter(flow=flow).order_by("position"))
    assert [i.result for i in items] == [
        ItemResult.ACCEPTED,
        ItemResult.REJECTED,
        ItemResult.REJECTED,
    ]
    assert [i.errors[0]["rule"] for i in items[1:]] == ["CHORALE-DOUBLON", "CHORALE-DOUBLON"]
    assert Flow.objects.get(pk=flow.pk).status == FlowStatus.PARTIAL


@pytest.mark.django_db(transaction=True)
def test_the_durable_worker_processes_a_queued_deposit(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "webhooks"]}
    }
    supplier = make_structure(make_user("f@example.test"), identifier=SUPPLIER_SIRET)
    make_structure(make_user("a@example.test"), identifier=RECIPIENT_SIRET, is_private=False)
    flow = deposit(supplier, invoice())
    assert flow.status == FlowStatus.QUEUED
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert Flow.objects.get(pk=flow.pk).status == FlowStatus.INTEGRATED
    assert InvoiceRecord.objects.get().status == Status.AVAILABLE


def test_en16931_findings_reject_the_invoice_with_their_official_ids(supplier, recipient):
    from chorale.invoicing.formats import write_invoice
    from chorale.invoicing.tests.factories import sample_invoice

    broken = sample_invoice("E-1")
    broken.totals.payable = broken.totals.payable + 1
    flow = deposit(supplier, write_invoice(broken, "CII"))
    [item] = flow.items.all()
    assert item.result == ItemResult.REJECTED
    assert [e["rule"] for e in item.errors] == ["BR-CO-16"]
    assert item.errors[0]["severity"] == "fatal" and item.errors[0]["term"] == "BT-115"


def test_the_compte_rendu_speaks_the_depositors_language(supplier, recipient):
    """An English-speaking supplier reads the official English text of each EN 16931 rule and
    the platform's own rules in English; a French one the engine's French."""
    from chorale.invoicing.formats import write_invoice
    from chorale.invoicing.tests.factories import sample_invoice

    broken = sample_invoice("E-2", buyer="35600000000048")  # also an unknown recipient
    broken.totals.payable = broken.totals.payable + 1
    content = write_invoice(broken, "CII")
    french = {e["rule"]: e["message"] for e in deposit(supplier, content).items.get().errors}
    user = supplier.memberships.get().user
    user.language = "en"
    user.save()
    english = {
        e["rule"]: e["message"]
        for e in deposit(supplier, content, name="again.xml").items.get().errors
    }
    assert english["BR-CO-16"].startswith("[BR-CO-16]-Amount due for payment (BT-115)")
    assert "BT-115" in french["BR-CO-16"] and "Amount due" not in french["BR-CO-16"]
    assert english["CHORALE-DESTINATAIRE-INCONNU"].startswith("Recipient not found")
    assert french["CHORALE-DESTINATAIRE-INCONNU"].startswith("Destinataire introuvable")


def test_the_compte_rendu_exists_as_a_pdf_listing_every_error(supplier, recipient):
    require_pango()
    from pypdf import PdfReader

    from chorale.flows.services import flow_report_pdf

    flow = deposit(
        supplier, zipped({"ok.xml": invoice("P-1"), "ko.xml": b"<pas-une-facture/>"}), "lot.zip"
    )
    text = PdfReader(io.BytesIO(flow_report_pdf(flow))).pages[0].extract_text()
    assert flow.number in text
    assert "Acceptée" in text and "Rejetée" in text
    assert "format_unsupported" in text
