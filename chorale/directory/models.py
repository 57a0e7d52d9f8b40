"""The locally imported SIRENE register (INSEE), read to pre-fill structures."""

from django.db import models


class SireneUnit(models.Model):
    """A legal unit (SIREN), as of the last imported stock file."""

    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    name = models.CharField("dénomination", max_length=250, blank=True)
    acronym = models.CharField("sigle", max_length=60, blank=True)
    legal_category = models.CharField("catégorie juridique", max_length=4, blank=True)
    is_active = models.BooleanField("active", default=True)
    is_partially_diffusible = models.BooleanField("diffusion partielle", default=False)
    head_office_nic = models.CharField("NIC du siège", max_length=5, blank=True)
    last_processed = models.CharField("dernier traitement INSEE", max_length=32, blank=True)

    class Meta:
        verbose_name = "unité légale SIRENE"
        verbose_name_plural = "unités légales SIRENE"
        indexes = [models.Index(fields=["legal_category"], name="sirene_unit_category_idx")]

    def __str__(self) -> str:
        return f"{self.siren} {self.name}"

    @property
    def is_public(self) -> bool:
        """Public law (catégorie juridique 7xxx)."""
        return self.legal_category.startswith("7")


class SireneEstablishment(models.Model):
    """An establishment (SIRET), with its address formatted as a postal address."""

    siret = models.CharField("SIRET", max_length=14, primary_key=True)
    siren = models.CharField("SIREN", max_length=9, db_index=True)
    is_head_office = models.BooleanField("siège", default=False)
    is_open = models.BooleanField("ouvert", default=True)
    is_partially_diffusible = models.BooleanField("diffusion partielle", default=False)
    address_line1 = models.CharField("adresse", max_length=250, blank=True)
    address_line2 = models.CharField("complément d'adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    country = models.CharField("pays (hors France)", max_length=100, blank=True)
    department = models.CharField("département", max_length=3, blank=True, db_index=True)
    sign = models.CharField("enseigne", max_length=250, blank=True)
    masked_fields = models.TextField("champs non diffusés", blank=True)
    last_processed = models.CharField("dernier traitement INSEE", max_length=32, blank=True)

    class Meta:
        verbose_name = "établissement SIRENE"
        verbose_name_plural = "établissements SIRENE"

    def __str__(self) -> str:
        return self.siret
