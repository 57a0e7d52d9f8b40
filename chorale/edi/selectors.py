"""Reads of the EDI connections, always through the user's memberships."""

from django.db.models import QuerySet

from chorale.structures.models import Structure

from .models import Connection, Mandate


def connections_of(structure: Structure) -> QuerySet[Connection]:
    return structure.edi_connections.order_by("-declared_at")


def mandates_given(structure: Structure) -> QuerySet[Mandate]:
    return Mandate.objects.filter(supplier=structure).select_related("connection__structure")


def mandates_received(structure: Structure) -> QuerySet[Mandate]:
    return Mandate.objects.filter(connection__structure=structure, revoked_at=None).select_related(
        "supplier", "connection"
    )


def may_deposit_for(connection: Connection, supplier: Structure) -> bool:
    """A connection deposits for its own structure, or for a supplier whose live mandate it
    holds; and only once an operator let it exchange (qualification or production)."""
    if not connection.may_exchange:
        return False
    if connection.structure_id == supplier.pk:
        return True
    return connection.mandates.filter(supplier=supplier, revoked_at=None).exists()
