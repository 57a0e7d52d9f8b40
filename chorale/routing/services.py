"""Routing: an accepted invoice reaches its recipient's inbox (the service it names, if any);
the supplier readdresses one sent back to be recycled."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.invoicing.model import CREDIT_NOTE_TYPES
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.models import WorksStep
from chorale.lifecycle.services import invoice_for, invoice_transition
from chorale.lifecycle.statuses import SUPPLIER, SYSTEM, Status
from chorale.lifecycle.works import awaited_by_supplier, contract_resolve
from chorale.structures.models import CheckRule, Structure

from .engagements import engagement_check
from .recipients import recipient_resolve

# Routing an accepted invoice: Déposée → En cours d'acheminement → Mise à disposition.
ROUTING_STEPS = (Status.ROUTING, Status.AVAILABLE)


def public_recipient(siret: str) -> Structure:
    """The active, validated public structure with this SIRET (an invoice's recipient)."""
    resolution = recipient_resolve([siret])
    if resolution.recipient is None or any(
        p.code == "recipient_unknown" for p in resolution.problems
    ):
        raise BusinessError(
            gettext(
                "Aucune structure publique active ne porte ce SIRET : "
                "cherchez le destinataire dans l'annuaire des structures "
                "publiques."
            ),
            "recipient_unknown",
        )
    return resolution.recipient


def _readdressed(
    invoice: InvoiceRecord, recipient_siret: str, service_code: str, engagement_number: str
) -> list[str]:
    """The invoice given the recipient, service and engagement the supplier corrected, checked
    as at deposit (« service ou engagement » included); the fields changed, to save."""
    resolution = recipient_resolve([recipient_siret], service_code, engagement_number)
    if resolution.problems:
        problem = resolution.problems[0]
        raise BusinessError(problem.message, problem.code)
    recipient, service = resolution.recipient, resolution.service
    assert recipient is not None  # no problem: the recipient was found
    check = engagement_check(
        recipient,
        service,
        invoice.supplier,
        engagement_number,
        invoice.total_with_vat,
        invoice.type_code in CREDIT_NOTE_TYPES,
    )
    if check.problems and recipient.engagement_rule == CheckRule.REJECT:
        problem = check.problems[0]
        raise BusinessError(problem.message, problem.code)
    invoice.engagement = check.engagement
    invoice.recipient, invoice.service = recipient, service
    invoice.recipient_name = recipient.company_name
    invoice.recipient_identifier = recipient.identifier
    invoice.service_code = service.code if service else ""
    invoice.engagement_number = engagement_number.strip()[:50]
    return [
        "recipient", "service", "recipient_name", "recipient_identifier", "service_code",
        "engagement_number", "engagement",
    ]  # fmt: skip


@transaction.atomic
def invoice_recycle(
    *,
    user: Any,
    invoice_id: int,
    recipient_siret: str,
    service_code: str = "",
    engagement_number: str = "",
) -> InvoiceRecord:
    """« Recycler »: the supplier corrects the routing data of an invoice sent back « À recycler »
    (recipient, service, engagement); it is routed again."""
    invoice = invoice_for(user, invoice_id, SUPPLIER)
    invoice = InvoiceRecord.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Status.TO_RECYCLE:
        raise BusinessError(
            gettext("Seule une facture « À recycler » peut être recyclée."), "not_to_recycle"
        )
    invoice.save(
        update_fields=_readdressed(invoice, recipient_siret, service_code, engagement_number)
    )
    invoice_transition(invoice_id=invoice.pk, to_status=Status.ROUTING, side=SUPPLIER, actor=user)
    return invoice_transition(invoice_id=invoice.pk, to_status=Status.AVAILABLE, side=SYSTEM)


@transaction.atomic
def works_recycle(
    *, user: Any, invoice_id: int, recipient_siret: str, market_number: str,
    service_code: str = "", engagement_number: str = "",
) -> InvoiceRecord:  # fmt: skip
    """The company readdresses a works piece sent back « En attente de recyclage » by its MOE or
    MOA: the buyer, its service, the engagement and the works contract, checked as at deposit;
    the piece goes to the (new) contract's MOE."""
    invoice = awaited_by_supplier(user, invoice_id, Status.TO_RECYCLE_WORKS)
    fields = _readdressed(invoice, recipient_siret, service_code, engagement_number)
    assert invoice.recipient is not None  # readdressed
    contract, why = contract_resolve(
        invoice.frame, invoice.supplier, invoice.recipient, market_number
    )
    if contract is None:
        raise BusinessError(why, "works_contract_unknown")
    invoice.works_contract = contract
    invoice.save(update_fields=[*fields, "works_contract"])
    comment = gettext("Recyclée : marché %(number)s, destinataire %(name)s.") % {
        "number": contract.number,
        "name": invoice.recipient_name,
    }
    invoice_transition(
        invoice_id=invoice.pk, to_status=Status.TO_MOE, side=SUPPLIER, actor=user,
        reason=comment, expected_status=Status.TO_RECYCLE_WORKS,
    )  # fmt: skip
    WorksStep.objects.create(
        invoice=invoice, role=SUPPLIER, decision=Status.TO_MOE, decided_by=user, comment=comment
    )
    return InvoiceRecord.objects.get(pk=invoice.pk)
