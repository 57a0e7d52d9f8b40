"""File names built from what people type (invoice numbers, uploads) and files handed back as
downloads: one sanitiser and one response for every download of the product."""

import re
import unicodedata

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def safe_filename(name: str, default: str = "fichier", max_length: int = 120) -> str:
    """A name safe as a zip entry, a stored file or a download: no accents, only letters,
    digits, dots, dashes and underscores, path separators included (« F/2026/1 » stays
    readable as « F_2026_1 »), never starting with a dot (« ../x » → « x »)."""
    base = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._-")[:max_length]
    return base or default


def download_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """`content` as an attachment named `filename` (sanitised, then quoted by Django)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    return response
