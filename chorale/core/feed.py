"""The « Fil d'événements »: services record what happened, for whom; pages read it."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.dispatch import Signal

from .models import Event

FEED_LENGTH = 10
# The kinds of events, as people choose which ones they get by e-mail (Mon Compte).
CATEGORIES = {
    "invoice": "Changements de statut de mes factures",
    "flow": "Traitement de mes dépôts (flux)",
    "structure": "Rattachements, espaces et structures",
    "support": "Réponses à mes sollicitations",
}
# Sent once an event and its recipients are written (inside the caller's transaction).
event_recorded = Signal()


def category_of(kind: str) -> str:
    prefix = kind.split(".", 1)[0]
    return prefix if prefix in CATEGORIES else "structure"


def event_record(*, kind: str, message: str, recipients: Iterable, actor=None, link: str = ""):
    """Append one event for the given users (call inside the caller's transaction). The
    recipients are written in one insert, and handed to the signal's receivers as they are."""
    event = Event.objects.create(kind=kind, message=message, actor=actor, link=link)
    users = list({user.pk: user for user in recipients}.values())
    Through = Event.recipients.through
    Through.objects.bulk_create(Through(event_id=event.pk, user_id=user.pk) for user in users)
    event_recorded.send(sender=Event, event=event, users=users)
    return event


def events_for_user(user, limit: int | None = FEED_LENGTH) -> QuerySet[Event]:
    """The user's events, newest first (all of them with `limit=None`)."""
    events = Event.objects.filter(recipients=user).select_related("actor")
    return events[:limit] if limit else events
