"""The « Fil d'événements »: services record what happened, for whom; pages read it."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils.translation import gettext_lazy

from .bulk import insert_many
from .models import Event

FEED_LENGTH = 10
# The kinds of events, as people choose which ones they get by e-mail (Mon Compte).
CATEGORIES = {
    "invoice": gettext_lazy("Changements de statut de mes factures"),
    "flow": gettext_lazy("Traitement de mes dépôts (flux)"),
    "structure": gettext_lazy("Rattachements, espaces et structures"),
    "support": gettext_lazy("Réponses à mes sollicitations"),
}
# Sent once events and their recipients are written (inside the caller's transaction), with
# `entries`: each event and its users, as a batch (one look-up of their settings for all).
events_recorded = Signal()


def category_of(kind: str) -> str:
    prefix = kind.split(".", 1)[0]
    return prefix if prefix in CATEGORIES else "structure"


def event_record(
    *, kind: str, message: str, recipients: Iterable[Any], actor: Any = None, link: str = ""
) -> Event:
    """Append one event for the given users (call inside the caller's transaction)."""
    return events_record([(kind, message, recipients, actor, link)])[0]


def events_record(entries: list[tuple[str, str, Iterable[Any], Any, str]]) -> list[Event]:
    """Append many events at once, each (kind, message, recipients, actor, link): the events in
    one insert, their recipients in another, then all are handed to the signal's receivers
    with their users as they are (no query back)."""
    events = insert_many(
        Event(kind=kind, message=message, actor=actor, link=link)
        for kind, message, _, actor, link in entries
    )
    people = [list({user.pk: user for user in entry[2]}.values()) for entry in entries]
    Through = Event.recipients.through
    insert_many(
        Through(event_id=event.pk, user_id=user.pk)
        for event, users in zip(events, people, strict=True)
        for user in users
    )
    events_recorded.send(sender=Event, entries=list(zip(events, people, strict=True)))
    return events


def events_for_user(user: Any, limit: int | None = FEED_LENGTH) -> QuerySet[Event]:
    """The user's events, newest first (all of them with `limit=None`)."""
    events = Event.objects.filter(recipients=user).select_related("actor")
    return events[:limit] if limit else events
