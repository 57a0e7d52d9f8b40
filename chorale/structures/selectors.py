"""Reads of structure-owned data, always through the acting user's memberships."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from .models import (
    MANAGER_ROLES,
    AttachmentRequest,
    Membership,
    RequestStatus,
    SpaceSubscription,
    Structure,
)


def memberships_for_user(user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("structure")
        .order_by("structure__company_name", "structure__identifier")
    )


def membership_for(user, structure_id: int, *, manager: bool = False) -> Membership:
    """The user's membership of that structure, or 404 (never reveal another's structure)."""
    queryset = Membership.objects.select_related("structure").filter(
        user=user, structure_id=structure_id
    )
    if manager:
        queryset = queryset.filter(role__in=MANAGER_ROLES)
    membership = queryset.first()
    if membership is None:
        raise Http404(gettext("Structure introuvable."))
    return membership


def managed_structures(user) -> QuerySet[Structure]:
    return Structure.objects.filter(
        memberships__user=user, memberships__role__in=MANAGER_ROLES
    ).order_by("company_name")


def structure_managers(structure: Structure) -> list:
    """The people who manage the structure (principal and secondary gestionnaires)."""
    return [
        m.user for m in structure.memberships.filter(role__in=MANAGER_ROLES).select_related("user")
    ]


def structure_members(structure: Structure) -> QuerySet[Membership]:
    return structure.memberships.select_related("user").order_by("role", "user__last_name")


def pending_attachment_requests(structure: Structure) -> QuerySet[AttachmentRequest]:
    return structure.attachment_requests.filter(
        status=RequestStatus.PENDING, for_operators=False
    ).select_related("user")


def operator_requests_for_user(user) -> QuerySet[AttachmentRequest]:
    """The user's requests to manage a structure, instruites par les opérateurs."""
    return (
        AttachmentRequest.objects.filter(user=user, for_operators=True)
        .select_related("structure")
        .order_by("-created_at")
    )


def pending_space_requests(structure: Structure) -> QuerySet[SpaceSubscription]:
    return SpaceSubscription.objects.filter(
        membership__structure=structure, is_approved=False
    ).select_related("membership__user")


def spaces_for_user(user) -> QuerySet[SpaceSubscription]:
    return (
        SpaceSubscription.objects.filter(membership__user=user, is_approved=True)
        .select_related("membership__structure")
        .order_by("membership__structure__company_name", "space")
    )


def user_space_codes(user) -> set[str]:
    return set(spaces_for_user(user).values_list("space", flat=True))


def structures_with_space(user, space: str) -> QuerySet[Structure]:
    """The structures for which this espace is open (approved) to the user."""
    return Structure.objects.filter(
        memberships__user=user,
        memberships__spaces__space=space,
        memberships__spaces__is_approved=True,
    ).distinct()
