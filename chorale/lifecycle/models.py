from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from chorale.core.models import AppendOnly, AttachedFile
from chorale.invoicing.models import InvoiceRecord


class InvoiceEvent(AppendOnly, models.Model):
    """One status change of an invoice: append-only, written with the change itself."""

    invoice = models.ForeignKey(InvoiceRecord, on_delete=models.PROTECT, related_name="events")
    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    side = models.CharField("auteur", max_length=10)  # system, supplier, recipient
    from_status = models.CharField(gettext_lazy("statut précédent"), max_length=50, blank=True)
    to_status = models.CharField(gettext_lazy("nouveau statut"), max_length=50)
    reform_code = models.PositiveSmallIntegerField(gettext_lazy("code de la réforme"), null=True)
    reason = models.TextField("motif", blank=True)
    payment_order_number = models.CharField(
        gettext_lazy("numéro de mandat"), max_length=50, blank=True
    )

    class Meta:
        verbose_name = gettext_lazy("événement de facture")
        verbose_name_plural = gettext_lazy("événements de facture")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.from_status} → {self.to_status}"


class EventAttachment(AttachedFile):
    """A pièce jointe given with a life-cycle step (e.g. the document a suspension asked for)."""

    event = models.ForeignKey(InvoiceEvent, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("fichier", upload_to="pieces-jointes/%Y/%m/")


class EcbRate(models.Model):
    """The ECB's main refinancing rate from a date: the base of the intérêts moratoires (CCP
    R2192-31, + 8 points). Operators add a row when the ECB changes its rate."""

    effective_from = models.DateField(gettext_lazy("en vigueur à partir du"), unique=True)
    rate = models.DecimalField(gettext_lazy("taux (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = gettext_lazy("taux de la BCE")
        verbose_name_plural = gettext_lazy("taux de la BCE")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y} : {self.rate} %"


class Validation(models.Model):
    """One validator of an invoice of a validation circuit (cadre A9: the titulaire validates
    its sub-contractor's invoice; A12: the mandataire its co-contractor's), by rank, and what
    it decided. The invoice reaches its public recipient once every rank has validated (or
    kept silent past the delay)."""

    invoice = models.ForeignKey(InvoiceRecord, on_delete=models.CASCADE, related_name="validations")
    rank = models.PositiveSmallIntegerField(gettext_lazy("rang"))
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="validations",
        verbose_name=gettext_lazy("structure valideuse"),
    )
    service = models.ForeignKey(
        "structures.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(gettext_lazy("décision"), max_length=40, blank=True)
    decided_at = models.DateTimeField(gettext_lazy("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason_code = models.CharField(gettext_lazy("motif de refus"), max_length=40, blank=True)
    comment = models.TextField(gettext_lazy("complément d'information"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("validation de facture")
        verbose_name_plural = gettext_lazy("validations de facture")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "rank"], name="validation_rank_once")
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} #{self.rank}: {self.structure_id}"


class WorksStep(models.Model):
    """What one actor of a works piece decided (procurement.md §2): the MOE's état d'acompte or
    projet de décompte général, the MOA's validated état d'acompte or décompte général, the
    supplier's signature — with the amount each admits (TTC) — or a refusal and its reason."""

    invoice = models.ForeignKey(InvoiceRecord, on_delete=models.CASCADE, related_name="works_steps")
    role = models.CharField(gettext_lazy("acteur"), max_length=10)  # moe, moa, supplier
    frame = models.CharField(gettext_lazy("pièce établie"), max_length=3, blank=True)  # A15…
    decision = models.CharField(gettext_lazy("décision"), max_length=50)
    decided_at = models.DateTimeField(gettext_lazy("décidée le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    amount = models.DecimalField(
        gettext_lazy("montant admis TTC"), max_digits=19, decimal_places=2, null=True
    )
    reason_code = models.CharField(gettext_lazy("motif de refus"), max_length=40, blank=True)
    comment = models.TextField(gettext_lazy("observations"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("étape de facture de travaux")
        verbose_name_plural = gettext_lazy("étapes de factures de travaux")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.role} {self.decision}"
