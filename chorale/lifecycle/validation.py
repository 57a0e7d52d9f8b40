"""Validation circuits (« Factures à valider », procurement.md §1): an invoice of cadre A9 (a
sub-contractor's, validated by the titulaire) or A12 (a co-contractor's, validated by the
mandataire) waits for each validator it names, by rank, before it is deposited and routed to
its public recipient. A validator validates, or refuses with a reason — « mauvais valideur »
sends it back to the supplier, who names another; silence for 15 days counts as validation
(CCP R2193-12/13)."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Service, Structure

from .models import Validation
from .policies import AWAITING, may_validate
from .services import invoice_for, invoice_transition
from .statuses import SUPPLIER, SYSTEM, VALIDATION, VALIDATOR, Status

TACIT_DAYS = 15
WRONG_VALIDATOR = "MAUVAIS_VALIDEUR"
# recuperer/motifs/refus/Facture/AValider for A9 and A12 (procurement.md §1.4, §2.5).
REFUSAL_REASONS = {"AUTRE": "Autre motif", WRONG_VALIDATOR: "Mauvais valideur"}


def validator_resolve(siret: str, service_code: str = "") -> tuple[Structure, Service | None]:
    """The active structure (and its service) named as validator; BusinessError otherwise."""
    siret = (siret or "").replace(" ", "")
    structure = Structure.objects.filter(
        identifier=siret, is_active=True, validated_at__isnull=False
    ).first()
    if structure is None:
        raise BusinessError(
            gettext("Le valideur %(siret)s n'est pas une structure active de la plateforme.")
            % {"siret": siret or "—"},
            "validator_unknown",
        )
    service = None
    if service_code:
        service = structure.services.filter(
            code=service_code.strip().upper(), is_active=True
        ).first()
        if service is None:
            raise BusinessError(
                gettext("Le service %(code)s du valideur %(siret)s est inconnu ou inactif.")
                % {"code": service_code, "siret": siret},
                "validator_service_unknown",
            )
    return structure, service


def validations_create(invoice: InvoiceRecord, validators: list[tuple[Structure, Any]]) -> None:
    Validation.objects.bulk_create(
        Validation(invoice=invoice, rank=rank, structure=structure, service=service)
        for rank, (structure, service) in enumerate(validators, start=1)
    )


def _onward(invoice_id: int, rank: int) -> None:
    """After a rank validated (or kept silent): the next validator, or deposited and routed."""
    if rank == 1 and Validation.objects.filter(invoice_id=invoice_id, rank=2).exists():
        invoice_transition(invoice_id=invoice_id, to_status=Status.TO_VALIDATE_2, side=SYSTEM)
        return
    for target in (Status.DEPOSITED, Status.ROUTING, Status.AVAILABLE):
        invoice_transition(invoice_id=invoice_id, to_status=target, side=SYSTEM)


@transaction.atomic
def invoice_validate(
    *, user: Any, invoice_id: int, action: str, reason_code: str = "", reason: str = "",
    comment: str = "",
) -> InvoiceRecord:  # fmt: skip
    """`traiter/factureAValider` and the « Factures à valider » page: VALIDATION or REFUS (with
    a reason; MAUVAIS_VALIDEUR sends it back to the supplier)."""
    invoice = invoice_for(user, invoice_id, VALIDATOR)
    if not may_validate(user, invoice):
        raise BusinessError(
            gettext("La facture %(number)s n'attend pas votre validation.")
            % {"number": invoice.number},
            "not_awaited",
        )
    rank = AWAITING[invoice.status]
    waiting, validated, refused, wrong, _tacit = VALIDATION[rank]
    if action == "VALIDATION":
        target = validated
    elif action == "REFUS":
        if reason_code and reason_code not in REFUSAL_REASONS:
            raise BusinessError(
                gettext("Motif de refus inconnu : %(code)s.") % {"code": reason_code},
                "reason_unknown",
            )
        target = wrong if reason_code == WRONG_VALIDATOR else refused
        reason = (reason or "").strip() or (REFUSAL_REASONS.get(reason_code) or "")
    else:
        raise BusinessError(
            gettext("Action inconnue : %(action)s (VALIDATION ou REFUS).") % {"action": action},
            "action_unknown",
        )
    invoice_transition(
        invoice_id=invoice.pk, to_status=target, side=VALIDATOR, actor=user, reason=reason,
        expected_status=waiting,
    )  # fmt: skip
    Validation.objects.filter(invoice=invoice, rank=rank).update(
        decision=target, decided_at=timezone.now(), decided_by=user, reason_code=reason_code,
        comment=comment.strip(),
    )  # fmt: skip
    if target == validated:
        _onward(invoice.pk, rank)
    return InvoiceRecord.objects.get(pk=invoice.pk)


@transaction.atomic
def invoice_validator_correct(
    *, user: Any, invoice_id: int, siret: str, service_code: str = ""
) -> InvoiceRecord:
    """`corriger/valideur/facture`: after « mauvais valideur », the supplier names another."""
    invoice = invoice_for(user, invoice_id, SUPPLIER)
    ranks: dict[str, int] = {VALIDATION[rank][3]: rank for rank in VALIDATION}
    if invoice.status not in ranks:
        raise BusinessError(
            gettext("Le valideur de la facture %(number)s ne peut pas être changé maintenant.")
            % {"number": invoice.number},
            "transition_not_allowed",
        )
    structure, service = validator_resolve(siret, service_code)
    if structure.pk == invoice.supplier_id:
        raise BusinessError(
            gettext("Le valideur doit être une autre structure que le fournisseur."),
            "validator_is_supplier",
        )
    rank = ranks[invoice.status]
    Validation.objects.filter(invoice=invoice, rank=rank).update(
        structure=structure, service=service, decision="", decided_at=None, decided_by=None,
        reason_code="", comment="",
    )  # fmt: skip
    invoice_transition(
        invoice_id=invoice.pk, to_status=VALIDATION[rank][0], side=SUPPLIER, actor=user
    )
    return InvoiceRecord.objects.get(pk=invoice.pk)


def validations_expire(now: datetime.datetime | None = None) -> int:
    """Invoices awaiting a validator for more than 15 days go on as validated (tacit
    validation); how many moved. Run by the worker's sweep."""
    limit = (now or timezone.now()) - datetime.timedelta(days=TACIT_DAYS)
    moved = 0
    for rank, (waiting, *_rest, tacit) in VALIDATION.items():
        for pk in InvoiceRecord.objects.filter(
            status=waiting, status_changed_at__lt=limit
        ).values_list("pk", flat=True):
            with transaction.atomic():
                try:
                    invoice_transition(
                        invoice_id=pk, to_status=tacit, side=SYSTEM, expected_status=waiting
                    )
                except BusinessError:  # decided meanwhile
                    continue
                Validation.objects.filter(invoice_id=pk, rank=rank).update(
                    decision=tacit, decided_at=timezone.now()
                )
                _onward(pk, rank)
                moved += 1
    return moved
