"""Shared test helpers: factories for accounts and a reader for the links e-mails carry."""

import os
import re
from pathlib import Path

import pytest

from chorale.accounts.models import User
from chorale.accounts.services import user_update_secret

# The public test files the suite needs, shipped with the project (tests/corpus/README.md).
CORPUS = Path(__file__).resolve().parent / "tests" / "corpus"
SIRENE_SAMPLES = Path(__file__).resolve().parent / "tests" / "data" / "sirene"

PASSWORD = "Correct-Horse-42"
SECRET_ANSWER = "Médor"


def make_user(email: str = "jeanne@example.test", *, active: bool = True, **fields) -> User:
    fields.setdefault("last_name", "Martin")
    fields.setdefault("first_name", "Jeanne")
    user = User.objects.create_user(email, PASSWORD if active else None, is_active=active, **fields)
    if active:
        user_update_secret(user=user, question="first_pet", answer=SECRET_ANSWER)
    return user


def link_in(message) -> str:
    """The first http(s) link of an e-mail's text body."""
    match = re.search(r"https?://\S+", message.body)
    assert match, f"no link in e-mail {message.subject!r}"
    return match.group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def user(db) -> User:
    return make_user()


REGISTRATION = {
    "email": "Nouvelle.Utilisatrice@Example.test",
    "contact_email": "",
    "last_name": "Durand",
    "first_name": "Alice",
    "address": "3 rue de la Paix",
    "address_complement_1": "",
    "address_complement_2": "",
    "postal_code": "75002",
    "city": "Paris",
    "country": "FR",
    "phone": "+33 1 23 45 67 89",
    "fax": "",
    "captcha_0": "unused-key",
    "captcha_1": "PASSED",
}


def make_structure(principal=None, *, identifier="98765432400019", validated=True, **fields):
    """A structure (validated unless said otherwise) whose principal manager is `principal`."""
    from django.utils import timezone

    from chorale.structures.models import Membership, Role, Structure
    from chorale.structures.services import grant_default_spaces

    fields.setdefault("company_name", f"Structure {identifier}")
    structure = Structure.objects.create(
        identifier=identifier, validated_at=timezone.now() if validated else None, **fields
    )
    if principal is not None:
        membership = Membership.objects.create(
            user=principal, structure=structure, role=Role.PRINCIPAL
        )
        grant_default_spaces(membership)
    return structure


def add_member(structure, user, role="SIMPLE"):
    from chorale.structures.models import Membership

    return Membership.objects.create(user=user, structure=structure, role=role)


def make_invoice(supplier, recipient=None, *, number="F-2026-001", status="MISE_A_DISPOSITION"):
    """A deposited invoice record, as the flows leave it (status given, first event written)."""
    import datetime

    from django.utils import timezone

    from chorale.invoicing.models import InvoiceRecord

    return InvoiceRecord.objects.create(
        supplier=supplier,
        recipient=recipient,
        supplier_name=supplier.company_name,
        supplier_identifier=supplier.identifier,
        recipient_name=recipient.company_name if recipient else "",
        recipient_identifier=recipient.identifier if recipient else "",
        number=number,
        issue_date=datetime.date(2026, 11, 2),
        year=2026,
        type_code="380",
        currency="EUR",
        syntax="CII",
        profile="EN16931",
        structured_data=b"<xml/>",
        sha256="0" * 64,
        status=status,
        status_changed_at=timezone.now(),
    )


def missing_tool(message: str) -> None:
    """A tool the tests need is missing: a skip saying what to install on a laptop, a failure
    in CI (CI=true), whose .ci/run installs everything — a proof never silently skipped there."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"missing in CI: {message}", pytrace=False)
    pytest.skip(message)


def require_pango() -> None:
    """Skip (fail in CI), saying what to install, where WeasyPrint cannot load Pango."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # pragma: no cover — a machine without Pango
        missing_tool(
            f"PDF rendering needs Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0): {error}"
        )
