"""The two structures of the deposit tests (the API tests use them too): a supplier and a
public recipient with services."""

import pytest

from chorale.structures.models import Service
from conftest import make_structure, make_user

from .factories import RECIPIENT_SIRET, SUPPLIER_SIRET


@pytest.fixture
def supplier(db):
    return make_structure(
        make_user("fournisseur@example.test"),
        identifier=SUPPLIER_SIRET,
        company_name="ATELIER DUPONT ET FILS",
    )


@pytest.fixture
def recipient(db):
    structure = make_structure(
        make_user("acheteur@example.test"),
        identifier=RECIPIENT_SIRET,
        company_name="COMMUNE DE BELLE-RIVIERE",
        is_private=False,
        postal_code="44999",
        city="BELLE-RIVIERE",
    )
    Service.objects.create(structure=structure, code="TECHNIQUE", label="Services techniques")
    Service.objects.create(
        structure=structure, code="MARCHES", label="Marchés", requires_engagement=True
    )
    return structure
