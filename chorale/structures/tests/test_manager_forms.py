import pytest
from django.urls import reverse

from chorale.structures.models import Service
from conftest import make_structure, make_user


@pytest.fixture
def managed(client, db):
    boss = make_user("boss@example.test")
    structure = make_structure(boss, is_private=False)
    client.force_login(boss)
    return structure


def post_service(client, structure, **fields):
    data = {
        f"service-{k}": v
        for k, v in {"code": "voirie", "label": "Voirie", "is_active": "on", **fields}.items()
    }
    return client.post(reverse("structures:service_create", args=[structure.pk]), data)


def test_service_is_created_with_its_rules(client, managed):
    response = post_service(client, managed, requires_engagement="on", valid_from="2026-01-01")
    assert response.status_code == 302
    service = Service.objects.get()
    assert (service.code, service.requires_engagement) == ("VOIRIE", True)


def test_service_codes_are_unique_and_reserved_codes_refused(client, managed):
    post_service(client, managed)
    again = post_service(client, managed, code="VOIRIE")
    assert again.status_code == 400 and "déjà ce code" in again.content.decode()
    reserved = post_service(client, managed, code="factures_publiques")
    assert "réservé" in reserved.content.decode()
    assert Service.objects.count() == 1


def test_service_validity_dates_must_be_ordered(client, managed):
    response = post_service(client, managed, valid_from="2026-06-01", valid_until="2026-01-01")
    assert "La fin de validité précède le début." in response.content.decode()


def test_service_can_be_edited_and_deactivated(client, managed):
    post_service(client, managed)
    service = Service.objects.get()
    page = client.get(reverse("structures:manage", args=[managed.pk])).content.decode()
    assert f'name="service-{service.pk}-label"' in page
    client.post(
        reverse("structures:service_edit", args=[managed.pk, service.pk]),
        {
            f"service-{service.pk}-code": "VOIRIE",
            f"service-{service.pk}-label": "Voirie et réseaux",
        },
    )
    service.refresh_from_db()
    assert (service.label, service.is_active) == ("Voirie et réseaux", False)


@pytest.mark.parametrize(
    ("iban", "bic", "ok"),
    [
        ("FR76 3000 6000 0112 3456 7890 189", "BNPAFRPPXXX", True),
        ("FR76 3000 6000 0112 3456 7890 188", "BNPAFRPPXXX", False),
        ("FR7630006000011234567890189", "BNPA12", False),
    ],
)
def test_bank_details_are_checked(client, managed, iban, bic, ok):
    response = client.post(
        reverse("structures:bank_account_add", args=[managed.pk]),
        {"bank-label": "Principal", "bank-holder": "Commune", "bank-iban": iban, "bank-bic": bic},
    )
    assert managed.bank_accounts.exists() is ok
    if not ok:
        assert "invalide" in response.content.decode()


def test_parameters_are_saved(client, managed):
    client.post(
        reverse("structures:parameters", args=[managed.pk]),
        {
            "params-requires_engagement": "on",
            "params-requires_service_code": "on",
            "params-bank_account_rule": "AVERTISSEMENT",
        },
    )
    managed.refresh_from_db()
    assert managed.requires_engagement and managed.requires_service_code
    assert managed.bank_account_rule == "AVERTISSEMENT"


def test_a_refused_service_edit_shows_its_errors_in_its_own_form(client, managed):
    post_service(client, managed)
    service = Service.objects.get()
    response = client.post(
        reverse("structures:service_edit", args=[managed.pk, service.pk]),
        {
            f"service-{service.pk}-code": "VOIRIE",
            f"service-{service.pk}-label": "Voirie",
            f"service-{service.pk}-valid_from": "2026-06-01",
            f"service-{service.pk}-valid_until": "2026-01-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "<details open><summary>Modifier VOIRIE" in page
    assert "La fin de validité précède le début." in page
