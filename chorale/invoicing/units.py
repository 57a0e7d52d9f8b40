"""Units of measure (UN/ECE Recommendation 20 codes, BT-130) in the words people read."""

UNIT_NAMES = {
    "C62": "unité",
    "H87": "pièce",
    "EA": "pièce",
    "XPP": "pièce",
    "SET": "lot",
    "XPK": "colis",
    "PR": "paire",
    "HUR": "heure",
    "MIN": "minute",
    "DAY": "jour",
    "WEE": "semaine",
    "MON": "mois",
    "ANN": "année",
    "KGM": "kilogramme",
    "GRM": "gramme",
    "TNE": "tonne",
    "MTR": "mètre",
    "KMT": "kilomètre",
    "CMT": "centimètre",
    "MTK": "mètre carré",
    "MTQ": "mètre cube",
    "LTR": "litre",
    "KWH": "kilowattheure",
    "MWH": "mégawattheure",
    "LS": "forfait",
    "E48": "prestation",
}


def unit_name(code: str) -> str:
    """The unit in words; an unlisted code is shown as it is."""
    return UNIT_NAMES.get((code or "").strip().upper(), code or "—")
