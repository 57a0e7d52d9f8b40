"""Routing: an accepted invoice reaches its recipient's inbox (the service it names, if any)."""

from django.db import transaction

from chorale.core.errors import BusinessError
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.services import invoice_for, invoice_transition
from chorale.lifecycle.statuses import SUPPLIER, SYSTEM, Status
from chorale.structures.models import IdentifierType, Structure

# Routing an accepted invoice: Déposée → En cours d'acheminement → Mise à disposition.
ROUTING_STEPS = (Status.ROUTING, Status.AVAILABLE)


def public_recipient(siret: str) -> Structure:
    """The active, validated public structure with this SIRET (an invoice's recipient)."""
    recipient = Structure.objects.filter(
        identifier_type=IdentifierType.SIRET,
        identifier=siret.replace(" ", ""),
        is_private=False,
        is_active=True,
        validated_at__isnull=False,
    ).first()
    if recipient is None:
        raise BusinessError(
            "Aucune structure publique active ne porte ce SIRET : cherchez le destinataire "
            "dans l'annuaire des structures publiques.",
            "recipient_unknown",
        )
    return recipient


@transaction.atomic
def invoice_recycle(
    *,
    user,
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
            "Seule une facture « À recycler » peut être recyclée.", "not_to_recycle"
        )
    recipient = public_recipient(recipient_siret)
    service = None
    if service_code:
        service = recipient.services.filter(
            code=service_code.strip().upper(), is_active=True
        ).first()
        if service is None:
            raise BusinessError(
                "Ce code service ne désigne aucun service actif du destinataire.", "service_unknown"
            )
    if recipient.requires_service_code and service is None:
        raise BusinessError("Ce destinataire exige un code service.", "service_required")
    if (
        recipient.requires_engagement or (service and service.requires_engagement)
    ) and not engagement_number.strip():
        raise BusinessError("Ce destinataire exige un numéro d'engagement.", "engagement_required")
    invoice.recipient, invoice.service = recipient, service
    invoice.recipient_name, invoice.recipient_identifier = (
        recipient.company_name,
        recipient.identifier,
    )
    invoice.service_code = service.code if service else ""
    invoice.engagement_number = engagement_number.strip()[:50]
    invoice.save(
        update_fields=[
            "recipient",
            "service",
            "recipient_name",
            "recipient_identifier",
            "service_code",
            "engagement_number",
        ]
    )
    invoice_transition(invoice_id=invoice.pk, to_status=Status.ROUTING, side=SUPPLIER, actor=user)
    return invoice_transition(invoice_id=invoice.pk, to_status=Status.AVAILABLE, side=SYSTEM)
