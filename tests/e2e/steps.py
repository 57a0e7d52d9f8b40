"""Steps the browser journeys share."""

from playwright.sync_api import expect

from conftest import PASSWORD


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/")
    page.get_by_label("Adresse électronique de connexion").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Fil d'événements")).to_be_visible()


def menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()
