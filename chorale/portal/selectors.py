import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from .help import excerpt, terms
from .models import HelpArticle, HelpPassage, HelpTopic, News

HOME_NEWS_COUNT = 5


def news_published(limit: int = HOME_NEWS_COUNT) -> QuerySet[News]:
    """Published news, newest first; an item dated in the future waits for its day."""
    return News.objects.filter(is_published=True, published_on__lte=timezone.localdate()).order_by(
        "-published_on", "-id"
    )[:limit]


@dataclass(frozen=True)
class Answer:
    """A help passage answering a question, with where it comes from."""

    passage: HelpPassage
    score: float
    excerpt: str

    @property
    def url(self) -> str:
        path = reverse("portal:help_article", args=[self.passage.article.slug])
        return f"{path}#{self.passage.anchor}" if self.passage.anchor else path


def help_topics() -> QuerySet[HelpTopic]:
    published = HelpArticle.objects.filter(is_published=True).order_by("position", "title")
    return (
        HelpTopic.objects.filter(articles__is_published=True)
        .distinct()
        .prefetch_related(Prefetch("articles", queryset=published, to_attr="published"))
    )


def help_article(slug: str) -> HelpArticle:
    found = HelpArticle.objects.filter(slug=slug, is_published=True).select_related("topic")
    article = found.first()
    if article is None:
        raise Http404(gettext("Article introuvable."))
    return article


def _ranked_sqlite(wanted: list[str], limit: int) -> list[tuple[int, float]]:
    # Stems of four letters or more also match as prefixes (« factur » finds « facturation »).
    query = " OR ".join(f'"{t}"*' if len(t) >= 4 else f'"{t}"' for t in dict.fromkeys(wanted))
    sql = (
        "SELECT f.rowid, -bm25(portal_helppassage_fts, 4.0, 1.0) AS score "
        "FROM portal_helppassage_fts f "
        "JOIN portal_helppassage p ON p.id = f.rowid "
        "JOIN portal_helparticle a ON a.id = p.article_id "
        "WHERE portal_helppassage_fts MATCH %s AND a.is_published "
        "ORDER BY score DESC, f.rowid LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, limit])
        return cursor.fetchall()


PG_MATCHING = (
    "FROM portal_helppassage p JOIN portal_helparticle a ON a.id = p.article_id "
    "WHERE p.search_vector @@ to_tsquery('simple', %s) AND a.is_published"
)
PG_TERM_COUNT = "count(*) FILTER (WHERE p.search_vector @@ to_tsquery('simple', %s))"
PG_TERM_SCORE = "%s * ts_rank(p.search_vector, to_tsquery('simple', %s), 1)"


def _ranked_postgresql(wanted: list[str], limit: int) -> list[tuple[int, float]]:
    """ts_rank per searched word, weighted by the word's rarity (BM25's inverse document
    frequency, read through the GIN index), so that a common word such as « facture » does not
    outweigh the one that matters; titles (weight A) count 2.5 times the text (weight B)."""
    queries = [f"{t}:*" if len(t) >= 4 else t for t in dict.fromkeys(wanted)]
    either = " | ".join(queries)
    counts = ", ".join([PG_TERM_COUNT] * len(queries))
    scores = " + ".join([PG_TERM_SCORE] * len(queries))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM portal_helppassage")
        (total,) = cursor.fetchone()
        cursor.execute(f"SELECT {counts} {PG_MATCHING}", [*queries, either])
        frequencies = cursor.fetchone()
        weights = [math.log(1 + (total - found + 0.5) / (found + 0.5)) for found in frequencies]
        cursor.execute(
            f"SELECT p.id, {scores} AS score {PG_MATCHING} ORDER BY score DESC, p.id LIMIT %s",
            [*(v for pair in zip(weights, queries, strict=True) for v in pair), either, limit],
        )
        return cursor.fetchall()


def help_answers(question: str, limit: int = 5) -> list[Answer]:
    """« Posez-moi vos questions »: the help passages that best answer the question, best
    first (full-text search in French: stems, no accents, title words weigh more)."""
    wanted = terms(question[:500])
    if not wanted:
        return []
    rank = _ranked_postgresql if connection.vendor == "postgresql" else _ranked_sqlite
    ranked = rank(wanted, limit)
    passages = HelpPassage.objects.select_related("article__topic").in_bulk(
        [pk for pk, _ in ranked]
    )
    wanted_set = set(wanted)
    return [
        Answer(passages[pk], score, excerpt(passages[pk].text, wanted_set))
        for pk, score in ranked
        if pk in passages
    ]
