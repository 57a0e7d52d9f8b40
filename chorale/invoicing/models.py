"""Deposited invoices: immutable once deposited (ARCHITECTURE rule 4); only their status moves,
through chorale.lifecycle's transition service."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from chorale.engagements.models import Engagement, WorksContract
from chorale.structures.models import Service, Structure


class Status(models.TextChoices):
    """An invoice's statuses; who may move it from one to another is chorale.lifecycle's
    transition table."""

    DRAFT = "BROUILLON", gettext_lazy("Brouillon")
    # Validation circuits (cadres A9 sub-contractor, A12 co-contractor): before « Déposée ».
    TO_VALIDATE_1 = "A_VALIDER_1", gettext_lazy("À valider (premier valideur)")
    WRONG_VALIDATOR_1 = (
        "ERREUR_FOURNISSEUR_SUR_VALIDEUR",
        gettext_lazy("Erreur du fournisseur sur le valideur"),
    )
    REFUSED_1 = "REFUSEE_1", gettext_lazy("Refusée par le premier valideur")
    VALIDATED_1 = "VALIDEE_1", gettext_lazy("Validée par le premier valideur")
    TACIT_1 = (
        "ABSENCE_VALIDATION_1_HORS_DELAI",
        gettext_lazy("Sans réponse du premier valideur dans le délai"),
    )
    TO_VALIDATE_2 = "A_VALIDER_2", gettext_lazy("À valider (second valideur)")
    WRONG_VALIDATOR_2 = (
        "ERREUR_COTRAITANT_SUR_VALIDEUR",
        gettext_lazy("Erreur du cotraitant sur le valideur"),
    )
    REFUSED_2 = "REFUSEE_2", gettext_lazy("Refusée par le second valideur")
    VALIDATED_2 = "VALIDEE_2", gettext_lazy("Validée par le second valideur")
    TACIT_2 = (
        "ABSENCE_VALIDATION_2_HORS_DELAI",
        gettext_lazy("Sans réponse du second valideur dans le délai"),
    )
    # Works pieces (« Factures de travaux »): maître d'œuvre, maître d'ouvrage, the supplier's
    # signature of the décompte général; before « Déposée » too.
    TO_MOE = "MISE_A_DISPOSITION_MOE", gettext_lazy("Mise à disposition de la maîtrise d'œuvre")
    TAKEN_MOE = "PRISE_EN_COMPTE_MOE", gettext_lazy("Prise en compte par la maîtrise d'œuvre")
    REFUSED_MOE = "REFUSEE_MOE", gettext_lazy("Refusée par la maîtrise d'œuvre")
    MOE_LATE = (
        "ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE",
        gettext_lazy("Sans réponse de la maîtrise d'œuvre dans le délai réglementaire"),
    )
    TO_MOA = "TRANSMISE_MOA", gettext_lazy("Transmise à la maîtrise d'ouvrage")
    AVAILABLE_MOA = (
        "MISE_A_DISPOSITION_MOA",
        gettext_lazy("Mise à disposition de la maîtrise d'ouvrage"),
    )
    TAKEN_MOA = "PRISE_EN_COMPTE_MOA", gettext_lazy("Prise en compte par la maîtrise d'ouvrage")
    REFUSED_MOA = "REFUSEE_MOA", gettext_lazy("Refusée par la maîtrise d'ouvrage")
    TO_SUPPLIER = (
        "A_ASSOCIER_FOURNISSEUR",
        gettext_lazy("Décompte général à signer par le fournisseur"),
    )
    REPLACED_BY_A22 = (
        "REMPLACEE_PAR_A22",
        gettext_lazy(
            "Remplacée par le projet de décompte général de l'entreprise (procédure tacite)"
        ),
    )
    TO_COMPLETE_WORKS = "A_COMPLETER", gettext_lazy("À compléter par l'entreprise")
    TO_RECYCLE_WORKS = (
        "EN_ATTENTE_RECYCLAGE_FOURNISSEUR",
        gettext_lazy("En attente de recyclage par l'entreprise"),
    )
    WORKS_ACCEPTED = "ASSOCIEE", gettext_lazy("Décompte général et définitif")
    REFUSED_SUPPLIER = (
        "REFUSEE_FOURNISSEUR",
        gettext_lazy("Décompte général contesté par le fournisseur"),
    )
    DEPOSITED = "DEPOSEE", gettext_lazy("Déposée")
    ROUTING = "EN_COURS_ACHEMINEMENT", gettext_lazy("En cours d'acheminement")
    AVAILABLE = "MISE_A_DISPOSITION", gettext_lazy("Mise à disposition")
    ACKNOWLEDGED = (
        "PRISE_EN_COMPTE_DESTINATAIRE",
        gettext_lazy("Prise en compte par le destinataire"),
    )
    SUSPENDED = "SUSPENDUE", gettext_lazy("Suspendue")
    COMPLETED = "COMPLETEE", gettext_lazy("Complétée")
    TO_RECYCLE = "A_RECYCLER", gettext_lazy("À recycler")
    REJECTED = "REJETEE", gettext_lazy("Rejetée")
    SERVICE_DONE = "SERVICE_FAIT", gettext_lazy("Service fait")
    PAYMENT_ORDERED = "MANDATEE", gettext_lazy("Mandatée")
    WITH_ACCOUNTANT = (
        "MISE_A_DISPOSITION_COMPTABLE",
        gettext_lazy("Mise à disposition du comptable"),
    )
    BOOKED = "COMPTABILISEE", gettext_lazy("Comptabilisée")
    PAID = "MISE_EN_PAIEMENT", gettext_lazy("Mise en paiement")


class InvoiceRecord(models.Model):
    """One invoice as deposited: its key terms, the parties as they were, its structured data."""

    created_at = models.DateTimeField(gettext_lazy("déposée le"), auto_now_add=True)
    deposited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    supplier = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="invoices_sent")
    recipient = models.ForeignKey(
        Structure, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices_received"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    # The parties copied at deposit (BT-27, BT-44…): later edits of a structure change nothing.
    supplier_name = models.CharField("fournisseur", max_length=250)
    supplier_identifier = models.CharField(
        gettext_lazy("identifiant du fournisseur"), max_length=80
    )
    recipient_name = models.CharField("destinataire", max_length=250, blank=True)
    recipient_identifier = models.CharField(
        gettext_lazy("identifiant du destinataire"), max_length=80, blank=True
    )

    number = models.CharField(gettext_lazy("numéro de facture"), max_length=100)  # BT-1
    issue_date = models.DateField(gettext_lazy("date de facture"))  # BT-2
    year = models.PositiveSmallIntegerField(
        gettext_lazy("année")
    )  # of BT-2, for the duplicate rule
    type_code = models.CharField(gettext_lazy("type de facture"), max_length=3)  # BT-3
    currency = models.CharField("devise", max_length=3)  # BT-5
    total_without_vat = models.DecimalField(
        gettext_lazy("montant HT"), max_digits=19, decimal_places=4, null=True
    )
    total_vat = models.DecimalField(
        gettext_lazy("montant TVA"), max_digits=19, decimal_places=4, null=True
    )
    total_with_vat = models.DecimalField(
        gettext_lazy("montant TTC"), max_digits=19, decimal_places=4, null=True
    )
    amount_due = models.DecimalField(
        gettext_lazy("montant à payer"), max_digits=19, decimal_places=4, null=True
    )
    service_code = models.CharField(
        gettext_lazy("code service"), max_length=100, blank=True
    )  # BT-10
    engagement_number = models.CharField(
        gettext_lazy("numéro d'engagement"), max_length=50, blank=True
    )  # BT-13
    # The recipient's engagement juridique that number names, when it has recorded it.
    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    # A works piece's contract (cadres A4…A14): its maître d'œuvre and maître d'ouvrage.
    works_contract = models.ForeignKey(
        WorksContract, on_delete=models.PROTECT, null=True, blank=True, related_name="pieces"
    )
    syntax = models.CharField("syntaxe", max_length=20)
    # The cadre de facturation (BT-23): A1, A2, or A9 / A12, validated before it is routed.
    frame = models.CharField(gettext_lazy("cadre de facturation"), max_length=3, default="A1")
    profile = models.CharField("profil", max_length=20)
    structured_data = models.BinaryField(gettext_lazy("données structurées (XML)"))
    # The file deposited, unchanged, when it is not the XML itself (a Factur-X PDF): what
    # « Télécharger » gives both sides. `sha256` is the digest of the file deposited.
    original = models.FileField(
        gettext_lazy("fichier déposé"), upload_to="factures/%Y/%m/", blank=True
    )
    sha256 = models.CharField(gettext_lazy("empreinte SHA-256"), max_length=64)

    status = models.CharField("statut", max_length=50, choices=Status.choices, db_index=True)
    status_changed_at = models.DateTimeField(gettext_lazy("statut depuis le"))
    # When the buyer was told the invoice is available (« Mise à disposition »): the start of
    # the délai global de paiement (CCP R2192-12 ff., docs/payment-delays.md).
    available_at = models.DateTimeField(
        gettext_lazy("mise à disposition du destinataire le"), null=True, blank=True
    )
    rejection_acknowledged_at = models.DateTimeField(
        gettext_lazy("rejet traité le"), null=True, blank=True
    )
    # factureTelechargeeParDestinataire: the first time the recipient downloaded it.
    recipient_downloaded_at = models.DateTimeField(
        gettext_lazy("téléchargée par le destinataire le"), null=True, blank=True
    )

    class Meta:
        verbose_name = "facture"
        verbose_name_plural = "factures"
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "number", "year"], name="invoices_no_duplicate_number"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="invoices_known_status"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "status"],
                include=["issue_date", "total_with_vat", "created_at", "service", "id"],
                name="invoices_inbox_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="invoices_received_idx"),
            models.Index(fields=["supplier", "-created_at"], name="invoices_sent_idx"),
            # The list filters (status, dates, amounts) and the ids of a page answered from the
            # index alone on PostgreSQL, counts included (INCLUDE is ignored by SQLite).
            models.Index(
                fields=["supplier", "status"],
                include=["issue_date", "total_with_vat", "created_at", "id"],
                name="invoices_sent_status_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Facture {self.number} de {self.supplier_name}"


class EngineDisagreement(models.Model):
    """In `both` mode, an invoice on which the native and official engines disagree: what
    operators look at to close the gap (rule ids on each side)."""

    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    invoice_number = models.CharField(gettext_lazy("numéro de facture"), max_length=100)
    syntax = models.CharField("syntaxe", max_length=20)
    profile = models.CharField("profil", max_length=20)
    official_only = models.JSONField(gettext_lazy("règles du seul moteur officiel"), default=list)
    native_only = models.JSONField(gettext_lazy("règles du seul moteur natif"), default=list)

    class Meta:
        verbose_name = gettext_lazy("désaccord entre moteurs de validation")
        verbose_name_plural = gettext_lazy("désaccords entre moteurs de validation")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.invoice_number} ({self.syntax}, {self.profile})"
