from django.core.mail import EmailMultiAlternatives
from django.tasks import task

from .tracing import traced


@task()
@traced
def deliver_email(to: str, subject: str, text: str, html: str) -> None:
    """Hand one rendered message to the configured mail backend (SMTP or .eml files)."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
