"""Token endpoint (body or HTTP Basic) and the two credentials of every call, refused with a JSON
body that says what is wrong."""

import base64
import datetime

from django.test import Client
from django.utils import timezone

from chorale.api.models import ApiAccount
from chorale.api.services import api_account_create

HEALTH = "/cpro/transverses/v1/health-check"


def test_token_with_credentials_in_the_form_body(supplier):
    created = api_account_create(structure=supplier)
    answer = Client().post(
        "/api/oauth/token",
        f"grant_type=client_credentials&client_id={created['client_id']}"
        f"&client_secret={created['client_secret']}&scope=openid",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    data = answer.json()
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == 3600
    assert data["scope"] == "openid"
    assert data["access_token"]


def test_token_with_http_basic_and_no_scope(supplier):
    created = api_account_create(structure=supplier)
    basic = base64.b64encode(f"{created['client_id']}:{created['client_secret']}".encode())
    answer = Client().post(
        "/api/oauth/token",
        {"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic.decode()}"},
    )
    assert answer.status_code == 200
    assert answer.json()["expires_in"] == 3600


def test_token_refused_with_a_wrong_secret_or_grant(supplier):
    created = api_account_create(structure=supplier)
    wrong = Client().post(
        "/api/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": created["client_id"],
            "client_secret": "x",
        },
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    grant = Client().post("/api/oauth/token", {"grant_type": "password"})
    assert grant.status_code == 400
    assert grant.json()["error"] == "unsupported_grant_type"


def test_a_call_without_token_is_refused_with_a_json_body(supplier_api):
    answer = Client().get(HEALTH)
    assert answer.status_code == 401
    body = answer.json()
    assert body["libelle"] == "JETON_ABSENT"
    assert "Authorization" in body["message"]
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_a_forged_token_is_refused(supplier_api):
    headers = supplier_api.headers(Authorization="Bearer forged.token.value")
    answer = Client().get(HEALTH, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["libelle"] == "JETON_INVALIDE"


def test_a_call_without_cpro_account_is_refused(supplier_api):
    answer = Client().get(HEALTH, headers={"Authorization": f"Bearer {supplier_api.token}"})
    assert answer.status_code == 401
    assert answer.json()["libelle"] == "COMPTE_TECHNIQUE_ABSENT"


def test_unreadable_or_wrong_cpro_account_is_refused(supplier_api):
    unreadable = supplier_api.headers(**{"cpro-account": "not base64!"})
    assert Client().get(HEALTH, headers=unreadable).json()["libelle"] == (
        "COMPTE_TECHNIQUE_ILLISIBLE"
    )
    wrong = base64.b64encode(f"{supplier_api.credentials['login']}:wrong".encode()).decode()
    answer = Client().get(HEALTH, headers=supplier_api.headers(**{"cpro-account": wrong}))
    assert answer.status_code == 401
    assert answer.json()["libelle"] == "COMPTE_TECHNIQUE_INVALIDE"


def test_an_expired_technical_password_is_refused_with_its_reason(supplier_api):
    ApiAccount.objects.update(password_expires_at=timezone.now() - datetime.timedelta(days=1))
    answer = supplier_api.http.get(HEALTH, headers=supplier_api.headers())
    assert answer.status_code == 401
    assert answer.json()["libelle"] == "MOT_DE_PASSE_EXPIRE"


def test_a_revoked_account_loses_token_and_technical_login(supplier_api):
    ApiAccount.objects.update(revoked_at=timezone.now())
    answer = supplier_api.http.get(HEALTH, headers=supplier_api.headers())
    assert answer.status_code == 401
    assert answer.json()["libelle"] == "JETON_INVALIDE"


def test_health_check_answers_with_both_credentials(supplier_api):
    answer = supplier_api.http.get(HEALTH, headers=supplier_api.headers())
    assert answer.status_code == 200
    assert answer.json()["statusCodeValue"] == 200


def test_the_technical_password_expires_after_424_days(supplier):
    created = api_account_create(structure=supplier)
    lifetime = created["account"].password_expires_at - timezone.now()
    assert datetime.timedelta(days=423) < lifetime <= datetime.timedelta(days=424)


def test_the_technical_user_cannot_sign_in_to_the_portal(supplier):
    created = api_account_create(structure=supplier)
    user = created["account"].user
    assert not user.has_usable_password()
    answer = Client().post(
        "/compte/connexion/", {"username": user.email, "password": created["password"]}
    )
    assert "_auth_user_id" not in answer.client.session
