"""Base FilterSet: one class serves a page's filter form and the API's query parameters."""

import django_filters
from django import forms


def style_widgets(form: forms.Form) -> forms.Form:
    """Tabler (Bootstrap) classes on every widget of a form."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


class StyledFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        form = super().form
        if not getattr(form, "_anjian_styled", False):
            style_widgets(form)
            form._anjian_styled = True
        return form
