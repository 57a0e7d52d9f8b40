"""The reference lists of `transverses/recuperer/*` (chorus-api.md §3): codes as clients send
them, French labels."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy
from django_countries import countries

from chorale.flows.models import DepositMode
from chorale.invoicing.validation.codelists import code_lists
from chorale.lifecycle.statuses import VALIDATED_FRAMES
from chorale.lifecycle.validation import REFUSAL_REASONS as VALIDATION_REFUSALS
from chorale.structures.models import IdentifierType

# (code, rate, label); a rate's id (ligneTvaTauxRefId) is its place in this list, from 1.
VAT_RATES = [("TVA20", Decimal(20), gettext_lazy(
"Taux normal"
)), ("TVA10", Decimal(10), gettext_lazy(
"Taux intermédiaire"
)),
             ("TVA8.5", Decimal("8.5"), "Taux normal DOM"),
             ("TVA5.5", Decimal("5.5"), gettext_lazy(
"Taux réduit"
)),
             ("TVA2.1", Decimal("2.1"), "Taux particulier"),
             ("TVA0", Decimal(0), gettext_lazy(
"Exonéré"
))]  # fmt: skip
PAYMENT_MODES = ["CHEQUE", "PRELEVEMENT", "VIREMENT", "ESPECE", "AUTRE", "REPORT"]
DEPOSIT_MODES = [*DepositMode.values, "DEPOT_PDF_SIGNE_API"]
CURRENCY_NAMES = {
    "EUR": "Euro",
    "USD": gettext_lazy("Dollar des États-Unis"),
    "GBP": "Livre sterling",
    "CHF": "Franc suisse",
    "XPF": "Franc CFP",
    "JPY": "Yen",
    "CAD": "Dollar canadien",
}
FRAMES = {
    "A1_FACTURE_FOURNISSEUR": "Facture fournisseur",
    "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE": gettext_lazy("Facture fournisseur déjà payée"),
    "A9_FACTURE_SOUSTRAITANT": gettext_lazy("Facture de sous-traitant"),
    "A12_FACTURE_COTRAITANT": gettext_lazy("Facture de cotraitant"),
}
# The kinds of works document (procurement.md §2.1): code → (label, the cadres that carry it).
WORKS_TYPES = {
    "PROJET_DECOMPTE_MENSUEL": (
        gettext_lazy("Projet de décompte mensuel"),
        ["A4", "A10", "A13"],
    ),
    "ETAT_ACOMPTE": ("État d'acompte", ["A5", "A15"]),
    "ETAT_ACOMPTE_VALIDE": (
        gettext_lazy("État d'acompte validé"),
        ["A6", "A16", "A19"],
    ),
    "PROJET_DECOMPTE_FINAL": (
        gettext_lazy("Projet de décompte final"),
        ["A7", "A11", "A14"],
    ),
    "PROJET_DECOMPTE_GENERAL": (
        gettext_lazy("Projet de décompte général"),
        ["A17", "A22"],
    ),
    "DECOMPTE_GENERAL": (gettext_lazy("Décompte général"), ["A20"]),
    "DECOMPTE_GENERAL_DEFINITIF": (
        gettext_lazy("Décompte général et définitif"),
        ["A8", "A23", "A24", "A25"],
    ),
}
# Why a validator or a works actor refuses a piece (procurement.md §2.5, the published A15 list:
# id → code, label); the cadres that go through a validation (A9, A12) or the works chain.
REFUSAL_REASONS = {
    116: ("AUTRE", "Autre motif"),
    117: ("MAUVAIS_VALIDEUR", "Mauvais valideur"),
    114: ("MAUVAISE_MOE", "Mauvaise maîtrise d'œuvre"),
    115: ("MAUVAISE_MOA", "Mauvaise maîtrise d'ouvrage"),
    5650: (
        "REF_FAC_TRAVAUX",
        gettext_lazy("Références de la facture de travaux erronées"),
    ),
}
ATTACHMENT_TYPES = ["FACTURE", "PJ_COMPLEMENTAIRE", "BON_DE_COMMANDE", "BON_DE_LIVRAISON",
                    "CONTRAT", "DEVIS", "AUTRE"]  # fmt: skip
EXEMPTION_REASONS = {
    "VATEX-EU-79-C": gettext_lazy(
        "Exonération en application de l'article 79 c) de la directive 2006/112"
    ),
    "VATEX-EU-132": gettext_lazy(
        "Exonération en application de l'article 132 de la directive 2006/112"
    ),
    "VATEX-EU-143": gettext_lazy(
        "Exonération en application de l'article 143 de la directive 2006/112"
    ),
    "VATEX-EU-IC": "Livraison intracommunautaire",
    "VATEX-EU-AE": "Autoliquidation",
    "VATEX-EU-G": "Exportation hors UE",
    "VATEX-FR-FRANCHISE": gettext_lazy("TVA non applicable, article 293 B du CGI"),
}
FLOW_SYNTAXES = [
    "IN_DP_E1_UBL_INVOICE", "IN_DP_E1_CII_16B", "IN_DP_E1_CII", "IN_DP_E2_UBL_INVOICE_MIN",
    "IN_DP_E2_CII_MIN_16B", "IN_DP_E2_CII_MIN", "IN_DP_E2_CII_FACTURX", "IN_DP_E2_CPP_FACTURE_MIN",
    "IN_DP_E2_PES_FACTURE_MIN", "IN_DP_E1_PES_FACTURE", "IN_DP_E1_XCBL",
    "IN_DP_E3_UBL_INVOICE", "IN_DP_PDFARCHIVE_UBL_INVOICE_MUG", "IN_DP_PDFARCHIVE_CII_MUG",
    # Works flows, kept apart since February 2024 (edi.md §2.1; codes unpublished, by analogy).
    "IN_DP_E4_UBL_INVOICE", "IN_DP_E4_CII_16B", "IN_DP_E5_CII_FACTURX",
]  # fmt: skip


def vat_rate(code: str | None) -> Decimal | None:
    """The rate of a code or a written rate (TVA20 → 20, TVA5.5 → 5.5, TVA5_5, « 5,5 » and
    « 20.0 » too), or None."""
    value = (code or "").strip().upper().removeprefix("TVA").replace("_", ".").replace(",", ".")
    try:
        rate = Decimal(value) if value else None
    except InvalidOperation:
        return None
    return rate if rate is not None and rate.is_finite() and rate >= 0 else None


def vat_rate_by_id(rate_id: int | None) -> Decimal | None:
    """The rate of a recuperer/tauxtva id (idTauxTva), or None."""
    return VAT_RATES[rate_id - 1][1] if rate_id and 0 < rate_id <= len(VAT_RATES) else None


def refusal_reasons(frame: str) -> list[dict]:
    """The reasons a piece of this cadre (A9, A15_ETAT_ACOMPTE_MOE…) may be refused for:
    validator cadres get the general ones, works cadres all of them, the others none."""
    code = frame.strip().upper().split("_")[0]
    works = {c for _, frames in WORKS_TYPES.values() for c in frames}
    if code in VALIDATED_FRAMES:
        kept = tuple(VALIDATION_REFUSALS)
    elif code in works:
        kept = tuple(reason for reason, _ in REFUSAL_REASONS.values())
    else:
        return []
    return [
        {"idMotif": pk, "codeMotif": reason, "libelleMotif": label}
        for pk, (reason, label) in REFUSAL_REASONS.items()
        if reason in kept
    ]


def reference_lists() -> dict[str, tuple[str, list[dict]]]:
    """Path (after recuperer/) → (answer key, entries)."""
    return {
        "tauxtva": ("listeTauxTva", [
            {"idTauxTva": n, "codeTauxTva": code, "libelleTauxTva": f"{label} ({rate} %)",
             "valeurTauxTva": int(rate) if rate == rate.to_integral() else rate}
            for n, (code, rate, label) in enumerate(VAT_RATES, start=1)
        ]),
        "devises": ("listeDevises", [
            {"codeDevise": code, "libelleDevise": CURRENCY_NAMES.get(code, code)}
            for code in sorted(set().union(*code_lists().get("BR-CL-04", [set()])))
        ]),
        "pays": ("listePays", [
            {"codePays": code, "libellePays": str(name)} for code, name in countries
        ]),
        "modereglements": ("listeModePaiement", [{"modePaiement": m} for m in PAYMENT_MODES]),
        "modedepot": ("listeModeDepot", [{"modeDepot": m} for m in DEPOSIT_MODES]),
        "cadrefacturation": ("listeCadreFacturation", [
            {"codeCadreFacturation": code, "libelleCadreFacturation": label}
            for code, label in FRAMES.items()
        ]),
        "typeidentifiant/structure": ("listeTypeIdentifiant", [
            {"typeIdentifiantStructure": value, "libelleTypeIdentifiant": label}
            for value, label in IdentifierType.choices
        ]),
        "typespj": ("listeTypePieceJointe", [
            {"idTypePieceJointe": n, "codeTypePieceJointe": code, "libelleTypePieceJointe": code}
            for n, code in enumerate(ATTACHMENT_TYPES, start=1)
        ]),
        "motifs/exonerationtva": ("listeMotifsExonerationTva", [
            {"codeMotif": code, "libelleMotif": label} for code, label in EXEMPTION_REASONS.items()
        ]),
        "formatflux": ("listeFormatFlux", [{"syntaxeFlux": code} for code in FLOW_SYNTAXES]),
        "typefacturetravaux": ("listeTypeFactureTravaux", [
            {"typeFactureTravaux": code, "libelleTypeFactureTravaux": label,
             "listeCadreFacturation": frames}
            for code, (label, frames) in WORKS_TYPES.items()
        ]),
    }  # fmt: skip
