from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    """Base model: every row knows when it was created and last changed."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class Event(models.Model):
    """One line of the « Fil d'événements »: append-only, addressed to the people concerned."""

    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField("type", max_length=60)
    message = models.TextField("message")
    link = models.CharField("lien", max_length=300, blank=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="events", verbose_name="destinataires"
    )

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message
