"""A works piece in three browsers: the company types its projet de décompte mensuel (cadre A4)
naming the works contract; the architect (maître d'œuvre) asks for a complement, which the
company sends, then admits a corrected amount in « Factures de travaux »; the commune (maître
d'ouvrage) validates the état d'acompte, which then reaches its « Factures reçues ». axe-core
runs on every page; screenshots go to var/screenshots/."""

import pytest
from playwright.sync_api import expect

from chorale.engagements.models import WorksContract
from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from chorale.structures.services import mandate_subscribe
from conftest import make_structure, make_user, require_pango
from tests.e2e.steps import menu, sign_in

ARCHITECT = "51234567900017"


@pytest.mark.django_db(transaction=True)
def test_a_monthly_draft_goes_through_the_moe_and_the_moa(
    browser, live_server, page, shot, accessible
):
    require_pango()
    atelier = make_structure(
        make_user("entreprise@example.test"), identifier=SUPPLIER_SIRET,
        company_name="ATELIER DUPONT ET FILS",
    )  # fmt: skip
    mandate_subscribe(membership=atelier.memberships.get())
    architect = make_structure(
        make_user("architecte@example.test"), identifier=ARCHITECT,
        company_name="ATELIER D'ARCHITECTURE BELLE-RIVIERE",
    )  # fmt: skip
    commune = make_structure(
        make_user("acheteur@example.test"), identifier=RECIPIENT_SIRET,
        company_name="COMMUNE DE BELLE-RIVIERE", is_private=False,
    )  # fmt: skip
    contract = WorksContract.objects.create(
        buyer=commune, number="MT-2026-07", label="Rénovation du gymnase", moa=commune,
        moe=architect,
    )  # fmt: skip
    contract.suppliers.add(atelier)

    # The company types its monthly draft, naming the works contract.
    sign_in(page, "entreprise@example.test")
    menu(page, "Factures émises")
    page.get_by_role("link", name="Saisir une facture").click()
    page.get_by_label("SIRET du destinataire").fill(RECIPIENT_SIRET)
    page.get_by_label("Cadre de facturation").select_option("A4")
    page.get_by_label("Numéro de marché").fill("MT-2026-07")
    page.get_by_label("Numéro de facture").fill("PDM-1")
    page.get_by_label("Désignation").fill("Menuiseries, situation n° 1")
    page.get_by_label("Quantité").fill("1")
    page.get_by_label("Prix unitaire HT").fill("4000")
    accessible(page)
    shot(page, "47-saisir-un-projet-de-decompte")
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.get_by_text("Factures acceptées : 1 — rejetées : 0.")).to_be_visible()
    menu(page, "Factures de travaux")
    expect(page.get_by_role("link", name="PDM-1", exact=True)).to_be_visible()

    # The architect first asks the company for the attachment of quantities; the company
    # answers on the piece's page, and the piece comes back to the architect.
    moe = browser.new_context(locale="fr-FR", base_url=live_server.url).new_page()
    sign_in(moe, "architecte@example.test")
    menu(moe, "Factures de travaux")
    moe.get_by_role("link", name="Maîtrise d'œuvre").click()
    accessible(moe)
    shot(moe, "48-factures-de-travaux-maitrise-d-oeuvre")
    moe.get_by_role("link", name="PDM-1", exact=True).click()
    moe.get_by_label("Demander un complément à l'entreprise").check()
    moe.get_by_label("Observations").fill("Joindre l'attachement des quantités.")
    moe.get_by_role("button", name="Enregistrer la décision").click()
    expect(moe.get_by_text("Décision enregistrée.")).to_be_visible()
    page.reload()
    page.get_by_role("link", name="PDM-1", exact=True).click()
    expect(page.get_by_text("vous demande de compléter la pièce")).to_be_visible()
    page.get_by_label("Commentaire (réponse à la suspension)").fill("Attachement joint.")
    accessible(page)
    shot(page, "51-completer-une-piece-de-travaux")
    page.get_by_role("button", name="Compléter").click()
    expect(page.get_by_text("Complément envoyé.")).to_be_visible()

    # The architect admits a corrected amount: its état d'acompte goes to the commune.
    moe.reload()
    moe.get_by_label("Valider, avec le montant admis").check()
    moe.get_by_label("Montant admis TTC (€)").fill("4500")
    moe.get_by_label("Observations").fill("Quantités ramenées au constat du 30 novembre.")
    accessible(moe)
    shot(moe, "49-etablir-l-etat-d-acompte")
    moe.get_by_role("button", name="Enregistrer la décision").click()
    expect(moe.get_by_text("Décision enregistrée.")).to_be_visible()
    expect(moe.get_by_text("Transmise à la maîtrise d'ouvrage").first).to_be_visible()

    # The commune validates it as maître d'ouvrage; its financial service then receives it.
    moa = browser.new_context(locale="fr-FR", base_url=live_server.url).new_page()
    sign_in(moa, "acheteur@example.test")
    menu(moa, "Factures reçues")
    expect(moa.get_by_role("link", name="PDM-1", exact=True)).to_have_count(0)
    menu(moa, "Factures de travaux")
    moa.get_by_role("link", name="Maîtrise d'ouvrage").click()
    moa.get_by_role("link", name="PDM-1", exact=True).click()
    expect(moa.get_by_text("4 500,00").first).to_be_visible()
    moa.get_by_label("Valider, avec le montant admis").check()
    accessible(moa)
    shot(moa, "50-valider-l-etat-d-acompte")
    moa.get_by_role("button", name="Enregistrer la décision").click()
    expect(moa.get_by_text("Décision enregistrée.")).to_be_visible()
    menu(moa, "Factures reçues")
    expect(moa.get_by_role("link", name="PDM-1", exact=True)).to_be_visible()
