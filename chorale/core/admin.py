from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from django_tasks_db.models import DBTaskResult


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """What the platform writes (an imported register, a processed flow, an engine report):
    operators read it in the back office, never add, edit nor delete it by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Models whose French name is feminine: Django's « Supprimer les … sélectionnés » agrees with
# it (« Supprimer les structures sélectionnées »).
FEMININE = {
    "axes.accessattempt", "axes.accesslog", "accounts.oidcidentity", "structures.structure",
    "structures.attachmentrequest", "directory.sireneunit", "invoicing.invoicerecord",
    "support.category", "support.supportrequest", "support.messageattachment", "portal.news",
    "portal.helptopic", "dsfr.dsfrconfig",
}  # fmt: skip


def delete_selected_feminine(plural: str) -> Any:
    """Django's bulk deletion under its own name (so that it replaces the site-wide one), its
    description agreeing with a feminine plural."""

    @admin.action(
        permissions=["delete"],
        description=lazy(
            lambda: gettext("Supprimer les %(plural)s sélectionnées") % {"plural": plural}, str
        )(),
    )
    def delete_selected_items(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
        return delete_selected(modeladmin, request, queryset)

    delete_selected_items.__name__ = "delete_selected"
    return delete_selected_items


# The background tasks (django-tasks-db), in the back office's words.
TASK_NAMES = {
    "chorale.flows.tasks.process_flow": "Traitement d'un flux",
    "chorale.core.tasks.deliver_email": "Envoi d'un courriel",
    "chorale.api.webhooks.deliver_webhook": "Livraison d'un webhook",
}
TASK_STATUSES = {
    "READY": gettext_lazy("En attente"),
    "RUNNING": gettext_lazy("En cours"),
    "FAILED": gettext_lazy("En échec"),
    "SUCCESSFUL": gettext_lazy("Réussie"),
}
QUEUES = {"default": "principale", "webhooks": "webhooks", "edi": "EDI"}


class InFranceFilter(admin.SimpleListFilter):
    """« en France » or « hors de France »: what an operator asks, rather than 250 countries."""

    title = "pays"
    parameter_name = "pays"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [("FR", "en France"), ("autre", "hors de France")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "FR":
            return queryset.filter(country="FR")
        if self.value() == "autre":
            return queryset.exclude(country="FR")
        return queryset


def choice_filter(title: str, field: str, choices: dict[str, Any]) -> type[admin.SimpleListFilter]:
    """A filter offering `choices` (value → words) on `field`, in the back office's words."""

    class ChoiceFilter(admin.SimpleListFilter):
        parameter_name = title

        def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
            return list(choices.items())

        def queryset(self, request: HttpRequest, queryset: Any) -> Any:
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    ChoiceFilter.title = title
    return ChoiceFilter


class TaskResultAdmin(ReadOnlyAdmin):
    """« Tâches en arrière-plan »: what the workers did, failures first to look at."""

    list_display = ["task", "state", "enqueued", "started", "finished", "queue"]
    list_filter = [
        choice_filter("statut", "status", TASK_STATUSES),
        choice_filter("file", "queue_name", QUEUES),
    ]
    ordering = ["-enqueued_at"]
    search_fields = ["task_path", "exception_class_path"]
    readonly_fields = ["task", "state", "queue", "enqueued", "started", "finished", "failure"]
    fields = tuple(readonly_fields)

    @admin.display(description=gettext_lazy("tâche"), ordering="task_path")
    def task(self, obj: Any) -> str:
        return str(TASK_NAMES.get(obj.task_path, obj.task_path))

    @admin.display(description="statut", ordering="status")
    def state(self, obj: Any) -> str:
        return str(TASK_STATUSES.get(obj.status, obj.status))

    @admin.display(description="file", ordering="queue_name")
    def queue(self, obj: Any) -> str:
        return QUEUES.get(obj.queue_name, str(obj.queue_name))

    @admin.display(description=gettext_lazy("mise en file le"), ordering="enqueued_at")
    def enqueued(self, obj: Any) -> Any:
        return obj.enqueued_at

    @admin.display(description=gettext_lazy("commencée le"), ordering="started_at")
    def started(self, obj: Any) -> Any:
        return obj.started_at

    @admin.display(description=gettext_lazy("terminée le"), ordering="finished_at")
    def finished(self, obj: Any) -> Any:
        return obj.finished_at

    @admin.display(description="erreur")
    def failure(self, obj: Any) -> str:
        return f"{obj.exception_class_path}\n{obj.traceback}".strip() or "—"


def french_back_office() -> None:
    """The back office in French throughout (called from CoreConfig once every admin is
    registered): django-tasks-db's English admin replaced by ours, the packages' app names,
    the agreement of bulk deletions. The packages' model names are translated by the project's
    catalogue (locale/fr)."""
    apps.get_app_config("django_tasks_database").verbose_name = gettext("Tâches en arrière-plan")
    apps.get_app_config("axes").verbose_name = gettext("Sécurité des connexions")
    apps.get_app_config("dsfr").verbose_name = gettext("Apparence du site (DSFR)")
    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
    admin.site.register(DBTaskResult, TaskResultAdmin)
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower in FEMININE:
            plural = str(model._meta.verbose_name_plural).lower()
            model_admin.actions = [*(model_admin.actions or []), delete_selected_feminine(plural)]
