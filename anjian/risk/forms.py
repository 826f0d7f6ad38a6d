"""Forms of risk grading: the assessment with a formset of risk points, the district's colour bands and its
inspection frequency by level. Forms only parse; the services validate the rules and save."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accidents.choices import AccidentType
from anjian.core.filters import style_widgets
from anjian.core.forms import StyledFormMixin
from anjian.risk import standards
from anjian.risk.standards import RiskMethod

EMPTY = [("", "---------")]


class StyledForm(StyledFormMixin, forms.Form):
    def style(self) -> None:
        style_widgets(self)


class AssessmentForm(StyledForm):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"}))
    method_summary = forms.CharField(
        label=_("Method"),
        max_length=200,
        required=False,
        help_text=_("Left empty, the methods of the points are listed."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()


class RiskPointForm(StyledForm):
    """One risk point; L/E/C or L/S are offered with their criteria (STANDARDS §2) and checked per method by
    the service."""

    name = forms.CharField(label=_("Activity or installation"), max_length=200)
    accident_type = forms.ChoiceField(label=_("Accident type"), choices=EMPTY + list(AccidentType.choices))
    controls = forms.CharField(
        label=_("Existing control measures"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    method = forms.ChoiceField(label=_("Method"), choices=RiskMethod.choices, initial=RiskMethod.LEC)
    lec_l = forms.ChoiceField(label=_("L (likelihood)"), choices=EMPTY + standards.LEC_LIKELIHOOD, required=False)
    lec_e = forms.ChoiceField(label=_("E (exposure)"), choices=EMPTY + standards.LEC_EXPOSURE, required=False)
    lec_c = forms.ChoiceField(label=_("C (consequence)"), choices=EMPTY + standards.LEC_CONSEQUENCE, required=False)
    ls_l = forms.ChoiceField(label=_("L (likelihood)"), choices=EMPTY + standards.LS_LIKELIHOOD, required=False)
    ls_s = forms.ChoiceField(label=_("S (severity)"), choices=EMPTY + standards.LS_SEVERITY, required=False)

    def clean(self):
        data = super().clean()
        method = data.get("method")
        needed = ("lec_l", "lec_e", "lec_c") if method == RiskMethod.LEC else ("ls_l", "ls_s")
        for name in needed:
            if not data.get(name):
                self.add_error(name, _("Choose a value for this method."))
        return data


class BaseRiskPointFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        filled = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not filled:
            raise forms.ValidationError(_("Add at least one risk point."))


RiskPointFormSet = forms.formset_factory(
    RiskPointForm, formset=BaseRiskPointFormSet, extra=3, max_num=200, validate_max=True, can_delete=True
)


class BandForm(StyledForm):
    """The lower bounds of red, orange and yellow for LEC (exceeded) and LS (reached)."""

    def __init__(self, *args, bands=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            (RiskMethod.LEC, "red"): _("LEC red: D greater than"),
            (RiskMethod.LEC, "orange"): _("LEC orange: D greater than"),
            (RiskMethod.LEC, "yellow"): _("LEC yellow: D greater than"),
            (RiskMethod.LS, "red"): _("LS red: R at least"),
            (RiskMethod.LS, "orange"): _("LS orange: R at least"),
            (RiskMethod.LS, "yellow"): _("LS yellow: R at least"),
        }
        for (method, level), label in labels.items():
            self.fields[f"{method}_{level}"] = forms.DecimalField(
                label=label,
                max_digits=9,
                decimal_places=2,
                initial=(bands or standards.DEFAULT_BANDS)[method][level],
            )
        self.style()

    def bands(self) -> dict:
        return {
            method: {level: self.cleaned_data.get(f"{method}_{level}") for level in standards.BANDED_LEVELS}
            for method in RiskMethod.values
        }


class FrequencyForm(StyledForm):
    red = forms.IntegerField(label=_("Red: every (days)"), min_value=1, max_value=3650)
    orange = forms.IntegerField(label=_("Orange: every (days)"), min_value=1, max_value=3650)
    yellow = forms.IntegerField(label=_("Yellow: every (days)"), min_value=1, max_value=3650)
    blue = forms.IntegerField(label=_("Blue: every (days)"), min_value=1, max_value=3650)
