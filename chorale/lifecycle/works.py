"""Works invoices (« Factures de travaux », CCAG Travaux 2021 art. 12; procurement.md §2; the
rules chosen: docs/works-invoices.md).

A supplier's projet de décompte (monthly: cadres A4, A5, A10, A13; final: A7, A11, A14) names its
works contract (BT-12), which gives its maître d'œuvre (MOE) and maître d'ouvrage (MOA). The MOE
receives it, takes it into account and turns it into its état d'acompte (A15) or projet de
décompte général (A17) — correcting the amount, never refusing over it — or refuses it; silent for
7 days, the piece goes on to the MOA. The MOA validates: a monthly état d'acompte (A19) goes to
the financial service; a décompte général (A20) goes to the supplier, who signs it (the DGD,
routed for payment) or disputes it; silent for 30 days, it is accepted (12.4.5)."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.engagements.models import WorksContract
from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Structure

from .models import EventAttachment, WorksStep
from .policies import WORKS_WAITING as WAITING
from .policies import tacit_open
from .services import invoice_for, invoice_transition
from .statuses import (
    DIRECT_WORKS_FRAMES,
    FINAL_FRAMES,
    MOA,
    MOE,
    SUPPLIER,
    SYSTEM,
    WORKS_FRAMES,
    Status,
)

MOE_DAYS = 7  # CCAG Travaux 12.2.2: the MOE's time to turn the draft into its état d'acompte
SIGN_DAYS = 30  # 12.4.5: the titulaire's time to sign or dispute the décompte général
TACIT_DAYS = 10  # 12.4.4: the MOA's time to answer the company's projet de décompte général
# recupererMotifsRefusFactureTravaux (procurement.md §2.5). « Erreur de montant » is no reason to
# refuse: the MOE corrects the amount in its état d'acompte (Chorus Pro since 19 Feb 2025).
REFUSAL_REASONS = {
    "AUTRE": "Autre motif",
    "REF_FAC_TRAVAUX": "Références de la facture de travaux erronées",
    "MAUVAISE_MOE": "Mauvaise maîtrise d'œuvre",
    "MAUVAISE_MOA": "Mauvaise maîtrise d'ouvrage",
}
AMOUNT_ERROR = "ERREUR_MONTANT"
# What the MOE or the MOA may ask of the company instead of deciding.
ASKS = {
    "DEMANDE_COMPLEMENT": Status.TO_COMPLETE_WORKS,
    "DEMANDE_RECYCLAGE": Status.TO_RECYCLE_WORKS,
}
# The piece each actor makes of the supplier's draft: (monthly, final).
PIECES = {MOE: ("A15", "A17"), MOA: ("A19", "A20")}


def contract_resolve(
    frame: str, supplier: Structure, recipient: Structure, market_number: str
) -> tuple[WorksContract | None, str]:
    """The open works contract a works piece names, or why there is none (French)."""
    number = market_number.strip()
    if not number:
        return None, gettext(
            "Une pièce de travaux (cadre %(frame)s) cite son marché de travaux : indiquez le "
            "numéro de marché (BT-12)."
        ) % {"frame": frame}
    contract = (
        WorksContract.objects.filter(buyer=recipient, number=number, is_active=True)
        .select_related("moe", "moa")
        .first()
    )
    if contract is None:
        return None, gettext(
            "%(name)s n'a pas de marché de travaux actif n° %(number)s sur la plateforme."
        ) % {"name": recipient.company_name, "number": number}
    if not contract.suppliers.filter(pk=supplier.pk).exists():
        return None, gettext(
            "%(supplier)s n'est ni titulaire, ni cotraitant, ni sous-traitant du marché de "
            "travaux n° %(number)s."
        ) % {"supplier": supplier.company_name, "number": number}
    return contract, ""


def frame_error(frame: str) -> str:
    """Why a supplier may not deposit a piece of this works cadre ('' when it may)."""
    direct = frame in WORKS_FRAMES or frame in DIRECT_WORKS_FRAMES
    if direct or not frame.startswith("A") or not frame[1:].isdigit():
        return ""
    if 4 <= int(frame[1:]) <= 25 and frame not in ("A9", "A12", "A21"):
        return gettext(
            "Le cadre %(frame)s est établi sur la plateforme par la maîtrise d'œuvre ou "
            "d'ouvrage, ou par la signature du décompte : déposez un projet de décompte "
            "mensuel (A4, A10, A13), un état d'acompte (A5, ou A6 déjà validé), un projet de "
            "décompte final (A7, A11, A14) ou un décompte général et définitif signé (A8)."
        ) % {"frame": frame}
    return ""


def _role_check(user: Any, invoice_id: int, role: str) -> InvoiceRecord:
    invoice = invoice_for(user, invoice_id, role)
    if invoice.status not in WAITING[role]:
        raise BusinessError(
            gettext("La pièce %(number)s n'attend pas votre décision.")
            % {"number": invoice.number},
            "not_awaited",
        )
    return invoice


@transaction.atomic
def works_take(*, user: Any, invoice_id: int, role: str) -> InvoiceRecord:
    """« Prendre en compte »: the MOE or the MOA says it has the piece in hand."""
    invoice = _role_check(user, invoice_id, role)
    target = Status.TAKEN_MOE if role == MOE else Status.TAKEN_MOA
    if invoice.status == target:
        return invoice
    return invoice_transition(
        invoice_id=invoice.pk, to_status=target, side=role, actor=user,
        expected_status=invoice.status,
    )  # fmt: skip


def _amount(value: Decimal | str | None, default: Decimal | None) -> Decimal | None:
    if value in (None, ""):
        return default
    try:
        amount = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except ArithmeticError:
        amount = Decimal("-1")
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e15"):
        raise BusinessError(
            gettext("Le montant admis doit être un nombre positif (en euros, TTC)."),
            "amount_invalid",
        )
    return amount.quantize(Decimal("0.01"))


def _previous_amount(invoice: InvoiceRecord) -> Decimal | None:
    """The amount the last actor admitted, or the supplier's own (TTC)."""
    last = invoice.works_steps.exclude(amount=None).order_by("-pk").first()
    return last.amount if last else invoice.total_with_vat


