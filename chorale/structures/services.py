"""Structure use cases: creation, attachment requests, roles, spaces, mandate.

Each function is atomic and records what it changed in the « Fil d'événements » of the people
concerned; people who must act are also told by e-mail.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chorale.core.errors import BusinessError
from chorale.core.feed import event_record

from .models import (
    SELF_SERVICE_SPACES,
    AttachmentRequest,
    BillingMandate,
    Membership,
    RequestStatus,
    Role,
    Space,
    SpaceSubscription,
    Structure,
)
from .selectors import structure_managers


def _manager_path(structure: Structure) -> str:
    return reverse("structures:manage", args=[structure.pk])


def _grant_spaces(membership: Membership, spaces) -> None:
    for space in spaces:
        SpaceSubscription.objects.update_or_create(
            membership=membership, space=space, defaults={"is_approved": True}
        )


def grant_default_spaces(membership: Membership) -> None:
    """The spaces a member's role opens at once (managers get the managers' spaces)."""
    _grant_spaces(membership, _default_spaces(membership))


def _default_spaces(membership: Membership) -> list[str]:
    spaces = [Space.REQUESTS_SENT]
    if membership.is_manager:
        spaces += [
            Space.MANAGER,
            Space.INVOICES_SENT,
            Space.INVOICES_TO_VALIDATE,
            Space.ENGAGEMENTS,
            Space.WORKS,
            Space.FLOWS,
        ]
        if not membership.structure.is_private:
            spaces += [Space.INVOICES_RECEIVED, Space.REQUESTS_RECEIVED]
    return spaces


def technical_member_add(*, structure: Structure, user) -> Membership:
    """Attach a technical user (API, EDI) to the structure, with the invoicing spaces it acts
    in: Factures émises, Factures à valider, Engagements juridiques, Factures de travaux and
    Suivi des flux, and Factures reçues for a public structure."""
    membership = Membership.objects.create(user=user, structure=structure, role=Role.USER)
    spaces = [Space.INVOICES_SENT, Space.INVOICES_TO_VALIDATE, Space.ENGAGEMENTS, Space.WORKS]
    spaces.append(Space.FLOWS)
    if not structure.is_private:
        spaces.append(Space.INVOICES_RECEIVED)
    _grant_spaces(membership, spaces)
    return membership


def _operators():
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(is_staff=True, is_active=True))


def _principal_of(structure: Structure) -> Membership | None:
    return structure.memberships.filter(role=Role.PRINCIPAL).select_related("user").first()


EVIDENCE_REQUIRED = gettext_lazy(
    "Joignez un justificatif de votre habilitation à gérer cette "
    "structure publique (par exemple une délégation signée par "
    "l'entité) : les opérateurs de la plateforme l'examinent."
)


def operator_request_create(*, user, structure: Structure, evidence, message: str = ""):
    """A request to manage a public structure, or one that has no gestionnaire principal: the
    platform's operators decide on the evidence uploaded. Until they approve, the applicant
    has no espace on it and no invoice reaches them."""
    if not evidence:
        raise BusinessError(EVIDENCE_REQUIRED, "evidence_required")
    if structure.memberships.filter(user=user).exists():
        raise BusinessError(gettext("Vous êtes déjà rattaché à cette structure."), "already_member")
    try:
        with transaction.atomic():
            request = AttachmentRequest.objects.create(
                user=user,
                structure=structure,
                message=message,
                for_operators=True,
                evidence=evidence,
            )
    except IntegrityError:
        raise BusinessError(
            gettext("Une demande concernant cette structure est déjà en attente."),
            "request_pending",
        ) from None
    event_record(
        kind="attachment.requested",
        message=gettext(
            "%(get_full_name)s (%(email)s) demande la gestion de la "
            "structure publique %(company_name)s (%(identifier)s) : "
            "demande instruite par les opérateurs de la plateforme."
        )
        % {
            "get_full_name": user.get_full_name(),
            "email": user.email,
            "company_name": structure.company_name,
            "identifier": structure.identifier,
        },
        recipients=[user, *_operators()],
        actor=user,
        link=reverse("structures:memberships"),
    )
    return request


@transaction.atomic
def structure_create(*, user, fields: dict, evidence=None) -> Structure:
    """« Enregistrer »: a private structure is a draft whose creator is its gestionnaire
    principal; a public one (or one asked to be public) is never handed to whoever asks
    first: it waits, without members, for the operators to decide on the evidence given."""
    existing = Structure.objects.filter(
        identifier_type=fields["identifier_type"], identifier=fields["identifier"]
    ).first()
    if existing is not None:
        if existing.is_public and _principal_of(existing) is None:
            operator_request_create(user=user, structure=existing, evidence=evidence)
            return existing
        raise BusinessError(
            gettext("Cette structure existe déjà sur la plateforme : demandez-y un rattachement."),
            "structure_exists",
        )
    structure = Structure(**fields, created_by=user)
    structure.full_clean()
    if structure.is_public:
        if not evidence:
            raise BusinessError(EVIDENCE_REQUIRED, "evidence_required")
        structure.save()
        operator_request_create(user=user, structure=structure, evidence=evidence)
        return structure
    structure.claimed_at = timezone.now()
    structure.save()
    Membership.objects.create(user=user, structure=structure, role=Role.PRINCIPAL)
    event_record(
        kind="structure.created",
        message=gettext("Structure %(company_name)s (%(identifier)s) enregistrée.")
        % {
            "company_name": structure.company_name,
            "identifier": structure.identifier,
        },
        recipients=[user],
        actor=user,
        link=reverse("structures:detail", args=[structure.pk]),
    )
    return structure


@transaction.atomic
def structure_validate(*, membership: Membership) -> Structure:
    """« Valider »: the structure becomes visible; its creator gets the managers' spaces."""
    structure = membership.structure
    if membership.role != Role.PRINCIPAL:
        raise BusinessError(
            gettext("Seul le gestionnaire principal valide la structure."), "forbidden"
        )
    if structure.validated_at is None:
        structure.validated_at = timezone.now()
        structure.save(update_fields=["validated_at", "updated_at"])
        grant_default_spaces(membership)
        event_record(
            kind="structure.validated",
            message=gettext(
                "Structure %(company_name)s validée : vous en êtes le gestionnaire principal."
            )
            % {
                "company_name": structure.company_name,
            },
            recipients=[membership.user],
            actor=membership.user,
            link=_manager_path(structure),
        )
    return structure


