import threading

import pytest
from django.db import IntegrityError, connection, transaction

from chorale.core.errors import BusinessError
from chorale.core.models import Event
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.models import InvoiceEvent
from chorale.lifecycle.services import invoice_start, invoice_transition
from chorale.lifecycle.statuses import (
    RECIPIENT,
    SUPPLIER,
    SYSTEM,
    TRANSITIONS,
    Status,
    next_statuses,
)
from conftest import add_member, make_invoice, make_structure, make_user


@pytest.fixture
def parties(db):
    supplier = make_structure(make_user("fournisseur@example.test"), identifier="98765432400019")
    recipient = make_structure(
        make_user("acheteur@example.test"), identifier="21990123800010", is_private=False
    )
    return supplier, recipient


def move(invoice, to, side=RECIPIENT, **kwargs):
    return invoice_transition(invoice_id=invoice.pk, to_status=to, side=side, **kwargs)


def test_every_status_of_the_table_is_a_known_status():
    for source, targets in TRANSITIONS.items():
        assert source in Status.values
        assert set(targets) <= set(Status.values)
    assert set(Status.values) == set(TRANSITIONS)


def test_the_journey_from_deposit_to_payment_writes_one_event_per_change(parties):
    supplier, recipient = parties
    invoice = make_invoice(supplier, recipient, status=Status.DEPOSITED)
    invoice_start(invoice)
    move(invoice, Status.ROUTING, side=SYSTEM)
    move(invoice, Status.AVAILABLE, side=SYSTEM)
    move(invoice, Status.SERVICE_DONE)
    move(invoice, Status.PAYMENT_ORDERED, payment_order_number="M-42")
    move(invoice, Status.PAID)
    events = list(invoice.events.values_list("from_status", "to_status", "reform_code"))
    assert events == [
        ("", "DEPOSEE", 200),
        ("DEPOSEE", "EN_COURS_ACHEMINEMENT", 201),
        ("EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION", 203),
        ("MISE_A_DISPOSITION", "SERVICE_FAIT", 205),
        ("SERVICE_FAIT", "MANDATEE", 205),
        ("MANDATEE", "MISE_EN_PAIEMENT", 211),
    ]
    assert InvoiceRecord.objects.get().status == Status.PAID
    assert invoice.events.get(to_status="MANDATEE").payment_order_number == "M-42"


def test_invalid_transitions_are_refused_with_a_clear_error(parties):
    invoice = make_invoice(*parties, status=Status.PAID)
    with pytest.raises(BusinessError) as error:
        move(invoice, Status.SUSPENDED, reason="x")
    assert error.value.code == "transition_not_allowed"
    assert "Mise en paiement" in error.value.message
    assert not InvoiceEvent.objects.exists()


def test_each_side_makes_only_its_own_moves(parties):
    invoice = make_invoice(*parties, status=Status.SUSPENDED)
    with pytest.raises(BusinessError):
        move(invoice, Status.COMPLETED, side=RECIPIENT, reason="pièces")
    move(invoice, Status.COMPLETED, side=SUPPLIER, reason="Bon de livraison joint")
    assert next_statuses(Status.COMPLETED, SUPPLIER) == []
    assert Status.SERVICE_DONE in next_statuses(Status.COMPLETED, RECIPIENT)


@pytest.mark.parametrize("target", [Status.SUSPENDED, Status.REJECTED, Status.TO_RECYCLE])
def test_suspension_rejection_and_recycling_need_a_reason(parties, target):
    invoice = make_invoice(*parties)
    with pytest.raises(BusinessError, match="motif"):
        move(invoice, target, reason="  ")
    move(invoice, target, reason="Numéro d'engagement erroné")
    assert InvoiceEvent.objects.get().reason == "Numéro d'engagement erroné"


def test_payment_order_needs_its_number(parties):
    invoice = make_invoice(*parties)
    with pytest.raises(BusinessError) as error:
        move(invoice, Status.PAYMENT_ORDERED)
    assert error.value.code == "payment_order_required"


def test_both_sides_see_each_change_in_their_feed(parties):
    invoice = make_invoice(*parties)
    move(invoice, Status.REJECTED, reason="Doublon")
    event = Event.objects.get(kind="invoice.rejetee")
    assert {u.email for u in event.recipients.all()} == {
        "fournisseur@example.test",
        "acheteur@example.test",
    }
    assert "Doublon" in event.message


def test_only_members_who_may_see_the_invoice_hear_of_it(parties):
    """A member without the invoices espace of its side gets neither the feed entry nor the
    e-mail of an invoice's change (it could not open it)."""
    from chorale.structures.models import Space, SpaceSubscription

    supplier, recipient = parties
    add_member(recipient, make_user("accueil@example.test"))  # no espace at all
    clerk = add_member(supplier, make_user("comptable@example.test"))
    SpaceSubscription.objects.create(membership=clerk, space=Space.INVOICES_SENT, is_approved=True)
    asking = add_member(supplier, make_user("stagiaire@example.test"))
    SpaceSubscription.objects.create(membership=asking, space=Space.INVOICES_SENT)  # not granted
    move(make_invoice(supplier, recipient), Status.ACKNOWLEDGED)
    event = Event.objects.get(kind="invoice.prise_en_compte_destinataire")
    assert {u.email for u in event.recipients.all()} == {
        "fournisseur@example.test",
        "comptable@example.test",
        "acheteur@example.test",
    }


def test_a_stale_expected_status_is_a_conflict(parties):
    invoice = make_invoice(*parties)
    move(invoice, Status.ACKNOWLEDGED)
    with pytest.raises(BusinessError) as error:
        move(invoice, Status.SERVICE_DONE, expected_status=Status.AVAILABLE)
    assert error.value.code == "conflict"


def test_events_are_append_only(parties):
    invoice = make_invoice(*parties)
    move(invoice, Status.ACKNOWLEDGED)
    event = InvoiceEvent.objects.get()
    event.reason = "réécrit"
    with pytest.raises(ValueError):
        event.save()


def test_duplicate_number_for_one_supplier_and_year_is_refused_by_the_database(parties):
    make_invoice(*parties, number="F-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_invoice(*parties, number="F-1")


@pytest.mark.django_db(transaction=True)
def test_two_recipients_acting_at_once_one_wins_the_other_gets_a_conflict():
    supplier = make_structure(make_user("f@example.test"), identifier="98765432400019")
    recipient = make_structure(make_user("a@example.test"), identifier="21990123800010")
    invoice = make_invoice(supplier, recipient)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(target: str, reason: str) -> None:
        try:
            barrier.wait(timeout=10)
            move(invoice, target, reason=reason, expected_status=Status.AVAILABLE)
            outcomes.append("ok")
        except BusinessError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(Status.REJECTED, "Doublon")),
        threading.Thread(target=act, args=(Status.SUSPENDED, "Pièce manquante")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "ok"]
    assert InvoiceEvent.objects.count() == 1
    assert InvoiceRecord.objects.get().status == InvoiceEvent.objects.get().to_status
