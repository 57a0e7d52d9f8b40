"""Nobody takes a public body's place: a public structure is never handed to whoever asks
first; operators decide on evidence, appoint the first gestionnaire, and can contest a claim."""

import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from chorale.core.feed import Event
from chorale.directory.sirene.importer import import_sirene_file
from chorale.structures.models import (
    AttachmentRequest,
    Membership,
    RequestStatus,
    Role,
    Space,
    Structure,
)
from conftest import make_structure, make_user

DEMO = Path(__file__).resolve().parents[1] / "demo"
ATELIER = "98765432400019"  # private company (5710)
COMMUNE = "21990123800010"  # commune (7210)


@pytest.fixture
def register(db):
    for name in ("StockUniteLegale_demo.csv", "StockEtablissement_demo.csv"):
        import_sirene_file(DEMO / name)


@pytest.fixture
def operator(db):
    return make_user("operateur@example.test", is_staff=True, is_superuser=True)


def evidence(name="delegation.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 delegation", content_type="application/pdf")


def create(client, identifier=COMMUNE, **changes):
    data = {
        "identifier_type": "SIRET",
        "identifier": identifier,
        "company_name": "",
        "is_active": "1",
        "action": "save",
        **changes,
    }
    return client.post(reverse("directory:structure_create"), data)


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_public_siret_without_evidence_is_refused(client, user, register):
    client.force_login(user)
    page = text(create(client))
    assert "Joignez un justificatif" in page
    assert not Structure.objects.exists()


def test_a_public_siret_goes_to_the_operators_and_gives_the_applicant_nothing(
    client, user, operator, register
):
    client.force_login(user)
    response = create(client, evidence=evidence())
    assert response.url == reverse("structures:memberships")
    structure = Structure.objects.get(identifier=COMMUNE)
    assert structure.is_public and structure.is_draft and structure.claimed_at is None
    assert not Membership.objects.filter(structure=structure).exists()
    request = AttachmentRequest.objects.get(structure=structure)
    assert request.for_operators and request.status == RequestStatus.PENDING
    assert request.evidence.read() == b"%PDF-1.4 delegation"
    # The applicant cannot open it, validate it, nor receive its invoices.
    assert client.get(reverse("structures:detail", args=[structure.pk])).status_code == 404
    assert client.post(reverse("structures:validate", args=[structure.pk])).status_code == 404
    assert not Structure.objects.filter(
        memberships__user=user, memberships__spaces__space=Space.INVOICES_RECEIVED
    ).exists()
    page = text(client.get(reverse("structures:memberships")))
    assert "Demandes de gestion instruites par les opérateurs" in page and "En attente" in page
    # The operators hear of it.
    assert Event.objects.filter(recipients=operator, kind="attachment.requested").exists()


