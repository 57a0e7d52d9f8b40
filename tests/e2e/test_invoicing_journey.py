"""The invoicing espaces in two browsers: a supplier deposits a batch with one bad invoice
among good ones and reads the compte rendu, then types an invoice on the portal; the public
recipient suspends that invoice, the supplier completes it, the recipient marks service fait,
mandates and puts it in payment; the supplier's timeline shows every step. axe-core runs on
every page; screenshots go to var/screenshots/."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET, invoice
from chorale.structures.models import Service
from chorale.structures.services import mandate_subscribe
from conftest import make_structure, make_user, require_pango
from tests.e2e.steps import menu, sign_in


def batch() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("F-1.xml", invoice("F-1", service="TECHNIQUE"))
        archive.writestr("F-2.xml", invoice("F-2", service="TECHNIQUE"))
        archive.writestr("F-3.xml", invoice("F-3", buyer="35600000000048"))  # unknown recipient
    return buffer.getvalue()


def act(page, action: str, **fields) -> None:
    page.get_by_label("Action").select_option(label=action)
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Valider l'action").click()


@pytest.mark.django_db(transaction=True)
def test_deposit_then_suspend_complete_and_pay_across_two_browsers(
    browser, live_server, page, shot, accessible
):
    require_pango()
    atelier = make_structure(
        make_user("fournisseur@example.test", first_name="Jean", last_name="Dupont"),
        identifier=SUPPLIER_SIRET,
        company_name="ATELIER DUPONT ET FILS",
        city="LYON",
        postal_code="69002",
    )
    mandate_subscribe(membership=atelier.memberships.get())
    commune = make_structure(
        make_user("acheteur@example.test", first_name="Sophie", last_name="Bernard"),
        identifier=RECIPIENT_SIRET,
        company_name="COMMUNE DE BELLE-RIVIERE",
        is_private=False,
    )
    Service.objects.create(structure=commune, code="TECHNIQUE", label="Services techniques")

    # Supplier: a batch with one bad invoice among good ones.
    sign_in(page, "fournisseur@example.test")
    menu(page, "Factures émises")
    accessible(page)
    page.get_by_role("link", name="Déposer une facture").click()
    page.get_by_label("Fichier").set_input_files(
        files=[{"name": "lot.zip", "mimeType": "application/zip", "buffer": batch()}]
    )
    accessible(page)
    shot(page, "21-deposer-une-facture")
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_text("Factures acceptées : 2 — rejetées : 1.")).to_be_visible()
    expect(page.get_by_text("CHORALE-DESTINATAIRE-INCONNU").first).to_be_visible()
    accessible(page)
    shot(page, "22-compte-rendu-du-flux")
    menu(page, "Suivi des flux")
    expect(page.get_by_role("cell", name="lot.zip")).to_be_visible()
    accessible(page)

    # Supplier types an invoice: totals shown as one types, recomputed by the platform.
    menu(page, "Factures émises")
    page.get_by_role("link", name="Saisir une facture").click()
    page.get_by_label("SIRET du destinataire").fill(RECIPIENT_SIRET)
    page.get_by_label("Code service").fill("TECHNIQUE")
    page.get_by_label("Numéro de facture").fill("S-1")
    page.get_by_label("Désignation").fill("Réparation de bancs publics")
    page.get_by_label("Quantité").fill("4")
    page.get_by_label("Prix unitaire HT").fill("85")
    expect(page.locator("[data-total='gross']")).to_have_text("408,00 €")
    accessible(page)
    shot(page, "20-saisir-une-facture")
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.get_by_text("Factures acceptées : 1 — rejetées : 0.")).to_be_visible()

    # Recipient, in a second browser: suspends F-1.
    buyer = browser.new_context(locale="fr-FR", base_url=live_server.url).new_page()
    sign_in(buyer, "acheteur@example.test")
    menu(buyer, "Factures reçues")
    accessible(buyer)
    shot(buyer, "23-factures-recues")
    buyer.get_by_role("link", name="S-1", exact=True).click()
    accessible(buyer)
    act(buyer, "Suspendre", Motif="Merci de joindre le bon de livraison.")
    expect(buyer.get_by_text("est désormais « suspendue »")).to_be_visible()

    # Supplier completes it.
    menu(page, "Factures émises")
    page.get_by_role("link", name="S-1", exact=True).click()
    page.get_by_label("Commentaire (réponse à la suspension)").fill("Bon de livraison joint.")
    accessible(page)
    page.get_by_role("button", name="Compléter").click()
    expect(page.get_by_text("est complétée")).to_be_visible()

    # Recipient: service fait, mandat, mise en paiement.
    buyer.reload()
    act(buyer, "Service fait")
    act(buyer, "Mandater", **{"Numéro de mandat": "M-2026-0412"})
    act(buyer, "Mise en paiement")
    expect(buyer.get_by_text("est désormais « mise en paiement »")).to_be_visible()
    accessible(buyer)
    shot(buyer, "24-facture-recue-mise-en-paiement")

    # The supplier's timeline shows every step.
    page.reload()
    timeline = page.get_by_role("table", name="Cycle de vie de la facture")
    for status in (
        "Déposée", "En cours d'acheminement", "Mise à disposition", "Suspendue", "Complétée",
        "Service fait", "Mandatée", "Mise en paiement",
    ):  # fmt: skip
        expect(timeline.get_by_role("cell", name=status, exact=True)).to_be_visible()
    expect(timeline.get_by_text("M-2026-0412")).to_be_visible()
    accessible(page)
    shot(page, "25-facture-emise-cycle-de-vie")

    # The recipient's dashboard: charts, and the same figures as tables.
    menu(buyer, "Accueil connecté")
    buyer.get_by_role("link", name="Tableau de bord de mes structures").click()
    expect(
        buyer.get_by_role("table", name="Factures reçues : nombre et montant TTC par statut")
    ).to_be_visible()
    accessible(buyer)
    shot(buyer, "26-tableau-de-bord")
