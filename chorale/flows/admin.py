from django.contrib import admin, messages
from django.utils.translation import gettext, gettext_lazy

from chorale.core.admin import ReadOnlyAdmin
from chorale.core.tracing import enqueue

from .models import FINAL_STATUSES, Flow, FlowItem
from .tasks import process_flow


class FlowItemInline(admin.TabularInline):
    model = FlowItem
    fields = ["position", "name", "result", "errors"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Flow)
class FlowAdmin(ReadOnlyAdmin):
    """Operators watch the flows (« flux »); a deposit is never changed, only processed again."""

    list_display = [
        "number",
        "supplier",
        "channel",
        "status",
        "accepted_count",
        "rejected_count",
        "created_at",
        "processed_at",
    ]
    list_filter = ["status", "channel", "created_at"]
    search_fields = ["number", "supplier__identifier", "supplier__company_name", "original_name"]
    list_select_related = ["supplier"]
    date_hierarchy = "created_at"
    inlines = [FlowItemInline]
    actions = ["process_again"]

    @admin.action(
        description=gettext_lazy("Relancer le traitement des flux non terminés sélectionnés")
    )
    def process_again(self, request, queryset):
        pending = list(queryset.exclude(status__in=FINAL_STATUSES).values_list("pk", flat=True))
        for flow_id in pending:
            enqueue(process_flow, flow_id=flow_id)
        messages.info(
            request,
            gettext(
                "%(len)s flux remis en file de traitement ; %(count)s déjà "
                "terminé(s) laissé(s) tel(s) quel(s)."
            )
            % {
                "len": len(pending),
                "count": queryset.count() - len(pending),
            },
        )
