"""Processing a flow, a chunk of documents at a time, each chunk in one transaction.

Each document of a chunk is read and judged first, outside any transaction; then its items,
its accepted invoices and their events are written in a few inserts. The database rows are
the truth: a document already judged is skipped, so a worker killed half-way is resumed by
running the task again, and two workers on one flow never judge a document twice (one (flow,
position) row each). When a chunk cannot be written whole (another worker got there first, a
duplicate deposited meanwhile, anything unexpected), its documents are judged again one by
one, each in its own transaction. A document's failure of any kind becomes a rejection with a
reason; it never stops the worker nor the rest of the batch.
"""

import contextlib
import datetime
import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from chorale.core.bulk import insert_many
from chorale.core.errors import BusinessError
from chorale.core.feed import event_record
from chorale.core.metrics import VALIDATION_SECONDS
from chorale.invoicing.formats import read_invoice
from chorale.invoicing.formats.errors import FormatError
from chorale.invoicing.models import InvoiceRecord
from chorale.invoicing.validation import validate_document
from chorale.invoicing.validation.engine import FATAL, Finding
from chorale.invoicing.validation.english import in_language
from chorale.lifecycle.services import invoices_prepare, invoices_start
from chorale.lifecycle.statuses import (
    DIRECT_WORKS_FRAMES,
    VALIDATED_FRAMES,
    WORKS_FRAMES,
    Status,
)
from chorale.lifecycle.validation import validations_create, validator_resolve
from chorale.routing.services import ROUTING_STEPS
from chorale.structures.models import Structure

from .batch import Document, documents, documents_expected
from .checks import check_invoice, chorus_finding, invoice_frame
from .models import FINAL_STATUSES, Flow, FlowItem, FlowStatus, ItemResult

logger = logging.getLogger(__name__)
CHUNK = 100  # documents judged, then written, together


