"""Permission matrix: a user of structure A reaches nothing of structure B; a simple user of a
structure reaches none of its manager pages and actions."""

import pytest
from django.urls import reverse

from chorale.structures import services
from chorale.structures.models import Membership, Role, Service, SpaceSubscription, Structure
from conftest import add_member, make_structure, make_user


@pytest.fixture
def world(db):
    alice = make_user("alice@example.test")
    bob = make_user("bob@example.test")
    carol = make_user("carol@example.test")
    a = make_structure(alice, identifier="98765432400019", company_name="A")
    b = make_structure(bob, identifier="21990123800010", company_name="B")
    simple_in_b = add_member(b, carol)
    space = services.space_request(membership=simple_in_b, space="FACTURES_RECUES")
    request = services.attachment_request_create(user=make_user("dan@example.test"), structure=b)
    service = Service.objects.create(structure=b, code="S1", label="Service 1")
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "a": a,
        "b": b,
        "member": simple_in_b,
        "space": space,
        "request": request,
        "service": service,
    }


def b_urls(w):
    b = w["b"].pk
    return [
        ("get", reverse("structures:detail", args=[b]), {}),
        ("get", reverse("structures:manage", args=[b]), {}),
        ("get", reverse("structures:mandate", args=[b]), {}),
        ("post", reverse("structures:mandate", args=[b]), {"action": "subscribe"}),
        ("post", reverse("structures:validate", args=[b]), {}),
        (
            "post",
            reverse("structures:request_decide", args=[b, w["request"].pk]),
            {"decision": "approve"},
        ),
        (
            "post",
            reverse("structures:space_decide", args=[b, w["space"].pk]),
            {"decision": "approve"},
        ),
        (
            "post",
            reverse("structures:member_action", args=[b, w["member"].pk]),
            {"action": "remove"},
        ),
        (
            "post",
            reverse("structures:member_action", args=[b, w["member"].pk]),
            {"action": "role", "role": "SECONDAIRE"},
        ),
        (
            "post",
            reverse("structures:service_create", args=[b]),
            {"service-code": "X", "service-label": "X"},
        ),
        (
            "post",
            reverse("structures:service_edit", args=[b, w["service"].pk]),
            {f"service-{w['service'].pk}-code": "S1", f"service-{w['service'].pk}-label": "Pirate"},
        ),
        ("post", reverse("structures:parameters", args=[b]), {"params-requires_engagement": "on"}),
        (
            "post",
            reverse("structures:bank_account_add", args=[b]),
            {
                "bank-label": "X",
                "bank-holder": "X",
                "bank-iban": "FR7630006000011234567890189",
                "bank-bic": "BNPAFRPPXXX",
            },
        ),
    ]


def assert_untouched(w):
    b = Structure.objects.get(pk=w["b"].pk)
    assert not b.requires_engagement
    assert not b.bank_accounts.exists() and not b.mandates.exists()
    assert Service.objects.get(pk=w["service"].pk).label == "Service 1"
    assert b.services.count() == 1
    assert Membership.objects.get(pk=w["member"].pk).role == Role.USER
    assert not SpaceSubscription.objects.get(pk=w["space"].pk).is_approved
    assert w["request"].__class__.objects.get(pk=w["request"].pk).status == "EN_ATTENTE"


def test_user_of_another_structure_gets_404_on_every_page_and_action(client, world):
    client.force_login(world["alice"])
    for method, url, data in b_urls(world):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, f"{method.upper()} {url} → {response.status_code}"
    assert_untouched(world)


def test_simple_user_reaches_the_structure_page_but_no_manager_action(client, world):
    client.force_login(world["carol"])
    urls = b_urls(world)
    assert client.get(urls[0][1]).status_code == 200
    for method, url, data in urls[1:]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, f"{method.upper()} {url} → {response.status_code}"
    assert_untouched(world)
    assert "Gérer" not in client.get(urls[0][1]).content.decode()


def test_leaving_with_ids_of_others_memberships_does_nothing(client, world):
    client.force_login(world["alice"])
    client.post(reverse("structures:memberships_leave"), {"selection": [world["member"].pk]})
    assert Membership.objects.filter(pk=world["member"].pk).exists()


def test_secondary_manager_manages_but_cannot_transfer_the_principal_role(client, world):
    services.membership_set_role(
        manager=world["bob"], membership=world["member"], role=Role.SECONDARY
    )
    client.force_login(world["carol"])
    assert client.get(reverse("structures:manage", args=[world["b"].pk])).status_code == 200
    principal = Membership.objects.get(structure=world["b"], role=Role.PRINCIPAL)
    client.post(
        reverse("structures:member_action", args=[world["b"].pk, principal.pk]),
        {"action": "transfer"},
    )
    assert Membership.objects.get(pk=principal.pk).role == Role.PRINCIPAL


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for method, url, data in b_urls(world):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/compte/connexion/" in response.url
