"""Every business refusal the services can raise answers a stable code of its own in the Chorus
Pro style, never an English code made up on the fly."""

import ast
import re
from pathlib import Path

from chorale.api.codes import BUSINESS_CODES, UNLISTED
from chorale.api.rest import refusal
from chorale.core.errors import BusinessError

ROOT = Path(__file__).resolve().parents[2]


def raised_codes() -> set[str]:
    """The codes of every `BusinessError(message, "code")` and routing `Problem(rule, "code",
    …)` written in the platform's code."""
    found = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            position = {"BusinessError": 1, "Problem": 1}.get(name)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return found


def test_every_business_code_has_its_stable_label():
    raised = raised_codes()
    assert {"payment_order_required", "recipient_unknown", "service_required"} <= raised
    assert sorted(raised - BUSINESS_CODES.keys()) == []


def test_labels_are_chorus_codes_or_french_words_each_with_its_own_number():
    for code, (number, libelle) in BUSINESS_CODES.items():
        assert re.fullmatch(r"G[DF][PT]_MSG_\d\d\.\d{3}|[A-Z]+(_[A-Z]+)*", libelle), code
        assert not libelle.startswith("CHORALE"), code
        assert 20000 <= number < UNLISTED[0], code
    own = [number for number, libelle in BUSINESS_CODES.values() if "_MSG_" not in libelle]
    assert len(own) == len(set(own))


def test_a_refusal_answers_its_code_label_and_french_message():
    body = refusal(BusinessError("Le numéro de mandat est obligatoire.", "payment_order_required"))
    assert body.data == {
        "codeRetour": 20011,
        "libelle": "NUMERO_MANDAT_OBLIGATOIRE",
        "message": "Le numéro de mandat est obligatoire.",
    }
