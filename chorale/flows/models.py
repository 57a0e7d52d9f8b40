"""Flux: what a supplier deposits (one file or a batch), kept as received, processed by workers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Structure


class FlowStatus(models.TextChoices):
    RECEIVED = "IN_RECU", gettext_lazy("Reçu")
    QUEUED = "IN_EN_ATTENTE_TRAITEMENT_CPP", gettext_lazy("En attente de traitement")
    PROCESSING = "IN_EN_COURS_TRAITEMENT_CPP", gettext_lazy("En cours de traitement")
    INTEGRATED = "IN_INTEGRE", gettext_lazy("Intégré")
    PARTIAL = "IN_INTEGRE_PARTIEL", gettext_lazy("Intégré partiellement")
    REJECTED = "IN_REJETE", gettext_lazy("Rejeté")


FINAL_STATUSES = (FlowStatus.INTEGRATED, FlowStatus.PARTIAL, FlowStatus.REJECTED)


class Channel(models.TextChoices):
    PORTAL = "PORTAIL", gettext_lazy("Portail")
    API = "API", gettext_lazy("API")
    EDI = "EDI", "EDI"


class DepositMode(models.TextChoices):
    """How the invoice came in, by Chorus Pro's `modeDepot` names."""

    PORTAL = "DEPOT_PORTAIL", gettext_lazy("Dépôt d'un fichier sur le portail")
    PORTAL_ENTRY = "SAISIE_PORTAIL", gettext_lazy("Saisie sur le portail")
    PORTAL_PDF = "DEPOT_PDF_PORTAIL", gettext_lazy("Dépôt d'un PDF sur le portail")
    API = "DEPOT_API", gettext_lazy("Dépôt d'un flux par l'API")
    API_ENTRY = "SAISIE_API", gettext_lazy("Saisie par l'API")
    API_PDF = "DEPOT_PDF_API", gettext_lazy("Dépôt d'un PDF par l'API")
    EDI = "DEPOT_EDI", gettext_lazy("Dépôt d'un fichier par un raccordement EDI")


DEFAULT_MODES = {
    Channel.PORTAL: DepositMode.PORTAL,
    Channel.API: DepositMode.API,
    Channel.EDI: DepositMode.EDI,
}


WORKS_FAMILIES = ("E4", "E5")  # works flows: structured, mixed (edi.md §2.1)


def syntax_family(syntax: str) -> str:
    """E1, E2, E4 or E5 from a syntaxeFlux ('' for none)."""
    return syntax[6:8] if syntax.startswith("IN_DP_E") else ""


class Flow(models.Model):
    number = models.CharField(
        gettext_lazy("numéro de flux"), max_length=25, unique=True
    )  # numeroFluxDepot
    created_at = models.DateTimeField(gettext_lazy("déposé le"), auto_now_add=True, db_index=True)
    deposited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flows"
    )
    supplier = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="flows", verbose_name="fournisseur"
    )
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    mode = models.CharField(
        gettext_lazy("mode de dépôt"), max_length=20, choices=DepositMode.choices, blank=True
    )
    file = models.FileField(gettext_lazy("fichier déposé"), upload_to="flows/%Y/%m/")
    original_name = models.CharField(gettext_lazy("nom du fichier"), max_length=255)
    size = models.PositiveBigIntegerField(gettext_lazy("taille (octets)"))
    sha256 = models.CharField(gettext_lazy("empreinte SHA-256"), max_length=64)
    status = models.CharField(
        gettext_lazy("état"), max_length=40, choices=FlowStatus.choices, default=FlowStatus.RECEIVED
    )
    processed_at = models.DateTimeField(gettext_lazy("traité le"), null=True, blank=True)
    accepted_count = models.PositiveIntegerField(gettext_lazy("factures acceptées"), default=0)
    rejected_count = models.PositiveIntegerField(gettext_lazy("factures rejetées"), default=0)
    # How many documents the deposit holds, counted when processing starts: the live progress
    # of « Suivi des flux » (documents judged / this).
    # An EDI connection's flow: the suppliers that gave it a deposit mandate when it was
    # deposited (structure ids), whose invoices it may hold besides its own structure's.
    mandated = models.JSONField(gettext_lazy("fournisseurs mandants"), null=True, blank=True)
    # A file of an EDI connection still in qualification: judged and answered, never routed.
    trial = models.BooleanField(gettext_lazy("fichier de qualification"), default=False)
    # The validators the supplier named for an invoice of cadre A9 or A12 (typed or submitted):
    # [{"siret": …, "service": …}] by rank; the invoice goes to them before its recipient.
    validators = models.JSONField(gettext_lazy("valideurs"), default=list, blank=True)
    # The syntaxeFlux declared with the deposit (the API's), blank when none was: its family
    # keeps works pieces (E4, E5) apart from other invoices (E1, E2), as Chorus Pro does.
    syntax = models.CharField(gettext_lazy("syntaxe du flux"), max_length=60, blank=True)
    documents_expected = models.PositiveIntegerField(
        gettext_lazy("documents du dépôt"), null=True, blank=True
    )
    # The lease of the worker processing it: renewed after each chunk; a flow whose lease ran
    # out is resumed by the sweep. Each start counts: a flow that keeps killing its worker is
    # stopped after MAX_PROCESSING_ATTEMPTS.
    heartbeat_at = models.DateTimeField(
        gettext_lazy("dernier signe du traitement"), null=True, blank=True
    )
    processing_attempts = models.PositiveSmallIntegerField(
        gettext_lazy("traitements commencés"), default=0
    )

    class Meta:
        verbose_name = "flux"
        verbose_name_plural = "flux"
        indexes = [models.Index(fields=["status", "created_at"], name="flows_pending_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_done(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def family(self) -> str:
        return syntax_family(self.syntax)

    @property
    def is_works(self) -> bool:
        return self.family in WORKS_FAMILIES


class ItemResult(models.TextChoices):
    ACCEPTED = "ACCEPTEE", gettext_lazy("Acceptée")
    REJECTED = "REJETEE", gettext_lazy("Rejetée")


class FlowItem(models.Model):
    """One document of a flow and its verdict, with every error (the compte rendu's lines)."""

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("rang")
    name = models.CharField("nom", max_length=255)
    sha256 = models.CharField(gettext_lazy("empreinte SHA-256"), max_length=64)
    result = models.CharField(gettext_lazy("résultat"), max_length=10, choices=ItemResult.choices)
    invoice_number = models.CharField(gettext_lazy("numéro de facture"), max_length=100, blank=True)
    invoice = models.OneToOneField(
        InvoiceRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="flow_item"
    )
    errors = models.JSONField("erreurs", default=list)

    class Meta:
        verbose_name = gettext_lazy("document du flux")
        verbose_name_plural = gettext_lazy("documents du flux")
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
    updated_at = models.DateTimeField(gettext_lazy("modifié le"), auto_now=True)
    number = models.CharField(gettext_lazy("numéro de facture"), max_length=100, blank=True)
    data = models.JSONField("saisie", default=dict)

    class Meta:
        verbose_name = gettext_lazy("brouillon de facture")
        verbose_name_plural = gettext_lazy("brouillons de facture")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Brouillon {self.number or self.pk}"
