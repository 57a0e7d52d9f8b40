"""Forms of the invoicing espaces: list filters, deposit, and the life-cycle actions."""

from django import forms
from django.utils.translation import gettext, gettext_lazy

from chorale.core.forms import ATTACHMENTS_HELP, AttachmentsField, Form
from chorale.lifecycle.policies import NOT_YET_RECEIVED
from chorale.lifecycle.selectors import InvoiceFilters
from chorale.lifecycle.statuses import Status


class InvoiceFilterForm(Form):
    """The filters of « Factures émises » and « Factures reçues » (read from the query string)."""

    statut = forms.ChoiceField(
        label=gettext_lazy("Statut"), required=False, choices=[("", "Tous"), *Status.choices]
    )
    numero = forms.CharField(
        label=gettext_lazy("Numéro de facture"), required=False, max_length=100
    )
    partenaire = forms.CharField(label=gettext_lazy("Destinataire"), required=False, max_length=100)
    service = forms.TypedChoiceField(
        label=gettext_lazy("Service"), required=False, coerce=int, empty_value=None
    )
    du = forms.DateField(
        label=gettext_lazy("Date de facture, du"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    au = forms.DateField(
        label="au",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    montant_min = forms.DecimalField(
        label=gettext_lazy("Montant TTC minimum"), required=False, min_value=0
    )
    montant_max = forms.DecimalField(
        label=gettext_lazy("Montant TTC maximum"), required=False, min_value=0
    )
    flux = forms.CharField(label=gettext_lazy("Numéro de flux"), required=False, max_length=25)
    non_telechargees = forms.BooleanField(
        label=gettext_lazy("Pas encore téléchargées"), required=False
    )

    def __init__(
        self, *args, counterpart_label: str, services=None, received: bool = False, **kwargs
    ):
        """`services` is given on the recipient's side (its services, maybe none); a recipient
        filters only on the statuses a received invoice can have."""
        super().__init__(*args, **kwargs)
        self.received = received
        self.fields["partenaire"].label = counterpart_label
        if received:
            self.fields["statut"].choices = [
                ("", "Tous"),
                *(
                    (value, label)
                    for value, label in Status.choices
                    if value not in NOT_YET_RECEIVED
                ),
            ]
        if services is None:
            del self.fields["non_telechargees"]  # a recipient's filter
        if services:
            self.fields["service"].choices = [
                ("", "Tous mes services"),
                *((s.pk, f"{s.label} ({s.code})") for s in services),
            ]
        else:
            del self.fields["service"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("du") and cleaned.get("au") and cleaned["du"] > cleaned["au"]:
            self.add_error("au", gettext("La date de fin précède la date de début."))
        return cleaned

    def filters(self, sort: str) -> InvoiceFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return InvoiceFilters(
            status=data.get("statut") or "",
            number=data.get("numero") or "",
            counterpart=data.get("partenaire") or "",
            service_id=data.get("service"),
            date_from=data.get("du"),
            date_to=data.get("au"),
            amount_min=data.get("montant_min"),
            amount_max=data.get("montant_max"),
            flow_number=data.get("flux") or "",
            downloaded=False if data.get("non_telechargees") else None,
            # A supplier follows its works pieces in « Factures de travaux »; the financial
            # service receives them here once payable.
            works=None if self.received else False,
            sort=sort,
        )


class ProcessForm(Form):
    """A recipient's action on one invoice: the new status, with its reason or mandate number."""

    statut = forms.ChoiceField(label=gettext_lazy("Action"))
    motif = forms.CharField(
        label=gettext_lazy("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    numero_mandat = forms.CharField(
        label=gettext_lazy("Numéro de mandat"), required=False, max_length=50
    )
    statut_attendu = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = actions


class CompleteForm(Form):
    commentaire = forms.CharField(
        label=gettext_lazy("Commentaire (réponse à la suspension)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    pieces_jointes = AttachmentsField(
        label=gettext_lazy("Pièces jointes"), help_text=ATTACHMENTS_HELP
    )


class RecycleForm(Form):
    siret = forms.CharField(label=gettext_lazy("SIRET du destinataire"), max_length=17)
    code_service = forms.CharField(
        label=gettext_lazy("Code service"), required=False, max_length=100
    )
    numero_engagement = forms.CharField(
        label=gettext_lazy("Numéro d'engagement"), required=False, max_length=50
    )


class ValidateForm(Form):
    """« Factures à valider »: the validator's decision."""

    action = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=[("VALIDATION", gettext_lazy("Valider")), ("REFUS", gettext_lazy("Refuser"))],
        widget=forms.RadioSelect,
    )
    motif_refus = forms.ChoiceField(
        label=gettext_lazy("Motif de refus"),
        required=False,
        choices=[
            ("", "—"),
            ("AUTRE", gettext_lazy("Autre motif")),
            (
                "MAUVAIS_VALIDEUR",
                gettext_lazy("Mauvais valideur (la facture revient au fournisseur)"),
            ),
        ],
    )
    motif = forms.CharField(
        label=gettext_lazy("Motif (obligatoire pour un refus)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    complement = forms.CharField(
        label=gettext_lazy("Complément d'information"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ValidatorForm(Form):
    """« Corriger le valideur » after a refusal for « mauvais valideur »."""

    siret = forms.CharField(label=gettext_lazy("SIRET du valideur"), max_length=17)
    code_service = forms.CharField(
        label=gettext_lazy("Code service du valideur"), required=False, max_length=100
    )


class WorksDecisionForm(Form):
    """« Factures de travaux »: the maître d'œuvre's or maître d'ouvrage's decision."""

    action = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=[
            ("VALIDATION", gettext_lazy("Valider, avec le montant admis")),
            (
                "DEMANDE_COMPLEMENT",
                gettext_lazy("Demander un complément à l'entreprise (délai de paiement suspendu)"),
            ),
            (
                "DEMANDE_RECYCLAGE",
                gettext_lazy(
                    "Demander à l'entreprise de recycler la pièce (mauvais marché, destinataire "
                    "ou service)"
                ),
            ),
            ("REFUS", gettext_lazy("Refuser")),
        ],
        widget=forms.RadioSelect,
    )
    montant = forms.DecimalField(
        label=gettext_lazy("Montant admis TTC (€)"),
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=2,
        help_text=gettext_lazy(
            "Un désaccord sur le montant se corrige ici, jamais par un refus (CCAG Travaux, "
            "article 12). Vide : le montant de la pièce."
        ),
    )
    motif_refus = forms.ChoiceField(
        label=gettext_lazy("Motif de refus"),
        required=False,
        choices=[
            ("", "—"),
            ("REF_FAC_TRAVAUX", gettext_lazy("Références de la facture de travaux erronées")),
            ("MAUVAISE_MOE", gettext_lazy("Mauvaise maîtrise d'œuvre")),
            ("MAUVAISE_MOA", gettext_lazy("Mauvaise maîtrise d'ouvrage")),
            ("AUTRE", gettext_lazy("Autre motif")),
        ],
    )
    observations = forms.CharField(
        label=gettext_lazy("Observations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Obligatoires pour un refus ou une demande : ce qui manque ou ce qui est à corriger."
        ),
    )


class WorksRecycleForm(RecycleForm):
    """The company readdresses a works piece: its buyer, service, engagement and contract."""

    numero_marche = forms.CharField(label=gettext_lazy("Numéro de marché"), max_length=50)


class WorksSignForm(Form):
    """The supplier's answer to the décompte général."""

    action = forms.ChoiceField(
        label=gettext_lazy("Réponse"),
        choices=[
            ("ACCEPTATION", gettext_lazy("Signer le décompte général (il devient définitif)")),
            ("REFUS", gettext_lazy("Contester le décompte général")),
        ],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(
        label=gettext_lazy("Motifs de la contestation (mémoire en réclamation)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WorksTacitForm(Form):
    """The company's projet de décompte général when the MOA is late (CCAG Travaux 12.4.4)."""

    montant = forms.DecimalField(
        label=gettext_lazy("Montant de votre projet de décompte général TTC (€)"),
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=2,
        help_text=gettext_lazy("Vide : le montant de votre projet de décompte final."),
    )
    observations = forms.CharField(
        label=gettext_lazy("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
