import pytest
from django.urls import reverse

from chorale.core.errors import BusinessError
from chorale.structures import services
from chorale.structures.models import AttachmentRequest, Membership, RequestStatus, Role
from conftest import make_structure, make_user


@pytest.fixture
def structure(db):
    return make_structure(make_user("boss@example.test"), company_name="ATELIER DUPONT")


@pytest.fixture
def applicant(db):
    return make_user("applicant@example.test", first_name="Paul", last_name="Lefèvre")


def test_request_reaches_the_managers_by_mail_and_feed(structure, applicant, mailoutbox):
    services.attachment_request_create(user=applicant, structure=structure, message="Comptable")
    [mail] = mailoutbox
    assert mail.to == ["boss@example.test"]
    assert "Paul Lefèvre" in mail.body
    assert reverse("structures:manage", args=[structure.pk]) in mail.body
    boss = Membership.objects.get(role=Role.PRINCIPAL).user
    assert boss.events.filter(kind="attachment.requested").exists()
    assert applicant.events.filter(kind="attachment.requested").exists()


def test_a_second_pending_request_is_refused(structure, applicant):
    services.attachment_request_create(user=applicant, structure=structure)
    with pytest.raises(BusinessError) as error:
        services.attachment_request_create(user=applicant, structure=structure)
    assert error.value.code == "request_pending"


def test_members_and_draft_structures_cannot_be_requested(structure, applicant):
    boss = Membership.objects.get(role=Role.PRINCIPAL).user
    with pytest.raises(BusinessError, match="déjà rattaché"):
        services.attachment_request_create(user=boss, structure=structure)
    draft = make_structure(None, identifier="21990123800010", validated=False)
    with pytest.raises(BusinessError, match="pas encore validée"):
        services.attachment_request_create(user=applicant, structure=draft)


def test_approval_attaches_as_simple_user_and_tells_the_applicant(structure, applicant, mailoutbox):
    request = services.attachment_request_create(user=applicant, structure=structure)
    boss = Membership.objects.get(role=Role.PRINCIPAL).user
    services.attachment_request_decide(manager=boss, request=request, approve=True)
    membership = Membership.objects.get(user=applicant)
    assert membership.role == Role.USER
    assert mailoutbox[-1].to == [applicant.email]
    assert "acceptée" in mailoutbox[-1].body
    with pytest.raises(BusinessError, match="déjà été traitée"):
        services.attachment_request_decide(manager=boss, request=request, approve=False, reason="x")


def test_refusal_needs_a_reason_and_keeps_it(structure, applicant):
    request = services.attachment_request_create(user=applicant, structure=structure)
    boss = Membership.objects.get(role=Role.PRINCIPAL).user
    with pytest.raises(BusinessError, match="motif"):
        services.attachment_request_decide(manager=boss, request=request, approve=False)
    services.attachment_request_decide(
        manager=boss, request=request, approve=False, reason="Inconnu du service"
    )
    request.refresh_from_db()
    assert (request.status, request.reason) == (RequestStatus.REFUSED, "Inconnu du service")
    assert not Membership.objects.filter(user=applicant).exists()
    assert applicant.events.filter(message__contains="Inconnu du service").exists()


def test_manager_decides_through_the_page(client, structure, applicant):
    request = services.attachment_request_create(user=applicant, structure=structure)
    client.force_login(Membership.objects.get(role=Role.PRINCIPAL).user)
    page = client.get(reverse("structures:manage", args=[structure.pk])).content.decode()
    assert "Paul Lefèvre" in page
    client.post(
        reverse("structures:request_decide", args=[structure.pk, request.pk]),
        {"decision": "approve"},
    )
    assert AttachmentRequest.objects.get().status == RequestStatus.APPROVED
