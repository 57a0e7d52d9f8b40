from django.db import models
from django.utils import timezone

from chorale.core.models import TimeStampedModel


class News(TimeStampedModel):
    """« Actualités »: dated news published by operators, shown on both home pages."""

    title = models.CharField("titre", max_length=200)
    published_on = models.DateField("date", default=timezone.localdate)
    body = models.TextField("texte")
    is_published = models.BooleanField("publiée", default=True)

    class Meta:
        verbose_name = "actualité"
        verbose_name_plural = "actualités"
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["is_published", "-published_on"], name="news_feed_idx")]

    def __str__(self) -> str:
        return self.title
