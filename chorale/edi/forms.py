from django import forms
from django.utils.translation import gettext, gettext_lazy

from chorale.core.forms import Form
from chorale.flows.models import WORKS_FAMILIES, syntax_family

from .models import RECEPTION_SYNTAXES, RETURNS, SYNTAXES, Direction, Protocol


class ConnectionForm(Form):
    """« Déclarer un raccordement EDI »."""

    label = forms.CharField(label=gettext_lazy("Libellé"), max_length=100)
    protocol = forms.ChoiceField(label=gettext_lazy("Protocole"), choices=Protocol.choices)
    direction = forms.ChoiceField(label=gettext_lazy("Sens"), choices=Direction.choices)
    syntaxes = forms.MultipleChoiceField(
        label=gettext_lazy("Syntaxes envoyées"),
        choices=list(SYNTAXES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    returns = forms.MultipleChoiceField(
        label=gettext_lazy("Retours demandés"),
        choices=list(RETURNS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reception_syntax = forms.ChoiceField(
        label=gettext_lazy("Syntaxe des factures reçues"),
        choices=list(RECEPTION_SYNTAXES.items()),
        initial="CII",
        required=False,
        help_text=gettext_lazy(
            "Chaque facture reçue arrive avec son fichier d'origine et une copie dans cette "
            "syntaxe."
        ),
    )
    ssh_public_key = forms.CharField(
        label=gettext_lazy("Clé publique SSH (SFTP)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("La ligne du fichier .pub : ssh-ed25519, ECDSA ou RSA 2048 bits."),
    )
    as2_identifier = forms.CharField(
        label=gettext_lazy("Identifiant AS2"), max_length=128, required=False
    )
    as2_url = forms.URLField(label=gettext_lazy("Adresse AS2 (URL)"), required=False)
    as2_certificate = forms.CharField(
        label=gettext_lazy("Certificat AS2 (PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        protocol, direction = data.get("protocol"), data.get("direction")
        data["reception_syntax"] = data.get("reception_syntax") or "CII"
        syntaxes = data.get("syntaxes") or []
        if direction in (Direction.SEND, Direction.BOTH) and not syntaxes:
            self.add_error("syntaxes", gettext("Choisissez au moins une syntaxe envoyée."))
        if len({syntax_family(s) in WORKS_FAMILIES for s in syntaxes}) > 1:
            self.add_error(
                "syntaxes",
                gettext(
                    "Un raccordement envoie soit des factures (E1, E2), soit des pièces de "
                    "travaux (E4, E5), tenues à part : déclarez un raccordement pour chacun."
                ),
            )
        from . import keys  # (cryptography: loaded when a connection is declared)

        if protocol == Protocol.SFTP:
            try:
                data["ssh_public_key"] = keys.ssh_public_key(data.get("ssh_public_key", ""))
            except forms.ValidationError as error:
                self.add_error("ssh_public_key", error)
            data["as2_identifier"] = data["as2_url"] = data["as2_certificate"] = ""
        elif protocol == Protocol.AS2:
            for name in ("as2_identifier", "as2_url"):
                if not data.get(name):
                    self.add_error(name, gettext("Obligatoire pour un raccordement AS2."))
            try:
                data["as2_certificate"], data["certificate_expires_at"] = keys.certificate(
                    data.get("as2_certificate", "")
                )
            except forms.ValidationError as error:
                self.add_error("as2_certificate", error)
            data["ssh_public_key"] = ""
        return data


class MandateForm(Form):
    partner_code = forms.CharField(
        label=gettext_lazy("Code partenaire du raccordement de l'opérateur"),
        max_length=6,
        help_text=gettext_lazy("Trois lettres et trois chiffres, que l'opérateur vous donne."),
    )
