"""The paginator of the large lists: a capped count, ids first, no count for a short list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chorale.core.models import Event
from chorale.core.paging import LargeListPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    Event.objects.bulk_create(Event(kind="test", message=f"n°{n}") for n in range(12))
    return Event.objects.order_by("-id")


def counts(queries) -> int:
    return sum("COUNT(" in q["sql"].upper() for q in queries)


def test_pages_hold_the_rows_in_the_list_order(events):
    everything = list(events.values_list("message", flat=True))
    paginator = LargeListPaginator(events, 5)
    pages = [paginator.get_page(n) for n in (1, 2, 3)]
    assert [[e.message for e in page] for page in pages] == [
        everything[:5],
        everything[5:10],
        everything[10:],
    ]
    assert paginator.count == 12 and paginator.num_pages == 3 and not paginator.capped
    assert paginator.get_page("x").number == 1 and paginator.get_page(99).number == 3


def test_the_count_stops_past_the_cap(events, monkeypatch):
    monkeypatch.setattr(LargeListPaginator, "CAP", 7)
    paginator = LargeListPaginator(events, 5)
    page = paginator.get_page(2)
    assert paginator.capped and paginator.count == 8 and paginator.num_pages == 2
    assert len(page) == 3  # rows 6 to 8: the list goes as far as the cap


def test_a_short_first_page_needs_no_count(events):
    with CaptureQueriesContext(connection) as queries:
        page = LargeListPaginator(events, 20).get_page(None)
    assert len(page) == 12 and page.paginator.count == 12 and counts(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        LargeListPaginator(events, 5).get_page(1)
    assert counts(queries) == 1  # a longer list is counted (up to the cap)
