from django.contrib import admin
from django.utils.translation import gettext_lazy

from .models import Category, Message, MessageAttachment, SupportRequest


class SubcategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    fields = ["name", "position", "is_active"]
    extra = 1
    verbose_name = gettext_lazy("sous-catégorie")
    verbose_name_plural = gettext_lazy("sous-catégories")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position", "is_active"]
    list_filter = ["is_active", "parent"]
    search_fields = ["name"]
    inlines = [SubcategoryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


class MessageInline(admin.StackedInline):
    model = Message
    fields = ["created_at", "author", "side", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # operators answer from the « Sollicitations reçues » page


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "subject",
        "author",
        "author_structure",
        "recipient_name",
        "category",
        "status",
        "assignee",
        "updated_at",
    ]
    list_filter = ["status", "category", ("recipient", admin.EmptyFieldListFilter), "created_at"]
    search_fields = [
        "number",
        "subject",
        "author__email",
        "author_structure__identifier",
        "recipient__identifier",
        "recipient__company_name",
    ]
    list_select_related = ["author", "author_structure", "recipient", "category", "assignee"]
    raw_id_fields = [
        "author",
        "author_structure",
        "recipient",
        "invoice",
        "flow",
        "linked_structure",
        "assignee",
    ]
    readonly_fields = ["number", "created_at", "updated_at", "closed_at"]
    date_hierarchy = "created_at"
    inlines = [MessageInline]

    @admin.display(description="destinataire")
    def recipient_name(self, obj):
        return obj.recipient_name


@admin.register(MessageAttachment)
class MessageAttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "size", "message"]
    search_fields = ["name", "message__request__number"]
    raw_id_fields = ["message"]
