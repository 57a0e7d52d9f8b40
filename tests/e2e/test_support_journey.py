"""Sollicitations and the question box in the browser: a supplier asks the public recipient
about an invoice, the recipient answers, the supplier reads the answer and closes the request;
anyone asks the header's question box « comment créer une structure ? » and gets the right
article first. axe-core runs on every page; screenshots go to var/screenshots/."""

import pytest
from playwright.sync_api import expect

from chorale.invoicing.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from chorale.portal.services import help_articles_load
from chorale.support.models import Category
from conftest import make_invoice, make_structure, make_user
from tests.e2e.steps import menu, sign_in


@pytest.mark.django_db(transaction=True)
def test_supplier_asks_the_recipient_about_an_invoice_then_closes_the_answered_request(
    browser, live_server, page, shot, accessible
):
    atelier = make_structure(
        make_user("fournisseur@example.test", first_name="Jean", last_name="Dupont"),
        identifier=SUPPLIER_SIRET,
        company_name="ATELIER DUPONT ET FILS",
    )
    commune = make_structure(
        make_user("acheteur@example.test", first_name="Sophie", last_name="Bernard"),
        identifier=RECIPIENT_SIRET,
        company_name="COMMUNE DE BELLE-RIVIERE",
        is_private=False,
    )
    make_invoice(atelier, commune, number="F-2026-042")
    # The categories a migration ships (flushed by the journeys that ran before this one).
    payment, _ = Category.objects.get_or_create(name="Paiement", parent=None)
    Category.objects.get_or_create(name="Délai de paiement", parent=payment)

    # Supplier: from the invoice, a question to its recipient.
    sign_in(page, "fournisseur@example.test")
    menu(page, "Factures émises")
    page.get_by_role("link", name="F-2026-042").click()
    page.get_by_role("link", name="Poser une question sur cette facture").click()
    expect(page.get_by_label("Destinataire", exact=True)).to_have_value(RECIPIENT_SIRET)
    page.get_by_label("Catégorie", exact=True).select_option(label="Paiement")
    page.get_by_label("Sous-catégorie").select_option(label="Délai de paiement")
    page.get_by_label("Message").fill("Bonjour, quand la facture F-2026-042 sera-t-elle payée ?")
    accessible(page)
    shot(page, "41-nouvelle-sollicitation")
    page.get_by_role("button", name="Envoyer la sollicitation").click()
    expect(page.get_by_text("est envoyée")).to_be_visible()
    expect(page.locator("#statut")).to_have_text("Ouverte")
    number = page.get_by_role("heading", level=1).inner_text().removeprefix("Sollicitation ")
    accessible(page)

    # Recipient, in its own browser: the inbox, the answer.
    other = browser.new_context(locale="fr-FR", base_url=live_server.url)
    buyer = other.new_page()
    sign_in(buyer, "acheteur@example.test")
    expect(buyer.get_by_text(f"sollicitation {number}").first).to_be_visible()  # the feed
    menu(buyer, "Sollicitations reçues")
    accessible(buyer)
    buyer.get_by_role("link", name=number).click()
    expect(buyer.get_by_text("quand la facture F-2026-042 sera-t-elle payée ?")).to_be_visible()
    buyer.get_by_label("Votre réponse").fill("Elle est mandatée : paiement sous 10 jours.")
    buyer.get_by_role("button", name="Envoyer", exact=True).click()
    expect(buyer.locator("#statut")).to_have_text("Répondue")
    accessible(buyer)
    shot(buyer, "42-sollicitation-repondue")
    other.close()

    # Supplier: reads the answer and closes.
    menu(page, "Sollicitations émises")
    expect(page.get_by_role("row", name=number)).to_contain_text("Répondue")
    page.get_by_role("link", name=number).click()
    expect(page.get_by_text("Elle est mandatée : paiement sous 10 jours.")).to_be_visible()
    page.get_by_role("button", name="Clôturer la sollicitation").click()
    expect(page.locator("#statut")).to_have_text("Clôturée")
    expect(page.get_by_role("button", name="Rouvrir la sollicitation")).to_be_visible()
    expect(page.get_by_label("Votre réponse")).to_have_count(0)
    shot(page, "43-sollicitation-cloturee")


@pytest.mark.django_db(transaction=True)
def test_the_question_box_answers_how_to_create_a_structure(page, shot, accessible):
    help_articles_load()
    page.goto("/")
    page.get_by_role("button", name="Besoin d'aide ?").first.click()
    box = page.get_by_role("dialog", name="Besoin d'aide ?")
    expect(box).to_be_visible()
    box.get_by_label("Posez-moi vos questions").fill("comment créer une structure ?")
    box.get_by_role("button", name="Demander").click()
    first = box.locator(".chorale-answer-source").first
    expect(first).to_contain_text("Créer une structure ou s'y rattacher")
    accessible(page)
    shot(page, "44-boite-a-questions")
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Créer une structure ou s'y rattacher"
    )
    accessible(page)
    # Nothing matches: the box offers a sollicitation (after signing in).
    page.get_by_role("button", name="Besoin d'aide ?").first.click()
    box.get_by_label("Posez-moi vos questions").fill("xylophone")
    box.get_by_role("button", name="Demander").click()
    expect(box.get_by_text("Aucun article de l'aide en ligne ne répond")).to_be_visible()
    expect(box.get_by_role("link", name="Connectez-vous")).to_be_visible()
