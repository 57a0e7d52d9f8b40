"""The invoicing spaces' tests: a supplier (ATELIER) and a public recipient (COMMUNE) with a
service, a user signed in by e-mail, an invoice routed to the recipient."""

import pytest

from chorale.invoicing.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from chorale.lifecycle.services import invoice_start
from chorale.lifecycle.statuses import Status
from chorale.structures.models import Service
from conftest import make_invoice, make_structure, make_user


@pytest.fixture
def supplier(db):
    return make_structure(
        make_user("fournisseur@example.test"), identifier=SUPPLIER_SIRET, company_name="ATELIER"
    )


@pytest.fixture
def recipient(db):
    structure = make_structure(
        make_user("acheteur@example.test"),
        identifier=RECIPIENT_SIRET,
        company_name="COMMUNE",
        is_private=False,
    )
    Service.objects.create(structure=structure, code="TECHNIQUE", label="Services techniques")
    return structure


def signed_in(client, email):
    from chorale.accounts.models import User

    client.force_login(User.objects.get(email=email))
    return client


def routed(supplier, recipient, number="F-2026-001"):
    record = make_invoice(supplier, recipient, number=number, status=Status.DEPOSITED)
    invoice_start(record, then=(Status.ROUTING, Status.AVAILABLE))
    return record
