from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from chorale.core.models import TimeStampedModel


class News(TimeStampedModel):
    """« Actualités »: dated news published by operators, shown on both home pages."""

    title = models.CharField("titre", max_length=200)
    published_on = models.DateField("date", default=timezone.localdate)
    body = models.TextField("texte")
    is_published = models.BooleanField(gettext_lazy("publiée"), default=True)

    class Meta:
        verbose_name = gettext_lazy("actualité")
        verbose_name_plural = gettext_lazy("actualités")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["is_published", "-published_on"], name="news_feed_idx")]

    def __str__(self) -> str:
        return self.title


class HelpTopic(models.Model):
    """A heading of « Aide en ligne » grouping articles."""

    title = models.CharField("titre", max_length=120, unique=True)
    slug = models.SlugField("adresse", max_length=120, unique=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = gettext_lazy("rubrique d'aide")
        verbose_name_plural = gettext_lazy("rubriques d'aide")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class HelpArticle(TimeStampedModel):
    """A help article written in Markdown by operators; each `## ` section is a passage the
    question box can answer with."""

    topic = models.ForeignKey(
        HelpTopic, verbose_name="rubrique", on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("adresse", max_length=120, unique=True)
    summary = models.CharField(gettext_lazy("résumé"), max_length=300, blank=True)
    body = models.TextField(
        gettext_lazy("texte (Markdown)"),
        help_text=gettext_lazy(
            "Chaque titre « ## » ouvre une section citée par la boîte à questions."
        ),
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_published = models.BooleanField(gettext_lazy("publié"), default=True)

    class Meta:
        verbose_name = gettext_lazy("article d'aide")
        verbose_name_plural = gettext_lazy("articles d'aide")
        ordering = ["topic__position", "position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:help_article", args=[self.slug])


class HelpPassage(models.Model):
    """One section of an article as the search indexes it: `search_*` hold its words
    lower-cased, stemmed (Snowball French) and without accents, so that both engines' full-text
    indexes (SQLite FTS5, PostgreSQL tsvector) match « créer » with « Créez », « creer »…"""

    article = models.ForeignKey(HelpArticle, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveSmallIntegerField()
    anchor = models.CharField(max_length=120, blank=True)
    heading = models.CharField(max_length=200)
    text = models.TextField()
    search_heading = models.TextField()
    search_text = models.TextField()

    class Meta:
        ordering = ["article", "position"]

    def __str__(self) -> str:
        return f"{self.article} — {self.heading}"
