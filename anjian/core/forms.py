"""Form helpers shared by every app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.filters import name_empty_choice, style_widgets


class StyledFormMixin:
    """Give every widget Tabler's (Bootstrap's) classes, so templates render fields uniformly, and every select's
    empty choice the label "请选择" instead of Django's "---------"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)
        name_empty_choice(self, _("Please choose"))

    def full_clean(self):
        super().full_clean()
        for name in getattr(self, "errors", {}):
            if name in self.fields:
                css = self.fields[name].widget.attrs.get("class", "")
                self.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()


def apply_validation_error(form: forms.Form, error) -> None:
    """Put a service's ValidationError onto the form: per field where it names one, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
