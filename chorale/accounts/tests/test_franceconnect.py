"""FranceConnect-style sign-in, end to end against a real OpenID Connect provider started on
loopback by the test (oidc-provider-mock: Authlib's provider, signed ID tokens, JWKS,
discovery). The provider is driven over HTTP as a browser would; Chorale's side is called
through the Django test client, and Chorale's server-to-provider calls (discovery, token,
keys) are real HTTP."""

from urllib.parse import quote

import oidc_provider_mock
import pytest
import requests
from django.urls import reverse

from chorale.accounts.models import OidcIdentity, User
from conftest import make_user, path_of


@pytest.fixture
def provider(db, monkeypatch, settings):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on loopback only
    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
        issuer = f"http://localhost:{server.server_port}"
        settings.CHORALE_OIDC_ISSUER = issuer
        settings.CHORALE_OIDC_CLIENT_ID = "chorale-test"
        settings.CHORALE_OIDC_CLIENT_SECRET = "secret-de-test"
        settings.CHORALE_OIDC_SCOPES = "openid email profile"
        yield issuer


def sign_in(client, issuer: str, sub: str, claims: dict, *, next_url: str = ""):
    """The person's journey: Chorale → provider's consent form → back to Chorale."""
    assert requests.put(f"{issuer}/users/{quote(sub)}", json=claims, timeout=5).status_code == 204
    start = client.get(reverse("accounts:oidc_login") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    assert start.url.startswith(f"{issuer}/oauth2/authorize?")
    assert "code_challenge=" in start.url and "nonce=" in start.url and "state=" in start.url
    consent = requests.post(start.url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert consent.status_code == 302, consent.text
    back = consent.headers["Location"]
    assert back.startswith("http://testserver/compte/franceconnect/retour/?")
    return client.get(path_of(back))


CLAIMS = {
    "email": "Marie.Curie@Example.test",
    "email_verified": True,
    "given_name": "Marie",
    "family_name": "Curie",
}


def test_the_button_shows_only_when_a_provider_is_configured(client, db, settings):
    settings.CHORALE_OIDC_ISSUER = ""
    assert "S'identifier avec" not in client.get(reverse("portal:home")).text
    assert client.get(reverse("accounts:oidc_login")).status_code == 404
    settings.CHORALE_OIDC_ISSUER = "https://idp.example.test"
    settings.CHORALE_OIDC_CLIENT_ID = "id"
    settings.CHORALE_OIDC_CLIENT_SECRET = "secret"
    home = client.get(reverse("portal:home")).text
    assert "S'identifier avec" in home and "FranceConnect" in home
    assert "S'identifier avec" in client.get(reverse("accounts:login")).text


def test_a_first_sign_in_creates_the_account_which_then_chooses_its_secret_question(
    client, provider
):
    response = sign_in(client, provider, "sub-marie", CLAIMS)
    assert response.status_code == 302 and response.url == reverse("accounts:oidc_complete")
    user = User.objects.get(email="marie.curie@example.test")
    assert (user.first_name, user.last_name, user.is_active) == ("Marie", "Curie", True)
    assert not user.has_usable_password() and user.activated_at is not None
    assert OidcIdentity.objects.get(user=user).subject == "sub-marie"
    # Every other page leads back to the secret question until it is chosen.
    blocked = client.get(reverse("portal:dashboard"))
    assert blocked.status_code == 302 and blocked.url == reverse("accounts:oidc_complete")
    page = client.get(reverse("accounts:oidc_complete"))
    assert "Compléter votre compte" in page.text
    done = client.post(
        reverse("accounts:oidc_complete"),
        {"secret_question": "first_pet", "secret_answer": "Médor"},
    )
    assert done.status_code == 302 and done.url == reverse("portal:dashboard")
    assert client.get(reverse("portal:dashboard")).status_code == 200
    user.refresh_from_db()
    assert user.secret_question == "first_pet" and user.secret_answer


def test_a_first_sign_in_links_the_existing_account_with_the_same_verified_address(
    client, provider
):
    existing = make_user("marie.curie@example.test", first_name="Marie", last_name="Curie")
    response = sign_in(client, provider, "sub-marie", CLAIMS, next_url="/aide/")
    assert response.status_code == 302 and response.url == "/aide/"
    assert OidcIdentity.objects.get().user == existing
    assert User.objects.count() == 1
    assert int(client.session["_auth_user_id"]) == existing.pk
    # Next time the identity itself is enough, whatever address the provider now gives.
    client.logout()
    again = sign_in(client, provider, "sub-marie", {**CLAIMS, "email": "autre@example.test"})
    assert again.status_code == 302 and again.url == reverse("portal:dashboard")
    assert int(client.session["_auth_user_id"]) == existing.pk


def test_an_unverified_address_never_links_an_account(client, provider, settings):
    existing = make_user("marie.curie@example.test")
    response = sign_in(client, provider, "sub-x", {**CLAIMS, "email_verified": False})
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    page = client.get(response.url)
    assert "adresse électronique vérifiée" in page.text
    assert "_auth_user_id" not in client.session
    assert not OidcIdentity.objects.exists() and User.objects.count() == 1
    # A provider whose addresses are all verified (FranceConnect) can be trusted by setting.
    settings.CHORALE_OIDC_EMAILS_VERIFIED = True
    claims = {k: v for k, v in CLAIMS.items() if k != "email_verified"}
    linked = sign_in(client, provider, "sub-x", claims)
    assert linked.status_code == 302 and OidcIdentity.objects.get().user == existing


def test_a_deactivated_account_stays_closed(client, provider):
    closed = make_user("marie.curie@example.test")
    closed.is_active, closed.activated_at = False, closed.date_joined  # used, then closed
    closed.save()
    response = sign_in(client, provider, "sub-marie", CLAIMS)
    assert response.url == reverse("accounts:login")
    assert "désactivé" in client.get(response.url).text
    assert "_auth_user_id" not in client.session


def test_a_registration_never_activated_is_activated_by_the_verified_address(client, provider):
    pending = make_user("marie.curie@example.test", active=False)
    response = sign_in(client, provider, "sub-marie", CLAIMS)
    assert response.url == reverse("accounts:oidc_complete")  # no secret question yet
    pending.refresh_from_db()
    assert pending.is_active and pending.activated_at is not None


def test_a_forged_or_replayed_answer_signs_nobody_in(client, provider):
    assert requests.put(f"{provider}/users/sub-m", json=CLAIMS, timeout=5).status_code == 204
    start = client.get(reverse("accounts:oidc_login"))
    consent = requests.post(start.url, data={"sub": "sub-m"}, allow_redirects=False, timeout=5)
    back = path_of(consent.headers["Location"])
    forged = client.get(back.replace("state=", "state=x"))
    assert forged.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    cancelled = client.get(reverse("accounts:oidc_callback") + "?error=access_denied")
    assert "annulée" in client.get(cancelled.url).text
    assert not User.objects.exists()
    genuine = client.get(back)
    assert genuine.url == reverse("accounts:oidc_complete")
    client.logout()
    replayed = client.get(back)
    assert replayed.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_an_unreachable_provider_gets_a_clear_message(client, db, settings):
    settings.CHORALE_OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    settings.CHORALE_OIDC_CLIENT_ID = "id"
    settings.CHORALE_OIDC_CLIENT_SECRET = "secret"
    response = client.get(reverse("accounts:oidc_login"))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert "ne répond pas" in client.get(response.url).text
