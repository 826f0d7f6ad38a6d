"""Select boxes name their empty choice: "请选择" on a form, "全部" on a filter, never Django's "---------"; an
empty label a field chose itself is kept."""

from __future__ import annotations

import django_filters
import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import translation

from anjian.core.filters import StyledFilterSet
from anjian.core.forms import StyledFormMixin
from anjian.core.models import AuditEntry

User = get_user_model()


class Colour(models.TextChoices):
    RED = "red", "红"
    BLUE = "blue", "蓝"


class Sample(StyledFormMixin, forms.Form):
    account = forms.ModelChoiceField(queryset=User.objects.none())
    colour = forms.ChoiceField(choices=[("", "---------"), *Colour.choices])
    typed = forms.TypedChoiceField(choices=[("", "---------"), *Colour.choices], required=False)
    own = forms.ModelChoiceField(queryset=User.objects.none(), empty_label="不指定", required=False)
    mandatory = forms.ModelChoiceField(queryset=User.objects.none(), empty_label=None)
    many = forms.MultipleChoiceField(choices=Colour.choices, required=False)


class SampleModelForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["org_unit", "role"]


class SampleFilterSet(StyledFilterSet):
    actor = django_filters.ModelChoiceFilter(queryset=User.objects.none())
    action = django_filters.ChoiceFilter(choices=[("x", "X")])
    kept = django_filters.ChoiceFilter(choices=[("x", "X")], empty_label="任何")

    class Meta:
        model = AuditEntry
        fields = ["actor", "action"]


def _first(field) -> str:
    return str(next(iter(field.choices))[1]) if field.choices else ""


def test_a_forms_empty_choice_asks_to_choose():
    with translation.override("zh-hans"):
        form = Sample()
        assert str(form.fields["account"].empty_label) == "请选择"
        assert _first(form.fields["colour"]) == "请选择"
        assert _first(form.fields["typed"]) == "请选择"
        assert form.fields["own"].empty_label == "不指定"
        assert form.fields["mandatory"].empty_label is None
        assert "---------" not in str(form)


@pytest.mark.django_db
def test_a_model_forms_blank_choices_ask_to_choose_too():
    with translation.override("zh-hans"):
        html = str(SampleModelForm())
    assert "---------" not in html
    assert html.count("请选择") == 2


def test_a_filters_empty_choice_means_all():
    with translation.override("zh-hans"):
        form = SampleFilterSet(queryset=AuditEntry.objects.none()).form
        assert str(form.fields["actor"].empty_label) == "全部"
        assert _first(form.fields["action"]) == "全部"
        assert _first(form.fields["kept"]) == "任何"
