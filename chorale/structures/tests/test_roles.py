import pytest
from django.db import IntegrityError, transaction

from chorale.core.errors import BusinessError
from chorale.core.models import Event
from chorale.structures import services
from chorale.structures.models import Membership, Role, Space
from conftest import add_member, make_structure, make_user


@pytest.fixture
def team(db):
    boss = make_user("boss@example.test")
    structure = make_structure(boss)
    member = add_member(structure, make_user("member@example.test"))
    return structure, Membership.objects.get(user=boss), member


def test_database_refuses_a_second_gestionnaire_principal(team):
    _structure, _, member = team
    member.role = Role.PRINCIPAL
    with pytest.raises(IntegrityError), transaction.atomic():
        member.save()


def test_transfer_keeps_exactly_one_principal_and_demotes_the_old_one(team):
    structure, principal, member = team
    services.principal_transfer(principal=principal, target=member)
    roles = dict(structure.memberships.values_list("user__email", "role"))
    assert roles == {"boss@example.test": Role.SECONDARY, "member@example.test": Role.PRINCIPAL}
    assert structure.memberships.filter(role=Role.PRINCIPAL).count() == 1
    new_principal = Membership.objects.get(pk=member.pk)
    assert new_principal.spaces.filter(space=Space.MANAGER, is_approved=True).exists()
    assert Event.objects.filter(kind="membership.principal_transferred").exists()


def test_only_the_principal_transfers_the_role(team):
    _, _, member = team
    other = add_member(member.structure, make_user("third@example.test"))
    with pytest.raises(BusinessError):
        services.principal_transfer(principal=member, target=other)


def test_principal_can_be_neither_demoted_nor_removed(team):
    structure, principal, _ = team
    with pytest.raises(BusinessError, match="transfert"):
        services.membership_set_role(manager=principal.user, membership=principal, role=Role.USER)
    with pytest.raises(BusinessError) as error:
        services.membership_remove(actor=principal.user, membership=principal)
    assert error.value.code == "principal_cannot_leave"
    assert structure.memberships.filter(role=Role.PRINCIPAL).count() == 1


def test_promotion_to_secondaire_opens_the_manager_space_and_demotion_closes_it(team):
    _, principal, member = team
    services.membership_set_role(manager=principal.user, membership=member, role=Role.SECONDARY)
    assert member.spaces.filter(space=Space.MANAGER).exists()
    services.membership_set_role(manager=principal.user, membership=member, role=Role.USER)
    assert not member.spaces.filter(space=Space.MANAGER).exists()


def test_a_member_leaves_and_is_told_in_the_feed(team):
    structure, _, member = team
    services.membership_remove(actor=member.user, membership=member)
    assert not structure.memberships.filter(pk=member.pk).exists()
    assert member.user.events.filter(kind="membership.removed").exists()


def test_invoices_sent_space_is_self_service_others_wait_for_a_manager(team, mailoutbox):
    _structure, principal, member = team
    sent = services.space_request(membership=member, space=Space.INVOICES_SENT)
    received = services.space_request(membership=member, space=Space.INVOICES_RECEIVED)
    assert sent.is_approved and not received.is_approved
    assert [m.to for m in mailoutbox] == [[principal.user.email]]
    services.space_decide(manager=principal.user, subscription=received, approve=True)
    received.refresh_from_db()
    assert received.is_approved
    with pytest.raises(BusinessError):
        services.space_request(membership=member, space=Space.INVOICES_SENT)


def test_mandate_is_dated_revocable_and_one_at_a_time(team):
    structure, principal, _ = team
    first = services.mandate_subscribe(membership=principal)
    with pytest.raises(BusinessError):
        services.mandate_subscribe(membership=principal)
    services.mandate_revoke(membership=principal)
    first.refresh_from_db()
    assert first.revoked_at and first.revoked_by == principal.user
    second = services.mandate_subscribe(membership=principal)
    assert second.subscribed_by == principal.user
    assert structure.mandates.count() == 2
