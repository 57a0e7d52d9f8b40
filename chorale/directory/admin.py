from django.contrib import admin

from chorale.core.admin import ReadOnlyAdmin

from .models import SireneEstablishment, SireneUnit


@admin.register(SireneUnit)
class SireneUnitAdmin(ReadOnlyAdmin):
    list_display = ["siren", "name", "legal_category", "is_active", "is_partially_diffusible"]
    list_filter = ["is_active", "is_partially_diffusible"]
    search_fields = ["siren", "name", "acronym"]


@admin.register(SireneEstablishment)
class SireneEstablishmentAdmin(ReadOnlyAdmin):
    list_display = ["siret", "is_head_office", "is_open", "postal_code", "city", "department"]
    list_filter = ["is_open", "is_head_office", "is_partially_diffusible"]
    search_fields = ["siret", "siren", "postal_code", "city"]
