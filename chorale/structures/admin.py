from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from chorale.core.errors import BusinessError

from .models import AttachmentRequest, Membership, RequestStatus, Role, Service, Structure
from .services import operator_request_refuse, principal_reassign


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "created_at"]
    readonly_fields = fields  # roles move through the services (one principal at any time)
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


class ServiceInline(admin.TabularInline):
    model = Service
    fields = ["code", "label", "is_active", "requires_engagement", "valid_from", "valid_until"]
    extra = 0


class ReassignForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Adresse électronique du nouveau gestionnaire principal")
    )
    reason = forms.CharField(label=gettext_lazy("Motif"), widget=forms.Textarea(attrs={"rows": 3}))
    contested = forms.BooleanField(
        label=gettext_lazy(
            "Contestation fondée : retirer de la structure le "
            "gestionnaire principal actuel (sollicitation « Contester la "
            "gestion d'une structure »)"
        ),
        required=False,
    )

    def clean_email(self):
        user = get_user_model().objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError(gettext("Aucun compte ne porte cette adresse."))
        return user


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = [
        "identifier",
        "company_name",
        "identifier_type",
        "principal",
        "created_by",
        "claimed_at",
        "is_private",
        "is_active",
        "city",
    ]
    list_filter = ["identifier_type", "is_private", "is_active", "validated_at", "claimed_at"]
    search_fields = ["identifier", "company_name", "label", "postal_code", "city"]
    readonly_fields = ["principal_manager", "created_by", "claimed_at"]
    list_select_related = ["created_by"]
    inlines = [MembershipInline, ServiceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__user")

    def _principal(self, obj):
        return next((m.user for m in obj.memberships.all() if m.role == Role.PRINCIPAL), None)

    @admin.display(description=gettext_lazy("gestionnaire principal"))
    def principal(self, obj):
        user = self._principal(obj)
        return user.email if user else "—"

    @admin.display(description=gettext_lazy("gestionnaire principal"))
    def principal_manager(self, obj):
        user = self._principal(obj) if obj.pk else None
        link = reverse("admin:structures_structure_reassign", args=[obj.pk]) if obj.pk else ""
        shown = f"{user.get_full_name()} <{user.email}>" if user else "aucun"
        if not obj.pk:
            return shown
        if user and not user.is_active:
            shown += gettext(" (compte désactivé)")
        return format_html(gettext('{} — <a href="{}">Réattribuer ou désigner</a>'), shown, link)

    def get_urls(self):
        return [
            path(
                "<int:pk>/gestionnaire-principal/",
                self.admin_site.admin_view(self.reassign_view),
                name="structures_structure_reassign",
            ),
            *super().get_urls(),
        ]

    def reassign_view(self, request, pk: int):
        """« Désigner ou réattribuer le gestionnaire principal »: a structure without one, whose
        principal left, or whose management was contested."""
        structure = get_object_or_404(Structure, pk=pk)
        if not self.has_change_permission(request, structure):
            return redirect("admin:index")
        form = ReassignForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                principal_reassign(
                    structure=structure,
                    user=form.cleaned_data["email"],
                    operator=request.user,
                    reason=form.cleaned_data["reason"],
                    contested=form.cleaned_data["contested"],
                )
            except BusinessError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, gettext("Le gestionnaire principal est désigné."))
                return redirect("admin:structures_structure_change", structure.pk)
        return TemplateResponse(
            request,
            "admin/structures/reassign.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Gestionnaire principal — {structure.company_name}",
                "structure": structure,
                "principal": self._principal(structure),
                "form": form,
                "opts": self.model._meta,
            },
        )


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("Décision"),
        choices=[
            ("1", gettext_lazy("Accepter : désigner le demandeur gestionnaire principal")),
            ("0", "Refuser"),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=gettext_lazy("Motif"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(AttachmentRequest)
class AttachmentRequestAdmin(admin.ModelAdmin):
    """Demandes de rattachement; those « instruites par les opérateurs » (a public structure,
    or one without gestionnaire principal) are decided here, on their justificatif."""

    list_display = [
        "user",
        "structure",
        "for_operators",
        "status",
        "created_at",
        "decided_by",
        "decide_link",
    ]
    list_filter = ["for_operators", "status", "created_at"]
    search_fields = ["user__email", "structure__identifier", "structure__company_name"]
    list_select_related = ["user", "structure", "decided_by"]
    raw_id_fields = ["user", "structure", "decided_by"]
    exclude = ["evidence"]
    readonly_fields = ["evidence_link"]

    @admin.display(description=gettext_lazy("décision"))
    def decide_link(self, obj):
        if not obj.for_operators or obj.status != RequestStatus.PENDING:
            return "—"
        return format_html(
            '<a href="{}">Instruire</a>', reverse("admin:structures_request_decide", args=[obj.pk])
        )

    @admin.display(description="justificatif")
    def evidence_link(self, obj):
        if not obj.evidence:
            return "—"
        return format_html(
            gettext('<a href="{}">Télécharger</a>'),
            reverse("admin:structures_request_evidence", args=[obj.pk]),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/instruire/",
                self.admin_site.admin_view(self.decide_view),
                name="structures_request_decide",
            ),
            path(
                "<int:pk>/justificatif/",
                self.admin_site.admin_view(self.evidence_view),
                name="structures_request_evidence",
            ),
            *super().get_urls(),
        ]

    def evidence_view(self, request, pk: int):
        item = get_object_or_404(AttachmentRequest, pk=pk)
        if not self.has_view_permission(request, item) or not item.evidence:
            raise Http404(gettext("Justificatif introuvable."))
        name = item.evidence.name.rsplit("/", 1)[-1]
        return FileResponse(item.evidence.open("rb"), as_attachment=True, filename=name)

    def decide_view(self, request, pk: int):
        item = get_object_or_404(AttachmentRequest, pk=pk, for_operators=True)
        if not self.has_change_permission(request, item):
            return redirect("admin:index")
        form = DecideForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if item.status != RequestStatus.PENDING:
                    raise BusinessError(
                        gettext("Cette demande a déjà été traitée."), "request_decided"
                    )
                if form.cleaned_data["approve"]:
                    principal_reassign(
                        structure=item.structure,
                        user=item.user,
                        operator=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                else:
                    operator_request_refuse(
                        operator=request.user, request=item, reason=form.cleaned_data["reason"]
                    )
            except BusinessError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, gettext("La demande est instruite."))
                return redirect("admin:structures_attachmentrequest_changelist")
        return TemplateResponse(
            request,
            "admin/structures/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Demande de gestion — {item.structure.company_name}",
                "item": item,
                "evidence": self.evidence_link(item),
                "form": form,
                "opts": self.model._meta,
            },
        )
