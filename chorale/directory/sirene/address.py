"""Postal addresses from the establishment columns, the way the register's own pages print them."""

STREET_TYPES = {
    "ALL": "ALLEE", "AV": "AVENUE", "BD": "BOULEVARD", "CAR": "CARREFOUR", "CHE": "CHEMIN",
    "CHS": "CHAUSSEE", "CITE": "CITE", "COR": "CORNICHE", "CRS": "COURS", "DOM": "DOMAINE",
    "DSC": "DESCENTE", "ECA": "ECART", "ESP": "ESPLANADE", "FG": "FAUBOURG", "GR": "GRANDE RUE",
    "HAM": "HAMEAU", "HLE": "HALLE", "IMP": "IMPASSE", "LD": "LIEU-DIT", "LOT": "LOTISSEMENT",
    "MAR": "MARCHE", "MTE": "MONTEE", "PARC": "PARC", "PAS": "PASSAGE", "PL": "PLACE",
    "PLN": "PLAINE", "PLT": "PLATEAU", "PRO": "PROMENADE", "PRV": "PARVIS", "QUA": "QUARTIER",
    "QUAI": "QUAI", "RES": "RESIDENCE", "RLE": "RUELLE", "ROC": "ROCADE", "RPT": "ROND-POINT",
    "RTE": "ROUTE", "RUE": "RUE", "SEN": "SENTIER", "SQ": "SQUARE", "TPL": "TERRE-PLEIN",
    "TRA": "TRAVERSE", "VLA": "VILLA", "VLGE": "VILLAGE", "VOIE": "VOIE", "ZA": "ZA",
    "ZAC": "ZAC", "ZI": "ZI",
}  # fmt: skip
REPETITION = {"B": "BIS", "T": "TER", "Q": "QUATER", "C": "QUINQUIES"}


def street_line(number: str, last_number: str, repetition: str, street_type: str, label: str):
    """« 155-159 BIS RUE DE LA PAIX »; unknown street types are kept as written."""
    numbers = f"{number}-{last_number}" if number and last_number else number
    parts = [
        numbers,
        REPETITION.get(repetition.upper(), repetition),
        STREET_TYPES.get(street_type.upper(), street_type),
        label,
    ]
    return " ".join(part for part in parts if part)
