from django.contrib import admin, messages
from django.utils.translation import gettext, gettext_lazy

from chorale.core.admin import ReadOnlyAdmin
from chorale.core.errors import BusinessError

from .models import AS2Message, Connection, Mandate, Outgoing, OutgoingStatus, Stage
from .outbox import attempt
from .services import connection_stage_set


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    fields = ["supplier", "granted_by", "granted_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False


def _to(stage: str, description: str):
    @admin.action(description=description)
    def move(modeladmin, request, queryset):
        for connection in queryset:
            try:
                connection_stage_set(
                    operator=request.user, connection_id=connection.pk, stage=stage
                )
            except BusinessError as error:
                messages.error(request, error.message)
        messages.info(request, gettext("Décision enregistrée ; les gestionnaires sont prévenus."))

    move.__name__ = f"to_{stage.lower()}"
    return move


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    """Operators approve a declared connection: qualification first, then production."""

    list_display = ["partner_code", "label", "structure", "protocol", "direction", "stage",
                    "declared_at", "certificate_expires_at"]  # fmt: skip
    list_filter = ["stage", "protocol", "direction"]
    search_fields = ["partner_code", "label", "structure__company_name", "structure__identifier"]
    list_select_related = ["structure"]
    readonly_fields = [
        "partner_code", "structure", "declared_by", "declared_at", "qualification_at",
        "production_at", "stage", "certificate_expires_at",
    ]  # fmt: skip
    inlines = [MandateInline]
    actions = [
        _to(Stage.QUALIFICATION, gettext_lazy("Passer en qualification")),
        _to(Stage.PRODUCTION, gettext_lazy("Passer en production")),
        _to(Stage.SUSPENDED, gettext_lazy("Suspendre")),
    ]

    def has_add_permission(self, request) -> bool:
        return False  # declared by the structure's gestionnaire, in its page


@admin.register(Outgoing)
class OutgoingAdmin(ReadOnlyAdmin):
    """What is sent to AS2 partners, and whether their MDN accepted it (retried with back-off);
    « Renvoyer maintenant » tries a pending one again at once."""

    list_display = ["name", "connection", "status", "attempts", "next_attempt_at", "sent_at",
                    "last_error"]  # fmt: skip
    list_filter = ["status", "is_mdn"]
    search_fields = ["name", "connection__partner_code", "message_id"]
    list_select_related = ["connection"]
    exclude = ["content"]
    actions = ["send_now"]

    @admin.action(description=gettext_lazy("Renvoyer maintenant"))
    def send_now(self, request, queryset):
        for outgoing in queryset.filter(status=OutgoingStatus.PENDING):
            attempt(outgoing.pk)
        messages.info(request, gettext("Envoi tenté ; voyez l'état de chaque envoi."))


@admin.register(AS2Message)
class AS2MessageAdmin(ReadOnlyAdmin):
    list_display = ["message_id", "connection", "received_at", "processed", "disposition"]
    list_filter = ["processed"]
    search_fields = ["message_id", "connection__partner_code"]
    list_select_related = ["connection"]
