"""Life-cycle statuses as the 2026 reform's message: UN/CEFACT CrossDomainAcknowledgementAndResponse
(CDAR, « Flux 6 », edi.md §4), written for each status change of an invoice and read back from a
recipient's own system.

One message per status. Where the reform's codes say less than Chorus Pro's statuses (205 is
both « Service fait » and « Mandatée »), Chorale adds the Chorus Pro status in
`ReferenceReferencedDocument/ProcessCondition` and a mandate number as a note of subject
`MANDAT` of `SpecifiedDocumentStatus`; both are optional when reading. These two choices are
Chorale's (no public source fixes them) and live in this module only."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext
from lxml import etree

from chorale.invoicing.formats.errors import FormatError
from chorale.invoicing.formats.xml import parse_xml
from chorale.lifecycle.models import InvoiceEvent
from chorale.lifecycle.statuses import REFORM_LABELS, Status

NS = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": NS, "ram": RAM, "udt": UDT, "qdt": QDT}
GUIDELINE = "urn.cpro.gouv.fr:1p0:CDV:invoice"
PROCESSING = "23"  # AcknowledgementDocument/TypeCode: processing phase (305: transmission)
PLATFORM = ("0238", "9999")  # Chorus Pro's id in the reform directory (scheme, id)
MANDATE_SUBJECT = "MANDAT"
# A reason code is required for these (FNFE BR-FR-CDV); Chorale's reasons are free text.
REASON_CODES = {208: "JUSTIF_ABS", 210: "AUTRE", 213: "REJ_SEMAN"}

# What a recipient's system may send back, and the status each code moves the invoice to (the
# same moves as `traiter/recue`); ProcessCondition may name a more precise one of the same code.
INBOUND: dict[int, str] = {
    204: Status.ACKNOWLEDGED,
    205: Status.SERVICE_DONE,
    208: Status.SUSPENDED,
    210: Status.REJECTED,
    211: Status.PAID,
}
PRECISE: dict[str, int] = {
    Status.ACKNOWLEDGED: 204,
    Status.SERVICE_DONE: 205,
    Status.PAYMENT_ORDERED: 205,
    Status.WITH_ACCOUNTANT: 205,
    Status.BOOKED: 205,
    Status.SUSPENDED: 208,
    Status.REJECTED: 210,
    Status.TO_RECYCLE: 210,
    Status.PAID: 211,
}


def _el(parent: etree._Element, path: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Create the elements of `path` (« ram:A/udt:B ») under `parent`, each step a new
    element; `text` and `attrs` go to the last."""
    for step in path.split("/"):
        prefix, name = step.split(":")
        parent = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{name}")
    parent.attrib.update(attrs)
    if text is not None:
        parent.text = text
    return parent


def _party(parent: etree._Element, tag: str, scheme: str, ident: str, role: str = "") -> None:
    party = _el(parent, tag)
    _el(party, "ram:GlobalID", ident, schemeID=scheme)
    if role:
        _el(party, "ram:RoleCode", role)


