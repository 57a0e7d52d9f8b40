"""An engagement juridique typed in the portal, or one line of an imported table: one form,
so that both say the same thing about the same mistake."""

from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext, gettext_lazy
from stdnum.fr import siren, siret

from chorale.core.forms import ModelForm
from chorale.structures.models import Structure

from .models import Engagement, EngagementLine, WorksContract

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DELAY_HELP = gettext_lazy(
    "Facultatif : plus court que le délai global de paiement de l'acheteur, jamais plus long ; "
    "le plus court des deux s'applique."
)
# The import's columns (docs/engagements.md) and the field each fills.
COLUMNS = {
    "numero": "number",
    "delai_paiement": "payment_delay_days",
    "type": "kind",
    "objet": "label",
    "numero_marche": "market_number",
    "siret_fournisseur": "supplier_identifier",
    "fournisseur": "supplier_name",
    "montant_ttc": "amount",
    "devise": "currency",
    "date_notification": "notified_on",
    "date_fin": "ends_on",
    "code_service": "service_code",
}


def plain_amount(text: str) -> str:
    """« 1 234,56 » or « 1234.56 € » as Django reads a decimal."""
    kept = "".join(c for c in text if c not in " \u00a0\u202f€")
    return kept.replace(",", ".")


class EngagementForm(ModelForm):
    service_code = forms.CharField(
        label=gettext_lazy("Code du service exécutant"), required=False, max_length=100
    )
    notified_on = forms.DateField(
        label=gettext_lazy("Date de notification"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Date de fin"),
        input_formats=DATE_FORMATS,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Engagement
        fields = [
            "number",
            "kind",
            "label",
            "market_number",
            "supplier_identifier",
            "supplier_name",
            "amount",
            "currency",
            "notified_on",
            "ends_on",
            "payment_delay_days",
        ]
        labels = {
            "number": gettext_lazy("Numéro d'engagement"),
            "kind": gettext_lazy("Type d'engagement"),
            "label": gettext_lazy("Objet"),
            "market_number": gettext_lazy("Numéro de marché"),
            "supplier_identifier": gettext_lazy("SIRET du fournisseur"),
            "supplier_name": gettext_lazy("Raison sociale du fournisseur"),
            "amount": gettext_lazy("Montant TTC"),
            "currency": gettext_lazy("Devise"),
            "payment_delay_days": gettext_lazy("Délai de paiement du contrat (jours)"),
        }
        help_texts = {
            "payment_delay_days": DELAY_HELP,
            "supplier_identifier": gettext_lazy(
                "14 chiffres (SIRET), 9 (SIREN : tout établissement de l'entreprise peut "
                "facturer), ou l'identifiant d'un fournisseur étranger."
            ),
        }

    def __init__(self, *args, structure: Structure, **kwargs):
        self.structure = structure
        super().__init__(*args, **kwargs)
        self.fields["currency"].required = False
        if self.instance.pk and self.instance.service_id and not self.is_bound:
            self.initial["service_code"] = self.instance.service.code

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        taken = Engagement.objects.filter(structure=self.structure, number=number)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                gettext("Votre structure a déjà un engagement n° %(number)s.") % {"number": number}
            )
        return number

    def clean_supplier_identifier(self) -> str:
        value = "".join(self.cleaned_data["supplier_identifier"].split()).upper()
        if value.isdigit() and len(value) == 14 and not siret.is_valid(value):
            raise forms.ValidationError(gettext("Ce SIRET n'est pas valide (14 chiffres)."))
        if value.isdigit() and len(value) == 9 and not siren.is_valid(value):
            raise forms.ValidationError(gettext("Ce SIREN n'est pas valide (9 chiffres)."))
        if value.isdigit() and len(value) not in (9, 14):
            raise forms.ValidationError(gettext("Un SIRET compte 14 chiffres, un SIREN 9."))
        return value

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "EUR").upper()

    def clean_service_code(self):
        code = self.cleaned_data["service_code"].strip().upper()
        if not code:
            return None
        service = self.structure.services.filter(code=code).first()
        if service is None:
            raise forms.ValidationError(
                gettext("Votre structure n'a pas de service de code « %(code)s ».") % {"code": code}
            )
        return service

    def clean(self):
        data = super().clean()
        identifier = data.get("supplier_identifier")
        if identifier and not data.get("supplier_name"):
            known = Structure.objects.filter(identifier=identifier).first()
            if known is None:
                self.add_error(
                    "supplier_name",
                    gettext(
                        "Ce fournisseur n'est pas sur la plateforme : indiquez sa raison sociale."
                    ),
                )
            else:
                data["supplier_name"] = known.company_name
        return data

    def save(self, commit: bool = True) -> Engagement:
        engagement: Engagement = super().save(commit=False)
        engagement.structure = self.structure
        engagement.service = self.cleaned_data.get("service_code")
        if commit:
            engagement.save()
        return engagement


