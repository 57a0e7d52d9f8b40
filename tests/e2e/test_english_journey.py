"""A supplier from abroad: switches the site to English in the header, signs in, deposits an
invoice and reads its report, all in English; axe-core on every page, in both languages."""

import pytest
from playwright.sync_api import expect

from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET, invoice
from conftest import PASSWORD, make_structure, make_user


@pytest.mark.django_db(transaction=True)
def test_a_foreign_supplier_works_in_english(page, shot, accessible):
    make_structure(
        make_user("supplier@example.test", first_name="John", last_name="Smith"),
        identifier=SUPPLIER_SIRET,
        company_name="ACME LTD",
    )
    make_structure(
        make_user("buyer@example.test"),
        identifier=RECIPIENT_SIRET,
        company_name="TOWN OF RIVERSIDE",
        is_private=False,
    )
    page.goto("/")
    accessible(page)
    page.locator(".fr-translate__btn").first.click()
    page.get_by_role("button", name="EN - English").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    accessible(page)
    shot(page, "40-home-in-english")

    page.get_by_label("Sign-in e-mail address").fill("supplier@example.test")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Event feed")).to_be_visible()
    accessible(page)
    nav = page.get_by_role("navigation", name="Main menu")
    nav.get_by_role("link", name="Invoices sent").click()
    page.get_by_role("link", name="Deposit an invoice").click()
    page.get_by_label("File").set_input_files(
        files=[{"name": "inv.xml", "mimeType": "text/xml", "buffer": invoice("INV-9")}]
    )
    accessible(page)
    page.get_by_role("button", name="Deposit", exact=True).click()
    expect(page.get_by_text("Invoices accepted: 1 — rejected: 0.")).to_be_visible()
    accessible(page)
    shot(page, "41-flow-report-in-english")
    page.get_by_role("link", name="See the invoice").click()
    expect(page.get_by_text("Invoice data")).to_be_visible()
    expect(page.get_by_text("€120.00").first).to_be_visible()
    accessible(page)
    shot(page, "42-invoice-in-english")
