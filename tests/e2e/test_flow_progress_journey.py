"""A deposit followed live: the supplier deposits a batch while the worker is slow; « Suivi des
flux » and the flow's page show the documents judged so far as a progress bar, then the compte
rendu, without the page being reloaded."""

import io
import threading
import time
import zipfile

import pytest
from django.db import connection
from playwright.sync_api import expect

from chorale.flows import processing, services
from chorale.flows.models import Flow
from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET, invoice
from conftest import make_structure, make_user
from tests.e2e.steps import menu, sign_in


def batch() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in ("F-1", "F-2", "F-3"):
            archive.writestr(f"{number}.xml", invoice(number))
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_flow_page_shows_progress_then_the_compte_rendu_without_reload(
    page, shot, accessible, monkeypatch
):
    make_structure(
        make_user("fournisseur@example.test"),
        identifier=SUPPLIER_SIRET,
        company_name="ATELIER DUPONT ET FILS",
    )
    make_structure(
        make_user("acheteur@example.test"),
        identifier=RECIPIENT_SIRET,
        company_name="COMMUNE DE BELLE-RIVIERE",
        is_private=False,
    )
    queued: list[int] = []
    monkeypatch.setattr(services, "enqueue", lambda task, flow_id: queued.append(flow_id))

    sign_in(page, "fournisseur@example.test")
    menu(page, "Factures émises")
    page.get_by_role("link", name="Déposer une facture").click()
    page.get_by_label("Fichier").set_input_files(
        files=[{"name": "lot.zip", "mimeType": "application/zip", "buffer": batch()}]
    )
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_text("Le flux attend son traitement")).to_be_visible()
    page.evaluate("window.sameDocument = true")  # gone if the page were reloaded
    accessible(page)

    # A slow worker: one document at a time, a pause after each.
    monkeypatch.setattr(processing, "CHUNK", 1)
    judge = processing._judge_chunk_safely

    def slowly(*args):
        judge(*args)
        time.sleep(1.6)

    monkeypatch.setattr(processing, "_judge_chunk_safely", slowly)

    def worker():
        try:
            processing.flow_process(queued[0])
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    progress = page.get_by_role("progressbar", name="Documents jugés")
    expect(page.get_by_text("document sur 3 jugé")).to_be_visible(timeout=10_000)
    expect(progress).to_be_visible()
    accessible(page)
    shot(page, "27-flux-en-cours-de-traitement")
    expect(page.get_by_text("Factures acceptées : 3 — rejetées : 0.")).to_be_visible(timeout=20_000)
    thread.join()
    assert page.evaluate("window.sameDocument") is True
    accessible(page)
    shot(page, "28-flux-traite-sans-recharger")

    # « Suivi des flux » follows a flow the same way.
    flow = Flow.objects.get()
    Flow.objects.filter(pk=flow.pk).update(status="IN_EN_COURS_TRAITEMENT_CPP", processed_at=None)
    menu(page, "Suivi des flux")
    expect(
        page.get_by_role("progressbar", name=f"Documents jugés du flux {flow.number}")
    ).to_be_visible()
    page.evaluate("window.sameDocument = true")
    Flow.objects.filter(pk=flow.pk).update(status="IN_INTEGRE", processed_at=flow.processed_at)
    expect(page.get_by_role("link", name=f"PDF du flux {flow.number}")).to_be_visible()
    assert page.evaluate("window.sameDocument") is True
