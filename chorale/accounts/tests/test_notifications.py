"""Events also go by e-mail — never to their author, not for a muted category, or once a day as
a digest — and each person chooses in Mon Compte."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chorale.accounts.notifications import digests_send, notifications_update
from chorale.core.feed import event_record
from conftest import make_user


@pytest.fixture
def people(db):
    return make_user("jeanne@example.test"), make_user("paul@example.test", first_name="Paul")


def test_an_event_is_mailed_to_the_people_concerned_but_not_its_author(people, mailoutbox):
    jeanne, paul = people
    event_record(
        kind="invoice.suspendue",
        message="Facture F-1 de ATELIER : suspendue (motif : bon manquant).",
        recipients=[jeanne, paul],
        actor=paul,
        link="/factures/1/",
    )
    [message] = mailoutbox
    assert message.to == [jeanne.notification_email]
    assert "suspendue" in message.subject and "/factures/1/" in message.body


def test_a_muted_category_sends_no_mail_but_stays_in_the_feed(people, mailoutbox):
    jeanne, _ = people
    notifications_update(user=jeanne, muted=["flow"], daily_digest=False)
    event_record(kind="flow.processed", message="Flux traité.", recipients=[jeanne])
    assert mailoutbox == []
    assert jeanne.events.count() == 1
    event_record(kind="invoice.rejetee", message="Facture rejetée.", recipients=[jeanne])
    assert len(mailoutbox) == 1


def test_the_daily_digest_gathers_the_day_once(people, mailoutbox):
    jeanne, _ = people
    notifications_update(user=jeanne, muted=["structure"], daily_digest=True)
    event_record(kind="invoice.rejetee", message="Facture F-1 rejetée.", recipients=[jeanne])
    event_record(kind="flow.processed", message="Flux CPP1 traité.", recipients=[jeanne])
    event_record(kind="space.approved", message="Espace accordé.", recipients=[jeanne])
    assert mailoutbox == []  # nothing one by one
    later = timezone.now() + datetime.timedelta(minutes=1)
    assert digests_send(now=later) == 1
    [digest] = mailoutbox
    assert "F-1 rejetée" in digest.body and "CPP1" in digest.body
    assert "Espace accordé" not in digest.body  # muted category
    assert digests_send(now=later + datetime.timedelta(minutes=1)) == 0


def test_mon_compte_saves_the_choices(client, people):
    jeanne, _ = people
    client.force_login(jeanne)
    page = client.get(reverse("accounts:notifications"))
    assert page.status_code == 200 and "Traitement de mes dépôts" in page.text
    client.post(
        reverse("accounts:notifications"),
        {"categories": ["invoice", "support"], "daily_digest": "on"},
    )
    settings = jeanne.notifications
    assert sorted(settings.muted_categories) == ["flow", "structure"]
    assert settings.daily_digest
