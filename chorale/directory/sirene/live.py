"""Optional live look-up of one SIRET in INSEE's API Sirene 3.11 (off unless SIRENE_API_KEY).

A SIRET missing from the local register is fetched once, flattened to the stock files' columns
and stored like an imported row, so every later read is local.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

from .columns import ESTABLISHMENT_COLUMNS, UNIT_COLUMNS
from .importer import ESTABLISHMENTS, UNITS, upsert_rows

logger = logging.getLogger(__name__)


class LiveLookupUnavailable(Exception):
    """INSEE's API did not answer usefully (refused key, throttled, down)."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flatten(answer: dict) -> tuple[dict, dict]:
    """An API answer for /siret/{siret} as one unit row and one establishment row."""
    establishment = answer["etablissement"]
    unit = establishment.get("uniteLegale") or {}
    address = establishment.get("adresseEtablissement") or {}
    period = (establishment.get("periodesEtablissement") or [{}])[0]
    unit_row = {name: "" for name in UNIT_COLUMNS}
    unit_row.update({k: v for k, v in unit.items() if k in unit_row})
    unit_row["siren"] = establishment["siren"]
    establishment_row = {name: "" for name in ESTABLISHMENT_COLUMNS}
    for source in (establishment, address, period):
        establishment_row.update({k: v for k, v in source.items() if k in establishment_row})
    for row in (unit_row, establishment_row):
        for key, value in row.items():
            row[key] = _text(value)
    return unit_row, establishment_row


def fetch_siret(siret: str) -> bool:
    """Fetch and store one SIRET; False when INSEE does not know it."""
    url = f"{settings.SIRENE_API_URL}/siret/{siret}"
    if not url.startswith(("https://", "http://")):
        raise LiveLookupUnavailable("SIRENE_API_URL must be an http(s) address")
    request = urllib.request.Request(  # noqa: S310 — scheme checked above
        url,
        headers={
            "X-INSEE-Api-Key-Integration": settings.SIRENE_API_KEY,
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SIRENE_API_TIMEOUT) as response:  # noqa: S310
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        if error.code in (301, 404):
            return False
        raise LiveLookupUnavailable(f"INSEE API answered {error.code}") from error
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise LiveLookupUnavailable(str(error)) from error
    unit_row, establishment_row = _flatten(answer)
    upsert_rows(UNITS, [unit_row])
    upsert_rows(ESTABLISHMENTS, [establishment_row])
    logger.info("SIRET %s fetched from the INSEE API", siret)
    return True
