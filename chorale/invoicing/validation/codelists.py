"""Code-list rules (BR-CL-*). The lists are read from one place, the CEN EN 16931 1.3.16 UBL
rule set shipped in `cen/` — never typed by hand; a test checks they are the lists of both
shipped CEN rule sets, so a new release of the rules is a reviewed update of `cen/`."""

import functools
import re
from collections.abc import Iterable, Iterator

from lxml import etree

from ..model import Address, Identifier, Invoice
from .engine import RuleSet

RULES = RuleSet()

LIST = re.compile(r"contains\(\s*'\s*([^']+?)\s*'\s*,")
EQUALS = re.compile(r"@mimeCode\s*=\s*'([^']+)'")
EMPTY = "(vide)"  # a code element written without a value: in no list


@functools.cache
def code_lists(syntax: str = "UBL") -> dict[str, list[set[str]]]:
    """Rule id → the code lists its official test holds, in the order they appear, in the CEN
    rule set of that syntax (CII or UBL: a few lists differ between the two)."""
    from .official import CEN_CII, CEN_UBL

    return lists_in(CEN_CII if syntax == "CII" else CEN_UBL)


def lists_in(stylesheet: str) -> dict[str, list[set[str]]]:
    """The code lists of one compiled CEN rule set (BR-CL-* and BR-CO-09's country codes)."""
    from .official import SVRL, xsl_attribute

    root = etree.parse(stylesheet).getroot()
    lists: dict[str, list[set[str]]] = {}
    for failed in root.iter(f"{SVRL}failed-assert"):
        rule_id = xsl_attribute(failed, "id") or ""
        if not (rule_id.startswith("BR-CL-") or rule_id == "BR-CO-09"):
            continue
        test = failed.get("test", "")
        found = [set(chunk.split()) for chunk in LIST.findall(test)]
        if not found and EQUALS.search(test):
            found = [set(EQUALS.findall(test))]
        lists.setdefault(rule_id, []).extend(found)
    return lists


@functools.cache
def _codes(rule_id: str, index: int | None = None, syntax: str = "UBL") -> frozenset[str]:
    """The codes a rule allows (its `index`-th list, or all of them), built once."""
    found = code_lists(syntax).get(rule_id, [])
    if index is not None:
        return frozenset(found[index]) if index < len(found) else frozenset()
    return frozenset().union(*found)


def _outside(
    invoice: Invoice, values: Iterable[str], rule_id: str, index: int | None = None
) -> list[str]:
    """The values outside the rule's list, in the rule set of the invoice's syntax."""
    allowed = _codes(rule_id, index, invoice.source_syntax)
    return sorted({v for v in values if v and allowed and v not in allowed})


def _addresses(invoice: Invoice) -> Iterator[Address]:
    representative = invoice.tax_representative
    delivery = invoice.delivery
    for address in (
        invoice.seller.address,
        invoice.buyer.address,
        representative.address if representative else None,
        delivery.address if delivery else None,
    ):
        if address is not None:
            yield address


def _scheme_values(identifiers: Iterable[Identifier | None]) -> list[str]:
    return [i.scheme for i in identifiers if i is not None and i.scheme]


