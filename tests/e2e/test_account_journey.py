"""A newcomer's journey through the real pages: register, activate, use Mon Compte, sign out,
sign in, forget the password and choose a new one (issue: foundation, steps 3 to 6)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from chorale.portal.models import News
from tests.e2e.steps import sign_in

EMAIL = "claire.dubois@example.test"
FIRST_PASSWORD = "Premier-Mot-2026"
SECOND_PASSWORD = "Deuxième-Mot-2027"
THIRD_PASSWORD = "Troisième-Mot-2028"


def last_link() -> str:
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0)


@pytest.mark.django_db(transaction=True)
def test_newcomer_registers_activates_manages_account_and_resets_password(page, shot, accessible):
    News.objects.create(title="Ouverture de Chorale", body="La plateforme ouvre ses portes.")

    # Public home: the four blocks, the header links.
    page.goto("/")
    for heading in [
        "Vous avez déjà un compte ?",
        "Actualités",
        "Vous êtes nouveau ?",
        "Rechercher une structure publique",
    ]:
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text("Ouverture de Chorale")).to_be_visible()
    expect(page.get_by_role("link", name="Aide en ligne").first).to_be_visible()
    expect(page.get_by_role("button", name="Besoin d'aide ?").first).to_be_visible()
    accessible(page)
    shot(page, "01-accueil-public")

    # Créer votre compte.
    page.get_by_role("main").get_by_role("link", name="Créer votre compte").click()
    expect(page.get_by_role("heading", name="Créer votre compte")).to_be_visible()
    accessible(page)
    page.get_by_label("Adresse électronique de connexion").fill(EMAIL)
    page.get_by_label("Nom", exact=False).first.fill("Dubois")
    page.get_by_label("Prénom").fill("Claire")
    page.get_by_label("Adresse", exact=False).nth(2).fill("8 avenue des Tilleuls")
    page.get_by_label("Code postal").fill("44000")
    page.get_by_label("Ville").fill("Nantes")
    page.get_by_label("Téléphone").fill("02 40 00 00 00")
    expect(page.get_by_role("img", name=re.compile("caractères à recopier"))).to_be_visible()
    page.get_by_label("Entrez les caractères générés par l'image").fill("PASSED")
    shot(page, "02-creer-votre-compte")
    page.get_by_role("button", name="Finaliser l'inscription").click()
    expect(page.get_by_role("heading", name="Vérifiez votre messagerie")).to_be_visible()
    accessible(page)
    shot(page, "03-inscription-envoyee")

    # The activation e-mail and its page, with the live password meter.
    assert mail.outbox[-1].to == [EMAIL]
    page.goto(last_link())
    expect(page.get_by_role("heading", name="Activation du compte utilisateur")).to_be_visible()
    password = page.get_by_label(re.compile(r"^\s*Mot de passe"))
    password.fill("abc")
    expect(page.get_by_text("Complexité du mot de passe : trop faible")).to_be_visible()
    password.fill(FIRST_PASSWORD)
    expect(page.get_by_text("Complexité du mot de passe : forte")).to_be_visible()
    page.get_by_label("Confirmation du mot de passe").fill(FIRST_PASSWORD)
    page.get_by_label("Question secrète").select_option("first_school")
    page.get_by_label("Réponse").fill("Jules Ferry")
    accessible(page)
    shot(page, "04-activation-du-compte")
    page.get_by_role("button", name="Valider").click()

    # Accueil connecté.
    expect(page.get_by_text("Votre compte est activé.")).to_be_visible()
    expect(page.get_by_text("Aucun fil d'événements trouvé.")).to_be_visible()
    expect(page.get_by_role("heading", name="Mes espaces")).to_be_visible()
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()
    accessible(page)
    shot(page, "05-accueil-connecte")

    # Mon Compte: personal information, then the password.
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mon Compte"
    ).click()
    page.get_by_label("Ville").fill("Saint-Nazaire")
    page.get_by_label("Adresse électronique de contact").fill("claire.contact@example.test")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos informations personnelles ont été enregistrées.")).to_be_visible()
    expect(page.get_by_label("Ville")).to_have_value("Saint-Nazaire")
    accessible(page)
    shot(page, "06-mon-compte")
    page.get_by_role("link", name="Mot de passe", exact=True).click()
    page.get_by_label("Mot de passe actuel").fill(FIRST_PASSWORD)
    page.get_by_label(re.compile(r"^\s*Nouveau mot de passe")).fill(SECOND_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(SECOND_PASSWORD)
    accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre mot de passe a été modifié.")).to_be_visible()

    # Déconnexion, then sign in with the new password.
    page.get_by_role("button", name="Déconnexion").click()
    expect(page.get_by_role("heading", name="Vous avez déjà un compte ?")).to_be_visible()
    sign_in(page, EMAIL, SECOND_PASSWORD)
    page.get_by_role("button", name="Déconnexion").click()

    # Mot de passe oublié ? — the link goes to the contact address, the secret answer opens it.
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    accessible(page)
    page.get_by_label("Adresse électronique de connexion").fill(EMAIL)
    page.get_by_label("Entrez les caractères générés par l'image").fill("PASSED")
    page.get_by_role("button", name="Envoyer le lien").click()
    expect(page.get_by_role("heading", name="Vérifiez votre messagerie")).to_be_visible()
    assert mail.outbox[-1].to == ["claire.contact@example.test"]
    page.goto(last_link())
    page.get_by_label("Quel était le nom de votre première école ?").fill("jules  ferry")
    page.get_by_label(re.compile(r"^\s*Mot de passe")).fill(THIRD_PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(THIRD_PASSWORD)
    accessible(page)
    shot(page, "07-nouveau-mot-de-passe")
    page.get_by_role("button", name="Valider").click()
    expect(
        page.get_by_text("Votre mot de passe a été modifié. Vous pouvez vous connecter.")
    ).to_be_visible()
    sign_in(page, EMAIL, THIRD_PASSWORD)
    shot(page, "08-connecte-apres-reinitialisation")
