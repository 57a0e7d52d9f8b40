from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """What the platform writes (an imported register, a processed flow, an engine report):
    operators read it in the back office, never add, edit nor delete it by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
