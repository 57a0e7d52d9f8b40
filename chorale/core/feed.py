"""The « Fil d'événements »: services record what happened, for whom; pages read it."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Event

FEED_LENGTH = 10


def event_record(*, kind: str, message: str, recipients: Iterable, actor=None, link: str = ""):
    """Append one event for the given users (call inside the caller's transaction)."""
    event = Event.objects.create(kind=kind, message=message, actor=actor, link=link)
    event.recipients.set({user.pk for user in recipients})
    return event


def events_for_user(user, limit: int | None = FEED_LENGTH) -> QuerySet[Event]:
    """The user's events, newest first (all of them with `limit=None`)."""
    events = Event.objects.filter(recipients=user).select_related("actor")
    return events[:limit] if limit else events
