from django.db.models import QuerySet
from django.utils import timezone

from .models import News

HOME_NEWS_COUNT = 5


def news_published(limit: int = HOME_NEWS_COUNT) -> QuerySet[News]:
    """Published news, newest first; an item dated in the future waits for its day."""
    return News.objects.filter(is_published=True, published_on__lte=timezone.localdate()).order_by(
        "-published_on", "-id"
    )[:limit]
