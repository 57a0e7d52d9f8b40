from django.contrib import admin

from chorale.core.admin import ReadOnlyAdmin

from .models import EngineDisagreement, InvoiceRecord


@admin.register(InvoiceRecord)
class InvoiceRecordAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "supplier_name",
        "recipient_name",
        "status",
        "amount_due",
        "created_at",
    ]
    list_filter = ["status", "syntax", "profile"]
    search_fields = ["number", "supplier_name", "supplier_identifier", "recipient_name"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False  # a deposited invoice is immutable; statuses move through the life cycle

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EngineDisagreement)
class EngineDisagreementAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "invoice_number",
        "syntax",
        "profile",
        "official_only",
        "native_only",
    ]
    list_filter = ["syntax", "profile"]
    search_fields = ["invoice_number"]
