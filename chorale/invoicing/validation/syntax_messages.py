"""French wording of the syntax rules' official texts (UBL-SR/CR/DT, CII-SR/DT, FX-SCH-*).

Those rule sets hold more than two thousand assertions written in a handful of sentence shapes
(« Element 'ram:X' must occur exactly 1 times. », « [UBL-CR-001]-A UBL invoice should not
include extensions »…): each shape is translated once here, the names it quotes kept as they are.
A text of no known shape keeps its official English after the French heading."""

import re

RULE_PREFIX = re.compile(r"^\[[A-Z][A-Z0-9-]+\]\s*-?\s*")


def _not_in_ubl(match: re.Match) -> str:
    modal, what, value = match.groups()
    verb = "ne doit pas" if modal == "shall" else "ne devrait pas"
    return f"Une facture UBL {verb} contenir « {what} »" + (
        f" (ou alors il vaut {value})." if value else "."
    )


def _at_most(times: str):
    def say(match: re.Match) -> str:
        what, where = match.groups()
        inside = f" dans « {where} »" if where and where != "the document" else ""
        return f"« {what} » ne doit figurer {times} au plus{inside}."

    return say


CONDITIONS = {
    "the Payee is different from the Seller": "si le bénéficiaire n'est pas le vendeur",
    "the Seller has a tax representative": "si le vendeur a un représentant fiscal",
}


def _at_most_if(match: re.Match) -> str:
    what, condition = match.groups()
    when = CONDITIONS.get(condition, f"si « {condition} »")
    return f"« {what} » ne doit figurer qu'une fois au plus, {when}."


