"""Reads of sollicitations, always through the acting user: the requester side (its author
and the members of its structure with « Sollicitations émises ») and the recipient side (the
asked structure's members with « Sollicitations reçues », operators for the platform's support)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from chorale.directory.selectors import public_structure_queryset
from chorale.flows.selectors import flows_for_user
from chorale.lifecycle.selectors import invoices_received, invoices_sent
from chorale.structures.models import Space, Structure
from chorale.structures.selectors import structures_with_space

from .models import Category, MessageAttachment, Side, SupportRequest


@dataclass(frozen=True)
class RequestFilters:
    status: str = ""
    text: str = ""  # the number, or words of the subject
    category: int | None = None
    assigned: str = ""  # "moi", "personne" or ""


def _sent_scope(user) -> Q:
    return Q(author=user) | Q(
        author_structure__in=structures_with_space(user, Space.REQUESTS_SENT).values("pk")
    )


def _received_scope(user) -> Q:
    scope = Q(recipient__in=structures_with_space(user, Space.REQUESTS_RECEIVED).values("pk"))
    if user.is_staff:
        scope |= Q(recipient__isnull=True)
    return scope


def _filtered(queryset: QuerySet, filters: RequestFilters, user) -> QuerySet:
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.category:
        queryset = queryset.filter(Q(category=filters.category) | Q(subcategory=filters.category))
    if filters.assigned == "moi":
        queryset = queryset.filter(assignee=user)
    elif filters.assigned == "personne":
        queryset = queryset.filter(assignee__isnull=True)
    text = filters.text.strip()
    if text:
        queryset = queryset.filter(Q(number__iexact=text) | Q(subject__icontains=text))
    return queryset.select_related(
        "author", "author_structure", "recipient", "category", "subcategory", "assignee"
    ).order_by("-updated_at", "-id")


def requests_sent(user, filters: RequestFilters = RequestFilters()) -> QuerySet[SupportRequest]:
    """« Sollicitations émises »."""
    return _filtered(SupportRequest.objects.filter(_sent_scope(user)), filters, user)


def requests_received(user, filters: RequestFilters = RequestFilters()) -> QuerySet[SupportRequest]:
    """« Sollicitations reçues »."""
    return _filtered(SupportRequest.objects.filter(_received_scope(user)), filters, user)


def request_for(user, pk: int, side: str) -> SupportRequest:
    """The sollicitation as seen from one side, or 404 (never reveal another's request)."""
    scope = _sent_scope(user) if side == Side.REQUESTER else _received_scope(user)
    found = (
        SupportRequest.objects.filter(scope, pk=pk)
        .select_related(
            "author",
            "author_structure",
            "recipient",
            "category",
            "subcategory",
            "assignee",
            "invoice",
            "flow",
            "linked_structure",
        )
        .first()
    )
    if found is None:
        raise Http404(gettext("Sollicitation introuvable."))
    return found


def request_messages(request: SupportRequest):
    return request.messages.select_related("author").prefetch_related("attachments")


def message_attachment(request: SupportRequest, attachment_id: int) -> MessageAttachment:
    found = MessageAttachment.objects.filter(pk=attachment_id, message__request=request).first()
    if found is None:
        raise Http404(gettext("Pièce jointe introuvable."))
    return found


def recipient_people(request: SupportRequest) -> QuerySet:
    """Who answers: the asked structure's members with « Sollicitations reçues », or the
    operators for the platform's support."""
    users = get_user_model().objects.filter(is_active=True)
    if request.recipient_id is None:
        return users.filter(is_staff=True)
    return users.filter(
        memberships__structure=request.recipient_id,
        memberships__spaces__space=Space.REQUESTS_RECEIVED,
        memberships__spaces__is_approved=True,
    ).distinct()


def requester_people(request: SupportRequest) -> list:
    return [request.author] if request.author.is_active else []


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("parent")


def author_structures(user) -> QuerySet[Structure]:
    """The structures on whose behalf the user may open a sollicitation."""
    return structures_with_space(user, Space.REQUESTS_SENT).order_by("company_name")


def counterparts(user) -> QuerySet[Structure]:
    """The structures the user deals with: recipients of its structures' invoices and
    suppliers of the invoices they receive."""
    recipients = invoices_sent(user).order_by().values("recipient")
    suppliers = invoices_received(user).order_by().values("supplier")
    return Structure.objects.filter(
        Q(pk__in=recipients) | Q(pk__in=suppliers), is_active=True
    ).order_by("company_name")


def target_structure(user, identifier: str) -> Structure | None:
    """A structure the user may write to: one it deals with, or any public structure."""
    identifier = identifier.replace(" ", "")
    return (
        counterparts(user).filter(identifier=identifier).first()
        or public_structure_queryset().filter(identifier=identifier).first()
    )


def linkable_structure(user, identifier: str) -> Structure | None:
    """A structure a request may be about: one of the user's, one it deals with, or public."""
    identifier = identifier.replace(" ", "")
    own = Structure.objects.filter(memberships__user=user, identifier=identifier).first()
    return own or target_structure(user, identifier)


def invoice_visible(user, invoice_id: int):
    return (
        invoices_sent(user).filter(pk=invoice_id).first()
        or invoices_received(user).filter(pk=invoice_id).first()
    )


def flow_visible(user, number: str):
    return flows_for_user(user).filter(number=number.strip()).first()
