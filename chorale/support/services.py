"""Writes of sollicitations: open, reply, assign, close, reopen. Each one locks the row,
checks the acting user's side through the selectors, and records a « Fil d'événements »
entry for the other side (which also goes by e-mail)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chorale.core.errors import BusinessError
from chorale.core.feed import event_record

from . import selectors
from .models import Category, Message, MessageAttachment, Side, Status, SupportRequest


def _path(request: SupportRequest, side: str) -> str:
    name = "support:sent_detail" if side == Side.REQUESTER else "support:received_detail"
    return reverse(name, args=[request.pk])


def _other_side(request: SupportRequest, side: str) -> list:
    """Who hears about a step: the author for the recipient's steps; the assignee, or else
    everyone who answers, for the requester's."""
    if side == Side.RECIPIENT:
        return selectors.requester_people(request)
    if request.assignee_id and request.assignee.is_active:
        return [request.assignee]
    return list(selectors.recipient_people(request))


def _notify(request: SupportRequest, *, side: str, actor, verb: str) -> None:
    other = Side.RECIPIENT if side == Side.REQUESTER else Side.REQUESTER
    event_record(
        kind=f"support.{verb}",
        message=gettext("%(get_full_name)s — sollicitation %(number)s « %(subject)s » : %(VERBS)s.")
        % {
            "get_full_name": actor.get_full_name() or actor.email,
            "number": request.number,
            "subject": request.subject,
            "VERBS": VERBS[verb],
        },
        recipients=_other_side(request, side),
        actor=actor,
        link=_path(request, other),
    )


VERBS = {
    "opened": "nouvelle sollicitation",
    "replied": gettext_lazy("nouvelle réponse"),
    "assigned": "prise en charge",
    "closed": gettext_lazy("clôturée"),
    "reopened": "rouverte",
}


def _message_add(request: SupportRequest, *, user, side: str, body: str, attachments) -> Message:
    body = body.strip()
    if not body:
        raise BusinessError(gettext("Le message est vide."), "empty_message")
    message = Message.objects.create(request=request, author=user, side=side, body=body)
    for upload in attachments:
        MessageAttachment.objects.create(
            message=message, file=upload, name=upload.name, size=upload.size
        )
    return message


def _locked(user, pk: int, side: str) -> SupportRequest:
    selectors.request_for(user, pk, side)  # 404 unless the user is on that side
    return (
        SupportRequest.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=pk)
    )


@transaction.atomic
def request_open(
    *,
    user,
    category: Category,
    subject: str,
    body: str,
    author_structure=None,
    recipient=None,
    subcategory: Category | None = None,
    attachments=(),
    invoice=None,
    flow=None,
    linked_structure=None,
) -> SupportRequest:
    """Open a sollicitation to a structure (`recipient`) or to the platform's support (None)."""
    if (
        author_structure is not None
        and not selectors.author_structures(user).filter(pk=author_structure.pk).exists()
    ):
        raise BusinessError(
            gettext(
                "L'espace « Sollicitations émises » ne vous est pas ouvert pour cette structure."
            ),
            "forbidden_structure",
        )
    if recipient is not None:
        if not recipient.is_active:
            raise BusinessError(
                gettext("La structure destinataire est inactive."), "inactive_recipient"
            )
        if author_structure is not None and recipient.pk == author_structure.pk:
            raise BusinessError(
                gettext("Une structure ne peut pas s'adresser une sollicitation."), "same_structure"
            )
    if not category.is_active or category.parent_id is not None:
        raise BusinessError(gettext("Catégorie inconnue."), "unknown_category")
    if subcategory is not None and (
        subcategory.parent_id != category.pk or not subcategory.is_active
    ):
        raise BusinessError(
            gettext("La sous-catégorie n'appartient pas à la catégorie choisie."),
            "unknown_subcategory",
        )
    if invoice is not None and selectors.invoice_visible(user, invoice.pk) is None:
        raise BusinessError(gettext("Facture introuvable."), "unknown_invoice")
    if flow is not None and selectors.flow_visible(user, flow.number) is None:
        raise BusinessError(gettext("Flux introuvable."), "unknown_flow")
    if linked_structure is not None and (
        selectors.linkable_structure(user, linked_structure.identifier) is None
    ):
        raise BusinessError(gettext("Structure introuvable."), "unknown_structure")
    subject = subject.strip()
    if not subject:
        raise BusinessError(gettext("L'objet est obligatoire."), "empty_subject")
    request = SupportRequest.objects.create(
        author=user,
        author_structure=author_structure,
        recipient=recipient,
        category=category,
        subcategory=subcategory,
        subject=subject[:200],
        invoice=invoice,
        flow=flow,
        linked_structure=linked_structure,
    )
    request.number = f"SOL{timezone.now():%Y}{request.pk:07d}"
    request.save(update_fields=["number"])
    _message_add(request, user=user, side=Side.REQUESTER, body=body, attachments=attachments)
    _notify(request, side=Side.REQUESTER, actor=user, verb="opened")
    return request


