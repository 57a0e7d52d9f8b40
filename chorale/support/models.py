"""Sollicitations: a request from a user to a structure it deals with or to the platform's
support, with a category, a threaded conversation and attachments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from chorale.core.models import AppendOnly, AttachedFile, TimeStampedModel
from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Structure


class Category(models.Model):
    """A category of sollicitations, or a sub-category when it has a parent (kept by
    operators in the admin)."""

    name = models.CharField(gettext_lazy("libellé"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("catégorie parente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subcategories",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField(gettext_lazy("proposée"), default=True)

    class Meta:
        verbose_name = gettext_lazy("catégorie de sollicitation")
        verbose_name_plural = gettext_lazy("catégories de sollicitation")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="categories_unique_name"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="categories_unique_top"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class Status(models.TextChoices):
    OPEN = "OUVERTE", gettext_lazy("Ouverte")
    IN_PROGRESS = "EN_COURS", gettext_lazy("En cours")
    ANSWERED = "REPONDUE", gettext_lazy("Répondue")
    CLOSED = "CLOTUREE", gettext_lazy("Clôturée")


class Side(models.TextChoices):
    REQUESTER = "DEMANDEUR", gettext_lazy("Demandeur")
    RECIPIENT = "DESTINATAIRE", gettext_lazy("Destinataire")


class SupportRequest(TimeStampedModel):
    """« Sollicitation ». `recipient` is the structure asked; none means the platform's
    support (answered by operators)."""

    # Set from the id in the creating transaction; NULL (not "") until then keeps it unique.
    number = models.CharField(  # noqa: DJ001
        gettext_lazy("numéro"), max_length=20, unique=True, null=True, editable=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    author_structure = models.ForeignKey(
        Structure,
        verbose_name=gettext_lazy("structure émettrice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_requests_sent",
    )
    recipient = models.ForeignKey(
        Structure,
        verbose_name=gettext_lazy("structure destinataire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_requests_received",
        help_text=gettext_lazy("Vide : support de la plateforme."),
    )
    category = models.ForeignKey(
        Category, verbose_name=gettext_lazy("catégorie"), on_delete=models.PROTECT, related_name="+"
    )
    subcategory = models.ForeignKey(
        Category,
        verbose_name=gettext_lazy("sous-catégorie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField("objet", max_length=200)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("prise en charge par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invoice = models.ForeignKey(
        InvoiceRecord,
        verbose_name=gettext_lazy("facture concernée"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    flow = models.ForeignKey(
        "flows.Flow",
        verbose_name=gettext_lazy("flux concerné"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_structure = models.ForeignKey(
        Structure,
        verbose_name=gettext_lazy("structure concernée"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(gettext_lazy("clôturée le"), null=True, blank=True)

    class Meta:
        verbose_name = "sollicitation"
        verbose_name_plural = "sollicitations"
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "status", "-updated_at"], name="support_inbox_idx"),
            models.Index(fields=["author_structure", "-updated_at"], name="support_sent_idx"),
            models.Index(fields=["author", "-updated_at"], name="support_author_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.subject}"

    @property
    def recipient_name(self) -> str:
        return (
            self.recipient.company_name
            if self.recipient_id
            else gettext("Support de la plateforme")
        )


class Message(AppendOnly, models.Model):
    """One message of a sollicitation's conversation: append-only."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(gettext_lazy("côté"), max_length=12, choices=Side.choices)
    body = models.TextField("message")
    created_at = models.DateTimeField("date", auto_now_add=True)

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.author} · {self.created_at:%d/%m/%Y %H:%M}"


class MessageAttachment(AttachedFile):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("fichier", upload_to="sollicitations/%Y/%m/")
