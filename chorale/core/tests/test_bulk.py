"""Many rows at once (`insert_many`): COPY on PostgreSQL, one INSERT elsewhere or for a handful
of rows; either way the rows read back as `bulk_create` would have written them."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import DecimalField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy

from chorale.core.bulk import COPY_FROM, _Column, insert_many
from chorale.core.models import Event

pytestmark = pytest.mark.django_db

ODD = ["tab\there", "two\nlines", "back\\slash", "\\N", "", "accentué €", "quote ' and \"", "\r\n"]


@pytest.fixture
def user():
    return get_user_model().objects.create_user(email="bulk@example.org", password="x-Secret-1")


def events(user, count: int, prefix: str) -> list[Event]:
    return [
        Event(kind=f"{prefix}.{n}", message=ODD[n % len(ODD)], actor=user if n % 2 else None)
        for n in range(count)
    ]


def stored(kind_prefix: str) -> list[tuple]:
    return list(
        Event.objects.filter(kind__startswith=kind_prefix)
        .order_by("id")
        .values_list("kind", "message", "actor_id", "link")
    )


def test_many_rows_read_back_as_bulk_create_writes_them(user):
    copied = insert_many(events(user, 3 * COPY_FROM, "copied"))
    inserted = Event.objects.bulk_create(events(user, 3 * COPY_FROM, "inserted"))
    assert [(k.replace("copied", "inserted"), *rest) for k, *rest in stored("copied")] == stored(
        "inserted"
    )
    assert len({e.pk for e in copied}) == len(copied) and all(e.pk for e in copied)
    assert max(e.pk for e in copied) < min(e.pk for e in inserted)  # the same sequence
    assert all(e.created_at is not None and not e._state.adding for e in copied)
    from_database = Event.objects.get(pk=copied[1].pk)
    assert from_database.created_at == copied[1].created_at and from_database.actor == user


def test_the_objects_can_be_linked_at_once(user):
    """The pks are the rows' own: the many-to-many rows written next point at them."""
    copied = insert_many(events(user, COPY_FROM, "linked"))
    Through = Event.recipients.through
    insert_many(Through(event_id=event.pk, user_id=user.pk) for event in copied)
    assert set(user.events.values_list("pk", flat=True)) == {e.pk for e in copied}


def test_postgresql_copies_and_a_few_rows_are_one_insert(user):
    with CaptureQueriesContext(connection) as queries:
        insert_many(events(user, COPY_FROM, "many"))
        insert_many(events(user, COPY_FROM - 1, "few"))
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
    many, few = [sql for sql in writes if "core_event" in sql]
    if connection.vendor == "postgresql":
        assert many.startswith('COPY "core_event"') and many.endswith(f"{COPY_FROM} rows")
    else:
        assert many.startswith("INSERT")
    assert few.startswith("INSERT")


def test_a_failure_is_djangos_and_writes_nothing(user):
    """A row the table refuses: Django's IntegrityError, and none of the rows is kept."""
    Through = Event.recipients.through
    copied = insert_many(events(user, COPY_FROM, "refused"))
    rows = [Through(event_id=event.pk, user_id=user.pk) for event in copied]
    rows.append(Through(event_id=copied[0].pk, user_id=user.pk))  # twice the same pair
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_many(rows)
    assert not user.events.exists()


def test_each_value_is_sent_as_a_save_would_prepare_it():
    """A value of its field's plain type goes as it is; any other is prepared by Django (a
    lazy text made text); an auto_now_add time is the insert's, set on the object too."""
    now = timezone.now()
    kind, created = (_Column(Event._meta.get_field(name), now) for name in ("kind", "created_at"))
    event = Event(kind=gettext_lazy("Déposée"))
    sent = kind.value(event, connection)
    assert sent == "Déposée" and type(sent) is str
    assert created.value(event, connection) is now and event.created_at is now
    assert kind.value(Event(kind="plain"), connection) == "plain"


def test_a_value_django_would_judge_is_judged_by_django():
    """A decimal goes as it is unless Django would refuse it (NaN): then Django refuses it."""
    amount = DecimalField(max_digits=9, decimal_places=2)
    amount.set_attributes_from_name("amount")
    column = _Column(amount, timezone.now())
    assert column.value(SimpleNamespace(amount=Decimal("1.50")), connection) == Decimal("1.50")
    with pytest.raises(ValidationError):
        column.value(SimpleNamespace(amount=Decimal("NaN")), connection)
