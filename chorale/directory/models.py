"""The locally imported SIRENE register (INSEE), read to pre-fill structures."""

from django.db import models
from django.utils.translation import gettext_lazy


class SireneUnit(models.Model):
    """A legal unit (SIREN), as of the last imported stock file."""

    siren = models.CharField(gettext_lazy("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(gettext_lazy("dénomination"), max_length=250, blank=True)
    acronym = models.CharField("sigle", max_length=60, blank=True)
    legal_category = models.CharField(gettext_lazy("catégorie juridique"), max_length=4, blank=True)
    is_active = models.BooleanField("active", default=True)
    is_partially_diffusible = models.BooleanField(
        gettext_lazy("diffusion partielle"), default=False
    )
    head_office_nic = models.CharField(gettext_lazy("NIC du siège"), max_length=5, blank=True)
    last_processed = models.CharField(
        gettext_lazy("dernier traitement INSEE"), max_length=32, blank=True
    )

    class Meta:
        verbose_name = gettext_lazy("unité légale SIRENE")
        verbose_name_plural = gettext_lazy("unités légales SIRENE")
        indexes = [models.Index(fields=["legal_category"], name="sirene_unit_category_idx")]

    def __str__(self) -> str:
        return f"{self.siren} {self.name}"

    @property
    def is_public(self) -> bool:
        """Public law (catégorie juridique 7xxx)."""
        return self.legal_category.startswith("7")


class SireneEstablishment(models.Model):
    """An establishment (SIRET), with its address formatted as a postal address."""

    siret = models.CharField(gettext_lazy("SIRET"), max_length=14, primary_key=True)
    siren = models.CharField(gettext_lazy("SIREN"), max_length=9, db_index=True)
    is_head_office = models.BooleanField(gettext_lazy("siège"), default=False)
    is_open = models.BooleanField("ouvert", default=True)
    is_partially_diffusible = models.BooleanField(
        gettext_lazy("diffusion partielle"), default=False
    )
    address_line1 = models.CharField("adresse", max_length=250, blank=True)
    address_line2 = models.CharField(
        gettext_lazy("complément d'adresse"), max_length=250, blank=True
    )
    postal_code = models.CharField(gettext_lazy("code postal"), max_length=10, blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    country = models.CharField(gettext_lazy("pays (hors France)"), max_length=100, blank=True)
    department = models.CharField(
        gettext_lazy("département"), max_length=3, blank=True, db_index=True
    )
    sign = models.CharField("enseigne", max_length=250, blank=True)
    masked_fields = models.TextField(gettext_lazy("champs non diffusés"), blank=True)
    last_processed = models.CharField(
        gettext_lazy("dernier traitement INSEE"), max_length=32, blank=True
    )

    class Meta:
        verbose_name = gettext_lazy("établissement SIRENE")
        verbose_name_plural = gettext_lazy("établissements SIRENE")

    def __str__(self) -> str:
        return self.siret
