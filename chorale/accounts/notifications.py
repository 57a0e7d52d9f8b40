"""E-mail notifications of the « Fil d'événements »: each event also goes by e-mail to the
people concerned (never to its author), unless they muted its category in Mon Compte or chose
one daily digest (`manage.py send_digests`, run once a day by cron or a scheduler)."""

import datetime

from django.db import transaction
from django.utils import timezone

from chorale.core.feed import CATEGORIES, category_of
from chorale.core.mail import absolute_url, email_notice, email_send
from chorale.core.models import Event

from .models import NotificationSettings, User


def notification_settings(user) -> NotificationSettings:
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def notify_events(sender, entries: list[tuple[Event, list]], **kwargs) -> None:
    """Queue the e-mail of each event for each recipient who wants it now (same transaction):
    the recipients' settings read once for the whole batch."""
    wanted = [
        (event, [u for u in users if u.is_active and u.pk != event.actor_id])
        for event, users in entries
    ]
    ids = {u.pk for _, people in wanted for u in people}
    if not ids:
        return
    chosen = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=ids)}
    for event, people in wanted:
        category = category_of(event.kind)
        for user in people:
            settings = chosen.get(user.pk)
            if settings and (settings.daily_digest or category in settings.muted_categories):
                continue
            email_notice(user, subject=event.message[:120], message=event.message, path=event.link)


@transaction.atomic
def digests_send(now: datetime.datetime | None = None) -> int:
    """One e-mail per person who chose the daily digest, listing the events since the last
    one (at most the last day); returns how many were queued. Running it twice sends nothing
    more."""
    now = now or timezone.now()
    sent = 0
    for settings in NotificationSettings.objects.select_for_update().filter(daily_digest=True):
        since = settings.digest_sent_at or now - datetime.timedelta(days=1)
        events = [
            e
            for e in Event.objects.filter(recipients=settings.user, created_at__gt=since)
            .exclude(actor=settings.user)
            .order_by("created_at")
            if category_of(e.kind) not in settings.muted_categories
        ]
        settings.digest_sent_at = now
        settings.save(update_fields=["digest_sent_at"])
        if not events:
            continue
        user: User = settings.user
        email_send(
            user.notification_email,
            "accounts/email/digest",
            {
                "user": user,
                "events": [(e, absolute_url(e.link) if e.link else "") for e in events],
            },
        )
        sent += 1
    return sent


def notifications_update(*, user, muted: list[str], daily_digest: bool) -> NotificationSettings:
    settings, _ = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={
            "muted_categories": [c for c in muted if c in CATEGORIES],
            "daily_digest": daily_digest,
        },
    )
    return settings
