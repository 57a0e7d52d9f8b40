from django import forms
from django.utils.translation import gettext, gettext_lazy

from chorale.core.forms import Form


class PublicStructureSearchForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Raison sociale"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "Un ou plusieurs mots du nom, même incomplets (« belle riv "
            "»), sans tenir compte des majuscules ni des accents."
        ),
    )
    siret = forms.CharField(label=gettext_lazy("SIRET"), max_length=20, required=False)
    postal_code = forms.CharField(label=gettext_lazy("Code postal"), max_length=10, required=False)
    city = forms.CharField(label=gettext_lazy("Ville"), max_length=100, required=False)

    def clean_siret(self):
        siret = self.cleaned_data["siret"].replace(" ", "")
        if siret and (not siret.isdigit() or len(siret) != 14):
            raise forms.ValidationError(gettext("Le SIRET comporte 14 chiffres."))
        return siret

    def has_criteria(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)