@transaction.atomic
def request_reply(*, user, pk: int, side: str, body: str, attachments=()) -> SupportRequest:
    """A message in the conversation. The recipient's answer makes it « Répondue » (and takes
    it in charge when nobody had); the requester's makes it wait for an answer again."""
    request = _locked(user, pk, side)
    if request.status == Status.CLOSED:
        raise BusinessError(
            gettext("La sollicitation est clôturée : rouvrez-la pour écrire."), "request_closed"
        )
    _message_add(request, user=user, side=side, body=body, attachments=attachments)
    if side == Side.RECIPIENT:
        request.status = Status.ANSWERED
        request.assignee = request.assignee or user
    else:
        request.status = Status.IN_PROGRESS if request.assignee_id else Status.OPEN
    request.save(update_fields=["status", "assignee", "updated_at"])
    _notify(request, side=side, actor=user, verb="replied")
    return request


@transaction.atomic
def request_assign(*, user, pk: int, assignee) -> SupportRequest:
    """« Prendre en charge » or give to a colleague who answers too."""
    request = _locked(user, pk, Side.RECIPIENT)
    if request.status == Status.CLOSED:
        raise BusinessError(gettext("La sollicitation est clôturée."), "request_closed")
    if not selectors.recipient_people(request).filter(pk=assignee.pk).exists():
        raise BusinessError(
            gettext("Cette personne ne traite pas les sollicitations de cette structure."),
            "unknown_assignee",
        )
    request.assignee = assignee
    if request.status == Status.OPEN:
        request.status = Status.IN_PROGRESS
    request.save(update_fields=["assignee", "status", "updated_at"])
    if assignee.pk != user.pk:
        event_record(
            kind="support.assigned",
            message=gettext(
                "%(get_full_name)s vous confie la sollicitation %(number)s « %(subject)s »."
            )
            % {
                "get_full_name": user.get_full_name() or user.email,
                "number": request.number,
                "subject": request.subject,
            },
            recipients=[assignee],
            actor=user,
            link=_path(request, Side.RECIPIENT),
        )
    return request


@transaction.atomic
def request_close(*, user, pk: int, side: str) -> SupportRequest:
    request = _locked(user, pk, side)
    if request.status == Status.CLOSED:
        raise BusinessError(gettext("La sollicitation est déjà clôturée."), "request_closed")
    request.status = Status.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at", "updated_at"])
    _notify(request, side=side, actor=user, verb="closed")
    return request


@transaction.atomic
def request_reopen(*, user, pk: int, side: str) -> SupportRequest:
    request = _locked(user, pk, side)
    if request.status != Status.CLOSED:
        raise BusinessError(gettext("La sollicitation n'est pas clôturée."), "request_not_closed")
    request.status = Status.IN_PROGRESS if request.assignee_id else Status.OPEN
    request.closed_at = None
    request.save(update_fields=["status", "closed_at", "updated_at"])
    _notify(request, side=side, actor=user, verb="reopened")
    return request