@transaction.atomic
def attachment_request_create(*, user, structure: Structure, message: str = ""):
    if structure.is_draft:
        raise BusinessError(gettext("Cette structure n'est pas encore validée."), "structure_draft")
    if _principal_of(structure) is None:
        raise BusinessError(
            gettext(
                "Cette structure n'a pas encore de gestionnaire principal : "
                "il est désigné par les opérateurs de la plateforme. "
            )
            + EVIDENCE_REQUIRED,
            "evidence_required",
        )
    if structure.memberships.filter(user=user).exists():
        raise BusinessError(gettext("Vous êtes déjà rattaché à cette structure."), "already_member")
    try:
        with transaction.atomic():
            request = AttachmentRequest.objects.create(
                user=user, structure=structure, message=message
            )
    except IntegrityError:
        raise BusinessError(
            gettext("Une demande de rattachement à cette structure est déjà en attente."),
            "request_pending",
        ) from None
    managers = structure_managers(structure)
    event_record(
        kind="attachment.requested",
        message=gettext(
            "%(get_full_name)s demande un rattachement à "
            "%(company_name)s (%(email)s) : à accepter ou refuser dans « "
            "Activités du gestionnaire »."
        )
        % {
            "get_full_name": user.get_full_name(),
            "company_name": structure.company_name,
            "email": user.email,
        },
        recipients=[user, *managers],
        actor=user,
        link=_manager_path(structure),
    )
    return request


