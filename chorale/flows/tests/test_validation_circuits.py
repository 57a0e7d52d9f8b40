"""Validation circuits (cadres A9 and A12): a sub-contractor's invoice waits for the titulaire
(and a co-contractor's for the mandataire) before it reaches its public recipient; refusals,
« mauvais valideur » corrected by the supplier, tacit validation after 15 days, and who may see
and do what at each step."""

import datetime

import pytest
from django.utils import timezone

from chorale.core.errors import BusinessError
from chorale.flows.services import flow_deposit
from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from chorale.invoicing.formats import write_invoice
from chorale.invoicing.models import InvoiceRecord
from chorale.invoicing.tests.factories import sample_invoice
from chorale.lifecycle.models import Validation
from chorale.lifecycle.policies import invoice_abilities
from chorale.lifecycle.statuses import Status
from chorale.lifecycle.validation import (
    invoice_validate,
    invoice_validator_correct,
    validations_expire,
)
from conftest import make_structure, make_user

TITULAIRE, MANDATAIRE = "44306184100047", "73282932000074"


@pytest.fixture
def parties(db):
    people = {
        name: make_user(f"{name}@example.test")
        for name in ("soustraitant", "titulaire", "mandataire", "acheteur", "autre")
    }
    return {
        "supplier": make_structure(people["soustraitant"], identifier=SUPPLIER_SIRET),
        "titulaire": make_structure(people["titulaire"], identifier=TITULAIRE),
        "mandataire": make_structure(people["mandataire"], identifier=MANDATAIRE),
        "recipient": make_structure(
            people["acheteur"], identifier=RECIPIENT_SIRET, is_private=False
        ),
        "other": make_structure(people["autre"], identifier="35600000000048"),
        **people,
    }


def deposit(parties, number="ST-1", frame="A9_FACTURE_SOUSTRAITANT", validators=None):
    invoice = sample_invoice(number)
    invoice.process_id = frame
    flow_deposit(
        user=parties["soustraitant"],
        supplier=parties["supplier"],
        filename=f"{number}.xml",
        content=write_invoice(invoice, "CII"),
        channel="API",
        validators=[{"siret": TITULAIRE}] if validators is None else validators,
    )
    return InvoiceRecord.objects.filter(number=number).first()


def test_the_invoice_waits_for_the_titulaire_then_reaches_the_buyer(parties):
    record = deposit(parties)
    assert (record.status, record.frame) == (Status.TO_VALIDATE_1, "A9")
    assert invoice_abilities(parties["acheteur"], record)["see"] is False  # not yet received
    assert invoice_abilities(parties["titulaire"], record)["validate"] is True
    assert invoice_abilities(parties["autre"], record)["see"] is False
    with pytest.raises(BusinessError):  # the buyer cannot validate, nor another structure
        invoice_validate(user=parties["acheteur"], invoice_id=record.pk, action="VALIDATION")
    with pytest.raises(BusinessError):
        invoice_validate(user=parties["autre"], invoice_id=record.pk, action="VALIDATION")
    record = invoice_validate(
        user=parties["titulaire"], invoice_id=record.pk, action="VALIDATION", comment="Conforme"
    )
    assert record.status == Status.AVAILABLE and record.available_at is not None
    steps = list(record.events.values_list("to_status", flat=True))
    assert steps == ["A_VALIDER_1", "VALIDEE_1", "DEPOSEE", "EN_COURS_ACHEMINEMENT",
                     "MISE_A_DISPOSITION"]  # fmt: skip
    validation = Validation.objects.get()
    assert (validation.decision, validation.comment) == ("VALIDEE_1", "Conforme")
    assert invoice_abilities(parties["acheteur"], record)["see"] is True
    assert invoice_abilities(parties["titulaire"], record)["validate"] is False


def test_two_validators_in_turn_and_a_refusal_with_its_reason(parties):
    record = deposit(parties, frame="A9", validators=[{"siret": TITULAIRE}, {"siret": MANDATAIRE}])
    record = invoice_validate(user=parties["titulaire"], invoice_id=record.pk, action="VALIDATION")
    assert record.status == Status.TO_VALIDATE_2
    with pytest.raises(BusinessError) as refused:  # a refusal says why
        invoice_validate(user=parties["mandataire"], invoice_id=record.pk, action="REFUS")
    assert refused.value.code == "reason_required"
    record = invoice_validate(
        user=parties["mandataire"], invoice_id=record.pk, action="REFUS", reason_code="AUTRE",
        reason="Montant non conforme au marché",
    )  # fmt: skip
    assert record.status == Status.REFUSED_2
    assert record.events.last().reason == "Montant non conforme au marché"


def test_a_wrong_validator_is_corrected_by_the_supplier(parties):
    record = deposit(parties, frame="A12")
    record = invoice_validate(
        user=parties["titulaire"], invoice_id=record.pk, action="REFUS",
        reason_code="MAUVAIS_VALIDEUR",
    )  # fmt: skip
    assert record.status == Status.WRONG_VALIDATOR_1
    assert invoice_abilities(parties["soustraitant"], record)["correct_validator"] is True
    with pytest.raises(BusinessError):  # only the supplier names another
        invoice_validator_correct(user=parties["titulaire"], invoice_id=record.pk, siret=MANDATAIRE)
    record = invoice_validator_correct(
        user=parties["soustraitant"], invoice_id=record.pk, siret=MANDATAIRE
    )
    assert record.status == Status.TO_VALIDATE_1
    assert invoice_abilities(parties["mandataire"], record)["validate"] is True
    assert invoice_abilities(parties["titulaire"], record)["see"] is False


def test_silence_for_15_days_counts_as_validation(parties):
    record = deposit(parties)
    assert validations_expire() == 0
    later = timezone.now() + datetime.timedelta(days=16)
    assert validations_expire(now=later) == 1
    record.refresh_from_db()
    assert record.status == Status.AVAILABLE
    assert Validation.objects.get().decision == Status.TACIT_1


@pytest.mark.parametrize(
    ("validators", "message"),
    [
        ([], "nommez-le"),
        ([{"siret": "11111111111111"}], "n'est pas une structure active"),
        ([{"siret": SUPPLIER_SIRET}], "autre structure que le fournisseur"),
        ([{"siret": TITULAIRE, "service": "NOPE"}], "service NOPE"),
    ],
)
def test_an_invoice_without_a_valid_validator_is_rejected_with_the_reason(
    parties, validators, message
):
    assert deposit(parties, validators=validators) is None
    from chorale.flows.models import FlowItem

    errors = FlowItem.objects.get().errors
    assert errors[0]["rule"] == "CHORALE-VALIDEUR" and message in errors[0]["message"]
