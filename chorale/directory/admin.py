from django.contrib import admin

from .models import SireneEstablishment, SireneUnit


class ReadOnlyAdmin(admin.ModelAdmin):
    """The register is imported, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
