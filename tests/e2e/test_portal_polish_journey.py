"""The portal as people live in it: the public search finds a structure by any word of its
name; a buyer's list opens with 20 lines, keeps its size and selects a whole page at once;
amounts read the French way; a sollicitation offers only the sub-categories of its category;
the registration captcha is renewed in place and has its sound; Mon Compte shows the
rattachements. axe-core on every page; screenshots in var/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.services import invoice_start
from chorale.lifecycle.statuses import Status
from chorale.support.models import Category
from conftest import make_invoice, make_structure, make_user
from tests.e2e.steps import menu, sign_in


@pytest.mark.django_db(transaction=True)
def test_search_lists_amounts_sollicitations_captcha_and_my_account(page, shot, accessible):
    supplier = make_structure(
        make_user("fournisseur@example.test"),
        identifier="98765432400019",
        company_name="ATELIER DUPONT ET FILS",
    )
    commune = make_structure(
        make_user("acheteur@example.test"),
        identifier="21990123800010",
        company_name="COMMUNE DE BELLE-RIVIERE",
        is_private=False,
        postal_code="44999",
        city="BELLE-RIVIERE",
    )
    for n in range(25):
        record = make_invoice(supplier, commune, number=f"F-{n:02}", status=Status.DEPOSITED)
        invoice_start(record, then=(Status.ROUTING, Status.AVAILABLE))
    InvoiceRecord.objects.update(total_with_vat=2856, currency="EUR")
    # The categories a migration ships (flushed by the journeys that ran before this one).
    payment, _ = Category.objects.get_or_create(name="Paiement", parent=None)
    for name in ("Délai de paiement", "Mise en paiement"):
        Category.objects.get_or_create(name=name, parent=payment)
    Category.objects.get_or_create(name="Autre demande", parent=None)

    # The public search: any word of the name, without accents or case.
    page.goto("/structures/publiques/")
    page.get_by_label("Raison sociale").fill("rivière")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("cell", name="COMMUNE DE BELLE-RIVIERE")).to_be_visible()
    accessible(page)
    shot(page, "30-recherche-par-un-mot-du-nom")

    # The buyer's list: 20 lines, amounts the French way, a whole page selected at once.
    sign_in(page, "acheteur@example.test")
    menu(page, "Factures reçues")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(20)
    expect(page.get_by_role("cell", name="2 856,00 €").first).to_be_visible()
    page.locator("label[for=selection-all]").click()  # the DSFR box: its label takes the click
    expect(page.locator("input[name=selection]:checked")).to_have_count(20)
    page.locator("input[name=selection]").first.uncheck(force=True)
    expect(page.get_by_label("Tout sélectionner")).not_to_be_checked()
    accessible(page)
    shot(page, "31-factures-recues-tout-selectionner")
    page.get_by_label("Lignes par page").select_option("5")
    expect(rows).to_have_count(5)
    menu(page, "Factures reçues")
    expect(rows).to_have_count(5)  # the choice is kept

    # A sollicitation: the sub-categories follow the category chosen.
    page.goto("/sollicitations/emises/nouvelle/")
    sub = page.get_by_label("Sous-catégorie")
    expect(sub).to_be_disabled()
    page.get_by_label("Catégorie", exact=True).select_option(label="Paiement")
    offered = [o.strip() for o in sub.locator("option:not([hidden])").all_inner_texts()]
    assert [o for o in offered if o and not o.startswith("-")] == [
        "Délai de paiement",
        "Mise en paiement",
    ]
    accessible(page)
    shot(page, "32-sollicitation-sous-categories")

    # Mon Compte: the rattachements and the way to ask for one.
    menu(page, "Mon Compte")
    block = page.get_by_role("region", name="Mes rattachements aux structures")
    expect(block.get_by_role("cell", name="COMMUNE DE BELLE-RIVIERE")).to_be_visible()
    expect(block.get_by_role("link", name="Demander un rattachement")).to_be_visible()
    accessible(page)
    shot(page, "33-mon-compte-rattachements")

    # Registration: the captcha is renewed in place and can be heard.
    page.context.clear_cookies()
    page.goto("/compte/inscription/")
    image = page.get_by_role("img", name=re.compile("caractères à recopier"))
    before = image.get_attribute("src")
    page.get_by_role("button", name="Afficher une autre image").click()
    expect(image).not_to_have_attribute("src", before)
    expect(page.locator("audio")).to_have_attribute("src", re.compile(r"/captcha/audio/\w+\.wav"))
    expect(page.get_by_label("Adresse", exact=True)).to_have_attribute("required", "")
    accessible(page)
    shot(page, "34-inscription-captcha-sonore")
