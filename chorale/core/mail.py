"""Outgoing e-mail: rendered from templates in the request, delivered by the background worker."""

import logging
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .tasks import deliver_email
from .tracing import enqueue

logger = logging.getLogger(__name__)


def email_send(to: str, template: str, context: dict[str, Any]) -> None:
    """Render `<template>_subject.txt`, `.txt` and `.html` and queue the message for delivery,
    in the language of the person it goes to (`context["user"].language`), whatever the
    language of the page or worker that sends it.

    Called inside the caller's transaction: with the database queue, the message is stored
    with the change that caused it, so a crash never loses one nor sends one for nothing.
    """
    user = context.get("user")
    with translation.override(getattr(user, "language", None) or translation.get_language()):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    enqueue(deliver_email, to=to, subject=subject, text=text, html=html)
    if settings.CHORALE_LOG_EMAIL_LINKS and context.get("link"):
        logger.info("E-mail « %s » to %s, link: %s", subject, to, context["link"])


class EmlFileBackend(BaseEmailBackend):
    """Writes each message as one `.eml` file (open it with any mail reader) in `file_path`."""

    def __init__(self, *, file_path: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file_path = Path(file_path)

    def send_messages(self, email_messages: Any) -> int:
        folder = self.file_path
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes())
            logger.info("E-mail to %s written to %s", ", ".join(message.to), path)
        return len(email_messages)


def absolute_url(path: str) -> str:
    return f"{settings.CHORALE_BASE_URL}{path}"


def email_notice(user: Any, *, subject: str, message: str, path: str = "") -> None:
    """A short notice to one user (its contact address): a sentence and a link to act on."""
    link = absolute_url(path) if path else ""
    email_send(
        user.notification_email,
        "core/email/notice",
        {"user": user, "subject": subject, "message": message, "link": link},
    )
