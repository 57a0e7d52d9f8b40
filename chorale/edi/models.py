"""EDI connections (« raccordements EDI »): how a structure's own system, an opérateur de
dématérialisation or a public body's financial system exchanges files with the platform over
SFTP or AS2, declared by a gestionnaire and approved by an operator, first in qualification
(files judged and answered, never routed), then in production. An operator's connection
deposits for the suppliers that granted it a mandate (edi.md §1)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from chorale.flows.models import WORKS_FAMILIES, syntax_family
from chorale.structures.models import Structure


class Protocol(models.TextChoices):
    SFTP = "SFTP", "SFTP"
    AS2 = "AS2", "AS2"


class Direction(models.TextChoices):
    SEND = "EMISSION", gettext_lazy("Envoi de factures")
    RECEIVE = "RECEPTION", gettext_lazy("Réception de factures")
    BOTH = "EMISSION_RECEPTION", gettext_lazy("Envoi et réception de factures")


class Stage(models.TextChoices):
    DECLARED = "DECLARE", gettext_lazy("Déclaré, en attente des opérateurs")
    QUALIFICATION = "QUALIFICATION", gettext_lazy("Qualification")
    PRODUCTION = "PRODUCTION", gettext_lazy("Production")
    SUSPENDED = "SUSPENDU", gettext_lazy("Suspendu")


# What a connection sends (chorus-api.md §1.5 `syntaxeFlux`): E1 structured, E2 mixed; E4
# and E5 the same for works pieces (edi.md §2.1).
SYNTAXES = {
    "IN_DP_E1_UBL_INVOICE": gettext_lazy("E1 — UBL 2.1"),
    "IN_DP_E1_CII_16B": gettext_lazy("E1 — UN/CEFACT CII D16B"),
    "IN_DP_E2_CII_FACTURX": gettext_lazy("E2 — Factur-X (PDF et données)"),
    "IN_DP_E2_CPP_FACTURE_MIN": gettext_lazy("E2 — PDF et données minimales"),
    "IN_DP_E4_CII_16B": gettext_lazy("E4 — Pièces de travaux, UN/CEFACT CII D16B"),
    "IN_DP_E5_CII_FACTURX": gettext_lazy("E5 — Pièces de travaux, Factur-X"),
}


# The syntax of the structured copy a receiving connection gets with each invoice.
RECEPTION_SYNTAXES = {
    "CII": gettext_lazy("UN/CEFACT CII D16B"),
    "UBL": gettext_lazy("UBL 2.1"),
}
# What it wants back.
RETURNS = {
    "CR": gettext_lazy("Comptes rendus d'intégration"),
    "CDV": gettext_lazy("Statuts du cycle de vie des factures envoyées"),
    "FACTURES": gettext_lazy("Factures reçues"),
    "ANNUAIRE": gettext_lazy("Annuaire des structures publiques"),
}


class Connection(models.Model):
    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="edi_connections",
        verbose_name=gettext_lazy("structure"),
    )
    label = models.CharField(gettext_lazy("libellé"), max_length=100)
    partner_code = models.CharField(gettext_lazy("code partenaire"), max_length=6, unique=True)
    protocol = models.CharField(gettext_lazy("protocole"), max_length=4, choices=Protocol.choices)
    direction = models.CharField(gettext_lazy("sens"), max_length=20, choices=Direction.choices)
    syntaxes = models.JSONField(gettext_lazy("syntaxes envoyées"), default=list, blank=True)
    returns = models.JSONField(gettext_lazy("retours demandés"), default=list, blank=True)
    reception_syntax = models.CharField(
        gettext_lazy("syntaxe des factures reçues"),
        max_length=3,
        choices=list(RECEPTION_SYNTAXES.items()),
        default="CII",
    )
    ssh_public_key = models.TextField(gettext_lazy("clé publique SSH"), blank=True)
    as2_identifier = models.CharField(gettext_lazy("identifiant AS2"), max_length=128, blank=True)
    as2_url = models.URLField(gettext_lazy("adresse AS2"), blank=True)
    as2_certificate = models.TextField(gettext_lazy("certificat AS2 (PEM)"), blank=True)
    certificate_expires_at = models.DateTimeField(
        gettext_lazy("expiration du certificat"), null=True, blank=True
    )
    stage = models.CharField(
        gettext_lazy("étape"), max_length=20, choices=Stage.choices, default=Stage.DECLARED
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(gettext_lazy("déclaré le"), auto_now_add=True)
    qualification_at = models.DateTimeField(
        gettext_lazy("en qualification le"), null=True, blank=True
    )
    production_at = models.DateTimeField(gettext_lazy("en production le"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("raccordement EDI")
        verbose_name_plural = gettext_lazy("raccordements EDI")
        constraints = [
            models.UniqueConstraint(
                fields=["as2_identifier"],
                condition=~Q(as2_identifier=""),
                name="edi_as2_identifier_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner_code} — {self.label}"

    @property
    def flow_syntax(self) -> str:
        """The syntaxeFlux its files are deposited under, which keeps works pieces (E4, E5)
        and other invoices (E1, E2) apart; '' for a connection that declared both kinds."""
        works = [s for s in self.syntaxes if syntax_family(s) in WORKS_FAMILIES]
        if not self.syntaxes or len(works) not in (0, len(self.syntaxes)):
            return ""
        return self.syntaxes[0]

    @property
    def may_exchange(self) -> bool:
        return self.stage in (Stage.QUALIFICATION, Stage.PRODUCTION)

    @property
    def receives(self) -> bool:
        """A recipient's connection: it gets invoices and may send their statuses back."""
        return self.direction in (Direction.RECEIVE, Direction.BOTH)


