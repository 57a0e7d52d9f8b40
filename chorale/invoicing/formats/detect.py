"""Recognise what a deposited file is: its container (XML or Factur-X PDF), its syntax (CII,
UBL Invoice, UBL CreditNote) and its profile, read from BT-24 (formats.md §1.2)."""

import functools
import io
from dataclasses import dataclass

from lxml import etree

from .. import compiled
from .errors import FormatError
from .tree import Tree
from .xml import parse_xml

CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM_NS = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ZUGFERD1_NS = "urn:ferd:CrossIndustryDocument:invoice:1p0"

CII = "CII"
UBL_INVOICE = "UBL_INVOICE"
UBL_CREDIT_NOTE = "UBL_CREDIT_NOTE"
ROOTS = {
    f"{{{CII_NS}}}CrossIndustryInvoice": CII,
    f"{{{UBL_INVOICE_NS}}}Invoice": UBL_INVOICE,
    f"{{{UBL_CREDIT_NOTE_NS}}}CreditNote": UBL_CREDIT_NOTE,
}

# Profiles, from the specification identifier (BT-24).
MINIMUM, BASIC_WL, BASIC, EN16931, EXTENDED = "MINIMUM", "BASIC_WL", "BASIC", "EN16931", "EXTENDED"
EXTENDED_CTC_FR, XRECHNUNG, PEPPOL, CIUS = "EXTENDED_CTC_FR", "XRECHNUNG", "PEPPOL", "CIUS"
# The profiles whose stylesheet words the business rules its own way (MINIMUM and BASIC WL are
# not EN 16931 invoices; EXTENDED knows sub-lines and tolerances): judged by those rules, not
# by the CEN rules over the model.
OWN_BUSINESS_RULES = frozenset([MINIMUM, BASIC_WL, EXTENDED, EXTENDED_CTC_FR])
OTHER = "OTHER"  # an unknown or missing BT-24: judged by the CEN rules (BR-01 asks for one)
PROFILE_LABELS = {
    MINIMUM: "Factur-X MINIMUM",
    BASIC_WL: "Factur-X BASIC WL",
    BASIC: "Factur-X BASIC",
    EN16931: "EN 16931",
    EXTENDED: "Factur-X EXTENDED",
    EXTENDED_CTC_FR: "EXTENDED-CTC-FR",
    XRECHNUNG: "XRechnung",
    PEPPOL: "Peppol BIS Billing 3.0",
    CIUS: "EN 16931 (spécification dérivée)",
    OTHER: "EN 16931 (identifiant de spécification non reconnu)",
}
EN16931_ID = "urn:cen.eu:en16931:2017"
EMBEDDED_XML_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")


@dataclass(frozen=True)
class Detected:
    container: str  # "XML" or "PDF"
    syntax: str  # CII, UBL_INVOICE, UBL_CREDIT_NOTE
    profile: str
    specification_id: str
    root: etree._Element
    xml: bytes
    embedded_name: str = ""

    @functools.cached_property
    def tree(self):
        """The document walked once (`Tree`), shared by its reader and the syntax rules."""
        return Tree(self.root)


KNOWN_IDS = {
    "urn:factur-x.eu:1p0:minimum": MINIMUM,
    "urn:zugferd.de:2p0:minimum": MINIMUM,
    "urn:factur-x.eu:1p0:basicwl": BASIC_WL,
    "urn:zugferd.de:2p0:basicwl": BASIC_WL,
    EN16931_ID: EN16931,
}


def profile_of(specification_id: str) -> str:
    """The profile a specification identifier (BT-24) names. Old spellings are recognised and
    left for the profile rules to judge; anything else is judged by the CEN rules."""
    value = specification_id.strip()
    lowered = value.lower()
    if lowered in KNOWN_IDS:
        return KNOWN_IDS[lowered]
    if "extended-ctc-fr" in lowered:
        return EXTENDED_CTC_FR
    if lowered.endswith(("factur-x.eu:1p0:basic", "zugferd.de:2p0:basic")):
        return BASIC
    if lowered.endswith(("factur-x.eu:1p0:extended", "zugferd.de:2p0:extended")):
        return EXTENDED
    if "xrechnung" in lowered or "xeinkauf.de" in lowered:
        return XRECHNUNG
    if "peppol" in lowered:
        return PEPPOL
    if lowered.startswith(EN16931_ID):
        return CIUS
    return OTHER


