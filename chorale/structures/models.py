"""Structures: the legal entities that send and receive invoices (MISSION §3)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy
from django_countries.fields import CountryField
from stdnum import bic, iban

from chorale.core.identifiers import siret_is_valid
from chorale.core.models import TimeStampedModel, search_key


def address_lines(
    *, address="", address_complement="", postal_code="", city="", country="FR", **_
) -> list[str]:
    """A postal address as the lines that hold something (the country's name outside France):
    an empty or non-diffused part never leaves a lone comma or line."""
    from django_countries import countries

    place = " ".join(part for part in (postal_code, city) if part)
    abroad = str(countries.name(country)) if country and str(country) != "FR" else ""
    return [line.strip() for line in (address, address_complement, place, abroad) if line.strip()]


class IdentifierType(models.TextChoices):
    SIRET = "SIRET", gettext_lazy("Structure avec N° SIRET")
    EU_VAT = "UE_HORS_FRANCE", gettext_lazy("Structure européenne hors France")
    OUTSIDE_EU = "HORS_UE", gettext_lazy("Structure hors UE")
    RIDET = "RIDET", gettext_lazy("RIDET")
    TAHITI = "TAHITI", gettext_lazy("Numéro Tahiti")
    PRIVATE_PERSON = "PARTICULIER", gettext_lazy("Particulier")
    OTHER = "AUTRE", gettext_lazy("Autre")


class CheckRule(models.TextChoices):
    """What a deposit gets when a recipient's or supplier's check fails (its payee IBAN, BT-84,
    is not among the declared accounts; its engagement, BT-13, is unknown or exhausted)."""

    REJECT = "REJET", gettext_lazy("Rejeter la facture")
    WARN = "AVERTISSEMENT", gettext_lazy("Accepter la facture avec un avertissement")


class Structure(TimeStampedModel):
    identifier_type = models.CharField(
        gettext_lazy("type d'identifiant"),
        max_length=20,
        choices=IdentifierType.choices,
        default=IdentifierType.SIRET,
    )
    identifier = models.CharField("identifiant", max_length=80)
    company_name = models.CharField(gettext_lazy("raison sociale"), max_length=250)
    # The name as the search indexes hold it; its words are indexed by migration 0005 (GIN on
    # PostgreSQL; on SQLite an FTS5 table fed by triggers, which a migration that rebuilds this
    # table must create again — test_public_search proves a renamed structure is found).
    search_name = models.CharField(max_length=250, editable=False, default="")
    label = models.CharField(gettext_lazy("libellé de la structure"), max_length=250, blank=True)
    email = models.EmailField(gettext_lazy("adresse électronique"), blank=True)
    rcs_number = models.CharField(gettext_lazy("numéro RCS"), max_length=60, blank=True)
    is_active = models.BooleanField("active", default=True)
    is_edi_sender = models.BooleanField(gettext_lazy("est émetteur de flux EDI"), default=False)
    receives_lifecycle_edi = models.BooleanField(
        gettext_lazy("recevoir les cycles de vie en EDI"), default=False
    )
    connection_request_active = models.BooleanField(
        gettext_lazy("demande de raccordement active"), default=False
    )
    is_agricultural_centre = models.BooleanField(
        gettext_lazy("la structure est un centre de gestion agricole"), default=False
    )
    is_private = models.BooleanField(gettext_lazy("structure privée"), default=True)
    # Works contracts (estMOA / aMoa, estMOAUniquement): a public structure that acts as maître
    # d'ouvrage for others (a delegated MOA), or only as such (it receives no invoice to pay).
    is_moa = models.BooleanField(gettext_lazy("structure avec MOA"), default=False)
    is_moa_only = models.BooleanField(gettext_lazy("structure MOA uniquement"), default=False)
    is_non_diffusible = models.BooleanField(gettext_lazy("non diffusible INSEE"), default=False)
    legal_category = models.CharField(gettext_lazy("catégorie juridique"), max_length=4, blank=True)

    # Public-sector parameters: what invoices sent to this structure must carry.
    requires_service_code = models.BooleanField(
        gettext_lazy("le code service doit être renseigné"), default=False
    )
    requires_engagement = models.BooleanField(
        gettext_lazy("le numéro d'engagement doit être renseigné"), default=False
    )
    requires_service_or_engagement = models.BooleanField(
        gettext_lazy("le numéro d'engagement ou le code service doit être renseigné"), default=False
    )
    payment_status_not_reported = models.BooleanField(
        gettext_lazy("le statut « mise en paiement » n'est pas remonté"), default=False
    )
    # Délai global de paiement (CCP R2192-10/11): 30 days for the State and local authorities,
    # 50 for public health establishments, 60 for public undertakings; never more than 60.
    payment_delay_days = models.PositiveSmallIntegerField(
        gettext_lazy("délai global de paiement (jours)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField(gettext_lazy("validée le"), null=True, blank=True)
    # When a person first became its gestionnaire principal (the first user of a private SIRET,
    # or the one an operator appointed for a public structure): shown, and contestable.
    claimed_at = models.DateTimeField(gettext_lazy("revendiquée le"), null=True, blank=True)
    bank_account_rule = models.CharField(
        gettext_lazy("IBAN d'une facture absent des coordonnées bancaires déclarées"),
        max_length=16,
        choices=CheckRule.choices,
        default=CheckRule.REJECT,
    )

    engagement_rule = models.CharField(
        gettext_lazy("numéro d'engagement inconnu, d'un autre fournisseur ou épuisé"),
        max_length=16,
        choices=CheckRule.choices,
        default=CheckRule.WARN,
    )

    address = models.CharField("adresse", max_length=250, blank=True)
    address_complement = models.CharField(
        gettext_lazy("complément d'adresse"), max_length=250, blank=True
    )
    postal_code = models.CharField(gettext_lazy("code postal"), max_length=20, blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    country = CountryField("pays", default="FR")

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_type", "identifier"], name="structures_unique_identifier"
            ),
        ]
        indexes = [
            models.Index(fields=["identifier"], name="structures_identifier_idx"),
            models.Index(
                fields=["search_name"],
                name="structures_search_name_idx",
                opclasses=["text_pattern_ops"],
            ),
            models.Index(
                fields=["postal_code"],
                name="structures_postal_code_idx",
                opclasses=["text_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} ({self.identifier})"

    @property
    def status_label(self) -> str:
        return "Actif" if self.is_active else "Inactif"

    @property
    def address_lines(self) -> list[str]:
        return address_lines(
            address=self.address,
            address_complement=self.address_complement,
            postal_code=self.postal_code,
            city=self.city,
            country=str(self.country),
        )

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.company_name)
        if kwargs.get("update_fields") is not None and "company_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        """A public body (SIRENE catégorie juridique 7xxx) or a recipient of invoices: never
        handed to whoever asks first (its first gestionnaire is appointed by an operator)."""
        return not self.is_private or self.legal_category.startswith("7")

    @property
    def is_draft(self) -> bool:
        """Saved but not yet validated: visible to its creator only."""
        return self.validated_at is None

    def clean(self) -> None:
        if self.identifier_type == IdentifierType.SIRET and not siret_is_valid(self.identifier):
            raise ValidationError(
                {
                    "identifier": gettext(
                        "Le numéro SIRET doit comporter 14 chiffres et être valide."
                    )
                }
            )


class Service(TimeStampedModel):
    """A service of a structure: invoices are routed to it by its code."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="services")
    code = models.CharField(gettext_lazy("code du service"), max_length=100)
    label = models.CharField(gettext_lazy("libellé du service"), max_length=250)
    is_active = models.BooleanField("actif", default=True)
    valid_from = models.DateField(gettext_lazy("début de validité"), null=True, blank=True)
    valid_until = models.DateField(gettext_lazy("fin de validité"), null=True, blank=True)
    requires_engagement = models.BooleanField(
        gettext_lazy("le numéro d'engagement doit être renseigné"), default=False
    )

    class Meta:
        verbose_name = "service"
        verbose_name_plural = "services"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "code"], name="services_unique_code"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="services_valid_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class BankAccount(TimeStampedModel):
    """Coordonnées bancaires of a structure."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="bank_accounts")
    label = models.CharField(gettext_lazy("libellé"), max_length=100)
    holder = models.CharField(gettext_lazy("titulaire du compte"), max_length=250)
    iban = models.CharField(gettext_lazy("IBAN"), max_length=34)
    bic = models.CharField(gettext_lazy("BIC"), max_length=11)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = gettext_lazy("coordonnées bancaires")
        verbose_name_plural = gettext_lazy("coordonnées bancaires")
        constraints = [
            models.UniqueConstraint(fields=["structure", "iban"], name="bank_accounts_unique_iban"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({iban.format(self.iban)})"

    def clean(self) -> None:
        errors = {}
        if not iban.is_valid(self.iban):
            errors["iban"] = gettext("IBAN invalide : vérifiez le pays, la clé et la longueur.")
        if not bic.is_valid(self.bic):
            errors["bic"] = gettext(
                "BIC invalide : 8 ou 11 caractères (banque, pays, lieu, agence)."
            )
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    PRINCIPAL = "PRINCIPAL", gettext_lazy("Gestionnaire principal")
    SECONDARY = "SECONDAIRE", gettext_lazy("Gestionnaire secondaire")
    USER = "SIMPLE", gettext_lazy("Utilisateur simple")


MANAGER_ROLES = (Role.PRINCIPAL, Role.SECONDARY)


class Membership(TimeStampedModel):
    """A rattachement: a user attached to a structure with a role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        gettext_lazy("rôle"), max_length=10, choices=Role.choices, default=Role.USER
    )

    class Meta:
        verbose_name = "rattachement"
        verbose_name_plural = "rattachements"
        constraints = [
            models.UniqueConstraint(fields=["user", "structure"], name="memberships_unique_user"),
            # At most one gestionnaire principal; services never leave a structure without one.
            models.UniqueConstraint(
                fields=["structure"],
                condition=Q(role="PRINCIPAL"),
                name="memberships_one_principal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.structure} ({self.get_role_display()})"

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES


class Space(models.TextChoices):
    INVOICES_SENT = "FACTURES_EMISES", gettext_lazy("Factures émises")
    INVOICES_RECEIVED = "FACTURES_RECUES", gettext_lazy("Factures reçues")
    INVOICES_TO_VALIDATE = "FACTURES_A_VALIDER", gettext_lazy("Factures à valider")
    ENGAGEMENTS = "ENGAGEMENTS_JURIDIQUES", gettext_lazy("Engagements juridiques")
    WORKS = "FACTURES_TRAVAUX", gettext_lazy("Factures de travaux")
    REQUESTS_SENT = "SOLLICITATIONS_EMISES", gettext_lazy("Sollicitations émises")
    REQUESTS_RECEIVED = "SOLLICITATIONS_RECUES", gettext_lazy("Sollicitations reçues")
    MANAGER = "ACTIVITES_GESTIONNAIRE", gettext_lazy("Activités du gestionnaire")
    FLOWS = "SUIVI_FLUX", gettext_lazy("Suivi des flux")


SELF_SERVICE_SPACES = (Space.INVOICES_SENT, Space.REQUESTS_SENT)


class SpaceSubscription(TimeStampedModel):
    """An espace opened to a member; spaces other than self-service ones wait for a manager."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="spaces")
    space = models.CharField("espace", max_length=30, choices=Space.choices)
    is_approved = models.BooleanField(gettext_lazy("accordé"), default=False)

    class Meta:
        verbose_name = "espace"
        verbose_name_plural = "espaces"
        constraints = [
            models.UniqueConstraint(fields=["membership", "space"], name="spaces_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_space_display()} — {self.membership}"


class RequestStatus(models.TextChoices):
    PENDING = "EN_ATTENTE", gettext_lazy("En attente")
    APPROVED = "ACCEPTEE", gettext_lazy("Acceptée")
    REFUSED = "REFUSEE", gettext_lazy("Refusée")


class AttachmentRequest(TimeStampedModel):
    """Demande de rattachement: a user asks to join a structure; a manager decides."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attachment_requests"
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="attachment_requests"
    )
    message = models.TextField("message", blank=True)
    # A request to manage a public structure (or one without a gestionnaire principal) is
    # decided by the platform's operators, on the evidence the applicant uploads.
    for_operators = models.BooleanField(gettext_lazy("instruite par les opérateurs"), default=False)
    evidence = models.FileField("justificatif", upload_to="justificatifs/%Y/%m/", blank=True)
    status = models.CharField(
        "statut", max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    reason = models.TextField(gettext_lazy("motif du refus"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("demande de rattachement")
        verbose_name_plural = gettext_lazy("demandes de rattachement")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "structure"],
                condition=Q(status="EN_ATTENTE"),
                name="attachment_requests_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.structure} ({self.get_status_display()})"


class BillingMandate(models.Model):
    """Mandat de facturation: the platform may issue invoices typed on the portal for the
    structure. Dated, revocable, recorded with who subscribed and who revoked."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="mandates")
    subscribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    subscribed_at = models.DateTimeField(gettext_lazy("souscrit le"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(gettext_lazy("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("mandat de facturation")
        verbose_name_plural = gettext_lazy("mandats de facturation")
        constraints = [
            models.UniqueConstraint(
                fields=["structure"],
                condition=Q(revoked_at__isnull=True),
                name="mandates_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"Mandat {self.structure} du {self.subscribed_at:%d/%m/%Y}"
