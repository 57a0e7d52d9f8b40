"""Engagements juridiques: the purchase orders and contracts a public structure records, that
its suppliers' invoices name (BT-13) and draw on (docs/engagements.md); and the works contracts
whose pieces go through their maître d'œuvre and maître d'ouvrage (docs/works-invoices.md)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from chorale.structures.models import Service, Structure


def supplier_names(identifier: str) -> list[str]:
    """The identifiers an engagement may name a supplier by: its own, and for a SIRET its
    company's SIREN (an engagement with the company, invoiced by any of its establishments)."""
    own = identifier.replace(" ", "")
    return [own, own[:9]] if len(own) == 14 and own.isdigit() else [own]


def contract_delay() -> models.PositiveSmallIntegerField:
    """A contract may set a shorter délai global de paiement than its buyer's, never a longer
    one (CCP L2192-10): the shorter of the two applies (lifecycle.selectors)."""
    return models.PositiveSmallIntegerField(
        gettext_lazy("délai de paiement du contrat (jours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )


class EngagementKind(models.TextChoices):
    PURCHASE_ORDER = "BON_DE_COMMANDE", gettext_lazy("Bon de commande")
    MARKET = "MARCHE", gettext_lazy("Marché")
    CONTRACT = "CONTRAT", gettext_lazy("Contrat")
    CONVENTION = "CONVENTION", gettext_lazy("Convention")
    OTHER = "AUTRE", gettext_lazy("Autre")


class EngagementState(models.TextChoices):
    """Chorus Pro shows `COMMANDE` for an engagement open to invoices; closing or deactivating
    it stops new invoices from drawing on it."""

    OPEN = "COMMANDE", gettext_lazy("Commandé")
    CLOSED = "CLOTURE", gettext_lazy("Clôturé")
    DEACTIVATED = "DESACTIVE", gettext_lazy("Désactivé")


class Engagement(models.Model):
    created_at = models.DateTimeField(gettext_lazy("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("modifié le"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The public structure that commits itself (the « émetteur »), and its executing service.
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="engagements")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="engagements"
    )
    number = models.CharField(gettext_lazy("numéro d'engagement"), max_length=50)
    kind = models.CharField(
        "type", max_length=20, choices=EngagementKind.choices, default=EngagementKind.PURCHASE_ORDER
    )
    label = models.CharField(gettext_lazy("objet"), max_length=250, blank=True)
    market_number = models.CharField(gettext_lazy("numéro de marché"), max_length=50, blank=True)
    # The supplier (the « récepteur »), by its identifier: it may not be on the platform yet.
    supplier_identifier = models.CharField(
        gettext_lazy("SIRET ou identifiant du fournisseur"), max_length=80, db_index=True
    )
    supplier_name = models.CharField(gettext_lazy("fournisseur"), max_length=250, blank=True)
    amount = models.DecimalField(
        gettext_lazy("montant TTC"),
        max_digits=19,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField("devise", max_length=3, default="EUR")
    notified_on = models.DateField(gettext_lazy("date de notification"))
    ends_on = models.DateField(gettext_lazy("date de fin"), null=True, blank=True)
    state = models.CharField(
        "état", max_length=12, choices=EngagementState.choices, default=EngagementState.OPEN
    )
    payment_delay_days = contract_delay()

    class Meta:
        verbose_name = gettext_lazy("engagement juridique")
        verbose_name_plural = gettext_lazy("engagements juridiques")
        ordering = ["-notified_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "number"], name="engagements_unique_number"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="engagements_amount_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("notified_on")),
                name="engagements_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.supplier_name or self.supplier_identifier}"


class EngagementLine(models.Model):
    """A « poste » of the engagement: what was ordered, with its amount."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(gettext_lazy("numéro de poste"))
    label = models.CharField(gettext_lazy("désignation"), max_length=250)
    amount = models.DecimalField(
        gettext_lazy("montant TTC"),
        max_digits=19,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = gettext_lazy("poste")
        verbose_name_plural = gettext_lazy("postes")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "position"], name="engagement_lines_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} — {self.label}"


class WorksContract(models.Model):
    """A marché de travaux: the buyer whose financial service pays, its maître d'ouvrage (the
    buyer itself, or a delegated MOA flagged « structure avec MOA »), its maître d'œuvre, and
    the companies that invoice it (titulaire, cotraitants, sous-traitants)."""

    created_at = models.DateTimeField(gettext_lazy("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    buyer = models.ForeignKey(
        Structure,
        verbose_name=gettext_lazy("acheteur"),
        on_delete=models.PROTECT,
        related_name="works_contracts",
    )
    number = models.CharField(gettext_lazy("numéro de marché"), max_length=50)
    label = models.CharField(gettext_lazy("objet"), max_length=250, blank=True)
    moa = models.ForeignKey(
        Structure,
        verbose_name=gettext_lazy("maîtrise d'ouvrage"),
        on_delete=models.PROTECT,
        related_name="works_as_moa",
    )
    moe = models.ForeignKey(
        Structure,
        verbose_name=gettext_lazy("maîtrise d'œuvre"),
        on_delete=models.PROTECT,
        related_name="works_as_moe",
    )
    suppliers = models.ManyToManyField(
        Structure, verbose_name=gettext_lazy("entreprises"), related_name="works_supplied"
    )
    is_active = models.BooleanField("actif", default=True)
    payment_delay_days = contract_delay()

    class Meta:
        verbose_name = gettext_lazy("marché de travaux")
        verbose_name_plural = gettext_lazy("marchés de travaux")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "number"], name="works_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.label}"
