"""Raccordements API: technical accounts (OAuth2 client + technical user), the answers kept for
Idempotency-Key retries, files sent before `soumettre`, and webhooks with their deliveries."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from chorale.structures.models import Structure


class ApiAccount(models.Model):
    """One raccordement: an OAuth2 client (client_id/secret, like a PISTE application) and the
    technical user whose login and password go in `cpro-account`. Secrets are random and long,
    so they are kept as salted SHA-256 digests (checked on every call, in microseconds)."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="api_accounts")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_account"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("créé le"), auto_now_add=True)
    label = models.CharField(gettext_lazy("libellé"), max_length=100)
    client_id = models.CharField(
        gettext_lazy("identifiant client OAuth2"), max_length=64, unique=True
    )
    client_secret_digest = models.CharField(max_length=64)
    login = models.CharField(gettext_lazy("login technique"), max_length=120, unique=True)
    password_digest = models.CharField(max_length=64)
    salt = models.CharField(max_length=32)
    password_expires_at = models.DateTimeField(gettext_lazy("expiration du mot de passe"))
    revoked_at = models.DateTimeField(gettext_lazy("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("raccordement API")
        verbose_name_plural = gettext_lazy("raccordements API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.login} ({self.structure})"


class ApiFile(models.Model):
    """A file sent by `ajouter/fichier` or `deposer/pdf`, referenced later by its id
    (`pieceJointeId`, `pieceJointePrincipaleId`)."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField("nom", max_length=255)
    mime_type = models.CharField(gettext_lazy("type MIME"), max_length=255, blank=True)
    file = models.FileField(upload_to="api/%Y/%m/")
    size = models.PositiveBigIntegerField()
    # deposer/pdf: the key data read from the PDF, as returned, until `soumettre` uses them.
    extracted = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = gettext_lazy("fichier déposé par l'API")
        verbose_name_plural = gettext_lazy("fichiers déposés par l'API")

    def __str__(self) -> str:
        return self.name


class IdempotentAnswer(models.Model):
    """The first answer to a request carrying an Idempotency-Key (kept 24 h)."""

    account = models.ForeignKey(ApiAccount, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    path = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the request body
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="api_idempotency_unique_key")
        ]

    def __str__(self) -> str:
        return self.key


class Webhook(models.Model):
    """An HTTPS endpoint of a structure: every life-cycle event of its invoices and the end of
    its flows are POSTed there, signed with HMAC-SHA256."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(gettext_lazy("adresse (URL)"), max_length=500)
    secret = models.CharField(gettext_lazy("secret de signature"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_active = models.BooleanField("actif", default=True)
    # Circuit breaker: after BREAKER_FAILURES failed calls in a row, the endpoint is paused
    # (no call at all) until `paused_until`; one success closes it again.
    consecutive_failures = models.PositiveIntegerField(
        gettext_lazy("échecs consécutifs"), default=0
    )
    paused_until = models.DateTimeField(gettext_lazy("en pause jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = "webhook"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.url

    @property
    def is_paused(self) -> bool:
        from django.utils import timezone

        return self.paused_until is not None and self.paused_until > timezone.now()


class DeliveryStatus(models.TextChoices):
    PENDING = "EN_ATTENTE", gettext_lazy("En attente")
    DELIVERED = "LIVRE", gettext_lazy("Livré")
    FAILED = "ECHEC", gettext_lazy("Abandonné après 24 h")


class WebhookDelivery(models.Model):
    """One event to one endpoint: retried with exponential back-off for 24 h."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=64)  # stable across retries (receivers dedupe on it)
    kind = models.CharField(gettext_lazy("événement"), max_length=60)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = gettext_lazy("envoi de webhook")
        verbose_name_plural = gettext_lazy("envois de webhook")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.webhook}"
