"""« Déposer une facture » and « Saisir une facture »: the forms."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from chorale.core.forms import ATTACHMENT_TYPES, ATTACHMENTS_HELP, AttachmentsField, Form

from .entry import FRAMES, TYPES, UNITS, VAT_RATES, EntryLine


class DepositForm(Form):
    """« Déposer une facture »: one Factur-X, UBL or CII file, or a zip of several."""

    structure = forms.TypedChoiceField(label=gettext_lazy("Structure émettrice"), coerce=int)
    fichier = forms.FileField(
        label=gettext_lazy("Fichier"),
        help_text=gettext_lazy(
            "Facture Factur-X (PDF), UBL ou CII (XML), ou un lot de "
            "factures (ZIP). Taille maximale : {size}."
        ),
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
                gettext("Le fichier dépasse la taille maximale de %(filesizeformat)s.")
                % {
                    "filesizeformat": filesizeformat(settings.CHORALE_MAX_DEPOSIT_BYTES),
                }
            )
        return upload


class EntryForm(Form):
    """« Saisir une facture »: the invoice's header."""

    structure = forms.TypedChoiceField(label=gettext_lazy("Structure émettrice"), coerce=int)
    destinataire = forms.CharField(
        label=gettext_lazy("SIRET du destinataire"),
        max_length=17,
        help_text=gettext_lazy("La structure publique à qui vous facturez (14 chiffres)."),
    )
    code_service = forms.CharField(
        label=gettext_lazy("Code service"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "services", "autocomplete": "off"}),
    )
    numero_engagement = forms.CharField(
        label=gettext_lazy("Numéro d'engagement (bon de commande)"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"list": "engagements", "autocomplete": "off"}),
    )
    cadre = forms.ChoiceField(
        label=gettext_lazy("Cadre de facturation"), choices=FRAMES.items(), initial="A1"
    )
    siret_valideur = forms.CharField(
        label=gettext_lazy("SIRET du valideur (cadres A9 et A12)"),
        required=False,
        max_length=17,
        help_text=gettext_lazy(
            "Le titulaire du marché (A9) ou le mandataire du groupement (A12) : la facture lui "
            "est soumise avant d'être adressée au destinataire."
        ),
    )
    service_valideur = forms.CharField(
        label=gettext_lazy("Service du valideur (code)"), required=False, max_length=100
    )
    numero_marche = forms.CharField(
        label=gettext_lazy("Numéro de marché"),
        required=False,
        max_length=50,
        help_text=gettext_lazy(
            "Obligatoire pour un projet de décompte ou un état d'acompte (cadres de travaux) : "
            "il désigne la maîtrise d'œuvre et la maîtrise d'ouvrage du marché."
        ),
    )
    type_facture = forms.ChoiceField(
        label=gettext_lazy("Type"), choices=TYPES.items(), initial="380"
    )
    facture_origine = forms.CharField(
        label=gettext_lazy("Numéro de la facture d'origine (pour un avoir)"),
        required=False,
        max_length=100,
    )
    numero = forms.CharField(label=gettext_lazy("Numéro de facture"), max_length=100)
    date_facture = forms.DateField(
        label=gettext_lazy("Date de facture"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    date_echeance = forms.DateField(
        label=gettext_lazy("Date d'échéance"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    devise = forms.ChoiceField(
        label=gettext_lazy("Devise"), choices=[("EUR", "Euro (EUR)"), ("USD", "Dollar US (USD)")]
    )
    tva_fournisseur = forms.CharField(
        label=gettext_lazy("Numéro de TVA du fournisseur"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Calculé depuis le SIREN s'il est laissé vide."),
    )
    conditions = forms.CharField(
        label=gettext_lazy("Conditions de paiement"), required=False, max_length=500
    )
    coordonnees = forms.TypedChoiceField(
        label=gettext_lazy("Coordonnées bancaires"), required=False, coerce=int, empty_value=None
    )
    commentaire = forms.CharField(
        label=gettext_lazy("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pieces_jointes = AttachmentsField(
        label=gettext_lazy("Pièces jointes"),
        help_text=format_lazy(
            "{} {}", ATTACHMENTS_HELP, gettext_lazy("Elles voyagent dans la facture.")
        ),
    )

    def __init__(self, *args, structures, bank_accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].choices = [
            (s.pk, f"{s.company_name} ({s.identifier})") for s in structures
        ]
        self.fields["coordonnees"].choices = [
            ("", "Aucune"),
            *((b.pk, f"{b.label} — {b.iban}") for b in bank_accounts),
        ]

    def clean_tva_fournisseur(self):
        from stdnum.eu import vat

        value = self.cleaned_data["tva_fournisseur"].replace(" ", "").upper()
        if value and not vat.is_valid(value):
            raise forms.ValidationError(
                gettext("Ce numéro de TVA intracommunautaire n'est pas valide (ex. FR14987654324).")
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("type_facture") == "381" and not cleaned.get("facture_origine"):
            self.add_error("facture_origine", gettext("Un avoir indique la facture qu'il corrige."))
        if cleaned.get("cadre") in ("A9", "A12") and not cleaned.get("siret_valideur"):
            self.add_error(
                "siret_valideur",
                gettext("Une facture de cadre A9 ou A12 nomme son valideur (SIRET)."),
            )
        return cleaned

    def header(self) -> dict:
        data = self.cleaned_data
        return {
            "number": data["numero"],
            "issue_date": data["date_facture"],
            "due_date": data["date_echeance"],
            "type_code": data["type_facture"],
            "currency": data["devise"],
            "cadre": data["cadre"],
            "validators": [
                {
                    "siret": data["siret_valideur"].replace(" ", ""),
                    "service": data["service_valideur"].strip().upper(),
                }
            ]
            if data["cadre"] in ("A9", "A12")
            else [],
            "service_code": data["code_service"].strip().upper(),
            "engagement_number": data["numero_engagement"].strip(),
            "market_number": data["numero_marche"].strip(),
            "preceding": data["facture_origine"].strip(),
            "seller_vat": data["tva_fournisseur"],
            "payment_terms": data["conditions"],
            "comment": data["commentaire"],
            "attachments": [
                (
                    upload.name,
                    ATTACHMENT_TYPES[upload.name[upload.name.rfind(".") :].lower()],
                    upload.read(),
                )
                for upload in data["pieces_jointes"]
            ],
        }


class VatFields(Form):
    """The VAT rate of an amount, and the exemption reason a 0 % rate needs."""

    taux_tva = forms.ChoiceField(
        label=gettext_lazy("Taux de TVA"),
        choices=[(rate, f"{rate.replace('.', ',')} %") for rate in VAT_RATES],
        initial="20",
    )
    motif_exoneration = forms.CharField(
        label=gettext_lazy("Motif d'exonération (taux 0 %)"), required=False, max_length=250
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("taux_tva") == "0" and not cleaned.get("motif_exoneration"):
            self.add_error("motif_exoneration", gettext("Indiquez le motif d'exonération de TVA."))
        return cleaned


class EntryLineForm(VatFields):
    designation = forms.CharField(label=gettext_lazy("Désignation"), max_length=250)
    quantite = forms.DecimalField(label=gettext_lazy("Quantité"), min_value=0, decimal_places=4)
    unite = forms.ChoiceField(label=gettext_lazy("Unité"), choices=UNITS.items(), initial="C62")
    prix_unitaire = forms.DecimalField(
        label=gettext_lazy("Prix unitaire HT"), min_value=0, decimal_places=4
    )
    remise = forms.DecimalField(
        label=gettext_lazy("Remise (montant HT)"), required=False, min_value=0, decimal_places=2
    )
    motif_remise = forms.CharField(
        label=gettext_lazy("Motif de la remise"), required=False, max_length=100, initial="Remise"
    )
    frais = forms.DecimalField(
        label=gettext_lazy("Frais ajoutés (montant HT)"),
        required=False,
        min_value=0,
        decimal_places=2,
    )
    motif_frais = forms.CharField(
        label=gettext_lazy("Motif des frais"), required=False, max_length=100, initial="Frais"
    )
    field_order = [
        "designation",
        "quantite",
        "unite",
        "prix_unitaire",
        "remise",
        "motif_remise",
        "frais",
        "motif_frais",
    ]

    def clean(self):
        cleaned = super().clean()
        quantity, price = cleaned.get("quantite"), cleaned.get("prix_unitaire")
        if None not in (quantity, price) and (cleaned.get("remise") or 0) > quantity * price + (
            cleaned.get("frais") or 0
        ):
            self.add_error("remise", gettext("La remise dépasse le montant de la ligne."))
        return cleaned

    def line(self) -> EntryLine:
        data = self.cleaned_data
        return EntryLine(
            designation=data["designation"],
            quantity=data["quantite"],
            unit=data["unite"],
            unit_price=data["prix_unitaire"],
            discount=data["remise"] or 0,
            discount_reason=data["motif_remise"].strip(),
            charge=data["frais"] or 0,
            charge_reason=data["motif_frais"].strip(),
            vat_rate=Decimal(data["taux_tva"]),
            exemption_reason=data["motif_exoneration"],
        )


EntryLineFormSet = forms.formset_factory(EntryLineForm, extra=0, min_num=1, validate_min=True)


class PdfDepositForm(VatFields):
    """A plain PDF invoice (no structured data inside) and the key data it carries: the
    platform turns them into an EN 16931 invoice with the PDF attached."""

    field_order = [
        "structure", "fichier", "destinataire", "code_service", "numero_engagement", "numero",
        "date_facture", "montant_ht", "taux_tva", "motif_exoneration",
    ]  # fmt: skip

    structure = forms.TypedChoiceField(label=gettext_lazy("Structure émettrice"), coerce=int)
    fichier = forms.FileField(
        label=gettext_lazy("Facture PDF"), help_text=gettext_lazy("Un PDF de 10 Mo au plus.")
    )
    destinataire = forms.CharField(label=gettext_lazy("SIRET du destinataire"), max_length=17)
    code_service = forms.CharField(
        label=gettext_lazy("Code service"), required=False, max_length=100
    )
    numero_engagement = forms.CharField(
        label=gettext_lazy("Numéro d'engagement (bon de commande)"), required=False, max_length=50
    )
    numero = forms.CharField(label=gettext_lazy("Numéro de facture"), max_length=100)
    date_facture = forms.DateField(
        label=gettext_lazy("Date de facture"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    montant_ht = forms.DecimalField(label=gettext_lazy("Montant HT"), min_value=0, decimal_places=2)

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].choices = [
            (s.pk, f"{s.company_name} ({s.identifier})") for s in structures
        ]

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-" or upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(gettext("Déposez un fichier PDF de 10 Mo au plus."))
        return upload

    def header(self) -> dict:
        data = self.cleaned_data
        upload = data["fichier"]
        return {
            "number": data["numero"],
            "issue_date": data["date_facture"],
            "type_code": "380",
            "currency": "EUR",
            "cadre": "A1",
            "service_code": data["code_service"].strip().upper(),
            "engagement_number": data["numero_engagement"].strip(),
            "attachments": [(upload.name[-50:], "application/pdf", upload.read())],
        }

    def lines(self) -> list[EntryLine]:
        data = self.cleaned_data
        return [
            EntryLine(
                designation=gettext("Facture %(number)s (voir le PDF joint)")
                % {"number": data["numero"]},
                quantity=Decimal(1),
                unit="C62",
                unit_price=data["montant_ht"],
                discount=Decimal(0),
                vat_rate=Decimal(data["taux_tva"]),
                exemption_reason=data["motif_exoneration"],
            )
        ]
