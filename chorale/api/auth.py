"""Chorus Pro authentication (Bearer token + `cpro-account`) and rate limits per client.

Kept apart from the views machinery: DRF imports it while it loads its own views."""

import base64
import binascii

from django.utils.translation import gettext_lazy
from rest_framework.authentication import BaseAuthentication
from rest_framework.throttling import SimpleRateThrottle

from chorale.core.network import client_ip

from . import services
from .errors import ApiError

_AUTH_MESSAGES = {
    "jeton_absent": (
        gettext_lazy(
            "L'en-tête « Authorization: Bearer <jeton> » est absent : "
            "demandez un jeton à /api/oauth/token."
        )
    ),
    "jeton_invalide": (
        gettext_lazy(
            "Le jeton est invalide ou expiré (il vaut 3600 s) : "
            "demandez-en un nouveau à /api/oauth/token."
        )
    ),
    "compte_technique_absent": (
        gettext_lazy(
            "L'en-tête « cpro-account » est absent : il porte "
            "base64(login:mot de passe) du compte technique."
        )
    ),
    "compte_technique_illisible": (
        gettext_lazy("L'en-tête « cpro-account » n'est pas base64(login:mot de passe).")
    ),
    "compte_technique_invalide": gettext_lazy(
        "Login ou mot de passe du compte technique incorrect."
    ),
    "compte_technique_revoque": gettext_lazy(
        "Ce compte technique a été révoqué par un gestionnaire."
    ),
    "mot_de_passe_expire": (
        gettext_lazy(
            "Le mot de passe du compte technique a expiré (424 jours) : "
            "un gestionnaire le renouvelle dans Raccordements API."
        )
    ),
}


def _refuse(code: str, http_status: int = 401):
    raise ApiError(http_status, code.upper(), _AUTH_MESSAGES[code])


class ChorusAuthentication(BaseAuthentication):
    """Both credentials of the real service: the application's bearer token and the technical
    user's `cpro-account`. The call then acts as that technical user (its structure's rights)."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            _refuse("jeton_absent")
        client = services.token_client(token.strip())
        if client is None:
            _refuse("jeton_invalide")
        raw = request.META.get("HTTP_CPRO_ACCOUNT", "").strip()
        if not raw:
            _refuse("compte_technique_absent")
        try:
            login, sep, password = base64.b64decode(raw, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            login, sep, password = "", "", ""
        if not sep or not login:
            _refuse("compte_technique_illisible")
        account, why = services.technical_authenticate(login, password)
        if account is None:
            _refuse(why, 403 if why == "compte_technique_revoque" else 401)
        request.api_client = client
        request.api_account = account
        return account.user, account

    def authenticate_header(self, request):
        return 'Bearer realm="chorale"'


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per OAuth2 client (settings: REST_FRAMEWORK DEFAULT_THROTTLE_RATES["client"])."""

    scope = "client"

    def get_ident(self, request):
        return client_ip(request)  # X-Forwarded-For only from CHORALE_TRUSTED_PROXIES

    def get_cache_key(self, request, view):
        client = getattr(request, "api_client", None)
        ident = client.client_id if client else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
