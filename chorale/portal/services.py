"""Writes of the portal's own content: help articles and their search passages."""

from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from .help import plain, sections, terms
from .models import HelpArticle, HelpPassage, HelpTopic

HELP_FOLDER = Path(__file__).parent / "help"


@transaction.atomic
def help_article_index(article: HelpArticle) -> None:
    """Cut the article into passages again (the full-text index follows through triggers on
    SQLite and an expression index on PostgreSQL)."""
    article.passages.all().delete()
    passages = []
    for position, section in enumerate(sections(article.title, article.body)):
        text = plain(section.body)
        if position == 0 and article.summary:
            text = f"{article.summary} {text}".strip()
        # A section's own heading weighs most; the article's title counts as its text.
        context = f"{article.title} " if section.anchor else ""
        passages.append(
            HelpPassage(
                article=article,
                position=position,
                anchor=section.anchor,
                heading=section.heading,
                text=text,
                search_heading=" ".join(terms(section.heading)),
                search_text=" ".join(terms(context + text)),
            )
        )
    HelpPassage.objects.bulk_create(passages)


def _read(path: Path) -> tuple[dict[str, str], str]:
    """A help file: a `---` block of `key: value` lines, then the Markdown body."""
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    meta = dict(line.split(":", 1) for line in head.strip().splitlines())
    return {k.strip(): v.strip() for k, v in meta.items()}, body.strip() + "\n"


@transaction.atomic
def help_articles_load(*, update: bool = False, folder: Path = HELP_FOLDER) -> int:
    """Create the help articles shipped with Chorale (`portal/help/*.md`) that are missing;
    with `update`, also overwrite those that exist. Operators' other articles are left as they
    are. Returns how many articles were written."""
    written = 0
    for position, path in enumerate(sorted(folder.glob("*.md"))):
        meta, body = _read(path)
        topic, _ = HelpTopic.objects.get_or_create(
            title=meta["topic"],
            defaults={"slug": slugify(meta["topic"]), "position": int(meta["topic_position"])},
        )
        slug = path.stem.split("-", 1)[1]
        article = HelpArticle.objects.filter(slug=slug).first()
        if article is not None and not update:
            continue
        article = article or HelpArticle(slug=slug)
        article.topic = topic
        article.title = meta["title"]
        article.summary = meta.get("summary", "")
        article.body = body
        article.position = position
        article.save()
        help_article_index(article)
        written += 1
    return written
