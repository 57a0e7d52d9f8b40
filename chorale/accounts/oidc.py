"""FranceConnect-style sign-in with any OpenID Connect provider (authorization code + PKCE,
state and nonce, ID token checked against the provider's published keys — all by Authlib).

The first sign-in links the identity to the account with the same verified e-mail address, or
creates an account; an account without a secret question then chooses one, as every account
has one (`SecretQuestionRequiredMiddleware` holds the session on that page until it is done)."""

from functools import cache

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


def oidc_configured() -> bool:
    return bool(
        settings.CHORALE_OIDC_ISSUER
        and settings.CHORALE_OIDC_CLIENT_ID
        and settings.CHORALE_OIDC_CLIENT_SECRET
    )


@cache
def _client(issuer: str, client_id: str, client_secret: str, scopes: str):
    oauth = OAuth()
    return oauth.register(
        name="chorale",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": scopes, "code_challenge_method": "S256", "timeout": 10},
    )


def oidc_client():
    """The provider's client, built once per configuration (its metadata is fetched once)."""
    return _client(
        settings.CHORALE_OIDC_ISSUER,
        settings.CHORALE_OIDC_CLIENT_ID,
        settings.CHORALE_OIDC_CLIENT_SECRET,
        settings.CHORALE_OIDC_SCOPES,
    )


def provider(request):
    """Template context: the provider's name when the sign-in button is to be shown."""
    return {"OIDC_PROVIDER": settings.CHORALE_OIDC_NAME if oidc_configured() else ""}


QUESTION_PENDING = "oidc_secret_question_pending"


class SecretQuestionRequiredMiddleware:
    """An account made through the provider has no secret question yet: until it chooses one,
    every page of that session but this one (and sign-out) leads there."""

    ALLOWED = ("accounts:oidc_complete", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(QUESTION_PENDING)
            and request.path not in {reverse(name) for name in self.ALLOWED}
            and not request.path.startswith(settings.STATIC_URL)
        ):
            return redirect("accounts:oidc_complete")
        return self.get_response(request)
