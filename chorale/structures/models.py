"""Structures: the legal entities that send and receive invoices (MISSION §3)."""

from django.core.exceptions import ValidationError
from django.db import models
from django_countries.fields import CountryField

from chorale.core.identifiers import siret_is_valid
from chorale.core.models import TimeStampedModel


class IdentifierType(models.TextChoices):
    SIRET = "SIRET", "Structure avec N° SIRET"
    EU_VAT = "UE_HORS_FRANCE", "Structure européenne hors France"
    OUTSIDE_EU = "HORS_UE", "Structure hors UE"
    RIDET = "RIDET", "RIDET"
    TAHITI = "TAHITI", "Numéro Tahiti"
    PRIVATE_PERSON = "PARTICULIER", "Particulier"
    OTHER = "AUTRE", "Autre"


class Structure(TimeStampedModel):
    identifier_type = models.CharField(
        "type d'identifiant",
        max_length=20,
        choices=IdentifierType.choices,
        default=IdentifierType.SIRET,
    )
    identifier = models.CharField("identifiant", max_length=80)
    company_name = models.CharField("raison sociale", max_length=250)
    label = models.CharField("libellé de la structure", max_length=250, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    rcs_number = models.CharField("numéro RCS", max_length=60, blank=True)
    is_active = models.BooleanField("active", default=True)
    is_edi_sender = models.BooleanField("est émetteur de flux EDI", default=False)
    receives_lifecycle_edi = models.BooleanField("recevoir les cycles de vie en EDI", default=False)
    connection_request_active = models.BooleanField("demande de raccordement active", default=False)
    is_agricultural_centre = models.BooleanField(
        "la structure est un centre de gestion agricole", default=False
    )
    is_private = models.BooleanField("structure privée", default=True)

    address = models.CharField("adresse", max_length=250, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=20, blank=True)
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
            models.Index(fields=["is_private", "is_active"], name="structures_public_idx"),
            models.Index(fields=["postal_code"], name="structures_postal_code_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} ({self.identifier})"

    @property
    def status_label(self) -> str:
        return "Actif" if self.is_active else "Inactif"

    def clean(self) -> None:
        if self.identifier_type == IdentifierType.SIRET and not siret_is_valid(self.identifier):
            raise ValidationError(
                {"identifier": "Le numéro SIRET doit comporter 14 chiffres et être valide."}
            )
