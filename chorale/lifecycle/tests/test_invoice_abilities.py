"""One place decides what a person may do with an invoice (policies.invoice_abilities): the
matrix of every kind of person by every status, and the proof that the services, the portal
and the lists answer exactly as it says."""

import pytest
from django.urls import reverse

from chorale.core.errors import BusinessError
from chorale.lifecycle.policies import ABILITIES, invoice_abilities
from chorale.lifecycle.selectors import invoices_received, invoices_sent
from chorale.lifecycle.services import invoice_for
from chorale.lifecycle.statuses import MOA, MOE, RECIPIENT, SUPPLIER, VALIDATOR, Status
from chorale.structures.models import Role, Space, SpaceSubscription
from conftest import add_member, make_invoice, make_structure, make_user

NOT_RECEIVED = {
    Status.DRAFT, Status.DEPOSITED, Status.ROUTING,
    # in its validation circuit (A9, A12), before « Déposée »
    Status.TO_VALIDATE_1, Status.WRONG_VALIDATOR_1, Status.REFUSED_1, Status.VALIDATED_1,
    Status.TACIT_1, Status.TO_VALIDATE_2, Status.WRONG_VALIDATOR_2, Status.REFUSED_2,
    Status.VALIDATED_2, Status.TACIT_2,
    # a works piece with its maître d'œuvre, its maître d'ouvrage or back with the company
    Status.TO_MOE, Status.TAKEN_MOE, Status.REFUSED_MOE, Status.MOE_LATE, Status.TO_MOA,
    Status.AVAILABLE_MOA, Status.TAKEN_MOA, Status.REFUSED_MOA, Status.TO_SUPPLIER,
    Status.WORKS_ACCEPTED, Status.REFUSED_SUPPLIER, Status.REPLACED_BY_A22,
    Status.TO_COMPLETE_WORKS, Status.TO_RECYCLE_WORKS,
}  # fmt: skip
# Where the recipient has something left to do (written out, not derived from the table).
RECIPIENT_ACTS_IN = {
    Status.AVAILABLE,
    Status.ACKNOWLEDGED,
    Status.SUSPENDED,
    Status.COMPLETED,
    Status.SERVICE_DONE,
    Status.PAYMENT_ORDERED,
    Status.WITH_ACCOUNTANT,
    Status.BOOKED,
}


@pytest.fixture
def people(db):
    supplier = make_structure(make_user("principal@fournisseur.test"), identifier="98765432400019")
    recipient = make_structure(
        make_user("principal@commune.test"), identifier="21990123800010", is_private=False
    )
    other = make_structure(make_user("principal@autre.test"), identifier="44306184100047")

    def member(structure, email, *, space=None, approved=True, role=Role.USER):
        user = make_user(email)
        membership = add_member(structure, user, role)
        if space:
            SpaceSubscription.objects.create(
                membership=membership, space=space, is_approved=approved
            )
        return user

    return {
        "supplier_principal": (supplier.memberships.get().user, {SUPPLIER}),
        "supplier_with_space": (
            member(supplier, "simple@fournisseur.test", space=Space.INVOICES_SENT),
            {SUPPLIER},
        ),
        "supplier_space_pending": (
            member(supplier, "attente@fournisseur.test", space=Space.INVOICES_SENT, approved=False),
            set(),
        ),
        "supplier_member_only": (member(supplier, "membre@fournisseur.test"), set()),
        "recipient_principal": (recipient.memberships.get().user, {RECIPIENT}),
        "recipient_space_pending": (
            member(
                recipient, "attente@commune.test", space=Space.INVOICES_RECEIVED, approved=False
            ),
            set(),
        ),
        "recipient_member_only": (member(recipient, "membre@commune.test"), set()),
        "other_structure": (other.memberships.get().user, set()),
        "_structures": (supplier, recipient),
    }


def expected(sides: set, status: str) -> dict:
    supplier = SUPPLIER in sides
    recipient = RECIPIENT in sides and status not in NOT_RECEIVED
    return {
        SUPPLIER: supplier,
        RECIPIENT: recipient,
        "see": supplier or recipient,
        "download": supplier or recipient,
        "process": recipient and status in RECIPIENT_ACTS_IN,
        "complete": supplier and status == Status.SUSPENDED,
        "recycle": supplier and status == Status.TO_RECYCLE,
        "acknowledge_rejection": supplier and status == Status.REJECTED,
        "comment": supplier or recipient,
        # an A1 invoice has no validator: nobody validates, nobody corrects a validator
        VALIDATOR: False,
        "validate": False,
        "correct_validator": supplier
        and status in (Status.WRONG_VALIDATOR_1, Status.WRONG_VALIDATOR_2),
        # an A1 invoice has no works contract: no maître d'œuvre nor d'ouvrage decides
        MOE: False,
        MOA: False,
        "works_decide": False,
        "works_sign": supplier and status == Status.TO_SUPPLIER,
        "works_tacit": False,
        "works_complete": supplier and status == Status.TO_COMPLETE_WORKS,
        "works_recycle": supplier and status == Status.TO_RECYCLE_WORKS,
    }


def test_the_matrix_of_people_and_statuses(people):
    supplier, recipient = people["_structures"]
    invoice = make_invoice(supplier, recipient)
    for status in Status.values:
        invoice.status = status
        for name, (user, sides) in people.items():
            if name.startswith("_"):
                continue
            abilities = invoice_abilities(user, invoice)
            assert set(abilities) == {SUPPLIER, RECIPIENT, VALIDATOR, MOE, MOA, *ABILITIES}
            assert abilities == expected(sides, status), (name, status)


@pytest.mark.parametrize("status", [Status.AVAILABLE, Status.SUSPENDED, Status.ROUTING])
def test_services_portal_and_lists_follow_the_one_function(people, client, status):
    supplier, recipient = people["_structures"]
    invoice = make_invoice(supplier, recipient, status=status)
    for name, (user, _) in people.items():
        if name.startswith("_"):
            continue
        can = invoice_abilities(user, invoice)
        client.force_login(user)
        for side, page, listing in (
            (SUPPLIER, "portal:invoice_sent", invoices_sent),
            (RECIPIENT, "portal:invoice_received", invoices_received),
        ):
            shown = client.get(reverse(page, args=[invoice.pk])).status_code == 200
            assert shown is can[side], (name, side)
            assert listing(user).filter(pk=invoice.pk).exists() is can[side], (name, side)
            try:
                invoice_for(user, invoice.pk, side)
                acted = True
            except BusinessError as error:
                assert error.code == "not_found"
                acted = False
            assert acted is can[side], (name, side)
        download = client.get(reverse("portal:invoice_sent_download", args=[invoice.pk, "xml"]))
        assert (download.status_code == 200) is can[SUPPLIER], name
