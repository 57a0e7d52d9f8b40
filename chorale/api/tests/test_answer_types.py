"""Answers use PISTE's JSON types: amounts, rates, ids and counters are JSON numbers, never
numbers written as strings. The committed schema says so for every answer, and every answer
of every call — supplier side and recipient side — matches its schema."""

import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from chorale.flows.tests.factories import invoice
from chorale.invoicing.models import InvoiceRecord

from .test_deposits import deposit

DOCUMENT = yaml.safe_load(
    (Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml").read_text()
)
# The names PISTE answers with a number.
NUMERIC = re.compile(
    r"^(montant(?!Total$)|valeur|nb[A-Z]|total$|pages$|pageCourante$|id[A-Z]|idFacture$"
    r"|identifiantFactureCPP$|codeRetour$|taille|pieceJointeId$|statusCodeValue$)"
)
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _types(schema: dict) -> set[str]:
    kinds = schema.get("type")
    return set(kinds) if isinstance(kinds, list) else {kinds} if kinds else set()


def test_the_schema_types_every_numeric_answer_field_as_a_number():
    wrong = [
        f"{name}.{field}: {sorted(_types(spec))}"
        for name, schema in DOCUMENT["components"]["schemas"].items()
        if name.endswith("Out") or "Out" in name
        for field, spec in (schema.get("properties") or {}).items()
        if NUMERIC.match(field) and "$ref" not in spec and not _types(spec) & {"number", "integer"}
    ]
    assert not wrong, wrong


def strings_for_numbers(answer, where="") -> list[str]:
    """The places of an answer where a numeric field carries a string."""
    found = []
    if isinstance(answer, dict):
        for key, value in answer.items():
            if NUMERIC.match(key) and isinstance(value, str) and NUMBER.match(value):
                found.append(f"{where}.{key}={value!r}")
            found += strings_for_numbers(value, f"{where}.{key}")
    elif isinstance(answer, list):
        for index, value in enumerate(answer):
            found += strings_for_numbers(value, f"{where}[{index}]")
    return found


def test_the_walk_finds_a_number_sent_as_a_string():
    answer = {"listeTauxTva": [{"codeTauxTva": "TVA20", "valeurTauxTva": "20"}], "total": 3}
    assert strings_for_numbers(answer) == [".listeTauxTva[0].valeurTauxTva='20'"]


def _answer_schema(path: str) -> dict | None:
    operation = DOCUMENT["paths"][path].get("post") or DOCUMENT["paths"][path].get("get")
    content = operation["responses"]["200"].get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return {"$ref": schema["$ref"], "components": DOCUMENT["components"]} if schema else None


@pytest.fixture
def everything(supplier_api, recipient_api, supplier, recipient):
    """An invoice, its flow and the ids a body can name."""
    flow = deposit(supplier_api, invoice("TYPES-1"))
    sent = InvoiceRecord.objects.get(number="TYPES-1")
    return {
        "idFacture": sent.pk,
        "identifiantFactureCPP": sent.pk,
        "numeroFluxDepot": flow,
        "idStructure": supplier.pk,
        "idStructureCPP": supplier.pk,
        "idService": recipient.services.first().pk,
        "listeFacture": [{"idFacture": sent.pk}],
        "statutCourant": "MISE_A_DISPOSITION",
        "siretStructure": supplier.identifier,
        "identifiant": recipient.identifier,
        "format": "PIVOT",
    }


def test_every_answer_of_every_call_matches_its_schema_with_numbers_as_numbers(
    supplier_api, recipient_api, everything
):
    checked, wrong = 0, []
    for path, item in DOCUMENT["paths"].items():
        if not path.startswith("/cpro/") or "deposer" in path or "soumettre" in path:
            continue  # the deposits have their own tests (files, mandates)
        for side, client in (("fournisseur", supplier_api), ("destinataire", recipient_api)):
            if "get" in item:
                answer = client.http.get(path, headers=client.headers())
            else:
                answer = client.post(path, everything)
            body = answer.json()
            wrong += [f"{path} ({side}) {place}" for place in strings_for_numbers(body)]
            schema = _answer_schema(path)
            if answer.status_code == 200 and body.get("codeRetour") == 0 and schema:
                errors = sorted(Draft202012Validator(schema).iter_errors(body), key=str)
                wrong += [f"{path} ({side}) {e.json_path}: {e.message}" for e in errors]
                checked += 1
    assert not wrong, "\n".join(wrong)
    assert checked >= 40  # most calls answered (a refusal is checked by the walk only)
