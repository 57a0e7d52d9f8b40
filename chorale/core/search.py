"""Prefix filters that use a plain B-tree index on every engine."""

from django.db import connection
from django.db.models import Q


def prefix_filter(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`.

    PostgreSQL runs `LIKE 'prefix%'` on a `text_pattern_ops` index. SQLite's LIKE ignores case
    and so skips a binary index; there the same filter is the range [prefix, prefix + U+10FFFF),
    exact on the upper-case search keys it is used with.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})