class Mandate(models.Model):
    """A supplier lets an operator's connection deposit its invoices (its gestionnaire grants
    it, may revoke it)."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="mandates")
    supplier = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="edi_mandates_given"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(gettext_lazy("accordé le"), auto_now_add=True)
    revoked_at = models.DateTimeField(gettext_lazy("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("mandat de dépôt EDI")
        verbose_name_plural = gettext_lazy("mandats de dépôt EDI")
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "supplier"],
                condition=Q(revoked_at__isnull=True),
                name="edi_one_live_mandate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier} → {self.connection}"


class ReceivedFile(models.Model):
    """A file a connection dropped, taken once: the same name and SHA-256 again is the same
    file (a client retrying an upload), never a second flow."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(gettext_lazy("nom du fichier"), max_length=255)
    sha256 = models.CharField(gettext_lazy("empreinte SHA-256"), max_length=64)
    received_at = models.DateTimeField(gettext_lazy("reçu le"), auto_now_add=True)
    flow_number = models.CharField(gettext_lazy("numéro de flux"), max_length=25, blank=True)
    refusal = models.TextField(gettext_lazy("motif du refus"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("fichier reçu par EDI")
        verbose_name_plural = gettext_lazy("fichiers reçus par EDI")
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "name", "sha256"], name="edi_file_taken_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.connection.partner_code}/{self.name}"


class AS2Message(models.Model):
    """An AS2 message received, by its Message-ID: a partner resending it (same Message-ID)
    gets a `duplicate-document` MDN, never a second flow (RFC 4130 §7.5)."""

    connection = models.ForeignKey(
        Connection, on_delete=models.CASCADE, related_name="as2_messages"
    )
    message_id = models.CharField("Message-ID", max_length=255)
    received_at = models.DateTimeField(gettext_lazy("reçu le"), auto_now_add=True)
    processed = models.BooleanField(gettext_lazy("traité"), default=False)
    disposition = models.CharField(gettext_lazy("disposition de l'accusé"), max_length=200)

    class Meta:
        verbose_name = gettext_lazy("message AS2 reçu")
        verbose_name_plural = gettext_lazy("messages AS2 reçus")
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "message_id"], name="edi_as2_message_once"
            )
        ]

    def __str__(self) -> str:
        return self.message_id


class OutgoingStatus(models.TextChoices):
    PENDING = "EN_ATTENTE", gettext_lazy("En attente")
    SENT = "ENVOYE", gettext_lazy("Envoyé")
    FAILED = "ECHEC", gettext_lazy("Échec")


class Outgoing(models.Model):
    """A file sent back to an AS2 connection (compte rendu, statuses, invoice, directory, or an
    asynchronous MDN), kept until the partner accepts it, retried with back-off on the `edi`
    queue. Its name is unique per connection: the same return is never sent twice."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="outgoing")
    name = models.CharField(gettext_lazy("nom du fichier"), max_length=255)
    content = models.BinaryField(gettext_lazy("contenu"))
    url = models.URLField(gettext_lazy("adresse"), max_length=500)
    is_mdn = models.BooleanField(gettext_lazy("accusé asynchrone"), default=False)
    headers = models.JSONField(gettext_lazy("en-têtes"), default=dict, blank=True)
    created_at = models.DateTimeField(gettext_lazy("créé le"), auto_now_add=True)
    status = models.CharField(
        gettext_lazy("état"),
        max_length=12,
        choices=OutgoingStatus.choices,
        default=OutgoingStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(gettext_lazy("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(gettext_lazy("prochaine tentative"), null=True)
    sent_at = models.DateTimeField(gettext_lazy("envoyé le"), null=True, blank=True)
    message_id = models.CharField("Message-ID", max_length=255, blank=True)
    last_error = models.TextField(gettext_lazy("dernière erreur"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("envoi AS2")
        verbose_name_plural = gettext_lazy("envois AS2")
        constraints = [
            models.UniqueConstraint(fields=["connection", "name"], name="edi_outgoing_once")
        ]

    def __str__(self) -> str:
        return f"{self.connection.partner_code}/{self.name}"
