"""The site's 404 and 500 answers: JSON for the API's paths (an ERP never gets an HTML page),
Django's pages elsewhere."""

from django.http import JsonResponse
from django.utils.translation import gettext
from django.views import defaults

from .rest import error_body, internal_error_body

API_PATHS = ("/cpro/", "/api/")


def _for_api(request) -> bool:
    return request.path.startswith(API_PATHS)


def not_found(request, exception=None):
    if _for_api(request):
        body = error_body(
            404,
            "SERVICE_INCONNU",
            gettext("Aucun service à l'adresse %(path)s.") % {"path": request.path},
        )
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _for_api(request):
        return JsonResponse(internal_error_body(), status=500)
    return defaults.server_error(request)