SPECIFICATION_ID = {  # BT-24, compiled once
    CII: etree.XPath(
        "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
        namespaces={"rsm": CII_NS, "ram": RAM_NS},
    ),
    UBL_INVOICE: etree.XPath("cbc:CustomizationID", namespaces={"cbc": CBC_NS}),
}


# The same steps for the compiled core's `first_text`: (namespace, local name) as bytes.
SPECIFICATION_STEPS = {
    CII: (
        (CII_NS.encode(), b"ExchangedDocumentContext"),
        (RAM_NS.encode(), b"GuidelineSpecifiedDocumentContextParameter"),
        (RAM_NS.encode(), b"ID"),
    ),
    UBL_INVOICE: ((CBC_NS.encode(), b"CustomizationID"),),
}


def _specification_id(root: etree._Element, syntax: str) -> str:
    """BT-24, stripped (« » where absent): on the compiled core where it is built (no XPath
    engine to wake up), else by libxml2's XPath; the same answer."""
    core = compiled.CORE
    if core:
        text = core.first_text(
            root, SPECIFICATION_STEPS.get(syntax, SPECIFICATION_STEPS[UBL_INVOICE])
        )
        return text.strip() if text else ""
    values = SPECIFICATION_ID.get(syntax, SPECIFICATION_ID[UBL_INVOICE])(root)
    return (values[0].text or "").strip() if values else ""


def detect_xml(data: bytes, container: str = "XML", embedded_name: str = "") -> Detected:
    root = parse_xml(data)
    if etree.QName(root).namespace == ZUGFERD1_NS:
        raise FormatError(
            "format_unsupported_zugferd1",
            "Format non pris en charge : ZUGFeRD 1.0. Déposez une facture Factur-X / "
            "ZUGFeRD 2, UBL 2.1 ou CII D16B.",
        )
    syntax = ROOTS.get(root.tag)
    if syntax is None:
        raise FormatError(
            "format_unsupported",
            f"Format non pris en charge : élément racine « {etree.QName(root).localname} ». "
            "Formats acceptés : Factur-X, UBL 2.1 (Invoice, CreditNote), UN/CEFACT CII D16B.",
        )
    specification_id = _specification_id(root, syntax)
    return Detected(
        container, syntax, profile_of(specification_id), specification_id, root, data, embedded_name
    )


def detect(data: bytes) -> Detected:
    """What the file is, or a FormatError saying in French why it is refused."""
    if not data or data.isspace():
        raise FormatError("empty_file", "Le fichier est vide.")
    if data[:5] == b"%PDF-":
        name, xml = embedded_xml(data)
        return detect_xml(xml, "PDF", name)
    # (lstrip: the same blanks as strip(), and no copy where none leads, as in most files;
    # a regular expression here cost 10 µs per file, its engine's code cold by then)
    if data.lstrip()[:1] not in (b"<", b"\xef") and data[:3] != b"\xef\xbb\xbf":
        raise FormatError(
            "format_unsupported",
            "Format non pris en charge : ni XML ni PDF. Formats acceptés : Factur-X (PDF/A-3), "
            "UBL 2.1, UN/CEFACT CII D16B.",
        )
    return detect_xml(data)


def embedded_xml(pdf: bytes) -> tuple[str, bytes]:
    """The invoice XML a Factur-X / ZUGFeRD PDF carries (PDF/A-3 embedded file)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            raise FormatError(
                "pdf_encrypted", "Le PDF est chiffré : déposez un PDF sans mot de passe."
            )
        attachments = reader.attachments
    except FormatError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise FormatError("pdf_unreadable", f"Le PDF est illisible ({error}).") from error
    names = {name.lower(): name for name in attachments}
    for wanted in EMBEDDED_XML_NAMES:  # ZUGFeRD 1.0's file is recognised, then refused
        if wanted in names:
            name = names[wanted]
            return name, attachments[name][0]
    raise FormatError(
        "pdf_without_xml",
        "Ce PDF ne contient pas de facture structurée (fichier factur-x.xml absent) : "
        "déposez un Factur-X, ou un PDF simple avec la saisie de ses données clés.",
    )