@transaction.atomic
def works_decide(
    *, user: Any, invoice_id: int, role: str, action: str, amount: Decimal | str | None = None,
    reason_code: str = "", reason: str = "", comment: str = "",
) -> InvoiceRecord:  # fmt: skip
    """The MOE's or the MOA's decision on a piece: VALIDATION (the MOE establishes its état
    d'acompte or projet de décompte général with the amount it admits; the MOA validates the
    état d'acompte or signs the décompte général) or REFUS with a reason."""
    if action in ASKS:
        return works_ask(user=user, invoice_id=invoice_id, role=role, action=action, reason=comment)
    invoice = _role_check(user, invoice_id, role)
    final = invoice.frame in FINAL_FRAMES
    if action == "REFUS":
        code = (reason_code or "").strip().upper()
        if code == AMOUNT_ERROR:
            raise BusinessError(
                gettext(
                    "Un désaccord sur le montant ne se règle pas par un refus : corrigez le "
                    "montant admis en validant la pièce (CCAG Travaux, article 12)."
                ),
                "amount_not_a_refusal",
            )
        if code and code not in REFUSAL_REASONS:
            raise BusinessError(
                gettext("Motif de refus inconnu : %(code)s.") % {"code": code}, "reason_unknown"
            )
        reason = (reason or "").strip() or REFUSAL_REASONS.get(code, "")
        target = Status.REFUSED_MOE if role == MOE else Status.REFUSED_MOA
        invoice_transition(
            invoice_id=invoice.pk, to_status=target, side=role, actor=user, reason=reason,
            expected_status=invoice.status,
        )  # fmt: skip
        WorksStep.objects.create(
            invoice=invoice, role=role, decision=target, decided_by=user,
            reason_code=code or "AUTRE", comment=comment.strip(),
        )  # fmt: skip
        return InvoiceRecord.objects.get(pk=invoice.pk)
    if action != "VALIDATION":
        raise BusinessError(
            gettext(
                "Action inconnue : %(action)s (VALIDATION, REFUS, DEMANDE_COMPLEMENT ou "
                "DEMANDE_RECYCLAGE)."
            )
            % {"action": action},
            "action_unknown",
        )
    admitted = _amount(amount, _previous_amount(invoice))
    # The MOA answering the company's projet de décompte général signs the DGD of the tacit
    # procedure (A25) rather than its own décompte général (A20).
    tacit = role == MOA and invoice.status == Status.REPLACED_BY_A22
    piece = "A25" if tacit else PIECES[role][1 if final else 0]
    # The MOE hands on to the MOA; the MOA to the financial service, or for the balance to the
    # company, who signs the décompte général. A buyer that is its own MOE validates the état
    # d'acompte once: the MOE's goes straight to payment (A16).
    contract = invoice.works_contract
    own_moe = (
        role == MOE and not final and contract is not None and contract.moe_id == contract.moa_id
    )
    onward = Status.TO_SUPPLIER if final else Status.DEPOSITED
    target = Status.TO_MOA if role == MOE and not own_moe else onward
    piece = "A16" if own_moe else piece
    invoice_transition(
        invoice_id=invoice.pk, to_status=target, side=role, actor=user,
        reason=comment.strip(), expected_status=invoice.status,
    )  # fmt: skip
    WorksStep.objects.create(
        invoice=invoice, role=role, frame=piece, decision=target, decided_by=user,
        amount=admitted, comment=comment.strip(),
    )  # fmt: skip
    if target == Status.DEPOSITED:
        _route(invoice.pk)
    return InvoiceRecord.objects.get(pk=invoice.pk)


