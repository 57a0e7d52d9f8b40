"""A sub-contractor's invoice (cadre A9) in three browsers: the sub-contractor types it and names
the titulaire; the titulaire validates it in « Factures à valider »; only then does the public
buyer receive it, and the sub-contractor's timeline shows each step. axe-core runs on every
page; screenshots go to var/screenshots/."""

import pytest
from playwright.sync_api import expect

from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from chorale.structures.models import Service
from chorale.structures.services import mandate_subscribe
from conftest import make_structure, make_user, require_pango
from tests.e2e.steps import menu, sign_in

TITULAIRE = "91234567500017"


@pytest.mark.django_db(transaction=True)
def test_a_sub_contractors_invoice_goes_through_the_titulaire_first(
    browser, live_server, page, shot, accessible
):
    require_pango()
    atelier = make_structure(
        make_user("soustraitant@example.test"), identifier=SUPPLIER_SIRET,
        company_name="ATELIER DUPONT ET FILS",
    )  # fmt: skip
    mandate_subscribe(membership=atelier.memberships.get())
    make_structure(
        make_user("titulaire@example.test"), identifier=TITULAIRE,
        company_name="INFORMATIQUE SERVICES BELLE-RIVIERE",
    )  # fmt: skip
    commune = make_structure(
        make_user("acheteur@example.test"), identifier=RECIPIENT_SIRET,
        company_name="COMMUNE DE BELLE-RIVIERE", is_private=False,
    )  # fmt: skip
    Service.objects.create(structure=commune, code="TECHNIQUE", label="Services techniques")

    # The sub-contractor types its invoice, cadre A9, naming the titulaire.
    sign_in(page, "soustraitant@example.test")
    menu(page, "Factures émises")
    page.get_by_role("link", name="Saisir une facture").click()
    page.get_by_label("SIRET du destinataire").fill(RECIPIENT_SIRET)
    page.get_by_label("Code service").fill("TECHNIQUE")
    page.get_by_label("Cadre de facturation").select_option("A9")
    page.get_by_label("SIRET du valideur (cadres A9 et A12)").fill(TITULAIRE)
    page.get_by_label("Numéro de facture").fill("ST-1")
    page.get_by_label("Désignation").fill("Câblage du gymnase")
    page.get_by_label("Quantité").fill("3")
    page.get_by_label("Prix unitaire HT").fill("450")
    accessible(page)
    shot(page, "43-saisir-une-facture-de-sous-traitant")
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.get_by_text("Factures acceptées : 1 — rejetées : 0.")).to_be_visible()

    # The buyer does not see it yet.
    buyer = browser.new_context(locale="fr-FR", base_url=live_server.url).new_page()
    sign_in(buyer, "acheteur@example.test")
    menu(buyer, "Factures reçues")
    expect(buyer.get_by_role("link", name="ST-1", exact=True)).to_have_count(0)

    # The titulaire validates it.
    titulaire = browser.new_context(locale="fr-FR", base_url=live_server.url).new_page()
    sign_in(titulaire, "titulaire@example.test")
    menu(titulaire, "Factures à valider")
    accessible(titulaire)
    shot(titulaire, "44-factures-a-valider")
    titulaire.get_by_role("link", name="ST-1", exact=True).click()
    titulaire.get_by_label("Valider", exact=True).check()
    titulaire.get_by_label("Complément d'information").fill("Travaux réceptionnés.")
    accessible(titulaire)
    shot(titulaire, "45-valider-une-facture")
    titulaire.get_by_role("button", name="Enregistrer la décision").click()
    expect(titulaire.get_by_text("Décision enregistrée.")).to_be_visible()
    expect(titulaire.get_by_text("Validée par le premier valideur").first).to_be_visible()

    # Now the buyer receives it, and the sub-contractor's timeline shows each step.
    menu(buyer, "Factures reçues")
    expect(buyer.get_by_role("link", name="ST-1", exact=True)).to_be_visible()
    menu(page, "Factures émises")
    page.get_by_role("link", name="ST-1", exact=True).click()
    timeline = page.get_by_role("table", name="Cycle de vie de la facture")
    for status in ("À valider (premier valideur)", "Validée par le premier valideur",
                   "Déposée", "Mise à disposition"):  # fmt: skip
        expect(timeline.get_by_role("cell", name=status, exact=True)).to_be_visible()
    accessible(page)
    shot(page, "46-facture-de-sous-traitant-cycle-de-vie")