SHAPES = [
    (r"Value of '(.+)' is not allowed", r"La valeur de « \1 » n'est pas autorisée."),
    (
        r"Element '(.+)' must occur exactly (\d+) times",
        r"L'élément « \1 » doit figurer exactement \2 fois.",
    ),
    (
        r"Element '(.+)' must occur at least (\d+) times",
        r"L'élément « \1 » doit figurer au moins \2 fois.",
    ),
    (
        r"Element '(.+)' may occur at maximum (\d+) times",
        r"L'élément « \1 » peut figurer au plus \2 fois.",
    ),
    (
        r"Element variant '(.+)' may occur at maximum (\d+) times",
        r"La variante « \1 » peut figurer au plus \2 fois.",
    ),
    (
        r"Attribute '(.+)' is required in this context",
        r"L'attribut « \1 » est obligatoire à cet endroit.",
    ),
    (
        r"Element '(.+)' is required in this context",
        r"L'élément « \1 » est obligatoire à cet endroit.",
    ),
    (r"Element '(.+)' is not allowed", r"L'élément « \1 » n'est pas autorisé."),
    (r"Attribute '(.+)' is not allowed", r"L'attribut « \1 » n'est pas autorisé."),
    (
        r"A UBL (?:invoice|credit note) (should|shall) not include (?:the |an? )?(.+?)"
        r"(?: or it should be (.+))?",
        _not_in_ubl,
    ),
    (r"(.+) attribute should not be present", r"L'attribut « \1 » ne devrait pas être présent."),
    (
        r"(.+) should not be present except for (.+)",
        r"« \1 » ne devrait pas être présent, sauf pour : \2.",
    ),
    (r"(.+) should not be present", r"« \1 » ne devrait pas être présent."),
    (r"(.+) shall occur maximum once, if (.+)", _at_most_if),
    (
        r"An Invoice shall contain maximum one (.+?)(?: \((B[GT]-\d+)\))?",
        r"Une facture ne doit contenir qu'un seul « \1 » au plus.",
    ),
    (r"(.+) shall occur maximum once(?: in (.+))?", _at_most("qu'une fois")),
    (r"(.+) shall occur maximum twice(?: in (.+))?", _at_most("que deux fois")),
    (
        r"Only one (.+) element is allowed on an invoice",
        r"Un seul élément « \1 » est admis par facture.",
    ),
    (r"(.+) (?:should|shall) exist maximum once", r"« \1 » ne doit figurer qu'une fois au plus."),
    (r"(.+) must exist exactly once", r"« \1 » doit figurer exactement une fois."),
    (
        r"Only one (.+) should be present \(either the ID or the Global ID\)",
        r"Un seul « \1 » est admis (l'ID ou le Global ID).",
    ),
    (r"Only one (.+) (?:should|shall) be present", r"Un seul « \1 » est admis."),
    (
        r"Only allowances on price a price should be present",
        "Seules des remises sur le prix sont admises.",
    ),
    (
        r"(\w+) must be present if (\w+) is present",
        r"« \1 » est obligatoire lorsque « \2 » est présent.",
    ),
    (r"(\w+) shall be '(.+)'", r"« \1 » doit valoir « \2 »."),
    (
        r"An Invoice where the VAT category code \(BT-151, BT-95 or BT-102\) is “Split payment” "
        r"shall be a domestic Italian invoice",
        "Une facture dont une catégorie de TVA (BT-151, BT-95 ou BT-102) est « Split payment » "
        "doit être une facture domestique italienne.",
    ),
    (
        r"An Invoice that contains .+ is “Split payment\" shall not contain .+ is “Standard rated”",
        "Une facture qui a une ligne, une remise ou une charge en catégorie de TVA « Split "
        "payment » ne doit pas en avoir en catégorie « Standard rated ».",
    ),
    (
        r"(.+) shall occur at most once in (.+)",
        r"« \1 » ne doit figurer qu'une fois au plus dans « \2 ».",
    ),
    (r"Each (.+) shall contain (?:an? |the )?(.+)", r"Chaque « \1 » doit contenir « \2 »."),
    (r"Each (.+) should contain (?:an? |the )?(.+)", r"Chaque « \1 » devrait contenir « \2 »."),
    (
        r"Either the IBAN or a Proprietary ID \(BT-84\) shall be used",
        "Le compte de paiement (BT-84) est donné soit par un IBAN, soit par un identifiant "
        "propriétaire, l'un des deux exactement.",
    ),
    (
        r"Only one AdditionalReferencedDocument (.+) is allowed with TypeCode (\d+)",
        r"Un seul « \1 » est admis pour les documents de référence de type \2.",
    ),
    (
        r"An invoice line shall not contain more than one AdditionalReferencedDocument "
        r"with TypeCode (\d+)",
        r"Une ligne ne doit pas avoir plus d'un document de référence de type \1.",
    ),
    (
        r"currencyID MUST be coded using ISO code list 4217 alpha-3",
        "La devise d'un montant (attribut currencyID) doit appartenir à la liste ISO 4217.",
    ),
    (r"(.+) shall not be used", r"« \1 » ne doit pas être employé."),
    (
        r"The allowed maximum number of decimals for the (.+) is (\d+)",
        r"« \1 » ne peut avoir plus de \2 décimales.",
    ),
    (
        r"All (.+) shall have the same value across all (.+)",
        r"Tous les « \1 » doivent avoir la même valeur dans chaque « \2 ».",
    ),
    (
        r"Element variant '([\w:.-]+)\[(.+)\]' is marked as not used in the given context",
        r"« \1 » n'est pas employé dans ce contexte sous la forme « \1[\2] ».",
    ),
    (
        r"Element '([\w:.-]+)' is marked as not used in the given context",
        r"L'élément « \1 » n'est pas employé dans ce contexte.",
    ),
    (
        r"Attribute (@\w+)' marked as not used in the given context",
        r"L'attribut « \1 » n'est pas employé dans ce contexte.",
    ),
    (
        r"(.+) and (.+) shall indicate the same type of (.+)",
        r"« \1 » et « \2 » doivent désigner le même type de « \3 ».",
    ),
]
COMPILED = [(re.compile(f"^{pattern}$"), replacement) for pattern, replacement in SHAPES]


def french(text: str) -> str | None:
    """The French of an official syntax-rule text, or None for a shape not translated."""
    plain = RULE_PREFIX.sub("", " ".join(text.split())).strip().rstrip(".")
    for pattern, replacement in COMPILED:
        match = pattern.match(plain)
        if match:
            return replacement(match) if callable(replacement) else match.expand(replacement)
    return None