@transaction.atomic
def attachment_request_decide(*, manager, request: AttachmentRequest, approve: bool, reason=""):
    request = AttachmentRequest.objects.select_for_update().get(pk=request.pk)
    if request.for_operators:
        raise BusinessError(gettext("Cette demande est instruite par les opérateurs."), "forbidden")
    if request.status != RequestStatus.PENDING:
        raise BusinessError(gettext("Cette demande a déjà été traitée."), "request_decided")
    if not approve and not reason.strip():
        raise BusinessError(gettext("Indiquez le motif du refus."), "reason_required")
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.reason = reason.strip()
    request.decided_by = manager
    request.decided_at = timezone.now()
    request.save()
    structure = request.structure
    if approve:
        membership, _ = Membership.objects.get_or_create(user=request.user, structure=structure)
        grant_default_spaces(membership)
        verdict = gettext("acceptée")
    else:
        verdict = gettext("refusée (motif : %(reason)s)") % {
            "reason": request.reason,
        }
    who = request.user.get_full_name()
    text = f"Demande de rattachement de {who} à {structure.company_name} {verdict}."
    event_record(
        kind="attachment.approved" if approve else "attachment.refused",
        message=text,
        recipients=[request.user, *structure_managers(structure)],
        actor=manager,
        link=reverse("structures:memberships"),
    )
    return request


def _locked_member(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("user", "structure")
        .get(pk=membership.pk)
    )


