from django.contrib import admin

from chorale.core.admin import ReadOnlyAdmin

from .models import Engagement, EngagementLine, WorksContract


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


@admin.register(WorksContract)
class WorksContractAdmin(ReadOnlyAdmin):
    """The works contracts the buyers recorded, with their MOE and MOA: what operators look at
    when a works piece does not reach its maître d'œuvre."""

    list_display = ["number", "label", "buyer", "moa", "moe", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["number", "label", "buyer__identifier", "moe__identifier"]
    list_select_related = ["buyer", "moa", "moe"]