CHECKS = [
    (
        "BR-CL-01",
        "BT-3",
        "Le code de type de facture (BT-3) doit appartenir à la liste UNTDID 1001.",
        lambda i: _outside(i, [i.type_code], "BR-CL-01", 1 if i.is_credit_note else 0),
    ),
    (
        "BR-CL-04",
        "BT-5",
        "Le code de devise (BT-5) doit appartenir à la liste ISO 4217.",
        lambda i: _outside(i, [i.currency], "BR-CL-04"),
    ),
    (
        "BR-CL-05",
        "BT-6",
        "Le code de devise de comptabilisation de la TVA (BT-6) doit appartenir à la liste "
        "ISO 4217.",
        lambda i: _outside(i, [i.vat_accounting_currency], "BR-CL-05"),
    ),
    (
        "BR-CL-06",
        "BT-8",
        "Le code de date d'exigibilité de la TVA (BT-8) doit appartenir à la liste UNTDID 2005.",
        lambda i: _outside(i, [i.vat_point_date_code], "BR-CL-06"),
    ),
    (
        "BR-CL-07",
        "BT-18",
        "Le schéma de l'identifiant d'objet (BT-18, BT-128) doit appartenir à la liste "
        "UNTDID 1153.",
        lambda i: _outside(
            i,
            _scheme_values([i.invoiced_object, *[line.object_id for line in i.lines]]),
            "BR-CL-07",
        ),
    ),
    (
        "BR-CL-08",
        "BT-21",
        "Le code sujet d'une note (BT-21) doit appartenir à la liste UNTDID 4451.",
        lambda i: _outside(i, [n.subject_code for n in i.notes], "BR-CL-08"),
    ),
    (
        "BR-CL-10",
        "BT-29",
        "Le schéma d'un identifiant de partie (BT-29, BT-46, BT-60) doit appartenir à la "
        "liste ISO 6523 ICD.",
        lambda i: _outside(
            i,
            _scheme_values(
                [
                    *i.seller.identifiers,
                    *i.buyer.identifiers,
                    i.payee.identifier if i.payee else None,
                ]
            ),
            "BR-CL-10",
        ),
    ),
    (
        "BR-CL-11",
        "BT-30",
        "Le schéma d'un identifiant d'immatriculation (BT-30, BT-47, BT-61) doit appartenir "
        "à la liste ISO 6523 ICD.",
        lambda i: _outside(
            i,
            _scheme_values(
                [i.seller.legal_id, i.buyer.legal_id, i.payee.legal_id if i.payee else None]
            ),
            "BR-CL-11",
        ),
    ),
    (
        "BR-CL-13",
        "BT-158",
        "Le schéma de classification d'article (BT-158) doit appartenir à la liste UNTDID 7143.",
        lambda i: _outside(
            i, [c.scheme for line in i.lines for c in line.classifications], "BR-CL-13"
        ),
    ),
    (
        "BR-CL-14",
        "BT-40",
        "Un code pays (BT-40, BT-55, BT-69, BT-80) doit appartenir à la liste ISO 3166-1.",
        lambda i: _outside(
            i, [a.country or (EMPTY if a.country_given else "") for a in _addresses(i)], "BR-CL-14"
        ),
    ),
    (
        "BR-CL-15",
        "BT-159",
        "Le pays d'origine d'un article (BT-159) doit appartenir à la liste ISO 3166-1.",
        lambda i: _outside(i, [line.origin_country for line in i.lines], "BR-CL-15"),
    ),
    (
        "BR-CL-16",
        "BT-81",
        "Le code de moyen de paiement (BT-81) doit appartenir à la liste UNTDID 4461.",
        lambda i: _outside(i, [i.payment.means_code] if i.payment else [], "BR-CL-16"),
    ),
    (
        "BR-CL-17",
        "BT-118",
        "Le code de catégorie de TVA (BT-118) doit appartenir à la liste UNTDID 5305.",
        lambda i: _outside(i, [v.category for v in i.vat_breakdown], "BR-CL-17"),
    ),
    (
        "BR-CL-18",
        "BT-151",
        "Le code de catégorie de TVA d'une ligne, remise ou charge (BT-151, BT-95, BT-102) "
        "doit appartenir à la liste UNTDID 5305.",
        lambda i: _outside(
            i,
            [line.vat_category for line in i.lines]
            + [e.vat_category for e in (*i.allowances, *i.charges)],
            "BR-CL-18",
        ),
    ),
    (
        "BR-CL-19",
        "BT-98",
        "Le code motif d'une remise (BT-98, BT-140) doit appartenir à la liste UNTDID 5189.",
        lambda i: _outside(
            i,
            [a.reason_code for a in i.allowances]
            + [a.reason_code for line in i.lines for a in line.allowances],
            "BR-CL-19",
        ),
    ),
    (
        "BR-CL-20",
        "BT-105",
        "Le code motif d'une charge (BT-105, BT-145) doit appartenir à la liste UNTDID 7161.",
        lambda i: _outside(
            i,
            [c.reason_code for c in i.charges]
            + [c.reason_code for line in i.lines for c in line.charges],
            "BR-CL-20",
        ),
    ),
    (
        "BR-CL-21",
        "BT-157",
        "Le schéma de l'identifiant standard d'article (BT-157) doit appartenir à la liste "
        "ISO 6523 ICD.",
        lambda i: _outside(
            i, _scheme_values([line.standard_item_id for line in i.lines]), "BR-CL-21"
        ),
    ),
    (
        "BR-CL-22",
        "BT-121",
        "Le code de motif d'exonération (BT-121) doit appartenir à la liste VATEX.",
        lambda i: _outside(i, [v.exemption_code.upper() for v in i.vat_breakdown], "BR-CL-22"),
    ),
    (
        "BR-CL-23",
        "BT-130",
        "Le code d'unité de mesure (BT-130, BT-150) doit appartenir aux listes UN/ECE 20 et 21.",
        lambda i: _outside(
            i,
            [line.unit for line in i.lines] + [line.base_quantity_unit for line in i.lines],
            "BR-CL-23",
        ),
    ),
    (
        "BR-CL-24",
        "BT-125",
        "Le type MIME d'une pièce jointe (BT-125) doit être l'un des types admis.",
        lambda i: _outside(i, [a.mime_code for a in i.attachments], "BR-CL-24"),
    ),
    (
        "BR-CL-25",
        "BT-34",
        "Le schéma d'une adresse électronique (BT-34, BT-49) doit appartenir à la liste EAS.",
        lambda i: _outside(
            i, _scheme_values([i.seller.electronic_address, i.buyer.electronic_address]), "BR-CL-25"
        ),
    ),
    (
        "BR-CL-26",
        "BT-71",
        "Le schéma de l'identifiant du lieu de livraison (BT-71) doit appartenir à la liste "
        "ISO 6523 ICD.",
        lambda i: _outside(
            i, _scheme_values([i.delivery.location_id] if i.delivery else []), "BR-CL-26"
        ),
    ),
]
for _id, _term, _message, _check in CHECKS:
    RULES.rule(_id, _term, _message)(_check)


@RULES.rule(
    "BR-CO-09",
    "BT-31",
    "Un numéro de TVA (BT-31, BT-48, BT-63) doit commencer par le code ISO 3166-1 alpha-2 du "
    "pays qui l'a attribué (« EL » pour la Grèce).",
)
def br_co_09(invoice: Invoice) -> Iterable[str]:
    allowed = _codes("BR-CO-09", syntax=invoice.source_syntax)
    representative = invoice.tax_representative
    values = [
        invoice.seller.vat_id,
        invoice.buyer.vat_id,
        representative.vat_id if representative else "",
    ]
    # The UBL rule looks the two first characters up in the list as written, spaces and all
    # (so one character found in a code passes); the CII rule looks for a whole code.
    if invoice.source_syntax == "UBL":
        listed = _listed("BR-CO-09")
        return [v for v in values if v and v[:2] not in listed]
    return [v for v in values if v and v[:2] not in allowed]


@functools.cache
def _listed(rule_id: str) -> str:
    """A rule's codes as the UBL stylesheet writes them: one string, spaces between."""
    return f" {' '.join(sorted(_codes(rule_id)))} "