def status_message(event: InvoiceEvent, for_supplier: bool) -> bytes:
    """The CDAR message of one status change, addressed to the supplier (role SE) or to the
    recipient (role BY)."""
    invoice, code = event.invoice, event.reform_code
    root = etree.Element(f"{{{NS}}}CrossDomainAcknowledgementAndResponse", nsmap=NSMAP)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(context, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", "REGULATED")
    _el(context, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", GUIDELINE)
    document = _el(root, "rsm:ExchangedDocument")
    _el(document, "ram:ID", f"CDV-{invoice.pk}-{event.pk}")
    stamp = timezone.localtime(event.created_at)
    _el(document, "ram:IssueDateTime/udt:DateTimeString", f"{stamp:%Y%m%d%H%M%S}", format="204")
    _party(document, "ram:SenderTradeParty", *PLATFORM, role="WK")
    if event.side == "recipient" and invoice.recipient_identifier:
        _party(document, "ram:IssuerTradeParty", "0002", invoice.recipient_identifier[:9], "BY")
    else:
        _party(document, "ram:IssuerTradeParty", *PLATFORM, role="WK")
    addressee = invoice.supplier_identifier if for_supplier else invoice.recipient_identifier
    _party(
        document, "ram:RecipientTradeParty", "0002", addressee[:9], "SE" if for_supplier else "BY"
    )
    acknowledgement = _el(root, "rsm:AcknowledgementDocument")
    _el(acknowledgement, "ram:TypeCode", PROCESSING)
    _el(
        acknowledgement,
        "ram:IssueDateTime/udt:DateTimeString",
        f"{stamp:%Y%m%d%H%M%S}",
        format="204",
    )
    reference = _el(acknowledgement, "ram:ReferenceReferencedDocument")
    _el(reference, "ram:IssuerAssignedID", invoice.number)
    _el(reference, "ram:TypeCode", invoice.type_code or "380")
    _el(
        reference,
        "ram:FormattedIssueDateTime/qdt:DateTimeString",
        f"{invoice.issue_date:%Y%m%d}",
        format="102",
    )
    _el(reference, "ram:ProcessConditionCode", str(code))
    _el(reference, "ram:ProcessCondition", event.to_status)
    _party(reference, "ram:IssuerTradeParty", "0002", invoice.supplier_identifier[:9], "SE")
    status = _el(reference, "ram:SpecifiedDocumentStatus")
    _el(status, "ram:SequenceNumeric", "1")
    if code in REASON_CODES:
        _el(status, "ram:ReasonCode", REASON_CODES[code])
    if event.reason:
        _el(status, "ram:Reason", event.reason)
    if event.payment_order_number:
        note = _el(status, "ram:IncludedNote")
        _el(note, "ram:Content", event.payment_order_number)
        _el(note, "ram:SubjectCode", MANDATE_SUBJECT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def is_cdar(content: bytes) -> bool:
    """Whether a deposited file is a CDAR message (read from its first bytes, not parsed)."""
    return (
        NS.encode() in content[:4096] and b"CrossDomainAcknowledgementAndResponse" in content[:4096]
    )


@dataclass
class Line:
    """One status a recipient's system sent: which invoice, which move, and why."""

    rank: int
    number: str
    seller_siren: str
    code: int | None
    to_status: str
    reason: str
    payment_order_number: str
    problem: str = ""


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path, NSMAP)
    return (found.text or "").strip() if found is not None else ""


def read(content: bytes) -> list[Line]:
    """The statuses of a CDAR message (one per ReferenceReferencedDocument); FormatError when
    it is not a readable CDAR message. A line it cannot use carries its `problem`."""
    root = parse_xml(content)
    if root.tag != f"{{{NS}}}CrossDomainAcknowledgementAndResponse":
        raise FormatError(
            "not_cdar", gettext("Le fichier n'est pas un message CDAR (cycle de vie).")
        )
    lines = []
    references = root.findall("rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument", NSMAP)
    if not references:
        raise FormatError(
            "cdar_empty", gettext("Le message CDAR ne contient aucun statut de facture.")
        )
    for rank, reference in enumerate(references, start=1):
        raw_code = _text(reference, "ram:ProcessConditionCode")
        code = int(raw_code) if raw_code.isdigit() else None
        precise = _text(reference, "ram:ProcessCondition")
        line = Line(
            rank=rank,
            number=_text(reference, "ram:IssuerAssignedID"),
            seller_siren=_text(reference, "ram:IssuerTradeParty/ram:GlobalID")[:9],
            code=code,
            to_status="",
            reason=_text(reference, "ram:SpecifiedDocumentStatus/ram:Reason")
            or _text(reference, "ram:SpecifiedDocumentStatus/ram:ReasonCode"),
            payment_order_number="",
        )
        for note in reference.findall("ram:SpecifiedDocumentStatus/ram:IncludedNote", NSMAP):
            if _text(note, "ram:SubjectCode") == MANDATE_SUBJECT:
                line.payment_order_number = _text(note, "ram:Content")
        if not line.number:
            line.problem = gettext("Numéro de facture absent (IssuerAssignedID).")
        elif code not in INBOUND:
            label = REFORM_LABELS.get(code or 0, raw_code or "—")
            line.problem = gettext(
                "Statut %(code)s (%(label)s) non accepté d'un destinataire : 204, 205, 208, 210 "
                "ou 211."
            ) % {"code": raw_code or "—", "label": label}
        elif precise and PRECISE.get(precise) != code:
            line.problem = gettext("Le statut %(status)s ne correspond pas au code %(code)s.") % {
                "status": precise,
                "code": code,
            }
        else:
            line.to_status = precise or INBOUND[code]
            if line.payment_order_number and not precise:
                line.to_status = Status.PAYMENT_ORDERED
        lines.append(line)
    return lines