@transaction.atomic
def works_ask(*, user: Any, invoice_id: int, role: str, action: str, reason: str) -> InvoiceRecord:
    """The MOE or the MOA asks the company, with its reason, to complete the piece
    (DEMANDE_COMPLEMENT: the payment delay is suspended until the answer) or to recycle it
    (DEMANDE_RECYCLAGE: it names the wrong works contract, recipient or service)."""
    invoice = _role_check(user, invoice_id, role)
    if invoice.status == Status.REPLACED_BY_A22:
        raise BusinessError(
            gettext(
                "Au projet de décompte général de l'entreprise, répondez par votre décompte "
                "général : sans lui, il devient définitif dans les 10 jours."
            ),
            "not_awaited",
        )
    target = ASKS[action]
    invoice_transition(
        invoice_id=invoice.pk, to_status=target, side=role, actor=user, reason=reason.strip(),
        expected_status=invoice.status,
    )  # fmt: skip
    WorksStep.objects.create(
        invoice=invoice, role=role, decision=target, decided_by=user, comment=reason.strip()
    )
    return InvoiceRecord.objects.get(pk=invoice.pk)


def awaited_by_supplier(user: Any, invoice_id: int, status: str) -> InvoiceRecord:
    """The supplier's piece, locked, when it is in `status` (what its answer moves on from)."""
    invoice = invoice_for(user, invoice_id, SUPPLIER)
    invoice = InvoiceRecord.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != status:
        raise BusinessError(
            gettext("La pièce %(number)s n'est pas « %(status)s ».")
            % {"number": invoice.number, "status": Status(status).label},
            "not_awaited",
        )
    return invoice


@transaction.atomic
def works_complete(
    *, user: Any, invoice_id: int, comment: str, attachments: Iterable[Any] = ()
) -> InvoiceRecord:
    """The company's answer to a request to complete, with the pièces jointes asked for: the
    piece goes back to the MOE or the MOA that asked, whose deadline starts again."""
    invoice = awaited_by_supplier(user, invoice_id, Status.TO_COMPLETE_WORKS)
    if not comment.strip():
        raise BusinessError(
            gettext("Répondez à la demande de complément dans le commentaire."), "reason_required"
        )
    asked = invoice.works_steps.filter(decision=Status.TO_COMPLETE_WORKS).order_by("-pk").first()
    back = Status.AVAILABLE_MOA if asked and asked.role == MOA else Status.TO_MOE
    invoice = invoice_transition(
        invoice_id=invoice.pk, to_status=back, side=SUPPLIER, actor=user, reason=comment.strip(),
        expected_status=Status.TO_COMPLETE_WORKS,
    )  # fmt: skip
    event = invoice.events.latest("created_at", "id")
    for upload in attachments:
        EventAttachment.objects.create(event=event, file=upload, name=upload.name, size=upload.size)
    WorksStep.objects.create(
        invoice=invoice, role=SUPPLIER, decision=back, decided_by=user, comment=comment.strip()
    )
    return InvoiceRecord.objects.get(pk=invoice.pk)


def _route(invoice_id: int) -> None:
    for target in (Status.ROUTING, Status.AVAILABLE):
        invoice_transition(invoice_id=invoice_id, to_status=target, side=SYSTEM)


@transaction.atomic
def works_sign(*, user: Any, invoice_id: int, accept: bool, reason: str = "") -> InvoiceRecord:
    """The supplier signs the décompte général (it becomes the DGD, routed for payment) or
    disputes it, with its reasons (its mémoire en réclamation)."""
    invoice = invoice_for(user, invoice_id, SUPPLIER)
    if invoice.status != Status.TO_SUPPLIER:
        raise BusinessError(
            gettext("La pièce %(number)s n'attend pas votre signature.")
            % {"number": invoice.number},
            "not_awaited",
        )
    target = Status.WORKS_ACCEPTED if accept else Status.REFUSED_SUPPLIER
    invoice_transition(
        invoice_id=invoice.pk, to_status=target, side=SUPPLIER, actor=user, reason=reason,
        expected_status=Status.TO_SUPPLIER,
    )  # fmt: skip
    WorksStep.objects.create(
        invoice=invoice, role=SUPPLIER, frame="A8" if accept else "", decision=target,
        decided_by=user, comment=reason.strip(),
        amount=_previous_amount(invoice) if accept else None,
    )  # fmt: skip
    if accept:
        _deposit_dgd(invoice.pk)
    return InvoiceRecord.objects.get(pk=invoice.pk)


