"""An invoice's engagement juridique (BT-13) against the recipient's recorded engagements: the
one it names, how much of it is already invoiced, and the problems the recipient's parameter
turns into a rejection or a warning (docs/engagements.md)."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from chorale.core.formats import money
from chorale.engagements.models import Engagement, EngagementState, supplier_names
from chorale.invoicing.model import CREDIT_NOTE_TYPES
from chorale.invoicing.models import Status
from chorale.structures.models import Service, Structure

from .recipients import Problem

# An invoice refused or rejected draws nothing on its engagement.
NOT_DRAWING = (Status.REJECTED, Status.REFUSED_1, Status.REFUSED_2)
ZERO = Decimal("0")


def with_invoiced(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """The engagements with `invoiced`: the total TTC of the invoices drawing on each (credit
    notes count negative), one query."""
    signed = Case(
        When(invoices__type_code__in=CREDIT_NOTE_TYPES, then=-F("invoices__total_with_vat")),
        default=F("invoices__total_with_vat"),
        output_field=DecimalField(max_digits=19, decimal_places=4),
    )
    return engagements.annotate(
        invoiced=Coalesce(
            Sum(signed, filter=~Q(invoices__status__in=NOT_DRAWING)),
            Value(ZERO),
            output_field=DecimalField(max_digits=19, decimal_places=4),
        )
    )


def open_engagements(supplier: Structure, recipient: Structure) -> QuerySet[Engagement]:
    """What the saisie form offers a supplier: its open engagements with that recipient."""
    return with_invoiced(
        Engagement.objects.filter(
            structure=recipient,
            supplier_identifier__in=supplier_names(supplier.identifier),
            state=EngagementState.OPEN,
        )
    ).order_by("-notified_on", "number")


def _same_supplier(engagement: Engagement, supplier: Structure) -> bool:
    named = engagement.supplier_identifier.replace(" ", "")
    own = supplier.identifier.replace(" ", "")
    return named in supplier_names(supplier.identifier) or (
        len(named) == 14 and named[:9] == own[:9]
    )


def _judged(
    recipient: Structure, service: Service | None, found: Engagement | None, lookups: dict[Any, Any]
) -> bool:
    """A recipient that requires the engagement number, and records its engagements on the
    platform, has the number checked; one that records none is not judged on it."""
    requires = (
        recipient.requires_engagement
        or recipient.requires_service_or_engagement
        or (service is not None and service.requires_engagement)
    )
    if not requires or found is not None:
        return requires
    key = ("engagements_recorded", recipient.pk)
    if key not in lookups:
        lookups[key] = recipient.engagements.exists()
    recorded: bool = lookups[key]
    return recorded


# A recipient with at most this many engagements has them all read at its first invoice of a
# flow (one grouped query), the next invoices finding theirs in memory; a larger one is asked
# per number.
READ_AT_ONCE = 5000


def _engagement(recipient: Structure, number: str, lookups: dict[Any, Any]) -> Engagement | None:
    """The recipient's engagement with this number, with what is invoiced on it."""
    every = ("engagements", recipient.pk)
    if every not in lookups:
        mine = Engagement.objects.filter(structure=recipient)
        recorded = mine.count()
        few = recorded <= READ_AT_ONCE
        lookups[every] = {e.number: e for e in with_invoiced(mine)} if few else None
        lookups[("engagements_recorded", recipient.pk)] = recorded > 0
    known: dict[str, Engagement] | None = lookups[every]
    if known is not None:
        return known.get(number)
    key = ("engagement", recipient.pk, number)
    if key not in lookups:
        lookups[key] = with_invoiced(
            Engagement.objects.filter(structure=recipient, number=number)
        ).first()
    found: Engagement | None = lookups[key]
    return found


@dataclass
class EngagementCheck:
    engagement: Engagement | None = None
    problems: list[Problem] = field(default_factory=list)


def engagement_check(
    recipient: Structure,
    service: Service | None,
    supplier: Structure,
    number: str,
    amount: Decimal | None,
    credit_note: bool = False,
    lookups: dict[Any, Any] | None = None,
) -> EngagementCheck:
    """The engagement this number names at this recipient (linked whenever found), and, when
    the recipient has the number checked, what is wrong with it: unknown, another supplier's,
    closed, or without enough left for this invoice."""
    lookups = {} if lookups is None else lookups
    number = number.strip()
    result = EngagementCheck()
    if not number:
        return result
    engagement = result.engagement = _engagement(recipient, number, lookups)
    if not _judged(recipient, service, engagement, lookups):
        return result
    name = recipient.company_name
    if engagement is None:
        result.problems.append(
            Problem(
                "CHORALE-ENGAGEMENT-INCONNU",
                "engagement_unknown",
                gettext(
                    "Le numéro d'engagement « %(number)s » (BT-13) ne correspond à aucun "
                    "engagement juridique de %(name)s : vérifiez le bon de commande reçu."
                )
                % {"number": number, "name": name},
                "BT-13",
                number,
            )
        )
        return result
    if not _same_supplier(engagement, supplier):
        result.engagement = None  # never linked to another supplier's engagement
        result.problems.append(
            Problem(
                "CHORALE-ENGAGEMENT-AUTRE-FOURNISSEUR",
                "engagement_other_supplier",
                gettext(
                    "L'engagement « %(number)s » de %(name)s a été passé avec un autre "
                    "fournisseur que %(supplier)s."
                )
                % {"number": number, "name": name, "supplier": supplier.company_name},
                "BT-13",
                number,
            )
        )
        return result
    if engagement.state != EngagementState.OPEN:
        result.problems.append(
            Problem(
                "CHORALE-ENGAGEMENT-CLOS",
                "engagement_closed",
                gettext("L'engagement « %(number)s » de %(name)s est %(state)s.")
                % {
                    "number": number,
                    "name": name,
                    "state": EngagementState(engagement.state).label.lower(),
                },
                "BT-13",
                number,
            )
        )
        return result
    invoiced: Decimal = engagement.invoiced  # type: ignore[attr-defined]  # with_invoiced's
    left = engagement.amount - invoiced
    if amount is not None and not credit_note and amount > left:
        result.problems.append(
            Problem(
                "CHORALE-ENGAGEMENT-EPUISE",
                "engagement_exhausted",
                gettext(
                    "Le montant de la facture (%(amount)s TTC) dépasse ce qui reste à facturer "
                    "sur l'engagement « %(number)s » : %(left)s sur %(total)s."
                )
                % {
                    "amount": money(amount, engagement.currency),
                    "number": number,
                    "left": money(max(left, ZERO), engagement.currency),
                    "total": money(engagement.amount, engagement.currency),
                },
                "BT-13",
                number,
            )
        )
    return result