def test_the_operator_approves_with_the_evidence_and_the_applicant_becomes_principal(
    client, user, operator, register
):
    client.force_login(user)
    create(client, evidence=evidence())
    request = AttachmentRequest.objects.get()
    client.force_login(operator)
    download = client.get(reverse("admin:structures_request_evidence", args=[request.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 delegation"
    url = reverse("admin:structures_request_decide", args=[request.pk])
    assert "Télécharger" in text(client.get(url))
    response = client.post(url, {"approve": "1", "reason": "Délégation du maire vérifiée"})
    assert response.status_code == 302
    structure = Structure.objects.get(identifier=COMMUNE)
    assert not structure.is_draft and structure.claimed_at is not None
    membership = Membership.objects.get(structure=structure)
    assert (membership.user, membership.role) == (user, Role.PRINCIPAL)
    assert membership.spaces.filter(space=Space.INVOICES_RECEIVED, is_approved=True).exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED and request.decided_by == operator


def test_the_operator_refuses_with_a_reason_the_applicant_reads(client, user, operator, register):
    client.force_login(user)
    create(client, evidence=evidence())
    request = AttachmentRequest.objects.get()
    client.force_login(operator)
    url = reverse("admin:structures_request_decide", args=[request.pk])
    assert "Ce champ est obligatoire" in text(client.post(url, {"approve": "0", "reason": ""}))
    client.post(url, {"approve": "0", "reason": "Délégation non signée"})
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    client.force_login(user)
    assert "Délégation non signée" in text(client.get(reverse("structures:memberships")))
    assert not Membership.objects.filter(user=user).exists()


def test_an_applicant_cannot_decide_their_own_request(client, user, register):
    client.force_login(user)
    create(client, evidence=evidence())
    request = AttachmentRequest.objects.get()
    url = reverse("admin:structures_request_decide", args=[request.pk])
    assert client.post(url, {"approve": "1", "reason": "moi"}).status_code == 302
    assert not Membership.objects.filter(user=user).exists()


def test_a_provisioned_public_structure_gets_its_first_principal_from_an_operator(
    client, user, operator, register
):
    call_command(
        "import_sirene",
        str(DEMO / "StockUniteLegale_demo.csv"),
        str(DEMO / "StockEtablissement_demo.csv"),
        "--only-public",
        "--create-structures",
        "--no-progress",
    )
    structure = Structure.objects.get(identifier=COMMUNE)
    assert structure.is_public and not structure.is_draft
    assert not structure.memberships.exists()
    assert not Structure.objects.filter(identifier=ATELIER).exists()
    # Creating it again files a request to the operators, never a membership.
    client.force_login(user)
    create(client, evidence=evidence())
    assert not structure.memberships.exists()
    assert AttachmentRequest.objects.get(structure=structure).for_operators
    # An ordinary attachment request goes to the operators as well, with evidence.
    other = make_user("autre@example.test")
    client.force_login(other)
    url = reverse("structures:attachment_request", args=[structure.pk])
    assert "Justificatif" in text(client.get(url))
    client.post(url, {"message": "Je suis le DGS"})
    assert not AttachmentRequest.objects.filter(user=other).exists()
    client.post(url, {"message": "Je suis le DGS", "evidence": evidence()})
    assert AttachmentRequest.objects.get(user=other).for_operators
    # The operator appoints the first principal in the back office.
    client.force_login(operator)
    client.post(
        reverse("admin:structures_structure_reassign", args=[structure.pk]),
        {"email": other.email, "reason": "Délégation du maire"},
    )
    assert structure.memberships.get().user == other
    structure.refresh_from_db()
    assert structure.claimed_at is not None


def test_a_private_company_keeps_the_first_user_flow_and_shows_its_claim(client, user, register):
    client.force_login(user)
    response = create(client, identifier=ATELIER)
    structure = Structure.objects.get(identifier=ATELIER)
    assert response.url == reverse("structures:detail", args=[structure.pk])
    assert structure.claimed_at is not None and structure.created_by == user
    assert Membership.objects.get(structure=structure).role == Role.PRINCIPAL
    assert "Gestion revendiquée le" in text(client.get(response.url))


def test_an_operator_upholds_a_contest_and_reassigns_a_private_structure(client, operator, db):
    usurper, owner = make_user("usurpateur@example.test"), make_user("dirigeant@example.test")
    structure = make_structure(usurper, identifier=ATELIER)
    client.force_login(operator)
    url = reverse("admin:structures_structure_reassign", args=[structure.pk])
    refused = text(client.post(url, {"email": owner.email, "reason": "Kbis fourni"}))
    assert "toujours gestionnaire principal actif" in refused
    client.post(url, {"email": owner.email, "reason": "Kbis fourni", "contested": "on"})
    assert [m.user for m in structure.memberships.all()] == [owner]
    assert Event.objects.filter(recipients=usurper, kind="membership.principal_reassigned").exists()
    changelist = text(client.get(reverse("admin:structures_structure_changelist")))
    assert "revendiquée le" in changelist.lower()


@pytest.mark.parametrize("kind", ["UE_HORS_FRANCE", "HORS_UE", "RIDET", "TAHITI", "PARTICULIER"])
def test_a_structure_without_siret_cannot_take_a_public_body_name(client, user, register, kind):
    identifiers = {
        "UE_HORS_FRANCE": "DE136695976",
        "HORS_UE": "CH-123",
        "RIDET": "1234567",
        "TAHITI": "A12345",
        "PARTICULIER": "JEANNE MARTIN",
    }
    client.force_login(user)
    page = text(
        create(
            client,
            identifier=identifiers[kind],
            identifier_type=kind,
            company_name="Commune de Belle-Rivière",
            is_private="on",
            country="CH",  # read for HORS_UE only
        )
    )
    assert "le nom d'une entité publique inscrite" in page
    assert not Structure.objects.exists()


def test_a_structure_without_siret_cannot_make_itself_public(client, user, register):
    client.force_login(user)
    fields = {
        "identifier": "DE136695976",
        "identifier_type": "UE_HORS_FRANCE",
        "company_name": "Stadtwerke Beispiel",
    }  # « Structure privée » left unticked: it asks to be public
    assert "Joignez un justificatif" in text(create(client, **fields))
    assert not Structure.objects.exists()
    create(client, **fields, evidence=evidence())
    structure = Structure.objects.get()
    assert structure.is_public and not structure.memberships.exists()
    assert AttachmentRequest.objects.get().for_operators