def flow_process(flow_id: int) -> None:
    """Judge a flow's documents, in the language of the person who deposited it: the compte
    rendu's messages and the feed's are theirs."""
    language = (
        Flow.objects.filter(pk=flow_id).values_list("deposited_by__language", flat=True).first()
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        _process(flow_id)


def _process(flow_id: int) -> None:
    with transaction.atomic():
        flow = Flow.objects.select_for_update().get(pk=flow_id)
        if flow.status in FINAL_STATUSES:
            return
        now = timezone.now()
        lease = datetime.timedelta(seconds=settings.CHORALE_FLOW_LEASE_SECONDS)
        if flow.status != FlowStatus.PROCESSING:
            flow.processing_attempts = 1  # the first start
        elif flow.heartbeat_at is None or now - flow.heartbeat_at > lease:
            flow.processing_attempts += 1  # the worker that had it died
        # (else another worker holds a live lease: both may go on, no document is judged twice)
        flow.status = FlowStatus.PROCESSING
        flow.heartbeat_at = now
        flow.save(update_fields=["status", "processing_attempts", "heartbeat_at"])
    done = set(flow.items.values_list("position", flat=True))
    if flow.processing_attempts > settings.CHORALE_FLOW_MAX_ATTEMPTS:
        _give_up(flow, done)
        return
    with flow.file.open("rb") as stored:
        content = stored.read()
    if flow.documents_expected is None:
        flow.documents_expected = documents_expected(content)
        Flow.objects.filter(pk=flow.pk).update(documents_expected=flow.documents_expected)
    pending = (
        (position, document)
        for position, document in enumerate(documents(flow.original_name, content))
        if position not in done
    )
    lookups: dict = {}  # recipients and services, found once per flow
    for chunk in chunks(pending, CHUNK, settings.CHORALE_CHUNK_BYTES):
        _judge_chunk_safely(flow, chunk, lookups)
        Flow.objects.filter(pk=flow.pk).update(heartbeat_at=timezone.now())  # lease renewed
    _finish(flow)


def chunks(pending, count: int, size: int):
    """Documents in chunks of at most `count` documents and about `size` bytes (a chunk holds
    at least one document): memory is bounded by bytes, not by count."""
    chunk, held = [], 0
    for position, document in pending:
        length = len(document.content or b"")
        if chunk and held + length > size:
            yield tuple(chunk)
            chunk, held = [], 0
        chunk.append((position, document))
        held += length
        if len(chunk) >= count:  # full: judged now, not when the next document is read
            yield tuple(chunk)
            chunk, held = [], 0
    if chunk:
        yield tuple(chunk)


def _give_up(flow: Flow, done: set[int]) -> None:
    """The flow's worker died more than CHORALE_FLOW_MAX_ATTEMPTS times while processing it
    (a document that kills its worker): it is stopped, the documents not yet judged rejected
    as a whole with the reason."""
    logger.error("Flow %s stopped after %s starts", flow.number, flow.processing_attempts - 1)
    reason = chorus_finding(
        "CHORALE-TRAITEMENT-INTERROMPU",
        gettext(
            "Le traitement de ce flux a été interrompu "
            "%(processing_attempts_1)s fois (le service qui le traitait "
            "s'est arrêté) : il est abandonné. Les documents non encore "
            "traités, à partir de celui-ci, ne sont pas intégrés ; "
            "vérifiez le fichier ou contactez le support."
        )
        % {
            "processing_attempts_1": flow.processing_attempts - 1,
        },
    )
    position = max(done, default=-1) + 1
    with contextlib.suppress(IntegrityError):
        FlowItem.objects.create(
            flow=flow,
            position=position,
            name=gettext("(documents non traités)"),
            sha256="",
            result=ItemResult.REJECTED,
            errors=[reason.as_dict()],
        )
    _finish(flow)


def _finish(flow: Flow) -> None:
    with transaction.atomic():
        flow = Flow.objects.select_for_update().get(pk=flow.pk)
        if flow.status in FINAL_STATUSES:
            return
        results = list(flow.items.values_list("result", flat=True))
        flow.accepted_count = results.count(ItemResult.ACCEPTED)
        flow.rejected_count = results.count(ItemResult.REJECTED)
        if flow.accepted_count and not flow.rejected_count:
            flow.status = FlowStatus.INTEGRATED
        elif flow.accepted_count:
            flow.status = FlowStatus.PARTIAL
        else:
            flow.status = FlowStatus.REJECTED
        flow.processed_at = timezone.now()
        flow.save()
        event_record(
            kind="flow.processed",
            message=gettext(
                "Flux %(number)s (%(original_name)s) traité : "
                "%(accepted_count)s facture(s) acceptée(s), "
                "%(rejected_count)s rejetée(s)."
            )
            % {
                "number": flow.number,
                "original_name": flow.original_name,
                "accepted_count": flow.accepted_count,
                "rejected_count": flow.rejected_count,
            },
            recipients=[flow.deposited_by],
            link=reverse("flows:flow", args=[flow.number]),
        )
    logger.info("Flow %s: %s", flow.number, flow.status)


@dataclass
class Verdict:
    """A document judged, not yet written: its item, and the invoice it deposits if accepted."""

    item: FlowItem
    record: InvoiceRecord | None = None
    original: bytes | None = None  # the deposited PDF, stored with the record
    validators: list = field(default_factory=list)  # (structure, service) by rank: A9, A12


def _judge_chunk_safely(flow: Flow, chunk: tuple, lookups: dict) -> None:
    try:
        _judge_chunk(flow, chunk, lookups)
    except Exception:
        logger.info("Flow %s: chunk judged again one by one", flow.number, exc_info=True)
        positions = [position for position, _ in chunk]
        done = set(flow.items.filter(position__in=positions).values_list("position", flat=True))
        for position, document in chunk:
            if position not in done:
                _judge_safely(flow, position, document, lookups)


def _judge_chunk(flow: Flow, chunk: tuple, lookups: dict) -> None:
    verdicts = [_verdict(flow, position, document, lookups) for position, document in chunk]
    accepted = [v for v in verdicts if v.record is not None]
    numbers = {v.record.number for v in accepted}
    suppliers = {v.record.supplier_id for v in accepted}
    taken = set(
        InvoiceRecord.objects.filter(supplier_id__in=suppliers, number__in=numbers).values_list(
            "supplier_id", "number", "year"
        )
    )
    for verdict in accepted:
        key = (verdict.record.supplier_id, verdict.record.number, verdict.record.year)
        if key in taken:  # already deposited, or twice in this chunk
            _reject_duplicate(verdict)
        taken.add(key)
    records = [_kept(v) for v in verdicts if v.record is not None]
    _prepare(verdicts)
    with transaction.atomic():
        insert_many(records)
        for verdict in verdicts:
            verdict.item.invoice = verdict.record
        insert_many(v.item for v in verdicts)
        _start([v for v in verdicts if v.record is not None], flow)


def _starts(verdicts: list[Verdict]) -> list[tuple[list[InvoiceRecord], dict]]:
    """How the accepted invoices start: routed at once (the recipient is known and active); an
    invoice of a validation circuit (A9, A12) waits for its first validator instead, and a
    works draft goes to the maître d'œuvre of its contract (A6 and A8 go straight to the
    payer). Each group with the arguments of its start."""
    accepted = [v for v in verdicts if v.record is not None]
    works = [v.record for v in accepted if v.record.frame in WORKS_FRAMES]
    routed = [v.record for v in accepted if not v.validators and v.record.frame not in WORKS_FRAMES]
    validated = [v.record for v in accepted if v.validators]
    groups = [
        (works, {"first": Status.TO_MOE}),
        (routed, {"then": ROUTING_STEPS}),
        (validated, {"first": Status.TO_VALIDATE_1}),
    ]
    return [(records, arguments) for records, arguments in groups if records]


def _prepare(verdicts: list[Verdict]) -> None:
    """Before their insert: each invoice's status after its start (`invoices_prepare`)."""
    for records, arguments in _starts(verdicts):
        invoices_prepare(records, **arguments)


def _start(verdicts: list[Verdict], flow: Flow) -> None:
    """The events of each start (the rows already hold their status: `_prepare`), and the
    validations an invoice of a validation circuit waits for."""
    for records, arguments in _starts(verdicts):
        invoices_start(records, actor=flow.deposited_by, prepared=True, **arguments)
    for verdict in verdicts:
        if verdict.record is not None and verdict.validators:
            validations_create(verdict.record, verdict.validators)


def _kept(verdict: Verdict) -> InvoiceRecord:
    """The record, with the PDF deposited stored beside it (unchanged) when it was one."""
    if verdict.original is not None and not verdict.record.original:
        name = f"{verdict.item.flow.number}-{verdict.item.position}.pdf"
        verdict.record.original.save(name, ContentFile(verdict.original), save=False)
    return verdict.record


def _judge_safely(flow: Flow, position: int, document: Document, lookups: dict) -> None:
    try:
        _judge(flow, position, document, lookups)
    except IntegrityError:
        if FlowItem.objects.filter(flow=flow, position=position).exists():
            logger.info("Flow %s #%s already judged by another worker", flow.number, position)
        else:
            _fail(flow, position, document)
    except Exception:
        _fail(flow, position, document)


def _fail(flow: Flow, position: int, document: Document) -> None:
    """Any unexpected failure: the document is rejected with a reason, the batch goes on."""
    logger.exception("Flow %s #%s: unexpected failure", flow.number, position)
    failure = chorus_finding(
        "CHORALE-ERREUR-INTERNE",
        gettext(
            "Erreur interne pendant le traitement de ce document : il "
            "est rejeté ; redéposez-le ou contactez le support."
        ),
    )
    with contextlib.suppress(IntegrityError):
        FlowItem.objects.create(
            flow=flow,
            position=position,
            name=document.name[:255],
            sha256="",
            result=ItemResult.REJECTED,
            errors=[failure.as_dict()],
        )


@transaction.atomic
def _judge(flow: Flow, position: int, document: Document, lookups: dict) -> None:
    """One document in its own transaction (the path when a chunk cannot be written whole)."""
    verdict = _verdict(flow, position, document, lookups)
    if verdict.record is not None:
        _prepare([verdict])
        try:
            with transaction.atomic():
                _kept(verdict).save()
        except IntegrityError:
            _reject_duplicate(verdict)
    verdict.item.invoice = verdict.record
    verdict.item.save()
    if verdict.record is not None:
        _start([verdict], flow)


def _reject_duplicate(verdict: Verdict) -> None:
    """The supplier already has an invoice with this number this year: rejected."""
    number, year = verdict.record.number, verdict.record.year
    duplicate = chorus_finding(
        "CHORALE-DOUBLON",
        gettext("Une facture n° %(number)s de %(year)s existe déjà pour ce fournisseur.")
        % {"number": number, "year": year},
        "BT-1",
        number,
    )
    verdict.record = None
    verdict.item.result = ItemResult.REJECTED
    verdict.item.errors = [duplicate.as_dict(), *verdict.item.errors]


def _verdict(flow: Flow, position: int, document: Document, lookups: dict) -> Verdict:
    """The document read and judged (format, EN 16931, Chorus checks), nothing written."""
    digest = hashlib.sha256(document.content or b"").hexdigest()
    item = FlowItem(
        flow=flow,
        position=position,
        name=document.name[:255],
        sha256=digest,
        result=ItemResult.REJECTED,
    )
    verdict = Verdict(item)
    if document.content is None:
        item.errors = [chorus_finding("CHORALE-LOT", document.error).as_dict()]
        return verdict
    try:
        found, invoice = read_invoice(document.content)
    except FormatError as error:
        item.errors = [chorus_finding(error.code, error.message).as_dict()]
        return verdict
    item.invoice_number = invoice.number[:100]
    with VALIDATION_SECONDS.labels(found.syntax).time():
        standard = validate_document(found, invoice)
    routing = check_invoice(invoice, flow.supplier, lookups, _mandated(flow, lookups))
    frame = invoice_frame(invoice)
    validators, circuit = _validators(flow, frame)
    circuit += _family_findings(flow, frame)
    every = [in_language(f) for f in [*standard, *routing.findings, *circuit]]
    warnings = [f.as_dict() for f in every if f.severity != FATAL]
    findings = [f for f in every if f.severity == FATAL]
    item.errors = [f.as_dict() for f in findings] + warnings
    if not findings:
        item.result = ItemResult.ACCEPTED
        if flow.trial:  # qualification: judged and answered, never routed
            return verdict
        verdict.record = _record(flow, found, invoice, routing, digest)
        verdict.record.frame = frame
        if routing.engagement is not None and invoice.totals.tax_inclusive is not None:
            # the next invoices of this flow draw on what this one leaves
            sign = -1 if invoice.is_credit_note else 1
            routing.engagement.invoiced += sign * invoice.totals.tax_inclusive
        verdict.validators = validators
        if found.container == "PDF":  # kept unchanged: what « Télécharger » gives both sides
            verdict.original = document.content
    return verdict


def _validators(flow: Flow, frame: str) -> tuple[list, list[Finding]]:
    """The validators of an invoice of a validation circuit (A9, A12), by rank, as the
    supplier named them with the deposit; a finding when one is missing or unknown."""
    if frame not in VALIDATED_FRAMES:
        return [], []
    if not flow.validators:
        return [], [
            chorus_finding(
                "CHORALE-VALIDEUR",
                gettext(
                    "Une facture de cadre %(frame)s passe par son valideur : nommez-le (SIRET "
                    "du titulaire ou du mandataire) en saisissant ou en soumettant la facture."
                )
                % {"frame": frame},
                "BT-23",
                frame,
            )
        ]
    try:
        found = [
            validator_resolve(v.get("siret", ""), v.get("service", "")) for v in flow.validators[:2]
        ]
    except BusinessError as error:
        return [], [chorus_finding("CHORALE-VALIDEUR", error.message, "BT-23", frame)]
    if any(structure.pk == flow.supplier_id for structure, _ in found):
        message = gettext("Le valideur doit être une autre structure que le fournisseur.")
        return [], [chorus_finding("CHORALE-VALIDEUR", message, "BT-23", frame)]
    return found, []


def _family_findings(flow: Flow, frame: str) -> list[Finding]:
    """Works pieces travel in works flows (E4, E5), apart from other invoices (E1, E2), when
    the deposit declared its syntaxeFlux."""
    if not flow.family or flow.is_works == (frame in (*WORKS_FRAMES, *DIRECT_WORKS_FRAMES)):
        return []
    message = (
        gettext(
            "Un flux de travaux (%(family)s) ne porte que des pièces de travaux (cadres A4, A5, "
            "A7, A10, A11, A13, A14) : déposez cette facture dans un flux E1 ou E2."
        )
        if flow.is_works
        else gettext(
            "Une pièce de travaux (cadre %(frame)s) se dépose dans un flux de travaux (syntaxe "
            "IN_DP_E4_… ou IN_DP_E5_…), à part des factures (%(family)s)."
        )
    )
    return [
        chorus_finding(
            "CHORALE-FLUX-TRAVAUX",
            message % {"family": flow.family, "frame": frame},
            "BT-23",
            frame,
        )
    ]


def _mandated(flow: Flow, lookups: dict) -> list | None:
    """The structures that mandated the flow's EDI connection (read once a flow)."""
    if flow.mandated is None:
        return None
    if "mandated" not in lookups:
        lookups["mandated"] = list(Structure.objects.filter(pk__in=flow.mandated))
    return lookups["mandated"]


def _record(flow, found, invoice, routing, digest: str) -> InvoiceRecord:
    """The deposited invoice, not yet saved."""
    totals = invoice.totals
    return InvoiceRecord(
        deposited_by=flow.deposited_by,
        supplier=routing.supplier or flow.supplier,
        recipient=routing.recipient,
        service=routing.service,
        supplier_name=(routing.supplier or flow.supplier).company_name,
        supplier_identifier=(routing.supplier or flow.supplier).identifier,
        recipient_name=routing.recipient.company_name,
        recipient_identifier=routing.recipient.identifier,
        number=invoice.number[:100],
        issue_date=invoice.issue_date,
        year=invoice.issue_date.year,
        type_code=invoice.type_code[:3],
        currency=invoice.currency[:3],
        total_without_vat=totals.tax_exclusive,
        total_vat=totals.vat_total,
        total_with_vat=totals.tax_inclusive,
        amount_due=totals.payable,
        service_code=invoice.buyer_reference[:100],
        engagement_number=invoice.purchase_order_reference[:50],
        engagement=routing.engagement,
        works_contract=routing.works_contract,
        syntax=found.syntax,
        profile=found.profile,
        structured_data=found.xml,
        sha256=digest,
        status=Status.DEPOSITED,
        status_changed_at=timezone.now(),
    )
