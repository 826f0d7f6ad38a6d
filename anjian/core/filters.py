"""Base FilterSet: one class serves a page's filter form and the API's query parameters."""

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

# Django's and django-filter's label of a select's empty choice, which tells an official nothing.
DASHES = "---------"


def name_empty_choice(form: forms.Form, label) -> forms.Form:
    """Give the empty choice of every select that still reads "---------" the label ``label``: "请选择" on a
    form (a choice is to be made), "全部" on a filter (nothing chosen narrows nothing). An empty label a field
    sets itself is kept."""
    for field in form.fields.values():
        if hasattr(field, "empty_label"):  # ModelChoiceField, and django-filter's choice fields
            if field.empty_label == DASHES:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]) == DASHES:
                field.choices = [(choices[0][0], label), *choices[1:]]
    return form


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


class StrictNullBooleanField(forms.NullBooleanField):
    """Yes, no or either, refusing anything else: ``true``/``false`` (also ``1``/``0``, ``yes``/``no``), empty
    or the select's ``unknown`` for either. Django's own field reads any other text as "either", so a mistyped
    filter would silently return every row."""

    class Select(forms.NullBooleanSelect):
        def value_from_datadict(self, data, files, name):
            return data.get(name)  # the text as sent: the field decides

    widget = Select
    TRUE = frozenset({"true", "1", "yes", "on", "2"})  # "2"/"3": the select's values before Django 2.2
    FALSE = frozenset({"false", "0", "no", "off", "3"})
    EITHER = frozenset({"", "unknown"})

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        if text in self.EITHER:
            return None
        raise forms.ValidationError(_("Enter true or false."), code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that answers 400 for a value that is neither (see StrictNullBooleanField)."""

    field_class = StrictNullBooleanField


class StyledFilterSet(django_filters.FilterSet):
    # The filters made from Meta.fields for a model's boolean field are strict too.
    FILTER_DEFAULTS = {
        **django_filters.filterset.FILTER_FOR_DBFIELD_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
    }

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_anjian_styled", False):
            style_widgets(form)
            name_empty_choice(form, _("All"))
            form._anjian_styled = True
        return form
