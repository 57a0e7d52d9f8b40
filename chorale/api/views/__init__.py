"""The Chorus Pro-compatible endpoints. Each is a thin function: its input serializer checks the
body, a service or selector does the work, its output serializer shapes the answer."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from ..errors import ApiError
from ..idempotency import HEADER, idempotent
from ..rest import OK_FACTURES
from ..serializers.common import ErrorOut

ERRORS = {code: ErrorOut for code in (400, 401, 403, 413, 415, 422, 429)}
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    description=gettext_lazy(
        "Facultatif : rejouer la requête avec la même clé rend la "
        "première réponse (24 h) au lieu de déposer deux fois."
    ),
)


def _answer_in_asked_language(http_request) -> None:
    """Messages in the language of the body's `codeLangue` (FR, EN), as Chorus Pro answers;
    for the whole request, its errors included (the middleware sets the next request's). A body
    that cannot be read raises here, as it would when the endpoint reads it."""
    body = http_request.data
    code = body.get("codeLangue") if isinstance(body, dict) else None
    if isinstance(code, str) and code.strip().lower()[:2] in dict(settings.LANGUAGES):
        translation.activate(code.strip().lower()[:2])


def chorus(
    *,
    tag: str,
    operation: str,
    request=None,
    response,
    libelle: str = OK_FACTURES,
    method: str = "POST",
    idempotent_key: bool = False,
    summary: str = "",
):
    """Make an endpoint of `fn(request, data) -> dict | Response`."""

    def wrap(fn):
        def view(http_request):
            _answer_in_asked_language(http_request)

            def run():
                data = {}
                if request is not None:
                    body = http_request.data
                    if not isinstance(body, dict):
                        raise ApiError(
                            400, "REQUETE_INVALIDE", gettext("Le corps doit être un objet JSON.")
                        )
                    serializer = request(data=body)
                    serializer.is_valid(raise_exception=True)
                    data = serializer.validated_data
                result = fn(http_request, data)
                if isinstance(result, Response):
                    return result
                return Response(
                    response(instance={"codeRetour": 0, "libelle": libelle, **result}).data
                )

            return idempotent(http_request, run) if idempotent_key else run()

        view.__name__ = view.__qualname__ = fn.__name__
        view.__doc__ = fn.__doc__
        view = api_view([method])(view)
        return extend_schema(
            operation_id=operation,
            tags=[tag],
            summary=summary or (fn.__doc__ or "").strip().split("\n")[0],
            description=(fn.__doc__ or "").strip(),
            request=request,
            responses={200: response, **ERRORS},
            parameters=[IDEMPOTENCY_PARAMETER] if idempotent_key else None,
        )(view)

    return wrap
