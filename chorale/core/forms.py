"""Forms rendered with the French State design system (DSFR) markup."""

from captcha.fields import CaptchaTextInput
from django import forms
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrFormMixin:
    """DSFR field groups, labels and error markup for any Form or ModelForm."""

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)
        # The classes live on the widgets; drop the bound fields so that labels a subclass
        # sets after this __init__ are the ones rendered.
        self._bound_fields_cache.clear()


class Form(DsfrFormMixin, forms.Form):
    pass


class ModelForm(DsfrFormMixin, forms.ModelForm):
    pass


class CaptchaInput(CaptchaTextInput):
    """The image captcha with a French text alternative and DSFR markup."""

    template_name = "chorale/captcha.html"
