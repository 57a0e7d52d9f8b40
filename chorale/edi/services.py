"""Use cases of the EDI connections: a gestionnaire declares one; an operator moves it through
qualification to production (or suspends it); a supplier's gestionnaire grants an operator's
connection the mandate to deposit for it, and may revoke it."""

import secrets
import string

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.core.feed import event_record
from chorale.structures.selectors import membership_for, structure_managers

from .models import Connection, Mandate, Stage


def _partner_code() -> str:
    """Three letters and three digits, as Chorus Pro's partner codes (« AAA999 »)."""
    while True:
        code = "".join(secrets.choice(string.ascii_uppercase) for _ in range(3)) + (
            f"{secrets.randbelow(1000):03d}"
        )
        if not Connection.objects.filter(partner_code=code).exists():
            return code


def _link(connection: Connection) -> str:
    return reverse("edi:connections", args=[connection.structure_id])


@transaction.atomic
def connection_declare(*, user, structure_id: int, fields: dict) -> Connection:
    """« Déclarer un raccordement EDI »: by a gestionnaire of the structure; it waits for the
    platform's operators."""
    structure = membership_for(user, structure_id, manager=True).structure
    connection = Connection.objects.create(
        structure=structure, declared_by=user, partner_code=_partner_code(), **fields
    )
    event_record(
        kind="structure.edi_declared",
        message=gettext(
            "Raccordement EDI %(code)s (%(protocol)s) déclaré pour %(name)s : il attend la "
            "qualification des opérateurs de la plateforme."
        )
        % {
            "code": connection.partner_code,
            "protocol": connection.protocol,
            "name": structure.company_name,
        },
        recipients=structure_managers(structure),
        actor=user,
        link=_link(connection),
    )
    return connection


NEXT_STAGES = {
    Stage.DECLARED: {Stage.QUALIFICATION, Stage.SUSPENDED},
    Stage.QUALIFICATION: {Stage.PRODUCTION, Stage.SUSPENDED},
    Stage.PRODUCTION: {Stage.SUSPENDED},
    Stage.SUSPENDED: {Stage.QUALIFICATION, Stage.PRODUCTION},
}


@transaction.atomic
def connection_stage_set(*, operator, connection_id: int, stage: str) -> Connection:
    """An operator's decision: qualification (test files judged and answered, never routed),
    production, or suspension; the structure's gestionnaires are told."""
    if not operator.is_staff:
        raise BusinessError(gettext("Réservé aux opérateurs de la plateforme."), "forbidden")
    connection = Connection.objects.select_for_update().get(pk=connection_id)
    if stage not in NEXT_STAGES[Stage(connection.stage)]:
        raise BusinessError(
            gettext("Le raccordement %(code)s ne peut pas passer de « %(from)s » à « %(to)s ».")
            % {
                "code": connection.partner_code,
                "from": Stage(connection.stage).label,
                "to": Stage(stage).label,
            },
            "transition_not_allowed",
        )
    connection.stage = stage
    now = timezone.now()
    if stage == Stage.QUALIFICATION and connection.qualification_at is None:
        connection.qualification_at = now
    if stage == Stage.PRODUCTION:
        connection.production_at = now
    connection.save(update_fields=["stage", "qualification_at", "production_at"])
    event_record(
        kind="structure.edi_stage",
        message=gettext("Raccordement EDI %(code)s de %(name)s : %(stage)s.")
        % {
            "code": connection.partner_code,
            "name": connection.structure.company_name,
            "stage": Stage(stage).label.lower(),
        },
        recipients=structure_managers(connection.structure),
        actor=operator,
        link=_link(connection),
    )
    return connection


@transaction.atomic
def mandate_grant(*, user, supplier_id: int, partner_code: str) -> Mandate:
    """A supplier's gestionnaire lets the connection `partner_code` (an opérateur de
    dématérialisation's) deposit the supplier's invoices."""
    supplier = membership_for(user, supplier_id, manager=True).structure
    connection = Connection.objects.filter(
        partner_code=(partner_code or "").strip().upper()
    ).first()
    if connection is None:
        raise BusinessError(
            gettext("Aucun raccordement EDI ne porte le code partenaire « %(code)s ».")
            % {"code": partner_code},
            "unknown_connection",
        )
    if connection.structure_id == supplier.pk:
        raise BusinessError(
            gettext(
                "Un raccordement de la structure dépose déjà pour elle : nul besoin de mandat."
            ),
            "same_structure",
        )
    try:
        with transaction.atomic():
            mandate = Mandate.objects.create(
                connection=connection, supplier=supplier, granted_by=user
            )
    except IntegrityError:
        raise BusinessError(
            gettext("Ce raccordement a déjà un mandat de %(name)s.")
            % {"name": supplier.company_name},
            "mandate_active",
        ) from None
    event_record(
        kind="structure.edi_mandate",
        message=gettext("%(supplier)s donne mandat de dépôt EDI au raccordement %(code)s.")
        % {"supplier": supplier.company_name, "code": connection.partner_code},
        recipients=[*structure_managers(supplier), *structure_managers(connection.structure)],
        actor=user,
        link=_link(connection),
    )
    return mandate


@transaction.atomic
def mandate_revoke(*, user, supplier_id: int, mandate_id: int) -> Mandate:
    supplier = membership_for(user, supplier_id, manager=True).structure
    mandate = Mandate.objects.filter(pk=mandate_id, supplier=supplier, revoked_at=None).first()
    if mandate is None:
        raise BusinessError(gettext("Mandat introuvable."), "not_found")
    mandate.revoked_at = timezone.now()
    mandate.save(update_fields=["revoked_at"])
    return mandate