class EngagementLineForm(ModelForm):
    class Meta:
        model = EngagementLine
        fields = ["label", "amount"]
        labels = {
            "label": gettext_lazy("Désignation du poste"),
            "amount": gettext_lazy("Montant TTC du poste"),
        }


LinesFormSet = inlineformset_factory(
    Engagement, EngagementLine, form=EngagementLineForm, extra=3, can_delete=True, max_num=100
)


def lines_total(formset) -> Decimal:
    return sum(
        (
            f.cleaned_data["amount"]
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("amount")
        ),
        Decimal("0"),
    )


class ImportForm(forms.Form):
    fichier = forms.FileField(
        label=gettext_lazy("Fichier CSV ou XLSX"),
        help_text=gettext_lazy(
            "Une ligne d'en-tête puis un engagement par ligne ; 5 Mo et 5 000 lignes au plus."
        ),
    )


def _structure(siret: str) -> Structure | None:
    return Structure.objects.filter(
        identifier="".join(siret.split()), is_active=True, validated_at__isnull=False
    ).first()


class WorksContractForm(ModelForm):
    """A marché de travaux, by its parties' SIRETs: the MOE, the MOA (the buyer itself unless
    a delegated MOA flagged « structure avec MOA ») and the companies that invoice it."""

    siret_moe = forms.CharField(label=gettext_lazy("SIRET de la maîtrise d'œuvre"), max_length=17)
    siret_moa = forms.CharField(
        label=gettext_lazy("SIRET de la maîtrise d'ouvrage"),
        max_length=17,
        required=False,
        help_text=gettext_lazy("Laissez vide si votre structure est le maître d'ouvrage."),
    )
    sirets_entreprises = forms.CharField(
        label=gettext_lazy("SIRET des entreprises (titulaire, cotraitants, sous-traitants)"),
        help_text=gettext_lazy("Un ou plusieurs SIRET, séparés par des virgules."),
        max_length=2000,
    )

    class Meta:
        model = WorksContract
        fields = ["number", "label", "payment_delay_days"]
        labels = {
            "number": gettext_lazy("Numéro de marché"),
            "label": gettext_lazy("Objet"),
            "payment_delay_days": gettext_lazy("Délai de paiement du contrat (jours)"),
        }
        help_texts = {"payment_delay_days": DELAY_HELP}

    def __init__(self, *args, buyer: Structure, **kwargs):
        self.buyer = buyer
        super().__init__(*args, **kwargs)

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if WorksContract.objects.filter(buyer=self.buyer, number=number).exists():
            raise forms.ValidationError(
                gettext("Votre structure a déjà un marché de travaux n° %(number)s.")
                % {"number": number}
            )
        return number

    def clean_siret_moe(self) -> Structure:
        found = _structure(self.cleaned_data["siret_moe"])
        if found is None:
            raise forms.ValidationError(
                gettext("Ce SIRET n'est pas celui d'une structure active de la plateforme.")
            )
        return found

    def clean_siret_moa(self) -> Structure:
        siret = self.cleaned_data["siret_moa"].strip()
        if not siret:
            return self.buyer
        found = _structure(siret)
        if found is None or (
            found.pk != self.buyer.pk and not (found.is_moa and not found.is_private)
        ):
            raise forms.ValidationError(
                gettext(
                    "Une maîtrise d'ouvrage déléguée est une structure publique active avec le "
                    "paramètre « Structure avec MOA »."
                )
            )
        return found

    def clean_sirets_entreprises(self) -> list[Structure]:
        given = self.cleaned_data["sirets_entreprises"].replace(";", ",").split(",")
        found, unknown = [], []
        for identifier in filter(None, ("".join(s.split()) for s in given)):
            structure = _structure(identifier)
            (found if structure else unknown).append(structure or identifier)
        if unknown:
            raise forms.ValidationError(
                gettext("Inconnus ou inactifs sur la plateforme : %(sirets)s.")
                % {"sirets": ", ".join(unknown)}
            )
        if not found:
            raise forms.ValidationError(gettext("Indiquez au moins une entreprise."))
        return found

    def save(self, commit: bool = True) -> WorksContract:
        """Saved whatever `commit` says: its companies need it in the database."""
        contract: WorksContract = super().save(commit=False)
        contract.buyer = self.buyer
        contract.moe = self.cleaned_data["siret_moe"]
        contract.moa = self.cleaned_data["siret_moa"]
        contract.save()
        contract.suppliers.set(self.cleaned_data["sirets_entreprises"])
        return contract
