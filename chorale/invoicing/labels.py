"""Invoice codes in the words people read: units of measure (UN/ECE Recommendation 20, BT-130),
VAT categories (UNTDID 5305, BT-151), payment means (UNTDID 4461, BT-81), document types
(UNTDID 1001, BT-3) and file formats. An unlisted code is shown as it is, never dropped."""

from django.utils.translation import gettext_lazy as _

from .formats import detect

# Rec. 20 (revision 17) names, in French, for the units invoices actually carry.
UNIT_NAMES = {
    "C62": _("unité"),
    "H87": _("pièce"),
    "EA": _("pièce"),
    "XPP": _("pièce"),
    "NAR": _("nombre d'articles"),
    "SET": _("lot"),
    "XPK": _("colis"),
    "XBX": _("boîte"),
    "XPX": _("palette"),
    "PR": _("paire"),
    "DZN": _("douzaine"),
    "SEC": _("seconde"),
    "MIN": _("minute"),
    "HUR": _("heure"),
    "DAY": _("jour"),
    "WEE": _("semaine"),
    "MON": _("mois"),
    "QAN": _("trimestre"),
    "ANN": _("année"),
    "MGM": _("milligramme"),
    "GRM": _("gramme"),
    "KGM": _("kilogramme"),
    "TNE": _("tonne"),
    "MMT": _("millimètre"),
    "CMT": _("centimètre"),
    "MTR": _("mètre"),
    "KMT": _("kilomètre"),
    "MTK": _("mètre carré"),
    "HAR": _("hectare"),
    "MTQ": _("mètre cube"),
    "MLT": _("millilitre"),
    "CLT": _("centilitre"),
    "LTR": _("litre"),
    "HLT": _("hectolitre"),
    "KWH": _("kilowattheure"),
    "MWH": _("mégawattheure"),
    "KWT": _("kilowatt"),
    "TKM": _("tonne-kilomètre"),
    "LS": _("forfait"),
    "E48": _("prestation"),
    "P1": _("pour cent"),
    "ZZ": _("unité définie d'un commun accord"),
}

VAT_CATEGORIES = {
    "S": _("Taux normal"),
    "Z": _("Taux zéro"),
    "E": _("Exonérée"),
    "AE": _("Autoliquidation"),
    "K": _("Livraison intracommunautaire"),
    "G": _("Exportation hors UE"),
    "O": _("Hors champ de la TVA"),
    "L": _("IGIC (Canaries)"),
    "M": _("IPSI (Ceuta et Melilla)"),
}

PAYMENT_MEANS = {
    "1": _("Non défini"),
    "10": _("Espèces"),
    "20": _("Chèque"),
    "30": _("Virement"),
    "31": _("Virement"),
    "42": _("Paiement sur compte bancaire"),
    "48": _("Carte bancaire"),
    "49": _("Prélèvement"),
    "57": _("Virement permanent"),
    "58": _("Virement SEPA"),
    "59": _("Prélèvement SEPA"),
    "97": _("Compensation"),
}

DOCUMENT_TYPES = {
    "380": _("Facture"),
    "381": _("Avoir"),
    "384": _("Facture rectificative"),
    "386": _("Facture d'acompte"),
    "389": _("Autofacture"),
    "751": _("Facture (information comptable)"),
}

SYNTAXES = {
    detect.CII: _("UN/CEFACT CII"),
    detect.UBL_INVOICE: _("UBL 2.1 – facture"),
    detect.UBL_CREDIT_NOTE: _("UBL 2.1 – avoir"),
}


def _named(table: dict, code: str | None) -> str:
    key = (code or "").strip().upper()
    return str(table[key]) if key in table else (code or "—")


def unit_name(code: str | None) -> str:
    """« pièce » for H87; an unlisted code as it is."""
    return _named(UNIT_NAMES, code)


def vat_category(code: str | None) -> str:
    return _named(VAT_CATEGORIES, code)


def payment_means(code: str | None) -> str:
    return _named(PAYMENT_MEANS, code)


def document_type(code: str | None) -> str:
    return _named(DOCUMENT_TYPES, code)


def file_format(syntax: str, profile: str = "", *, pdf: bool = False) -> str:
    """« Factur-X (PDF/A-3 + UN/CEFACT CII), profil EN 16931 », « UBL 2.1 – facture, profil
    EN 16931 »."""
    words = str(SYNTAXES.get(syntax, syntax))
    if pdf:
        words = _("Factur-X (PDF/A-3 + %(syntax)s)") % {"syntax": words}
    if profile:
        label = detect.PROFILE_LABELS.get(profile, profile)
        words = _("%(format)s, profil %(profile)s") % {"format": words, "profile": label}
    return words
