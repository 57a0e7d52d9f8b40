"""Forms rendered with the French State design system (DSFR) markup."""

from typing import Any

from captcha.fields import CaptchaTextInput
from django import forms
from django.utils.translation import gettext, gettext_lazy
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrFormMixin:
    """DSFR field groups, labels and error markup for any Form or ModelForm."""

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form: Any = self
        for visible in form.visible_fields():
            dsfr_input_class_attr(visible)
        # The classes live on the widgets; drop the bound fields so that labels a subclass
        # sets after this __init__ are the ones rendered.
        form._bound_fields_cache.clear()


class Form(DsfrFormMixin, forms.Form):
    pass


class ModelForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


class CaptchaInput(CaptchaTextInput):  # type: ignore[misc]
    """The image captcha with a French text alternative and DSFR markup."""

    template_name = "chorale/captcha.html"


# Pièces jointes: the types an EN 16931 invoice may embed (BR-CL-24 MIME codes), with Chorus
# Pro's limits (chorus-api.md §3.5: 10 MB a file, a name of 50 characters at most).
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_NAME_MAX = 50
ATTACHMENTS_TOTAL_MAX = 100 * 1024 * 1024
ATTACHMENTS_HELP = gettext_lazy(
    "PDF, PNG, JPEG, CSV, XLSX ou ODS ; 10 Mo au plus chacune, nom de 50 caractères au plus."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several pièces jointes, each checked for type, size and name length."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(AttachmentsField, self).clean(file, initial) for file in files]
        for upload in files:
            extension = upload.name[upload.name.rfind(".") :].lower() if "." in upload.name else ""
            if extension not in ATTACHMENT_TYPES:
                raise forms.ValidationError(
                    gettext(
                        "« %(name)s » : type de fichier non accepté (PDF, PNG, JPEG, "
                        "CSV, XLSX ou ODS)."
                    )
                    % {
                        "name": upload.name,
                    }
                )
            if upload.size > ATTACHMENT_MAX_BYTES:
                raise forms.ValidationError(
                    gettext("« %(name)s » dépasse 10 Mo.")
                    % {
                        "name": upload.name,
                    }
                )
            if len(upload.name) > ATTACHMENT_NAME_MAX:
                raise forms.ValidationError(
                    gettext("« %(name)s » : le nom dépasse %(ATTACHMENT_NAME_MAX)s caractères.")
                    % {
                        "name": upload.name,
                        "ATTACHMENT_NAME_MAX": ATTACHMENT_NAME_MAX,
                    }
                )
        if sum(upload.size for upload in files) > ATTACHMENTS_TOTAL_MAX:
            raise forms.ValidationError(gettext("Les pièces jointes dépassent 100 Mo ensemble."))
        return files


class AttachmentField(AttachmentsField):
    """One pièce jointe (a justificatif), with the same checks; None when none is given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.ClearableFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = super().clean(data, initial)
        return files[0] if files else None
