from django import forms
from django.utils.translation import gettext, gettext_lazy

from chorale.core.forms import ATTACHMENTS_HELP, AttachmentsField, Form
from chorale.core.models import search_key

from . import selectors
from .models import Category, Status

PLATFORM = "SUPPORT"


class _ByName(forms.models.ModelChoiceIterator):
    """Choices in alphabetical order, whatever the case and accents (« Dépôt » before
    « Paiement »)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for category in sorted(self.queryset, key=lambda c: search_key(str(c))):
            yield self.choice(category)


class _SubcategorySelect(forms.Select):
    """Each sub-category says its category (`data-categorie`): the page shows only those of the
    category chosen (chorale/page.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-categorie"] = str(instance.parent_id)
        return option


class CategoryField(forms.ModelChoiceField):
    iterator = _ByName


class RequestForm(Form):
    """« Nouvelle sollicitation »."""

    structure = forms.ModelChoiceField(
        label=gettext_lazy("Au nom de la structure"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("En mon nom (sans structure)"),
    )
    destinataire = forms.ChoiceField(label=gettext_lazy("Destinataire"))
    siret = forms.CharField(
        label=gettext_lazy("Ou une autre structure publique : son SIRET"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("14 chiffres ; remplace le destinataire choisi ci-dessus."),
    )
    categorie = CategoryField(label=gettext_lazy("Catégorie"), queryset=None)
    sous_categorie = CategoryField(
        label=gettext_lazy("Sous-catégorie"),
        queryset=None,
        required=False,
        widget=_SubcategorySelect(attrs={"data-follows": "id_categorie"}),
    )
    objet = forms.CharField(label=gettext_lazy("Objet"), max_length=200)
    message = forms.CharField(
        label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 6})
    )
    pieces_jointes = AttachmentsField(
        label=gettext_lazy("Pièces jointes"), help_text=ATTACHMENTS_HELP
    )
    facture = forms.IntegerField(required=False, widget=forms.HiddenInput)
    flux = forms.CharField(
        required=False, max_length=30, label=gettext_lazy("Numéro de flux concerné")
    )
    structure_concernee = forms.CharField(
        label=gettext_lazy("SIRET de la structure concernée"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "Par exemple la structure à laquelle vous demandez à être rattaché."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["structure"].queryset = selectors.author_structures(user)
        self.fields["destinataire"].choices = [
            (PLATFORM, gettext("Support de la plateforme")),
            *[
                (s.identifier, f"{s.company_name} ({s.identifier})")
                for s in selectors.counterparts(user)
            ],
        ]
        categories = selectors.categories_active()
        self.fields["categorie"].queryset = categories.filter(parent__isnull=True)
        self.fields["sous_categorie"].queryset = categories.filter(parent__isnull=False)
        self.fields["sous_categorie"].label_from_instance = lambda c: c.name

    def clean_siret(self):
        value = self.cleaned_data["siret"].replace(" ", "")
        if value and selectors.target_structure(self.user, value) is None:
            raise forms.ValidationError(
                gettext(
                    "Aucune structure publique active ni aucune structure avec "
                    "laquelle vous échangez des factures ne porte ce SIRET."
                )
            )
        return value

    def clean_facture(self):
        value = self.cleaned_data["facture"]
        if value is None:
            return None
        invoice = selectors.invoice_visible(self.user, value)
        if invoice is None:
            raise forms.ValidationError(gettext("Facture introuvable."))
        return invoice

    def clean_flux(self):
        value = self.cleaned_data["flux"].strip()
        if not value:
            return None
        flow = selectors.flow_visible(self.user, value)
        if flow is None:
            raise forms.ValidationError(
                gettext("Aucun de vos flux ne porte le numéro « %(value)s ».")
                % {
                    "value": value,
                }
            )
        return flow

    def clean_structure_concernee(self):
        value = self.cleaned_data["structure_concernee"].replace(" ", "")
        if not value:
            return None
        found = selectors.linkable_structure(self.user, value)
        if found is None:
            raise forms.ValidationError(
                gettext(
                    "Aucune de vos structures, ni structure publique, ni "
                    "structure avec laquelle vous échangez des factures ne porte "
                    "ce SIRET."
                )
            )
        return found

    def recipient(self):
        data = self.cleaned_data
        identifier = data.get("siret") or data["destinataire"]
        if identifier == PLATFORM:
            return None
        return selectors.target_structure(self.user, identifier)


class ReplyForm(Form):
    message = forms.CharField(
        label=gettext_lazy("Votre réponse"), widget=forms.Textarea(attrs={"rows": 5})
    )
    pieces_jointes = AttachmentsField(
        label=gettext_lazy("Pièces jointes"), help_text=ATTACHMENTS_HELP
    )


class AssignForm(Form):
    personne = forms.ModelChoiceField(label=gettext_lazy("Confier à"), queryset=None)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["personne"].queryset = selectors.recipient_people(request).order_by(
            "last_name", "first_name"
        )
        self.fields["personne"].label_from_instance = lambda u: u.get_full_name() or u.email


class FilterForm(Form):
    texte = forms.CharField(label=gettext_lazy("Numéro ou objet"), required=False, max_length=100)
    statut = forms.ChoiceField(
        label=gettext_lazy("Statut"), required=False, choices=[("", "Tous"), *Status.choices]
    )
    categorie = forms.ModelChoiceField(
        label=gettext_lazy("Catégorie"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=gettext_lazy("Toutes"),
    )
    prise_en_charge = forms.ChoiceField(
        label=gettext_lazy("Prise en charge"),
        required=False,
        choices=[("", "Toutes"), ("moi", "Par moi"), ("personne", "Par personne")],
    )

    def filters(self) -> selectors.RequestFilters:
        data = self.cleaned_data if self.is_valid() else {}
        category = data.get("categorie")
        return selectors.RequestFilters(
            status=data.get("statut", ""),
            text=data.get("texte", ""),
            category=category.pk if category else None,
            assigned=data.get("prise_en_charge", ""),
        )
