"""« Déposer une facture »: the deposit form."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from chorale.core.forms import Form


class DepositForm(Form):
    """« Déposer une facture »: one Factur-X, UBL or CII file, or a zip of several."""

    structure = forms.TypedChoiceField(label="Structure émettrice", coerce=int)
    fichier = forms.FileField(
        label="Fichier",
        help_text="Facture Factur-X (PDF), UBL ou CII (XML), ou un lot de factures (ZIP). "
        "Taille maximale : {size}.",
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].choices = [
            (s.pk, f"{s.company_name} ({s.identifier})") for s in structures
        ]
        self.fields["fichier"].help_text = self.fields["fichier"].help_text.format(
            size=filesizeformat(settings.CHORALE_MAX_DEPOSIT_BYTES)
        )

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > settings.CHORALE_MAX_DEPOSIT_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse la taille maximale de "
                f"{filesizeformat(settings.CHORALE_MAX_DEPOSIT_BYTES)}."
            )
        return upload
