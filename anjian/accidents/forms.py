"""Forms of the accident pages: the record form, the casualty correction and one small form per step of an
investigation under 四不放过.

The forms only shape the input; the services decide. Field names are those the services name in their
ValidationErrors (``sector``, ``reported_at``, ``reason``…), so a refusal lands on the field the user typed.
The grade is never a field: the service computes it (STANDARDS §4).
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.accidents import services
from anjian.accidents.choices import AccidentCategory, AccidentType
from anjian.accidents.filtersets import territories_for
from anjian.core.forms import StyledFormMixin
from anjian.inspections.models import Hazard, InspectionTask
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.models import Site

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _moment_field(label):
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


def _people(label):
    return forms.IntegerField(label=label, min_value=0, max_value=services.MAX_PEOPLE, required=False, initial=0)


def _loss():
    return forms.DecimalField(
        label=_("Direct economic loss (CNY)"),
        min_value=0,
        max_value=services.MAX_LOSS,
        max_digits=14,
        decimal_places=2,
        required=False,
        initial=0,
    )


class MeasuresMixin(forms.Form):
    """Casualties and the direct loss: the numbers the grade is computed from."""

    deaths = _people(_("Deaths"))
    serious_injuries = _people(_("Serious injuries (incl. acute poisoning)"))
    minor_injuries = _people(_("Minor injuries"))
    missing = _people(_("Missing"))
    direct_loss = _loss()

    def measures(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) or 0 for name in services.MEASURES}


class AccidentForm(StyledFormMixin, MeasuresMixin):
    """Record an accident: a place of the registry (searched, never a list of thousands) or an address."""

    site = forms.IntegerField(label=_("Place from the registry"), required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    territory = forms.ModelChoiceField(
        label=_("Street or park"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("Choose…")
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    category = forms.ChoiceField(label=_("Accident category"), choices=AccidentCategory.choices)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        required=False,
        empty_label=_("Choose…"),
        help_text=_("Required for a production safety accident."),
    )
    accident_type = forms.ChoiceField(label=_("Accident type (GB 6441)"), choices=AccidentType.choices)
    occurred_at = _moment_field(_("Occurred at"))
    reported_at = _moment_field(_("Reported at"))
    summary = forms.CharField(label=_("Summary of the accident"), widget=_text(4))

    field_order = [
        "site",
        "address",
        "territory",
        "latitude",
        "longitude",
        "category",
        "sector",
        "accident_type",
        "occurred_at",
        "reported_at",
        "deaths",
        "serious_injuries",
        "minor_injuries",
        "missing",
        "direct_loss",
        "summary",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["territory"].queryset = territories_for(user)
        self.chosen_site: Site | None = None
        initial_site = self.initial.get("site")
        if not self.is_bound and initial_site:
            self.chosen_site = self._visible_site(initial_site)

    def _visible_site(self, pk) -> Site | None:
        try:
            return Site.objects.visible_to(self.user).select_related("territory", "district").filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            return None

    def clean_site(self):
        pk = self.cleaned_data.get("site")
        if pk in (None, ""):
            return None
        site = self._visible_site(pk)
        if site is None:
            raise forms.ValidationError(_("Choose a place you supervise."))
        self.chosen_site = site
        return site

    def clean(self):
        data = super().clean()
        site, territory = data.get("site"), data.get("territory")
        district = services.district_of(actor=self.user, site=site, territory=territory)
        if district is None and "territory" not in self.errors:
            self.add_error("territory", _("Choose the street or park where it happened."))
        data["district"] = district
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "district": data["district"],
            "territory": data.get("territory"),
            "site": data.get("site"),
            "sector": data.get("sector"),
            "category": data["category"],
            "accident_type": data["accident_type"],
            "occurred_at": data["occurred_at"],
            "reported_at": data["reported_at"],
            "summary": data["summary"],
            "address": data.get("address") or "",
            "longitude": data.get("longitude"),
            "latitude": data.get("latitude"),
            **self.measures(),
        }


class CorrectionForm(StyledFormMixin, MeasuresMixin):
    """Correct the casualties or the loss within the legal window, with the reason (条例 第十三条)."""

    reason = forms.CharField(label=_("Reason for the correction"), widget=_text(2))

    def __init__(self, *args, accident=None, **kwargs):
        if accident is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(accident, name) for name in services.MEASURES}
        super().__init__(*args, **kwargs)


# --- investigations ------------------------------------------------------------------------------------


class InvestigationStepForm(StyledFormMixin, forms.Form):
    """Base of the investigation's step forms: ``action`` names the step the form posts."""

    action = ""
    title = ""
    submit_label = ""

    def __init__(self, *args, investigation=None, user=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.action}_%s")
        super().__init__(*args, **kwargs)
        self.investigation = investigation
        self.user = user

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


