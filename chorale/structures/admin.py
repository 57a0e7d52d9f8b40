from django.contrib import admin

from .models import Structure


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = [
        "identifier",
        "company_name",
        "identifier_type",
        "is_private",
        "is_active",
        "city",
    ]
    list_filter = ["identifier_type", "is_private", "is_active"]
    search_fields = ["identifier", "company_name", "label", "postal_code", "city"]
