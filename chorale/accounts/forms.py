from captcha.fields import CaptchaField
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext, gettext_lazy

from chorale.core.forms import CaptchaInput, DsfrFormMixin, Form, ModelForm

from .models import SECRET_QUESTIONS, User
from .services import PROFILE_FIELDS
from .validators import ComplexityValidator

PROFILE_LABELS = {
    "contact_email": gettext_lazy("Adresse électronique de contact"),
    "last_name": gettext_lazy("Nom"),
    "first_name": gettext_lazy("Prénom"),
    "address": gettext_lazy("Adresse"),
    "address_complement_1": gettext_lazy("Complément adresse 1"),
    "address_complement_2": gettext_lazy("Complément adresse 2"),
    "postal_code": gettext_lazy("Code postal"),
    "city": gettext_lazy("Ville"),
    "country": gettext_lazy("Pays"),
    "phone": gettext_lazy("Téléphone"),
    "fax": gettext_lazy("Fax"),
}
ADDRESS_REQUIRED = ("address", "postal_code", "city")
PHONE_HELP = gettext_lazy("Chiffres, espaces, points, tirets et + uniquement.")
PHONE_ALLOWED = set("0123456789 +.-()")


def _clean_phone(value: str, label: str) -> str:
    value = value.strip()
    if value and (set(value) - PHONE_ALLOWED or sum(c.isdigit() for c in value) < 6):
        raise forms.ValidationError(
            gettext("%(label)s : numéro invalide. %(PHONE_HELP)s")
            % {
                "label": label,
                "PHONE_HELP": PHONE_HELP,
            }
        )
    return value


class ProfileForm(ModelForm):
    """Personal information, as typed at registration and edited in « Mon Compte »."""

    class Meta:
        model = User
        fields = PROFILE_FIELDS
        labels = PROFILE_LABELS
        widgets = {
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "address": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_complement_1": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "address_complement_2": forms.TextInput(attrs={"autocomplete": "address-line3"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "fax": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        help_texts = {
            "contact_email": gettext_lazy(
                "Si elle est vide, les messages partent vers l'adresse de connexion."
            ),
        }

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"], gettext("Téléphone"))

    def clean_fax(self):
        return _clean_phone(self.cleaned_data["fax"], gettext("Fax"))


class RegistrationForm(ProfileForm):
    """« Créer votre compte »: login address, personal information and the image captcha."""

    email = forms.EmailField(
        label=gettext_lazy("Adresse électronique de connexion"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    captcha = CaptchaField(
        label=gettext_lazy("Entrez les caractères générés par l'image"), widget=CaptchaInput
    )

    field_order = ["email", *PROFILE_FIELDS, "captcha"]

    class Meta(ProfileForm.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ADDRESS_REQUIRED:  # marked required on the reference service's form
            self.fields[name].required = True

    def clean(self):
        cleaned = super().clean()
        code, country = cleaned.get("postal_code", ""), cleaned.get("country")
        if code and country == "FR" and not (code.isdigit() and len(code) == 5):
            self.add_error("postal_code", gettext("Un code postal français a 5 chiffres."))
        return cleaned


class PasswordPairMixin(forms.Form):
    """A new password and its confirmation, checked against the password policy."""

    password1 = forms.CharField(
        label=gettext_lazy("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "data-password-meter": "true"}
        ),
        help_text=ComplexityValidator().get_help_text(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self) -> User | None:
        return None

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise forms.ValidationError(gettext("Les deux mots de passe ne sont pas identiques."))
        if password2:
            password_validation.validate_password(password2, self.password_user())
        return password2


class SecretQuestionMixin(forms.Form):
    secret_question = forms.ChoiceField(
        label=gettext_lazy("Question secrète"),
        choices=[("", gettext_lazy("Choisissez une question")), *SECRET_QUESTIONS],
    )
    secret_answer = forms.CharField(
        label=gettext_lazy("Réponse"),
        max_length=100,
        min_length=2,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Elle vous sera demandée si vous oubliez votre mot de passe."),
    )


class SecretQuestionForm(DsfrFormMixin, SecretQuestionMixin):
    """« Compléter votre compte » after a first sign-in through the identity provider."""


class ActivationForm(DsfrFormMixin, PasswordPairMixin, SecretQuestionMixin):
    """« Activation du compte utilisateur »: password and secret question."""

    field_order = ["password1", "password2", "secret_question", "secret_answer"]

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def password_user(self) -> User:
        return self.user


class LoginForm(DsfrFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": (
            gettext_lazy(
                "Adresse électronique ou mot de passe incorrect. Vérifiez "
                "votre saisie ; un compte doit avoir été activé pour se "
                "connecter."
            )
        ),
        "inactive": gettext_lazy("Ce compte n'est pas actif."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext("Adresse électronique de connexion")
        self.fields["username"].widget.attrs.update(autocomplete="email", type="email")
        self.fields["password"].label = gettext("Mot de passe")


class PasswordForgotForm(Form):
    email = forms.EmailField(
        label=gettext_lazy("Adresse électronique de connexion"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    captcha = CaptchaField(
        label=gettext_lazy("Entrez les caractères générés par l'image"), widget=CaptchaInput
    )


class PasswordResetForm(DsfrFormMixin, PasswordPairMixin):
    """The secret answer, then the new password."""

    secret_answer = forms.CharField(
        label=gettext_lazy("Réponse"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    field_order = ["secret_answer", "password1", "password2"]

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        question = user.get_secret_question_display() or gettext("Réponse à votre question secrète")
        self.fields["secret_answer"].label = question

    def password_user(self) -> User:
        return self.user


class ChangePasswordForm(DsfrFormMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = gettext("Mot de passe actuel")
        self.fields["new_password1"].label = gettext("Nouveau mot de passe")
        self.fields["new_password1"].widget.attrs["data-password-meter"] = "true"
        self.fields["new_password2"].label = gettext("Confirmation du nouveau mot de passe")


class ChangeSecretForm(DsfrFormMixin, SecretQuestionMixin):
    current_password = forms.CharField(
        label=gettext_lazy("Mot de passe actuel"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current_password", "secret_question", "secret_answer"]

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext("Mot de passe actuel incorrect."))
        return password


class NotificationsForm(Form):
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Recevoir par e-mail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    daily_digest = forms.BooleanField(
        label=gettext_lazy(
            "Un seul e-mail récapitulatif par jour plutôt qu'un e-mail par événement"
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        from chorale.core.feed import CATEGORIES

        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = list(CATEGORIES.items())
