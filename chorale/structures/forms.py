import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField
from stdnum.eu import vat
from stdnum.eu.vat import MEMBER_STATES

from chorale.core.forms import ATTACHMENTS_HELP, AttachmentField, Form, ModelForm

from .models import BankAccount, IdentifierType, Role, Service, Space, Structure

FLAG_FIELDS = [
    "is_edi_sender",
    "receives_lifecycle_edi",
    "connection_request_active",
    "is_agricultural_centre",
    "is_private",
]
PARAMETER_FIELDS = [
    "requires_service_code",
    "requires_engagement",
    "requires_service_or_engagement",
    "payment_status_not_reported",
    "payment_delay_days",
]
FLAG_LABELS = {
    "is_edi_sender": gettext_lazy("Est émetteur de flux EDI"),
    "receives_lifecycle_edi": gettext_lazy("Recevoir les cycles de vie en EDI"),
    "connection_request_active": gettext_lazy("Demande de raccordement active"),
    "is_agricultural_centre": gettext_lazy("La structure est un centre de gestion agricole"),
    "is_private": gettext_lazy("Structure Privée"),
}
# Format checks of identifiers typed by hand (the SIRET is checked against the register).
FREE_TEXT = (
    r"[A-Z0-9][A-Z0-9 .\-/]{1,79}",
    "lettres, chiffres, espaces, points, tirets ou barres obliques",
)
IDENTIFIER_FORMATS = {
    IdentifierType.RIDET: (
        r"\d{6,7}(\.?\d{3})?",
        gettext_lazy("un RIDET a 6 ou 7 chiffres, suivis du code établissement à 3 chiffres"),
    ),
    IdentifierType.TAHITI: (
        r"[A-Z0-9]{6}(\.?\d{3})?",
        gettext_lazy("un numéro Tahiti a 6 caractères, suivis de 3 chiffres d'établissement"),
    ),
    IdentifierType.OUTSIDE_EU: FREE_TEXT,
    IdentifierType.PRIVATE_PERSON: FREE_TEXT,
    IdentifierType.OTHER: FREE_TEXT,
}


def identifier_error(identifier_type: str, identifier: str) -> str:
    """Why an identifier typed by hand is not well formed ('' when it is)."""
    if identifier_type == IdentifierType.EU_VAT:
        if identifier.startswith("FR"):
            return gettext("Une structure française s'identifie par son SIRET.")
        if not vat.is_valid(identifier):
            return gettext(
                "Numéro de TVA intracommunautaire invalide (préfixe du pays puis numéro)."
            )
        return ""
    pattern, explanation = IDENTIFIER_FORMATS.get(identifier_type, (None, ""))
    if pattern and not re.fullmatch(pattern, identifier):
        return gettext("Identifiant mal formé : %(explanation)s.") % {
            "explanation": explanation,
        }
    return ""


# The member states but France (stdnum's VAT list, Greece under its ISO code; Northern Ireland
# trades under the EU VAT rules as XI but is GB in ISO 3166).
EU_OUTSIDE_FRANCE = frozenset(
    {"GR" if c == "gr" else c.upper() for c in MEMBER_STATES} - {"FR", "XI"}
)


