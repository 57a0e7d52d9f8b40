"""Operators' back office: every list opens with its filters and search, and the gestionnaire
principal of a structure whose principal left is reassigned with an audit entry."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from chorale.core.models import Event
from chorale.structures.models import Membership, Role, Space
from conftest import make_invoice, make_structure, make_user


@pytest.fixture
def operator(db):
    return make_user("operateur@example.test", is_staff=True, is_superuser=True)


def test_every_operator_list_opens_with_search_and_filters(client, operator):
    structure = make_structure(make_user("chef@example.test"))
    make_invoice(structure, make_structure(identifier="11122233300013", is_private=False))
    client.force_login(operator)
    for name in (
        "accounts_user",
        "structures_structure",
        "structures_attachmentrequest",
        "flows_flow",
        "invoicing_invoicerecord",
        "portal_news",
        "portal_helparticle",
        "portal_helptopic",
        "support_category",
        "support_supportrequest",
    ):
        url = reverse(f"admin:{name}_changelist")
        assert client.get(url).status_code == 200, name
        assert client.get(url, {"q": "chef"}).status_code == 200, name
    page = client.get(reverse("admin:structures_structure_change", args=[structure.pk]))
    assert "chef@example.test" in page.text and "Réattribuer" in page.text


def test_an_operator_reassigns_the_principal_of_a_structure_whose_principal_left(client, operator):
    gone = make_user("parti@example.test")
    structure = make_structure(gone, company_name="MAIRIE")
    successor = make_user("successeur@example.test", last_name="Successeur")
    client.force_login(operator)
    url = reverse("admin:structures_structure_reassign", args=[structure.pk])
    data = {"email": "successeur@example.test", "reason": "Départ à la retraite."}
    refused = client.post(url, data)
    assert "toujours gestionnaire principal actif" in refused.text
    gone.is_active = False
    gone.save()
    assert client.post(url, {**data, "reason": ""}).status_code == 200  # motif obligatoire
    response = client.post(url, data)
    assert response.status_code == 302
    roles = dict(Membership.objects.filter(structure=structure).values_list("user__email", "role"))
    assert roles == {
        "parti@example.test": Role.SECONDARY,
        "successeur@example.test": Role.PRINCIPAL,
    }
    successor_spaces = set(
        Membership.objects.get(user=successor).spaces.values_list("space", flat=True)
    )
    assert Space.MANAGER in successor_spaces
    entry = LogEntry.objects.get(object_id=str(structure.pk))
    assert entry.user == operator
    assert "parti@example.test → successeur@example.test" in entry.get_change_message()
    assert "Départ à la retraite." in entry.get_change_message()
    event = Event.objects.get(kind="membership.principal_reassigned")
    assert successor in event.recipients.all()
    history = client.get(reverse("admin:structures_structure_history", args=[structure.pk]))
    assert "successeur@example.test" in history.text


def test_only_operators_reach_the_reassignment_page(client, db):
    structure = make_structure(make_user("chef@example.test"))
    client.force_login(make_user("membre@example.test"))
    url = reverse("admin:structures_structure_reassign", args=[structure.pk])
    response = client.post(url, {"email": "membre@example.test", "reason": "x"})
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert Membership.objects.get(structure=structure).user.email == "chef@example.test"
