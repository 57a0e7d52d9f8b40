from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class TimeStampedModel(models.Model):
    """Base model: every row knows when it was created and last changed."""

    created_at = models.DateTimeField(gettext_lazy("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class AttachedFile(models.Model):
    """Base of a pièce jointe: the stored file (each subclass says where) and what it was called
    and weighed when it was given."""

    name = models.CharField("nom", max_length=255)
    size = models.PositiveBigIntegerField(gettext_lazy("taille (octets)"))

    class Meta:
        abstract = True
        verbose_name = gettext_lazy("pièce jointe")
        verbose_name_plural = gettext_lazy("pièces jointes")

    def __str__(self) -> str:
        return self.name


class AppendOnly(models.Model):
    """Mixin for history rows: written once, never changed."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)


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
        verbose_name = gettext_lazy("événement")
        verbose_name_plural = gettext_lazy("événements")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message


def search_key(text: str) -> str:
    """A name as the search indexes hold it: upper case, no accents, words split on anything
    else than letters and digits (« Commune de Belle-Rivière » → « COMMUNE DE BELLE RIVIERE »)."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())
