"""API messages in the language of the body's `codeLangue` (as Chorus Pro answers), the
browser's Accept-Language before the body is read (authentication); codes never change."""

from django.test import Client


def test_a_refusal_speaks_the_language_of_code_langue(supplier_api):
    english = supplier_api.post(
        "/cpro/transverses/v1/consulterCR", {"numeroFluxDepot": "CPP0", "codeLangue": "EN"}
    ).json()
    french = supplier_api.post(
        "/cpro/transverses/v1/consulterCR", {"numeroFluxDepot": "CPP0"}
    ).json()
    assert english["libelle"] == french["libelle"] == "GDP_MSG_11.008"
    assert english["message"] == "Flow not found for this technical account."
    assert french["message"] == "Flux introuvable pour ce compte technique."


def test_invalid_requests_are_explained_in_english_too(supplier_api):
    answer = supplier_api.post(
        "/cpro/factures/v1/consulter/fournisseur",
        {"codeLangue": "en", "identifiantFactureCPP": "x"},
    )
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("Invalid request:")


def test_before_authentication_the_browser_language_is_used(db):
    answer = Client().post(
        "/cpro/transverses/v1/consulterCR",
        "{}",
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert answer.status_code == 401 and "header is missing" in answer.json()["message"]
