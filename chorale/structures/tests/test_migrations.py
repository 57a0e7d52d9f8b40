"""What migrations must leave behind: SQLite drops a table's triggers when a migration rebuilds
the table, so after `migrate` the full-text index of the structures' names is kept in step again
(and rebuilt); managers already in place get the espaces added since."""

import pytest
from django.db import connection

from chorale.structures.models import Structure
from chorale.structures.words import TRIGGERS, triggers_restore
from conftest import make_structure, make_user


@pytest.mark.django_db
def test_triggers_dropped_by_a_table_rebuild_come_back_after_migrate():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's index is an index: no trigger to lose")
    make_structure(
        make_user(), identifier="21990123800010", company_name="Commune de Belle-Rivière"
    )
    with connection.cursor() as cursor:
        for name in TRIGGERS:  # what a table rebuild does
            cursor.execute(f"DROP TRIGGER {name}")
    make_structure(
        make_user("b@example.test"), identifier="44306184100047", company_name="Atelier Rivière"
    )
    assert triggers_restore() is True
    assert triggers_restore() is False  # nothing missing now
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM structures_structure_words "
            "WHERE structures_structure_words MATCH 'riviere*'"
        )
        assert cursor.fetchone()[0] == Structure.objects.count() == 2


@pytest.mark.django_db
def test_managers_in_place_get_factures_a_valider():
    import importlib

    from django.apps import apps

    from chorale.structures.models import Space, SpaceSubscription

    structure = make_structure(make_user("g@example.test"), identifier="44306184100047")
    SpaceSubscription.objects.filter(space=Space.INVOICES_TO_VALIDATE).delete()
    migration = importlib.import_module("chorale.structures.migrations.0008_managers_validate")
    migration.forward(apps, None)
    migration.forward(apps, None)  # again: nothing twice
    granted = SpaceSubscription.objects.filter(space=Space.INVOICES_TO_VALIDATE)
    assert [(s.membership.structure, s.is_approved) for s in granted] == [(structure, True)]