@transaction.atomic
def works_tacit_start(
    *, user: Any, invoice_id: int, amount: Decimal | str | None, comment: str = ""
) -> InvoiceRecord:
    """CCAG Travaux 12.4.4: 30 days after its final draft, without a décompte général, the
    company notifies the MOA its own projet de décompte général (A22); the MOA has 10 days to
    sign its décompte général, failing which the company's becomes the DGD (A23)."""
    invoice = invoice_for(user, invoice_id, SUPPLIER)
    if not tacit_open(invoice):
        raise BusinessError(
            gettext(
                "La procédure tacite s'ouvre 30 jours après le projet de décompte final, tant "
                "que la maîtrise d'ouvrage n'a pas notifié le décompte général."
            ),
            "not_awaited",
        )
    invoice_transition(
        invoice_id=invoice.pk, to_status=Status.REPLACED_BY_A22, side=SUPPLIER, actor=user,
        reason=comment.strip(), expected_status=invoice.status,
    )  # fmt: skip
    WorksStep.objects.create(
        invoice=invoice, role=SUPPLIER, frame="A22", decision=Status.REPLACED_BY_A22,
        decided_by=user, amount=_amount(amount, _previous_amount(invoice)),
        comment=comment.strip(),
    )  # fmt: skip
    return InvoiceRecord.objects.get(pk=invoice.pk)


def _deposit_dgd(invoice_id: int) -> None:
    invoice_transition(invoice_id=invoice_id, to_status=Status.DEPOSITED, side=SYSTEM)
    _route(invoice_id)


def works_expire(now: datetime.datetime | None = None) -> int:
    """The CCAG deadlines, run by the worker's sweep: a piece the MOE left for 7 days goes on to
    the MOA (ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE); a décompte général the supplier left
    for 30 days is accepted (tacit DGD), and so is a company's projet de décompte général the
    MOA left for 10 days (A23). How many moved."""
    now = now or timezone.now()
    moved = 0
    late_moe = InvoiceRecord.objects.filter(
        status__in=WAITING[MOE], status_changed_at__lt=now - datetime.timedelta(days=MOE_DAYS)
    )
    for pk, status in late_moe.values_list("pk", "status"):
        with transaction.atomic():
            try:
                invoice_transition(
                    invoice_id=pk, to_status=Status.MOE_LATE, side=SYSTEM, expected_status=status
                )
                invoice_transition(invoice_id=pk, to_status=Status.AVAILABLE_MOA, side=SYSTEM)
            except BusinessError:  # decided meanwhile
                continue
            moved += 1
    tacit = (
        # the company silent on the décompte général: it is accepted (12.4.5)
        (Status.TO_SUPPLIER, SIGN_DAYS, "A8",
         gettext("Décompte général accepté sans réponse dans les 30 jours.")),
        # the MOA silent on the company's projet de décompte général: it becomes the DGD (12.4.4)
        (Status.REPLACED_BY_A22, TACIT_DAYS, "A23",
         gettext("Décompte général et définitif tacite : la maîtrise d'ouvrage n'a pas répondu "
                 "dans les 10 jours.")),
    )  # fmt: skip
    for status, days, frame, reason in tacit:
        silent = InvoiceRecord.objects.filter(
            status=status, status_changed_at__lt=now - datetime.timedelta(days=days)
        )
        moved += sum(
            _accept(pk, status, frame, reason) for pk in silent.values_list("pk", flat=True)
        )
    return moved


def _accept(pk: int, status: str, frame: str, reason: str) -> bool:
    """The décompte général et définitif without an answer: recorded and routed for payment."""
    with transaction.atomic():
        try:
            invoice_transition(
                invoice_id=pk, to_status=Status.WORKS_ACCEPTED, side=SYSTEM, reason=reason,
                expected_status=status,
            )  # fmt: skip
        except BusinessError:  # answered meanwhile
            return False
        invoice = InvoiceRecord.objects.get(pk=pk)
        WorksStep.objects.create(
            invoice=invoice, role=SUPPLIER, frame=frame, decision=Status.WORKS_ACCEPTED,
            amount=_previous_amount(invoice),
        )  # fmt: skip
        _deposit_dgd(pk)
    return True