@transaction.atomic
def membership_set_role(*, manager, membership: Membership, role: str) -> Membership:
    """Promote to secondaire or demote to simple; the principal changes only by transfer."""
    membership = _locked_member(membership)
    if role not in (Role.SECONDARY, Role.USER) or membership.role == Role.PRINCIPAL:
        raise BusinessError(
            gettext("Le gestionnaire principal change uniquement par transfert."),
            "principal_transfer_only",
        )
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    if role == Role.SECONDARY:
        grant_default_spaces(membership)
    else:
        membership.spaces.filter(space=Space.MANAGER).delete()
    event_record(
        kind="membership.role_changed",
        message=gettext("%(get_full_name)s est désormais %(get_role_display)s de %(company_name)s.")
        % {
            "get_full_name": membership.user.get_full_name(),
            "get_role_display": membership.get_role_display().lower(),
            "company_name": membership.structure.company_name,
        },
        recipients=[membership.user, manager],
        actor=manager,
        link=reverse("structures:memberships"),
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """A manager removes a member, or a member leaves; the principal can do neither."""
    membership = _locked_member(membership)
    if membership.role == Role.PRINCIPAL:
        raise BusinessError(
            gettext(
                "Le gestionnaire principal ne peut pas quitter la structure "
                ": transférez d'abord ce rôle à un autre membre."
            ),
            "principal_cannot_leave",
        )
    structure, user = membership.structure, membership.user
    membership.delete()
    event_record(
        kind="membership.removed",
        message=gettext("Rattachement de %(get_full_name)s à %(company_name)s supprimé.")
        % {
            "get_full_name": user.get_full_name(),
            "company_name": structure.company_name,
        },
        recipients=[user, *structure_managers(structure)],
        actor=actor,
        link=reverse("structures:memberships"),
    )


@transaction.atomic
def principal_transfer(*, principal: Membership, target: Membership) -> None:
    """Exactly one principal at any time: the old one becomes secondaire in the same step."""
    principal, target = _locked_member(principal), _locked_member(target)
    if principal.role != Role.PRINCIPAL or target.structure_id != principal.structure_id:
        raise BusinessError(gettext("Transfert impossible."), "forbidden")
    if target.pk == principal.pk:
        raise BusinessError(gettext("Vous êtes déjà gestionnaire principal."), "already_principal")
    principal.role = Role.SECONDARY
    principal.save(update_fields=["role", "updated_at"])
    target.role = Role.PRINCIPAL
    target.save(update_fields=["role", "updated_at"])
    grant_default_spaces(target)
    structure = target.structure
    event_record(
        kind="membership.principal_transferred",
        message=gettext(
            "%(get_full_name)s devient gestionnaire principal de "
            "%(company_name)s à la place de %(get_full_name2)s."
        )
        % {
            "get_full_name": target.user.get_full_name(),
            "company_name": structure.company_name,
            "get_full_name2": principal.user.get_full_name(),
        },
        recipients=[principal.user, *structure_managers(structure)],
        actor=principal.user,
        link=_manager_path(structure),
    )


@transaction.atomic
def space_request(*, membership: Membership, space: str) -> SpaceSubscription:
    """« Ajouter un espace »: self-service spaces open at once, others wait for a manager."""
    approved = space in SELF_SERVICE_SPACES or membership.is_manager
    subscription, created = SpaceSubscription.objects.get_or_create(
        membership=membership, space=space, defaults={"is_approved": approved}
    )
    if not created:
        raise BusinessError(gettext("Cet espace est déjà demandé ou ouvert."), "space_exists")
    if not approved:
        structure = membership.structure
        managers = structure_managers(structure)
        event_record(
            kind="space.requested",
            message=gettext(
                "%(get_full_name)s demande l'espace « %(get_space_display)s "
                "» pour %(company_name)s."
            )
            % {
                "get_full_name": membership.user.get_full_name(),
                "get_space_display": subscription.get_space_display(),
                "company_name": structure.company_name,
            },
            recipients=[membership.user, *managers],
            actor=membership.user,
            link=_manager_path(structure),
        )
    return subscription


@transaction.atomic
def space_decide(*, manager, subscription: SpaceSubscription, approve: bool) -> None:
    user = subscription.membership.user
    label = subscription.get_space_display()
    structure = subscription.membership.structure
    if approve:
        subscription.is_approved = True
        subscription.save(update_fields=["is_approved", "updated_at"])
    else:
        subscription.delete()
    verdict = gettext("accordé") if approve else gettext("refusé")
    event_record(
        kind="space.approved" if approve else "space.refused",
        message=gettext("Espace « %(label)s » pour %(company_name)s %(verdict)s.")
        % {
            "label": label,
            "company_name": structure.company_name,
            "verdict": verdict,
        },
        recipients=[user, manager],
        actor=manager,
        link=reverse("portal:dashboard"),
    )


@transaction.atomic
def mandate_subscribe(*, membership: Membership) -> BillingMandate:
    structure = membership.structure
    if structure.mandates.filter(revoked_at__isnull=True).exists():
        raise BusinessError(gettext("Un mandat de facturation est déjà actif."), "mandate_active")
    mandate = BillingMandate.objects.create(structure=structure, subscribed_by=membership.user)
    event_record(
        kind="mandate.subscribed",
        message=gettext("Mandat de facturation souscrit pour %(company_name)s.")
        % {
            "company_name": structure.company_name,
        },
        recipients=structure_managers(structure),
        actor=membership.user,
        link=_manager_path(structure),
    )
    return mandate


@transaction.atomic
def mandate_revoke(*, membership: Membership) -> None:
    structure = membership.structure
    mandate = structure.mandates.select_for_update().filter(revoked_at__isnull=True).first()
    if mandate is None:
        raise BusinessError(gettext("Aucun mandat de facturation actif."), "no_mandate")
    mandate.revoked_by = membership.user
    mandate.revoked_at = timezone.now()
    mandate.save(update_fields=["revoked_by", "revoked_at"])
    event_record(
        kind="mandate.revoked",
        message=gettext("Mandat de facturation de %(company_name)s révoqué.")
        % {
            "company_name": structure.company_name,
        },
        recipients=structure_managers(structure),
        actor=membership.user,
        link=_manager_path(structure),
    )


@transaction.atomic
def principal_reassign(
    *, structure: Structure, user, operator, reason: str, contested: bool = False
) -> Membership:
    """Operators only (the real service's only way): appoint the gestionnaire principal of a
    structure that has none (a provisioned public structure), or whose principal left (their
    account is deactivated), or whose management was contested and found wrong
    (`contested`: the former principal is then detached, not kept). The structure is
    validated and its claim dated on the way. The change is written to the admin's history
    of the structure (audit) and to the feed."""
    from django.contrib.admin.models import CHANGE, LogEntry

    if not operator.is_staff:
        raise BusinessError(gettext("Réservé aux opérateurs de la plateforme."), "forbidden")
    if not user.is_active:
        raise BusinessError(gettext("Le compte choisi n'est pas actif."), "inactive_user")
    reason = reason.strip()
    if not reason:
        raise BusinessError(gettext("Indiquez le motif de la réattribution."), "reason_required")
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    members = Membership.objects.select_for_update().select_related("user")
    current = members.filter(structure=structure, role=Role.PRINCIPAL).first()
    if current is not None and current.user_id == user.pk:
        raise BusinessError(
            gettext("Cette personne est déjà gestionnaire principal."), "already_principal"
        )
    if current is not None and current.user.is_active and not contested:
        raise BusinessError(
            gettext(
                "%(get_full_name)s est toujours gestionnaire principal actif "
                ": il transmet lui-même son rôle. Si cette personne a quitté "
                "la structure, désactivez d'abord son compte ; si sa gestion "
                "est contestée à juste titre, cochez « Contestation fondée »."
            )
            % {
                "get_full_name": current.user.get_full_name(),
            },
            "principal_active",
        )
    if current is not None and contested:
        current.delete()
    elif current is not None:
        current.role = Role.SECONDARY
        current.save(update_fields=["role", "updated_at"])
    target = members.filter(structure=structure, user=user).first()
    if target is None:
        target = Membership(structure=structure, user=user)
    target.role = Role.PRINCIPAL
    target.save()
    now = timezone.now()
    structure.claimed_at = now
    structure.validated_at = structure.validated_at or now
    structure.save(update_fields=["claimed_at", "validated_at", "updated_at"])
    grant_default_spaces(target)
    AttachmentRequest.objects.filter(
        structure=structure, user=user, status=RequestStatus.PENDING
    ).update(status=RequestStatus.APPROVED, decided_by=operator, decided_at=now)
    former = current.user.email if current else "aucun"
    contest = gettext(" (l'ancien retiré après contestation)") if contested and current else ""
    message = gettext(
        "Gestionnaire principal désigné par %(email)s : %(former)s → "
        "%(email2)s%(contest)s. Motif : %(reason)s"
    ) % {
        "email": operator.email,
        "former": former,
        "email2": user.email,
        "contest": contest,
        "reason": reason,
    }
    LogEntry.objects.log_actions(
        user_id=operator.pk,
        queryset=Structure.objects.filter(pk=structure.pk),
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )
    concerned = [user, *structure_managers(structure)]
    if current is not None and current.user not in concerned:
        concerned.append(current.user)
    event_record(
        kind="membership.principal_reassigned",
        message=gettext(
            "%(get_full_name)s devient gestionnaire principal de "
            "%(company_name)s (désignation par le support de la "
            "plateforme)."
        )
        % {
            "get_full_name": user.get_full_name(),
            "company_name": structure.company_name,
        },
        recipients=concerned,
        actor=operator,
        link=_manager_path(structure),
    )
    return target


@transaction.atomic
def operator_request_refuse(*, operator, request: AttachmentRequest, reason: str):
    """An operator refuses a request to manage a structure, with the reason the applicant
    reads."""
    if not operator.is_staff:
        raise BusinessError(gettext("Réservé aux opérateurs de la plateforme."), "forbidden")
    request = AttachmentRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise BusinessError(gettext("Cette demande a déjà été traitée."), "request_decided")
    if not reason.strip():
        raise BusinessError(gettext("Indiquez le motif du refus."), "reason_required")
    request.status = RequestStatus.REFUSED
    request.reason = reason.strip()
    request.decided_by = operator
    request.decided_at = timezone.now()
    request.save()
    event_record(
        kind="attachment.refused",
        message=gettext(
            "Demande de gestion de %(company_name)s refusée par les "
            "opérateurs (motif : %(reason)s)."
        )
        % {
            "company_name": request.structure.company_name,
            "reason": request.reason,
        },
        recipients=[request.user],
        actor=operator,
        link=reverse("structures:memberships"),
    )
    return request
