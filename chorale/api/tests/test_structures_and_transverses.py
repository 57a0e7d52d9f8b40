"""Structures, utilisateurs and transverses endpoints, with the aliases clients use."""

import base64
import io
import zipfile

import pytest

from chorale.api.references import reference_lists
from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET

S = "/cpro/structures/v1/"
T = "/cpro/transverses/v1/"


def test_rechercher_structure_by_siret(supplier_api, recipient):
    data = supplier_api.call(
        S + "rechercher",
        {
            "structure": {
                "identifiantStructure": RECIPIENT_SIRET,
                "typeIdentifiantStructure": "SIRET",
            }
        },
    )
    assert [s["idStructureCPP"] for s in data["listeStructures"]] == [recipient.pk]
    assert data["listeStructures"][0]["statut"] == "ACTIF"


def test_a_private_structure_is_visible_to_its_members_only(supplier_api, other_api, supplier):
    body = {"structure": {"identifiantStructure": SUPPLIER_SIRET}}
    assert len(supplier_api.call(S + "rechercher", body)["listeStructures"]) == 1
    assert other_api.call(S + "rechercher", body)["listeStructures"] == []
    hidden = other_api.post(S + "consulter", {"idStructureCPP": supplier.pk}).json()
    assert hidden["codeRetour"] == 20000


@pytest.mark.parametrize("key", ["idStructureCPP", "idStructure"])
def test_consulter_structure_with_either_key(supplier_api, supplier, key):
    data = supplier_api.call(S + "consulter", {key: supplier.pk, "codeLangue": "fr"})
    general = data["informationGenerales"]
    assert general["identifiantStructure"] == SUPPLIER_SIRET
    assert general["structurePriveePublique"] == "PRIVEE"
    assert general["dateExpirationMotPasseCompteTech"]  # its own structure: the expiry
    assert data["parametres"]["codeServiceDoitEtreRenseigne"] is False


def test_services_of_a_public_structure_and_one_service(supplier_api, recipient):
    data = supplier_api.call(S + "rechercher/services", {"idStructure": recipient.pk})
    codes = {s["codeService"]: s for s in data["listeServices"]}
    assert set(codes) == {"MARCHES", "TECHNIQUE"}
    service = supplier_api.call(
        S + "consulter/service",
        {"idStructure": recipient.pk, "idService": codes["MARCHES"]["idService"]},
    )
    assert service["parametres"]["numeroEngagement"] is True
    assert service["informationsGenerales"]["codeService"] == "MARCHES"


def test_mon_compte_rattachements(supplier_api, supplier):
    data = supplier_api.call("/cpro/utilisateurs/v1/monCompte/recuperer/rattachements", {})
    row = data["listeRattachements"][0]
    assert row["identifiantStructure"] == SUPPLIER_SIRET
    assert "FACTURES_EMISES" in row["listeEspaces"]


def test_every_reference_list_is_an_array(supplier_api):
    for path, (key, _) in reference_lists().items():
        data = supplier_api.call(T + "recuperer/" + path, {"codeLangue": "FR"})
        assert isinstance(data[key], list) and data[key], path
    rates = supplier_api.call(T + "recuperer/tauxtva", {})["listeTauxTva"]
    assert {
        "idTauxTva": 1,
        "codeTauxTva": "TVA20",
        "libelleTauxTva": "Taux normal (20 %)",
        "valeurTauxTva": 20,
    } in rates  # a JSON number, as PISTE answers (an integer where the rate is whole)
    assert '"valeurTauxTva":20}' in supplier_api.post(T + "recuperer/tauxtva").content.decode()
    assert [r["valeurTauxTva"] for r in rates if r["codeTauxTva"] == "TVA5.5"] == [5.5]
    assert any(
        d["codeDevise"] == "EUR" for d in supplier_api.call(T + "recuperer/devises")["listeDevises"]
    )


def test_rechercher_destinataire_and_annuaire(supplier_api, recipient):
    data = supplier_api.call(T + "rechercher/destinataire", {"nomVilleCodePostal": "44999"})
    assert [d["siret"] for d in data["listeDestinataires"]] == [RECIPIENT_SIRET]
    by_name = supplier_api.call(T + "rechercher/destinataire", {"nomVilleCodePostal": "commune"})
    assert len(by_name["listeDestinataires"]) == 1
    annuaire = supplier_api.call(T + "telecharger/annuaire/destinataire", {})
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(annuaire["fichierResultat"])))
    content = archive.read("annuaire-destinataires.csv").decode("utf-8-sig")
    assert RECIPIENT_SIRET in content and "MARCHES" in content


def test_information_siret_unknown_is_a_refusal(supplier_api):
    data = supplier_api.post(
        T + "consulter/information/siret", {"siretStructure": "12345678901234"}
    )
    assert data.status_code == 200 and data.json()["codeRetour"] == 20000


def test_ajouter_fichier_name_limit(supplier_api):
    answer = supplier_api.post(
        T + "ajouter/fichier", {"pieceJointeFichier": "eA==", "pieceJointeNom": "x" * 51}
    )
    assert answer.status_code == 400
    assert answer.json()["erreurs"][0]["champ"] == "pieceJointeNom"


def test_unknown_path_and_non_object_body_are_json_errors(supplier_api):
    unknown = supplier_api.post("/cpro/factures/v1/nimporte", {})
    assert unknown.status_code == 404 and unknown.json()["libelle"] == "SERVICE_INCONNU"
    listed = supplier_api.http.post(
        S + "rechercher",
        data="[1]",
        content_type="application/json",
        headers=supplier_api.headers(),
    )
    assert listed.status_code == 400 and listed.json()["libelle"] == "REQUETE_INVALIDE"
    broken = supplier_api.http.post(
        S + "rechercher", data="{", content_type="application/json", headers=supplier_api.headers()
    )
    assert broken.status_code == 400 and broken.json()["libelle"] == "JSON_INVALIDE"
