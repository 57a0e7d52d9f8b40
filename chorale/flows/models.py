"""Flux: what a supplier deposits (one file or a batch), kept as received, processed by workers."""

from django.conf import settings
from django.db import models

from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Structure


class FlowStatus(models.TextChoices):
    RECEIVED = "IN_RECU", "Reçu"
    QUEUED = "IN_EN_ATTENTE_TRAITEMENT_CPP", "En attente de traitement"
    PROCESSING = "IN_EN_COURS_TRAITEMENT_CPP", "En cours de traitement"
    INTEGRATED = "IN_INTEGRE", "Intégré"
    PARTIAL = "IN_INTEGRE_PARTIEL", "Intégré partiellement"
    REJECTED = "IN_REJETE", "Rejeté"


FINAL_STATUSES = (FlowStatus.INTEGRATED, FlowStatus.PARTIAL, FlowStatus.REJECTED)


class Channel(models.TextChoices):
    PORTAL = "PORTAIL", "Portail"
    API = "API", "API"


class DepositMode(models.TextChoices):
    """How the invoice came in, by Chorus Pro's `modeDepot` names."""

    PORTAL = "DEPOT_PORTAIL", "Dépôt d'un fichier sur le portail"
    PORTAL_ENTRY = "SAISIE_PORTAIL", "Saisie sur le portail"
    PORTAL_PDF = "DEPOT_PDF_PORTAIL", "Dépôt d'un PDF sur le portail"
    API = "DEPOT_API", "Dépôt d'un flux par l'API"
    API_ENTRY = "SAISIE_API", "Saisie par l'API"
    API_PDF = "DEPOT_PDF_API", "Dépôt d'un PDF par l'API"


DEFAULT_MODES = {Channel.PORTAL: DepositMode.PORTAL, Channel.API: DepositMode.API}


class Flow(models.Model):
    number = models.CharField("numéro de flux", max_length=25, unique=True)  # numeroFluxDepot
    created_at = models.DateTimeField("déposé le", auto_now_add=True, db_index=True)
    deposited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flows"
    )
    supplier = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="flows", verbose_name="fournisseur"
    )
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    mode = models.CharField("mode de dépôt", max_length=20, choices=DepositMode.choices, blank=True)
    file = models.FileField("fichier déposé", upload_to="flows/%Y/%m/")
    original_name = models.CharField("nom du fichier", max_length=255)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    status = models.CharField(
        "état", max_length=40, choices=FlowStatus.choices, default=FlowStatus.RECEIVED
    )
    processed_at = models.DateTimeField("traité le", null=True, blank=True)
    accepted_count = models.PositiveIntegerField("factures acceptées", default=0)
    rejected_count = models.PositiveIntegerField("factures rejetées", default=0)
    # How many documents the deposit holds, counted when processing starts: the live progress
    # of « Suivi des flux » (documents judged / this).
    documents_expected = models.PositiveIntegerField("documents du dépôt", null=True, blank=True)
    # The lease of the worker processing it: renewed after each chunk; a flow whose lease ran
    # out is resumed by the sweep. Each start counts: a flow that keeps killing its worker is
    # stopped after MAX_PROCESSING_ATTEMPTS.
    heartbeat_at = models.DateTimeField("dernier signe du traitement", null=True, blank=True)
    processing_attempts = models.PositiveSmallIntegerField("traitements commencés", default=0)

    class Meta:
        verbose_name = "flux"
        verbose_name_plural = "flux"
        indexes = [models.Index(fields=["status", "created_at"], name="flows_pending_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_done(self) -> bool:
        return self.status in FINAL_STATUSES


class ItemResult(models.TextChoices):
    ACCEPTED = "ACCEPTEE", "Acceptée"
    REJECTED = "REJETEE", "Rejetée"


class FlowItem(models.Model):
    """One document of a flow and its verdict, with every error (the compte rendu's lines)."""

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("rang")
    name = models.CharField("nom", max_length=255)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    result = models.CharField("résultat", max_length=10, choices=ItemResult.choices)
    invoice_number = models.CharField("numéro de facture", max_length=100, blank=True)
    invoice = models.OneToOneField(
        InvoiceRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="flow_item"
    )
    errors = models.JSONField("erreurs", default=list)

    class Meta:
        verbose_name = "document du flux"
        verbose_name_plural = "documents du flux"
        ordering = ["flow", "position"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "position"], name="flow_items_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.flow.number} #{self.position} {self.name}"


class InvoiceDraft(models.Model):
    """« Enregistrer le brouillon »: a typed invoice kept as typed, not yet an invoice."""

    supplier = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="drafts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    number = models.CharField("numéro de facture", max_length=100, blank=True)
    data = models.JSONField("saisie", default=dict)

    class Meta:
        verbose_name = "brouillon de facture"
        verbose_name_plural = "brouillons de facture"
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Brouillon {self.number or self.pk}"