class StructureIdentityForm(Form):
    """« Saisie nouvelle structure », first block."""

    identifier_type = forms.ChoiceField(
        label=gettext_lazy("Type d'identifiant"), choices=IdentifierType.choices
    )
    identifier = forms.CharField(label=gettext_lazy("Identifiant"), max_length=80)
    company_name = forms.CharField(
        label=gettext_lazy("Raison sociale"), max_length=250, required=False
    )
    label = forms.CharField(
        label=gettext_lazy("Libellé de la structure"), max_length=250, required=False
    )
    email = forms.EmailField(label=gettext_lazy("Adresse électronique"), required=False)
    rcs_number = forms.CharField(label=gettext_lazy("Numéro RCS"), max_length=60, required=False)
    is_active = forms.TypedChoiceField(
        label=gettext_lazy("Statut"),
        choices=[("1", "Actif"), ("0", "Inactif")],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    address = forms.CharField(label=gettext_lazy("Adresse"), max_length=250, required=False)
    address_complement = forms.CharField(
        label=gettext_lazy("Complément d'adresse"), max_length=250, required=False
    )
    postal_code = forms.CharField(label=gettext_lazy("Code postal"), max_length=20, required=False)
    city = forms.CharField(label=gettext_lazy("Ville"), max_length=100, required=False)
    country = LazyTypedChoiceField(
        label=gettext_lazy("Pays"),
        choices=countries,
        initial="FR",
        required=False,
        help_text=gettext_lazy(
            "Pour une structure hors UE ; celui d'une structure "
            "européenne est lu dans son numéro de TVA."
        ),
    )

    evidence = AttachmentField(
        label=gettext_lazy("Justificatif (structure publique)"),
        help_text=format_lazy(
            "{} {}",
            gettext_lazy(
                "Obligatoire pour une structure publique : une délégation signée par l'entité, "
                "par exemple. Les opérateurs de la plateforme l'examinent avant de vous en "
                "confier la gestion."
            ),
            ATTACHMENTS_HELP,
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FLAG_FIELDS:
            self.fields[name] = forms.BooleanField(
                label=FLAG_LABELS[name], required=False, initial=name == "is_private"
            )

    def clean_identifier(self):
        return "".join(self.cleaned_data["identifier"].split()).upper()

    def clean(self):
        data = super().clean()
        kind, identifier = data.get("identifier_type"), data.get("identifier")
        data["country"] = country = data.get("country") or "FR"
        if kind == IdentifierType.SIRET:
            data["country"] = "FR"  # a SIRET is French
        elif kind == IdentifierType.EU_VAT and identifier:
            prefix = identifier[:2]  # the VAT number's prefix names its member state
            data["country"] = "GR" if prefix == "EL" else prefix
        elif kind == IdentifierType.OUTSIDE_EU and (
            country in EU_OUTSIDE_FRANCE or country == "FR"
        ):
            self.add_error(
                "country",
                gettext("Choisissez le pays de la structure, hors de l'Union européenne."),
            )
        if kind and identifier and kind != IdentifierType.SIRET:
            error = identifier_error(kind, identifier)
            if error:
                self.add_error("identifier", error)
            if not data.get("company_name"):
                self.add_error("company_name", gettext("Indiquez la raison sociale."))
        return data


class ParametersForm(ModelForm):
    class Meta:
        model = Structure
        fields = [
            *PARAMETER_FIELDS,
            "bank_account_rule",
            "engagement_rule",
            "is_moa",
            "is_moa_only",
            "email",
            "label",
            "rcs_number",
            *FLAG_FIELDS[:4],
        ]
        labels = {
            "bank_account_rule": gettext_lazy(
                "Facture déposée dont l'IBAN (BT-84) ne figure pas parmi vos "
                "coordonnées bancaires déclarées"
            ),
            "engagement_rule": gettext_lazy(
                "Facture dont le numéro d'engagement (BT-13) est inconnu, d'un autre "
                "fournisseur, clos ou épuisé"
            ),
            "is_moa": gettext_lazy(
                "Structure avec MOA : maîtrise d'ouvrage (déléguée) de marchés de travaux"
            ),
            "is_moa_only": gettext_lazy("Structure MOA uniquement (ne reçoit pas de factures)"),
            "requires_service_code": gettext_lazy("Le code service doit être renseigné"),
            "requires_engagement": gettext_lazy("Le numéro d'engagement doit être renseigné"),
            "requires_service_or_engagement": (
                gettext_lazy("Le numéro d'engagement ou le code service doit être renseigné")
            ),
            "payment_status_not_reported": gettext_lazy(
                "Le statut « mise en paiement » n'est pas remonté"
            ),
            "payment_delay_days": gettext_lazy("Délai global de paiement (jours)"),
            "email": gettext_lazy("Adresse électronique"),
            "label": gettext_lazy("Libellé de la structure"),
            "rcs_number": gettext_lazy("Numéro RCS"),
            **{k: FLAG_LABELS[k] for k in FLAG_FIELDS[:4]},
        }
        help_texts = {
            "payment_delay_days": gettext_lazy(
                "30 jours pour l'État et les collectivités territoriales, 50 pour les "
                "établissements publics de santé, 60 pour les entreprises publiques (au plus)."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("payment_delay_days", "engagement_rule"):  # left empty: unchanged
            self.fields[name].required = False

    def clean_payment_delay_days(self) -> int:
        return self.cleaned_data.get("payment_delay_days") or self.instance.payment_delay_days

    def clean_engagement_rule(self) -> str:
        return self.cleaned_data.get("engagement_rule") or self.instance.engagement_rule


class ServiceForm(ModelForm):
    class Meta:
        model = Service
        fields = ["code", "label", "is_active", "valid_from", "valid_until", "requires_engagement"]
        labels = {
            "code": gettext_lazy("Code du service"),
            "label": gettext_lazy("Libellé du service"),
            "is_active": gettext_lazy("Actif"),
            "valid_from": gettext_lazy("Début de validité"),
            "valid_until": gettext_lazy("Fin de validité"),
            "requires_engagement": gettext_lazy("Le numéro d'engagement doit être renseigné"),
        }
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, structure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.structure = structure or self.instance.structure

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if code == "FACTURES_PUBLIQUES":
            raise forms.ValidationError(
                gettext("Le code FACTURES_PUBLIQUES est réservé par la plateforme.")
            )
        others = self.instance.structure.services.exclude(pk=self.instance.pk)
        if others.filter(code=code).exists():
            raise forms.ValidationError(gettext("Un service de cette structure a déjà ce code."))
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", gettext("La fin de validité précède le début."))
        return data


class BankAccountForm(ModelForm):
    class Meta:
        model = BankAccount
        fields = ["label", "holder", "iban", "bic"]
        labels = {
            "label": gettext_lazy("Libellé"),
            "holder": gettext_lazy("Titulaire du compte"),
            "iban": gettext_lazy("IBAN"),
            "bic": gettext_lazy("BIC"),
        }

    def __init__(self, *args, structure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.structure = structure or self.instance.structure

    def clean_iban(self):
        value = "".join(self.cleaned_data["iban"].split()).upper()
        others = self.instance.structure.bank_accounts.exclude(pk=self.instance.pk)
        if others.filter(iban=value).exists():
            raise forms.ValidationError(
                gettext("Cet IBAN est déjà enregistré pour cette structure.")
            )
        return value

    def clean_bic(self):
        return "".join(self.cleaned_data["bic"].split()).upper()


class RefusalForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif du refus"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AttachmentRequestForm(Form):
    message = forms.CharField(
        label=gettext_lazy("Message au gestionnaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, to_operators: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if to_operators:
            self.fields["message"].label = gettext("Message aux opérateurs de la plateforme")
            self.fields["evidence"] = AttachmentField(
                label=gettext("Justificatif"),
                required=True,
                help_text=format_lazy(
                    "{} {}",
                    gettext("Une délégation signée par l'entité publique, par exemple."),
                    ATTACHMENTS_HELP,
                ),
            )


class RoleForm(Form):
    role = forms.ChoiceField(
        label=gettext_lazy("Rôle"),
        choices=[(Role.SECONDARY, "Gestionnaire secondaire"), (Role.USER, "Utilisateur simple")],
    )


class SpaceRequestForm(Form):
    membership = forms.ChoiceField(label=gettext_lazy("Structure"))
    space = forms.ChoiceField(label=gettext_lazy("Espace"), choices=Space.choices)

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (m.pk, f"{m.structure.company_name} ({m.structure.identifier})") for m in memberships
        ]


class StructureSearchForm(Form):
    """« Demander un rattachement à une structure »: the eleven criteria."""

    company_name = forms.CharField(
        label=gettext_lazy("Raison sociale"), max_length=100, required=False
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[
            ("", gettext_lazy("Tous")),
            ("public", gettext_lazy("Structure publique")),
            ("private", gettext_lazy("Structure privée")),
        ],
    )
    identifier = forms.CharField(label=gettext_lazy("Identifiant"), max_length=80, required=False)
    identifier_type = forms.ChoiceField(
        label=gettext_lazy("Type d'identifiant"),
        required=False,
        choices=[("", "Tous"), *IdentifierType.choices],
    )
    label = forms.CharField(
        label=gettext_lazy("Libellé de la structure"), max_length=100, required=False
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Statut"),
        required=False,
        choices=[("", "Tous"), ("active", "Actif"), ("inactive", "Inactif")],
    )
    last_name = forms.CharField(label=gettext_lazy("Nom"), max_length=100, required=False)
    first_name = forms.CharField(label=gettext_lazy("Prénom"), max_length=100, required=False)
    postal_code = forms.CharField(label=gettext_lazy("Code postal"), max_length=10, required=False)
    city = forms.CharField(label=gettext_lazy("Ville"), max_length=100, required=False)
    country = forms.CharField(
        label=gettext_lazy("Pays"),
        max_length=2,
        required=False,
        help_text=gettext_lazy("Code ISO, par exemple FR"),
    )

    def has_criteria(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)
