"""« Saisie nouvelle structure », on the project's own demo register (official format)."""

import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chorale.directory.sirene.importer import import_sirene_file
from chorale.structures.models import Membership, Role, Space, Structure
from conftest import make_structure

DEMO = Path(__file__).resolve().parents[1] / "demo"
ATELIER = "98765432400019"  # open, head office, private company (5710)
COMMUNE = "21990123800010"  # open, commune (7210)
CLOSED = "98765432400027"  # closed establishment
HIDDEN = "99990000400014"  # partial diffusion


@pytest.fixture
def register(db):
    for name in ("StockUniteLegale_demo.csv", "StockEtablissement_demo.csv"):
        import_sirene_file(DEMO / name)


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def form(identifier=ATELIER, identifier_type="SIRET", action="save", **changes):
    data = {
        "identifier_type": identifier_type,
        "identifier": identifier,
        "company_name": "",
        "label": "",
        "email": "",
        "rcs_number": "",
        "is_active": "1",
        "action": action,
    }
    data.update(changes)
    return data


def text(response) -> str:
    return html.unescape(response.content.decode())


URL = "directory:structure_create"


def test_identifier_typed_in_the_search_is_carried_over(signed_in, register):
    page = text(signed_in.get(reverse(URL), {"identifier_type": "SIRET", "identifier": ATELIER}))
    assert f'value="{ATELIER}"' in page
    assert "ATELIER DUPONT ET FILS" in page
    assert "issues de la base SIRENE de l'INSEE" in page
    assert "12 RUE DES ARTISANS" in page


def test_register_values_win_over_posted_ones(signed_in, user, register):
    response = signed_in.post(reverse(URL), form(company_name="Faux Nom", address="Ailleurs"))
    structure = Structure.objects.get()
    assert response.url == reverse("structures:detail", args=[structure.pk])
    assert structure.company_name == "ATELIER DUPONT ET FILS"
    assert (structure.address, structure.postal_code, structure.city) == (
        "12 RUE DES ARTISANS",
        "69002",
        "LYON",
    )
    assert structure.is_draft and structure.is_private
    assert Membership.objects.get(structure=structure).role == Role.PRINCIPAL


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("12345", "14 chiffres"),
        ("98765432400035", "inconnu de la base SIRENE"),
        (CLOSED, "fermé"),
    ],
)
def test_bad_sirets_get_a_clear_french_error(signed_in, register, identifier, message):
    response = signed_in.post(reverse(URL), form(identifier))
    assert response.status_code == 200
    assert message in text(response)
    assert not Structure.objects.exists()


def test_partially_diffusible_unit_shows_nothing_hidden_and_asks_the_user(signed_in, register):
    page = text(signed_in.post(reverse(URL), form(HIDDEN, action="lookup")))
    assert "diffusion partielle" in page
    assert "[ND]" not in page
    refused = signed_in.post(reverse(URL), form(HIDDEN))
    assert "Indiquez la raison sociale" in text(refused)
    signed_in.post(reverse(URL), form(HIDDEN, company_name="Loueur meublé", city="NANTES"))
    structure = Structure.objects.get()
    assert structure.is_non_diffusible and structure.company_name == "Loueur meublé"


def test_public_body_from_the_register_is_not_private(signed_in, register):
    delegation = SimpleUploadedFile("delegation.pdf", b"%PDF-1.4", "application/pdf")
    signed_in.post(reverse(URL), form(COMMUNE, is_private="on", evidence=delegation))
    structure = Structure.objects.get()
    assert structure.legal_category == "7210"
    assert not structure.is_private
    assert not structure.memberships.exists()  # the operators decide who manages it


@pytest.mark.parametrize(
    ("kind", "identifier", "ok"),
    [
        ("UE_HORS_FRANCE", "DE136695976", True),
        ("UE_HORS_FRANCE", "DE136695977", False),
        ("UE_HORS_FRANCE", "FR40303265045", False),
        ("RIDET", "1234567.001", True),
        ("RIDET", "12AB", False),
        ("TAHITI", "A12345.001", True),
        ("AUTRE", "??", False),
    ],
)
def test_other_identifier_types_are_typed_in_with_format_checks(
    signed_in, db, kind, identifier, ok
):
    signed_in.post(
        reverse(URL), form(identifier, kind, company_name="Société étrangère", is_private="on")
    )
    assert Structure.objects.exists() is ok


def test_an_existing_structure_points_to_an_attachment_request(signed_in, register):
    make_structure(None, identifier=ATELIER)
    response = signed_in.post(reverse(URL), form())
    assert "demandez-y un rattachement" in text(response)


def test_validate_then_mandate_then_menu_shows_the_manager_spaces(signed_in, user, register):
    signed_in.post(reverse(URL), form())
    structure = Structure.objects.get()
    response = signed_in.post(reverse("structures:validate", args=[structure.pk]))
    assert response.url == reverse("structures:mandate", args=[structure.pk])
    mandate_page = text(signed_in.get(response.url))
    assert "Souscrire un mandat de facturation" in mandate_page and "Continuer" in mandate_page
    signed_in.post(response.url, {"action": "subscribe"})
    mandate = structure.mandates.get()
    assert mandate.subscribed_by == user and mandate.revoked_at is None
    menu = text(signed_in.get(reverse("portal:dashboard")))
    for entry in ["Activités du gestionnaire", "Factures émises", "Sollicitations émises"]:
        assert entry in menu
    assert "Factures reçues" not in menu  # a private structure receives no invoices
    spaces = set(Membership.objects.get().spaces.values_list("space", flat=True))
    assert {Space.MANAGER, Space.INVOICES_SENT, Space.REQUESTS_SENT} <= spaces


def test_a_draft_structure_is_neither_searchable_nor_public(signed_in, register, client):
    signed_in.post(reverse(URL), form(COMMUNE))
    found = signed_in.get(reverse("directory:attachment_search"), {"company_name": "BELLE"})
    assert found.context["page"].paginator.count == 0


def test_a_structure_outside_france_has_its_country(signed_in, db):
    signed_in.post(
        reverse(URL),
        form("DE136695976", "UE_HORS_FRANCE", company_name="Lieferant GmbH", is_private="on"),
    )
    german = Structure.objects.get()
    assert german.country == "DE"
    page = text(signed_in.get(reverse("structures:detail", args=[german.pk])))
    assert "Allemagne" in page
    refused = signed_in.post(
        reverse(URL),
        form("ABC-1", "HORS_UE", company_name="Supplier Inc.", is_private="on", country="FR"),
    )
    assert "hors de l'Union européenne" in text(refused)
    signed_in.post(
        reverse(URL),
        form("ABC-1", "HORS_UE", company_name="Supplier Inc.", is_private="on", country="US"),
    )
    assert Structure.objects.get(identifier="ABC-1").country == "US"


def test_an_address_with_missing_parts_never_shows_a_lone_comma(signed_in, user, db):
    from chorale.structures.models import address_lines

    assert address_lines() == []
    assert address_lines(city="LYON") == ["LYON"]
    assert address_lines(address="1 RUE", postal_code="69002", city="LYON", country="BE") == [
        "1 RUE",
        "69002 LYON",
        "Belgique",
    ]
    empty = make_structure(user, identifier="11122233300013")
    page = text(signed_in.get(reverse("structures:detail", args=[empty.pk])))
    assert "Adresse non renseignée" in page and "<p>, " not in page and ", ," not in page
