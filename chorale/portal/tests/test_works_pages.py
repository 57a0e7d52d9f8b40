"""« Factures de travaux » in the portal: each role lists its pieces; the maître d'œuvre and
the maître d'ouvrage decide on the piece's page, the company signs; another structure and the
wrong role are refused; the buyer records a works contract."""

from chorale.engagements.models import WorksContract
from chorale.flows.tests.test_works import ARCHITECT, deposit, works  # noqa: F401
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.statuses import Status
from chorale.structures.models import Structure

from .conftest import signed_in


def test_moe_then_moa_decide_on_the_pieces_page(client, works):  # noqa: F811
    piece, _ = deposit(works)
    page = f"/factures-de-travaux/{piece.pk}/"
    architect = signed_in(client, "architecte@example.test")
    listed = architect.get("/factures-de-travaux/?role=moe").content.decode()
    assert piece.number in listed
    assert '<option value="20">20</option>' in listed  # « Lignes par page » offers its sizes
    assert "Prendre en compte" in architect.get(page).content.decode()
    architect.post(page + "prendre-en-compte/")
    assert InvoiceRecord.objects.get(pk=piece.pk).status == Status.TAKEN_MOE
    refused = architect.post(page + "decider/", {"action": "REFUS", "motif_refus": ""})
    assert refused.status_code == 400 and "motif" in refused.content.decode()
    architect.post(page + "decider/", {"action": "VALIDATION", "montant": "99.90"})
    assert InvoiceRecord.objects.get(pk=piece.pk).status == Status.TO_MOA
    assert architect.post(page + "decider/", {"action": "VALIDATION"}).status_code == 400
    buyer = signed_in(client, "acheteur@example.test")
    shown = buyer.get(page).content.decode()
    assert "99,90" in shown and "A19" in shown
    buyer.post(page + "decider/", {"action": "VALIDATION"})
    assert InvoiceRecord.objects.get(pk=piece.pk).status == Status.AVAILABLE


def test_the_company_signs_and_strangers_see_nothing(client, works):  # noqa: F811
    piece, _ = deposit(works, number="PDF-9", frame="A7")
    page = f"/factures-de-travaux/{piece.pk}/"
    stranger = signed_in(client, "autre@example.test")
    assert stranger.get(page).status_code == 404
    assert stranger.post(page + "decider/", {"action": "VALIDATION"}).status_code == 404
    company = signed_in(client, "entreprise@example.test")
    assert company.post(page + "decider/", {"action": "VALIDATION"}).status_code == 400
    assert piece.number not in company.get("/factures-emises/").content.decode()  # kept apart
    assert piece.number in company.get("/factures-de-travaux/").content.decode()
    signed_in(client, "architecte@example.test").post(page + "decider/", {"action": "VALIDATION"})
    signed_in(client, "acheteur@example.test").post(page + "decider/", {"action": "VALIDATION"})
    company = signed_in(client, "entreprise@example.test")
    assert "Signer le décompte général" in company.get(page).content.decode()
    company.post(page + "signer/", {"action": "ACCEPTATION"})
    assert InvoiceRecord.objects.get(pk=piece.pk).status == Status.AVAILABLE


def test_the_buyer_records_a_works_contract(client, works):  # noqa: F811
    buyer_structure = works["contract"].buyer
    buyer = signed_in(client, "acheteur@example.test")
    url = f"/factures-de-travaux/marches/nouveau/{buyer_structure.pk}/"
    data = {
        "number": "MT-2027-02",
        "label": "École",
        "siret_moe": ARCHITECT,
        "siret_moa": "35600000000048",  # a private structure cannot be a delegated MOA
        "sirets_entreprises": f"{works['supplier'].identifier}, 12345678900000",
    }
    refused = buyer.post(url, data)
    page = refused.content.decode()
    assert refused.status_code == 400 and "12345678900000" in page and "MOA" in page
    data["siret_moa"] = ""
    data["sirets_entreprises"] = works["supplier"].identifier
    assert buyer.post(url, data).status_code == 302
    contract = WorksContract.objects.get(number="MT-2027-02")
    assert contract.moa == buyer_structure and contract.moe.identifier == ARCHITECT
    company = signed_in(client, "entreprise@example.test")
    assert "MT-2027-02" in company.get("/factures-de-travaux/marches/").content.decode()
    other = Structure.objects.get(identifier="35600000000048")
    stranger = signed_in(client, "autre@example.test")
    assert stranger.get(f"/factures-de-travaux/marches/nouveau/{other.pk}/").status_code == 403
    assert "MT-2027-02" not in stranger.get("/factures-de-travaux/marches/").content.decode()


def test_the_company_completes_then_recycles_on_the_pieces_page(client, works):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    piece, _ = deposit(works, number="PDM-C")
    page = f"/factures-de-travaux/{piece.pk}/"
    architect = signed_in(client, "architecte@example.test")
    silent = architect.post(page + "decider/", {"action": "DEMANDE_COMPLEMENT"})
    assert silent.status_code == 400 and "motif" in silent.content.decode().lower()
    architect.post(
        page + "decider/",
        {"action": "DEMANDE_COMPLEMENT", "observations": "Joindre l'attachement"},
    )
    assert InvoiceRecord.objects.get(pk=piece.pk).status == Status.TO_COMPLETE_WORKS
    stranger = signed_in(client, "autre@example.test")
    assert stranger.post(page + "completer/", {"commentaire": "x"}).status_code == 404
    company = signed_in(client, "entreprise@example.test")
    shown = company.get(page).content.decode()
    assert "vous demande de compléter" in shown and "Joindre l&#x27;attachement" in shown
    upload = SimpleUploadedFile("attachement.pdf", b"%PDF-1.4 attachement", "application/pdf")
    company.post(page + "completer/", {"commentaire": "Voici", "pieces_jointes": upload})
    piece = InvoiceRecord.objects.get(pk=piece.pk)
    assert piece.status == Status.TO_MOE
    assert piece.events.last().attachments.get().name == "attachement.pdf"
    architect = signed_in(client, "architecte@example.test")
    architect.post(
        page + "decider/", {"action": "DEMANDE_RECYCLAGE", "observations": "Mauvais marché"}
    )
    company = signed_in(client, "entreprise@example.test")
    form = company.get(page).content.decode()
    assert 'value="MT-2026-01"' in form  # starts from what the piece says
    wrong = company.post(
        page + "recycler/", {"siret": works["contract"].buyer.identifier, "numero_marche": "X"}
    )
    assert wrong.status_code == 400 and "marché de travaux actif n° X" in wrong.content.decode()
    company.post(
        page + "recycler/",
        {"siret": works["contract"].buyer.identifier, "numero_marche": "MT-2026-01"},
    )
    assert InvoiceRecord.objects.get(pk=piece.pk).status == Status.TO_MOE
