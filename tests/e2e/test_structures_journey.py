"""A supplier attaches to a public structure and creates its own company from the register;
the public structure's manager approves the request in a second browser (structures issue,
steps 1 to 3 and the approval)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from chorale.directory.sirene.importer import import_sirene_file
from conftest import make_structure, make_user
from tests.e2e.steps import sign_in

DEMO = Path(__file__).resolve().parents[2] / "chorale" / "directory" / "demo"
ATELIER = "98765432400019"


@pytest.mark.django_db(transaction=True)
def test_supplier_attaches_creates_its_structure_and_manager_approves(
    browser, live_server, page, shot, accessible
):
    for name in ("StockUniteLegale_demo.csv", "StockEtablissement_demo.csv"):
        import_sirene_file(DEMO / name)
    mayor = make_user("maire@example.test", first_name="Anne", last_name="Lemaire")
    make_structure(
        mayor,
        identifier="21990123800010",
        company_name="COMMUNE DE BELLE-RIVIERE",
        is_private=False,
        city="BELLE-RIVIERE",
    )
    make_user("claire@example.test", first_name="Claire", last_name="Dubois")

    # 1. Mes rattachements aux structures: empty.
    sign_in(page, "claire@example.test")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mon Compte"
    ).click()
    page.get_by_role("link", name="Mes rattachements aux structures").click()
    expect(page.get_by_text("5 lignes par page (0 lignes)")).to_be_visible()
    accessible(page)
    shot(page, "11-mes-rattachements-vide")

    # 2. Demander un rattachement: search, then request.
    page.get_by_role("link", name="Demander un rattachement").click()
    page.get_by_label("Raison sociale").fill("commune")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("cell", name="COMMUNE DE BELLE-RIVIERE", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="XLSX")).to_be_visible()
    accessible(page)
    shot(page, "12-demander-un-rattachement")
    page.get_by_role("link", name="Demander le rattachement").click()
    page.get_by_label("Message au gestionnaire").fill("Je suis la comptable du fournisseur.")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(
        page.get_by_text("Demande de rattachement à COMMUNE DE BELLE-RIVIERE envoyée")
    ).to_be_visible()

    # 3. Nothing found for her own company: « Saisir une nouvelle structure », pre-filled.
    page.goto("/structures/rattachement/demander/")
    page.get_by_label("Type d'identifiant").select_option("SIRET")
    page.get_by_label(re.compile(r"^\s*Identifiant")).fill(ATELIER)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Aucune structure ne correspond à ces critères.")).to_be_visible()
    page.get_by_role("link", name="Saisir une nouvelle structure").click()
    expect(page.get_by_role("heading", name="Saisie nouvelle structure")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^\s*Identifiant"))).to_have_value(ATELIER)
    expect(page.get_by_text("ATELIER DUPONT ET FILS")).to_be_visible()
    expect(page.get_by_text("issues de la base SIRENE de l'INSEE")).to_be_visible()
    page.get_by_label("Libellé de la structure").fill("Atelier Dupont")
    accessible(page)
    shot(page, "13-saisie-nouvelle-structure")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="ATELIER DUPONT ET FILS")).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", name="Souscrire un mandat de facturation")).to_be_visible()
    accessible(page)
    shot(page, "14-mandat-de-facturation")
    page.get_by_role("button", name="Souscrire un mandat de facturation").click()
    menu = page.get_by_role("navigation", name="Menu principal")
    for entry in ["Activités du gestionnaire", "Factures émises", "Sollicitations émises"]:
        expect(menu.get_by_role("link", name=entry)).to_be_visible()
    expect(
        page.get_by_text("Mandat de facturation souscrit pour ATELIER DUPONT ET FILS.")
    ).to_be_visible()
    accessible(page)
    shot(page, "15-accueil-gestionnaire")

    # The manager of the public structure approves, in a second browser.
    other = browser.new_context(
        locale="fr-FR", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    mayor_page = other.new_page()
    sign_in(mayor_page, "maire@example.test")
    expect(mayor_page.get_by_text("Claire Dubois demande un rattachement")).to_be_visible()
    mayor_page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Activités du gestionnaire"
    ).click()
    expect(mayor_page.get_by_text("Je suis la comptable du fournisseur.")).to_be_visible()
    accessible(mayor_page)
    shot(mayor_page, "16-activites-du-gestionnaire")
    mayor_page.get_by_role("button", name="Accepter").click()
    expect(mayor_page.get_by_text("Demande acceptée.")).to_be_visible()
    other.close()

    # Back in the first browser: two rattachements now.
    page.goto("/structures/rattachements/")
    expect(page.get_by_text("5 lignes par page (2 lignes)")).to_be_visible()
    expect(page.get_by_role("cell", name="Utilisateur simple")).to_be_visible()
    expect(page.get_by_role("cell", name="Gestionnaire principal")).to_be_visible()
    shot(page, "17-mes-rattachements")
