"""The API's plumbing: Chorus Pro authentication (Bearer token + `cpro-account`), answers that
always carry `codeRetour` and `libelle`, errors that say what is wrong, rate limits, paging."""

import logging
import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from chorale.core.errors import BusinessError

from .codes import BUSINESS_CODES, UNLISTED
from .errors import ApiError

logger = logging.getLogger(__name__)

# Success codes, as the real service answers them (chorus-api.md §1.4).
OK_FACTURES = "GCU_MSG_01_000"
OK_TRANSVERSES = "TRA_MSG_00.000"
NO_RESULT = (20000, "TRA_MSG_00.015")


def answer(data: dict | None = None, libelle: str = OK_FACTURES) -> Response:
    return Response({"codeRetour": 0, "libelle": libelle, **(data or {})})


def refusal(error: BusinessError) -> Response:
    """A business refusal: HTTP 200 with a non-zero codeRetour (what clients check), its stable
    `libelle` (codes.py) and the French `message`."""
    code, libelle = BUSINESS_CODES.get(error.code, UNLISTED)
    return Response({"codeRetour": code, "libelle": libelle, "message": error.message})


def error_body(http_status: int, libelle: str, message: str, **extra) -> dict:
    return {"codeRetour": http_status, "libelle": libelle, "message": message, **extra}


def _field_errors(detail, prefix: str = "") -> list[dict]:
    found = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            found += _field_errors(value, f"{prefix}.{name}" if prefix and name else prefix or name)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                found += _field_errors(value, f"{prefix}[{index}]")
            else:
                found.append({"champ": prefix, "message": str(value)})
    else:
        found.append({"champ": prefix, "message": str(detail)})
    return found


def internal_error_body() -> dict:
    return error_body(
        500,
        "ERREUR_INTERNE",
        gettext(
            "Erreur interne de la plateforme ; réessayez plus tard, ou signalez-la au support "
            "avec l'identifiant de requête (en-tête X-Request-ID)."
        ),
    )


def handle_exception(error, context):
    """Every error as JSON with codeRetour, libelle and a message in the request's language."""
    if isinstance(error, BusinessError):
        return refusal(error)
    if isinstance(error, Http404):
        return Response(error_body(404, "INTROUVABLE", gettext("Objet introuvable.")), status=404)
    if isinstance(error, ApiError):
        body = error_body(error.status_code, error.libelle, error.message, **error.extra)
        response = Response(body, status=error.status_code)
    elif isinstance(error, exceptions.ValidationError):
        errors = _field_errors(error.detail)
        message = gettext("Requête invalide : %(errors)s") % {
            "errors": "; ".join(
                f"{e['champ'] or gettext('corps')} : {e['message']}" for e in errors
            )
        }
        response = Response(
            error_body(400, "REQUETE_INVALIDE", message, erreurs=errors), status=400
        )
    elif isinstance(error, exceptions.Throttled):
        wait = math.ceil(error.wait or 1)
        response = Response(
            error_body(
                429,
                "TROP_DE_REQUETES",
                gettext("Trop de requêtes pour ce client : réessayez dans %(wait)s s.")
                % {"wait": wait},
            ),
            status=429,
            headers={"Retry-After": str(wait)},
        )
    elif isinstance(error, RecursionError):
        response = Response(
            error_body(
                400, "JSON_INVALIDE", gettext("Le corps JSON est imbriqué trop profondément.")
            ),
            status=400,
        )
    elif isinstance(error, exceptions.ParseError):
        response = Response(
            error_body(
                400,
                "JSON_INVALIDE",
                gettext("Le corps n'est pas un JSON lisible (%(error)s).") % {"error": error},
            ),
            status=400,
        )
    elif isinstance(error, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        response = Response(
            error_body(
                413,
                "CORPS_TROP_VOLUMINEUX",
                gettext(
                    "Le corps de la requête dépasse %(limit)s Mo (fichier de %(file)s Mo au "
                    "plus, en base64)."
                )
                % {"limit": limit, "file": settings.CHORALE_API_MAX_FLUX_BYTES // (1024 * 1024)},
            ),
            status=413,
        )
    elif isinstance(error, exceptions.UnsupportedMediaType):
        response = Response(
            error_body(
                415, "TYPE_NON_SUPPORTE", gettext("Le corps doit être en application/json.")
            ),
            status=415,
        )
    elif isinstance(error, exceptions.MethodNotAllowed):
        response = Response(
            error_body(
                405,
                "METHODE_NON_AUTORISEE",
                gettext("Méthode %(method)s non autorisée.") % {"method": error.detail},
            ),
            status=405,
        )
    elif isinstance(error, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response = Response(error_body(401, "NON_AUTHENTIFIE", str(error.detail)), status=401)
    else:
        response = exception_handler(error, context)
        if response is None:  # an unexpected error: logged with its request id, said in JSON
            logger.exception("Unexpected error in the API", exc_info=error)
            return Response(internal_error_body(), status=500)
        response.data = error_body(response.status_code, "ERREUR", str(error))
    if response.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="chorale"'
    return response


# Paging ---------------------------------------------------------------------------------------

DEFAULT_PAGE_SIZE = 10  # as the real service (clients rely on it)
MAX_PAGE_SIZE = 10000


def page_of(queryset, paging: dict | None):
    """(items of the asked page, parametresRetour) from a pagination object of the request."""
    paging = paging or {}
    size = min(max(int(paging.get("nbResultatsParPage") or DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE)
    total = queryset.count()
    pages = max(math.ceil(total / size), 1)
    page = min(max(int(paging.get("pageResultatDemandee") or 1), 1), pages + 1)  # past the end
    items = list(queryset[(page - 1) * size : page * size])
    return items, {"nbResultatsParPage": size, "pageCourante": page, "pages": pages, "total": total}