LEAD_UNIT_KINDS = (OrgUnitKind.DISTRICT, OrgUnitKind.SAFETY_OFFICE, OrgUnitKind.DEPARTMENT, OrgUnitKind.STREET)


class OpenInvestigationForm(StyledFormMixin, forms.Form):
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=OrgUnit.objects.none())
    team = forms.CharField(
        label=_("Investigation team"), widget=_text(2), help_text=_("The units and members of the team.")
    )

    def __init__(self, *args, accident, **kwargs):
        kwargs.setdefault("auto_id", "id_open_%s")
        super().__init__(*args, **kwargs)
        district_id = accident.district_id
        # The district government itself or one of its units leads (条例 第十九条, 第二十二条).
        self.fields["lead_unit"].queryset = OrgUnit.objects.filter(
            Q(pk=district_id) | Q(kind__in=LEAD_UNIT_KINDS, district_id=district_id)
        ).order_by("order", "id")


class ExtendForm(InvestigationStepForm):
    action = "extend"
    title = _("Extend the deadline")
    submit_label = _("Extend")
    days = forms.IntegerField(
        label=_("Extension (days)"), min_value=1, max_value=services.MAX_EXTENSION_DAYS, initial=30
    )
    reason = forms.CharField(label=_("Reason for the extension"), widget=_text(2))


class CauseForm(InvestigationStepForm):
    action = "cause"
    title = _("1. Cause established")
    submit_label = _("Record the cause")
    cause = forms.CharField(label=_("Cause of the accident"), widget=_text(3))
    report = forms.CharField(label=_("Investigation report (number or title)"), max_length=200)


class AccountabilityForm(InvestigationStepForm):
    action = "persons"
    title = _("2. Responsible persons handled")
    submit_label = _("Add the accountability action")
    person = forms.CharField(label=_("Person or unit"), max_length=100)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    sanction = forms.CharField(label=_("Sanction"), max_length=200)
    decided_by = forms.CharField(label=_("Decided by"), max_length=100)
    decided_on = forms.DateField(label=_("Decided on"), widget=_date_input())


class MeasureForm(InvestigationStepForm):
    """A corrective measure, linked to the hazard loop: a hazard of the same place (or found in the same
    street since the accident), a hazard by its number, or an inspection task of the place."""

    action = "measures"
    title = _("3. Corrective measures done")
    submit_label = _("Add the corrective measure")
    description = forms.CharField(label=_("Corrective measure"), widget=_text(2))
    hazard = forms.ModelChoiceField(
        label=_("Hazard it rectifies"), queryset=Hazard.objects.none(), required=False, empty_label=_("None")
    )
    hazard_number = forms.CharField(
        label=_("Or the hazard's number"),
        max_length=30,
        required=False,
        help_text=_("Any hazard you can see, by its number."),
    )
    task = forms.ModelChoiceField(
        label=_("Inspection task that checks it"),
        queryset=InspectionTask.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accident = self.investigation.accident
        hazards = Hazard.objects.visible_to(self.user).order_by("-reported_at", "-id")
        tasks = InspectionTask.objects.visible_to(self.user).select_related("site").order_by("-due_on", "-id")
        if accident.site_id:
            hazards, tasks = hazards.filter(site_id=accident.site_id), tasks.filter(site_id=accident.site_id)
        elif accident.territory_id:
            hazards = hazards.filter(site__territory_id=accident.territory_id, reported_at__gte=accident.occurred_at)
            tasks = tasks.none()
        else:
            hazards, tasks = hazards.none(), tasks.none()
        self.fields["hazard"].queryset = hazards
        self.fields["hazard"].label_from_instance = lambda h: f"{h.number or h.pk} {h.title[:40]}"
        self.fields["task"].queryset = tasks
        self.fields["task"].label_from_instance = lambda t: f"{t.site.name} · {t.due_on:%Y-%m-%d}"

    def clean(self):
        data = super().clean()
        number = (data.get("hazard_number") or "").strip()
        if number:
            if data.get("hazard") is not None:
                self.add_error("hazard_number", _("Choose the hazard or give its number, not both."))
            else:
                hazard = Hazard.objects.visible_to(self.user).filter(number=number).first()
                if hazard is None:
                    self.add_error("hazard_number", _("No hazard you can see has this number."))
                data["hazard"] = hazard
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"description": data["description"], "hazard": data.get("hazard"), "task": data.get("task")}


class EducationForm(InvestigationStepForm):
    action = "education"
    title = _("4. People educated")
    submit_label = _("Add the education record")
    held_on = forms.DateField(label=_("Held on"), widget=_date_input())
    subject = forms.CharField(label=_("Subject"), max_length=200)
    audience = forms.CharField(label=_("Audience"), max_length=200)
    attendees = forms.IntegerField(label=_("Attendees"), min_value=1, max_value=services.MAX_PEOPLE)


STEP_FORMS = {form.action: form for form in (ExtendForm, CauseForm, AccountabilityForm, MeasureForm, EducationForm)}
