from django.contrib import admin

from chorale.core.admin import ReadOnlyAdmin

from .models import Engagement, EngagementLine


class LineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = EngagementLine
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    """What the public structures recorded: operators read it to answer a sollicitation; the
    structures themselves change it in « Engagements juridiques »."""

    list_display = ["number", "structure", "supplier_name", "amount", "notified_on", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["number", "supplier_identifier", "supplier_name", "structure__identifier"]
    list_select_related = ["structure"]
    inlines = [LineInline]
