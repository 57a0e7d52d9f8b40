"""« Raccordements API »: a manager creates a technical account and sees its secrets once;
the same from the command line; nobody else reaches the page."""

import json
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from chorale.api.models import ApiAccount
from conftest import add_member, make_user


def manager_client(structure) -> Client:
    client = Client()
    client.force_login(structure.memberships.get(role="PRINCIPAL").user)
    return client


def test_a_manager_creates_a_technical_account_and_sees_the_secrets_once(supplier):
    client = manager_client(supplier)
    page = client.post(f"/structures/{supplier.pk}/raccordements/", {"label": "Mon ERP"})
    content = page.content.decode()
    account = ApiAccount.objects.get()
    assert account.login.startswith("TECH_") and account.login in content
    assert "client_secret" in content and "À copier maintenant" in content
    assert timezone.localtime(account.password_expires_at).strftime("%d/%m/%Y") in content
    again = client.get(f"/structures/{supplier.pk}/raccordements/").content.decode()
    assert account.login in again and "À copier maintenant" not in again


def test_renewing_the_password_and_revoking(supplier):
    client = manager_client(supplier)
    client.post(f"/structures/{supplier.pk}/raccordements/", {})
    account = ApiAccount.objects.get()
    old = account.password_digest
    client.post(f"/structures/{supplier.pk}/raccordements/{account.pk}/", {"action": "renouveler"})
    account.refresh_from_db()
    assert account.password_digest != old
    client.post(f"/structures/{supplier.pk}/raccordements/{account.pk}/", {"action": "revoquer"})
    account.refresh_from_db()
    assert account.revoked_at is not None


def test_a_simple_user_or_another_manager_cannot_reach_it(supplier, other_supplier):
    simple = make_user("simple@example.test")
    add_member(supplier, simple)
    client = Client()
    client.force_login(simple)
    assert client.get(f"/structures/{supplier.pk}/raccordements/").status_code == 404
    other = manager_client(other_supplier)
    assert other.post(f"/structures/{supplier.pk}/raccordements/", {}).status_code == 404
    client.post(f"/structures/{supplier.pk}/raccordements/", {})
    assert not ApiAccount.objects.exists()


def test_create_api_client_prints_one_json_object(supplier):
    out = StringIO()
    call_command("create_api_client", "--structure", supplier.identifier, stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) >= {
        "client_id",
        "client_secret",
        "login",
        "password",
        "structure_siret",
        "token_url",
        "api_url",
    }
    assert data["structure_siret"] == supplier.identifier
    assert data["token_url"].endswith("/api/oauth/token")


def test_the_page_showing_new_secrets_is_never_cached(client, supplier):
    from django.urls import reverse

    client.force_login(supplier.memberships.get().user)
    url = reverse("api:connections", args=[supplier.pk])
    answer = client.post(url, {"label": "ERP"})
    assert "client_secret" in answer.content.decode()
    assert "no-store" in answer["Cache-Control"]
