"""POST /api/oauth/token: OAuth2 client credentials, given in the form body or as HTTP Basic,
as PISTE's token endpoint (chorus-api.md §1.2). Errors follow RFC 6749 with a French
`error_description`."""

import base64
import binascii
from urllib.parse import unquote

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from chorale.core.network import client_ip

from .. import services


class TokenThrottle(AnonRateThrottle):
    scope = "token"

    def get_ident(self, request):
        return client_ip(request)  # X-Forwarded-For only from CHORALE_TRUSTED_PROXIES


def _oauth_error(code: str, description: str, http_status: int) -> Response:
    response = Response({"error": code, "error_description": description}, status=http_status)
    if http_status == 401:
        response["WWW-Authenticate"] = 'Basic realm="chorale"'
    return response


def _basic_credentials(request) -> tuple[str, str] | None:
    scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = (
            base64.b64decode(value.strip(), validate=True).decode().partition(":")
        )
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    return unquote(client_id), unquote(secret)


@extend_schema(
    operation_id="oauthToken",
    tags=["Authentification"],
    summary="Jeton d'accès OAuth2 (client_credentials)",
    description=gettext_lazy(
        "Identifiants du client dans le corps (client_id, "
        "client_secret) ou en HTTP Basic. Le jeton vaut 3600 s."
    ),
    auth=[],
    request=inline_serializer(
        "TokenIn",
        {
            "grant_type": serializers.CharField(),
            "client_id": serializers.CharField(required=False),
            "client_secret": serializers.CharField(required=False),
            "scope": serializers.CharField(required=False),
        },
    ),
    responses={
        200: inline_serializer(
            "TokenOut",
            {
                "access_token": serializers.CharField(),
                "token_type": serializers.CharField(),
                "expires_in": serializers.IntegerField(),
                "scope": serializers.CharField(),
            },
        ),
        (400, "application/json"): inline_serializer(
            "TokenError",
            {"error": serializers.CharField(), "error_description": serializers.CharField()},
        ),
    },
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([])
@parser_classes([FormParser, MultiPartParser, JSONParser])
@throttle_classes([TokenThrottle])
def token(request):
    data = request.data
    if data.get("grant_type") != "client_credentials":
        return _oauth_error(
            "unsupported_grant_type",
            gettext("Seul grant_type=client_credentials est accepté."),
            400,
        )
    credentials = _basic_credentials(request) or (
        data.get("client_id", ""),
        data.get("client_secret", ""),
    )
    if not all(credentials):
        return _oauth_error(
            "invalid_request",
            gettext("client_id et client_secret sont attendus dans le corps ou en HTTP Basic."),
            400,
        )
    account = services.client_authenticate(*credentials)
    if account is None:
        return _oauth_error(
            "invalid_client",
            gettext("client_id ou client_secret incorrect, ou raccordement révoqué."),
            401,
        )
    return Response(
        {
            "access_token": services.token_issue(account),
            "token_type": "Bearer",
            "expires_in": services.TOKEN_LIFETIME,
            "scope": "openid",
        },
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )
