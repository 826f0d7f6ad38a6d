"""Forms of the field-work pages: task assignment, starting an inspection, the field record, campaigns,
checklist revision and the inspection list's filters.

The forms only parse and offer what the user may choose; the services decide (scope, certificates,
sectors of a department's mandate) and their refusals are put back onto these forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.core.filters import StyledFilterSet
from anjian.core.forms import StyledFormMixin
from anjian.core.permissions import is_enterprise
from anjian.core.scoping import scope_of
from anjian.inspections.choices import AnswerResult, CampaignKind, HazardGrade, HazardNature, InspectionKind
from anjian.inspections.models import Campaign, ChecklistItem, ChecklistTemplate, Inspection
from anjian.inspections.selectors import NOT_STAFF_ROLES
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector

# Hidden "hazard outside the checklist" blocks the record page offers; the user reveals them one by one.
EXTRA_HAZARD_BLOCKS = 3
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def colleagues(user):
    """Active officers of the user's own unit (the co-inspectors one may bring along)."""
    if user.org_unit_id is None:
        return User.objects.none()
    return (
        User.objects.filter(org_unit_id=user.org_unit_id, is_active=True)
        .exclude(role__in=NOT_STAFF_ROLES)
        .exclude(pk=user.pk)
        .order_by("username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        # Shown so the leader of an enforcement inspection can pick two certified officers.
        if obj.enforcement_certificate:
            return _("%(name)s · certificate %(number)s") % {"name": obj, "number": obj.enforcement_certificate}
        return str(obj)


# --- tasks ------------------------------------------------------------------------------------


class TaskAssignForm(StyledFormMixin, forms.Form):
    """Give a task to one inspector of the unit it is assigned to (empty: back to the whole unit)."""

    assignee = UserChoiceField(
        label=_("Inspector"), queryset=User.objects.none(), required=False, empty_label=_("The whole unit")
    )
    due_on = forms.DateField(label=_("New due date"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, unit_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            User.objects.filter(org_unit_id=unit_id, is_active=True)
            .exclude(role__in=NOT_STAFF_ROLES)
            .order_by("username")
        )


# --- starting an inspection ----------------------------------------------------------------------


class InspectionStartForm(StyledFormMixin, forms.Form):
    """Kind, checklist and co-inspectors of a new inspection, with the browser's position if it gave one."""

    kind = forms.ChoiceField(
        label=_("Kind of inspection"),
        choices=[
            (InspectionKind.SUPERVISION.value, InspectionKind.SUPERVISION.label),
            (InspectionKind.ENFORCEMENT.value, InspectionKind.ENFORCEMENT.label),
        ],
        widget=forms.RadioSelect,
        initial=InspectionKind.SUPERVISION,
    )
    checklist = forms.ModelChoiceField(
        label=_("Checklist"),
        queryset=ChecklistTemplate.objects.none(),
        required=False,
        empty_label=_("No checklist: record the hazards found"),
    )
    co_inspectors = UserMultipleChoiceField(
        label=_("Co-inspectors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A law-enforcement inspection needs at least two officers with a valid certificate."),
    )
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    accuracy = forms.IntegerField(required=False, min_value=0, max_value=100000, widget=forms.HiddenInput)

    def __init__(self, *args, user, initial_checklist: ChecklistTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.self_inspection = is_enterprise(user)
        self.fields["checklist"].queryset = ChecklistTemplate.objects.current().select_related("sector")
        if initial_checklist is not None:
            self.fields["checklist"].initial = initial_checklist.pk
        if self.self_inspection:
            # An enterprise account runs only self-inspections (企业自查), alone.
            del self.fields["kind"]
            del self.fields["co_inspectors"]
        else:
            self.fields["co_inspectors"].queryset = colleagues(user)

    def clean(self):
        cleaned = super().clean()
        enforcement = not self.self_inspection and cleaned.get("kind") == InspectionKind.ENFORCEMENT
        if enforcement and not cleaned.get("co_inspectors"):
            message = _("A law-enforcement inspection needs a second certified officer: choose one.")
            self.add_error("co_inspectors", message)
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            cleaned["latitude"] = cleaned["longitude"] = cleaned["accuracy"] = None
        return cleaned

    @property
    def kind_value(self) -> str:
        return InspectionKind.SELF if self.self_inspection else self.cleaned_data["kind"]


# --- the field record ------------------------------------------------------------------------------


def _text(data, key: str, limit: int) -> str:
    return (data.get(key) or "").strip()[:limit]


@dataclass
class HazardInput:
    """What was typed into one hazard block (kept to re-render the page after a refusal)."""

    title: str = ""
    location: str = ""
    description: str = ""
    grade: str = HazardGrade.GENERAL
    major_reason: str = ""
    nature: str = ""

    @classmethod
    def parse(cls, data, prefix: str) -> HazardInput:
        grade = data.get(f"{prefix}-grade") or HazardGrade.GENERAL
        nature = data.get(f"{prefix}-nature") or ""
        return cls(
            title=_text(data, f"{prefix}-title", 300),
            location=_text(data, f"{prefix}-location", 200),
            description=_text(data, f"{prefix}-description", 4000),
            grade=grade if grade in HazardGrade.values else HazardGrade.GENERAL,
            major_reason=_text(data, f"{prefix}-major_reason", 2000),
            nature=nature if nature in HazardNature.values else "",
        )

    def for_service(self) -> dict:
        return {
            "title": self.title,
            "location": self.location,
            "description": self.description,
            "grade": self.grade,
            "major_reason": self.major_reason,
            "nature": self.nature,
        }

    @property
    def is_blank(self) -> bool:
        return not (self.title or self.location or self.description or self.major_reason)


@dataclass
class ItemRow:
    """One checklist item on the record page with what was answered."""

    item: ChecklistItem
    result: str = ""
    note: str = ""
    hazard: HazardInput = field(default_factory=HazardInput)
    photos: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Photos kept from an earlier, refused submission (services.uploads): their tokens as posted, then the rows.
    kept_tokens: list[str] = field(default_factory=list)
    kept: list = field(default_factory=list)
    new_photos: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"item-{self.item.pk}"

    @property
    def kept_name(self) -> str:
        return f"kept-{self.item.pk}"

    @property
    def hazard_prefix(self) -> str:
        return f"hazard-{self.item.pk}"


@dataclass
class ExtraBlock:
    """A "hazard outside the checklist" block."""

    index: int
    hazard: HazardInput = field(default_factory=HazardInput)
    photos: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kept_tokens: list[str] = field(default_factory=list)
    kept: list = field(default_factory=list)
    new_photos: list = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return f"extra-{self.index}"

    @property
    def kept_name(self) -> str:
        return f"extra-{self.index}-kept"

    @property
    def used(self) -> bool:
        return not self.hazard.is_blank or bool(self.photos) or bool(self.kept_tokens)


class FieldRecord:
    """The field form: one card per item (result, note, photos, the hazard block of a 不符合) and the
    extra hazard blocks. Parsing only; :func:`services.complete_inspection_form` validates everything
    in one transaction and its errors come back keyed "item-<id>" and "extra-<n>"."""

    def __init__(self, inspection: Inspection, items, data=None, files=None):
        self.inspection = inspection
        self.bound = data is not None
        data = data if data is not None else {}
        self.rows = []
        for item in items:
            prefix = f"item-{item.pk}"
            result = data.get(f"{prefix}-result", "")
            hazard = HazardInput.parse(data, f"hazard-{item.pk}") if self.bound else HazardInput()
            if not self.bound or not hazard.title:
                hazard.title = hazard.title or item.hazard_title
            if item.is_major_criterion:
                hazard.grade = HazardGrade.MAJOR
            if not hazard.nature and item.nature:
                hazard.nature = item.nature
            self.rows.append(
                ItemRow(
                    item=item,
                    result=result if result in AnswerResult.values else "",
                    note=_text(data, f"{prefix}-note", 500),
                    hazard=hazard,
                    photos=files.getlist(f"photos-{item.pk}") if files is not None else [],
                    kept_tokens=data.getlist(f"kept-{item.pk}") if self.bound else [],
                )
            )
        count = EXTRA_HAZARD_BLOCKS
        self.extras = [
            ExtraBlock(
                index=n,
                hazard=HazardInput.parse(data, f"extra-{n}") if self.bound else HazardInput(),
                photos=files.getlist(f"extra-{n}-photos") if files is not None else [],
                kept_tokens=data.getlist(f"extra-{n}-kept") if self.bound else [],
            )
            for n in range(1, count + 1)
        ]
        # The items the "其余项目均符合" action answered (the page's script lists them; a later tap on one removes it).
        items_here = {row.item.pk for row in self.rows}
        self.compliant_at_once = [
            int(value)
            for value in (data.get("compliant_at_once") or "").split(",")[: len(items_here)]
            if value.strip().isdigit() and int(value) in items_here
        ]
        self.note = _text(data, "note", 4000)
        self.latitude = _decimal(data.get("latitude"), 90)
        self.longitude = _decimal(data.get("longitude"), 180)
        self.accuracy = _int(data.get("accuracy"))
        self.top_errors: list[str] = []

    # --- photos kept from a refused submission (services.uploads) ---

    def _holders(self) -> list:
        return [*self.rows, *self.extras]

    def kept_tokens(self) -> list[str]:
        return [token for holder in self._holders() for token in holder.kept_tokens]

    def attach_kept(self, kept) -> None:
        """Put the kept photos the form names (``services.KeptUploads``) before the newly chosen ones."""
        for holder in self._holders():
            holder.new_photos = list(holder.photos)
            holder.kept = [row for row in map(kept.by_token, holder.kept_tokens) if row is not None]
            holder.kept_tokens = [row.token for row in holder.kept]  # an expired or foreign token brings nothing
            holder.photos = [*(kept.file(row) for row in holder.kept), *holder.new_photos]

    def keep_new_photos(self, keep) -> None:
        """After a refusal: ``keep(uploads)`` keeps the newly chosen photos; the form names them from now on."""
        for holder in self._holders():
            if holder.new_photos:
                holder.kept = [*holder.kept, *keep(holder.new_photos)]

    @property
    def kept_count(self) -> int:
        return sum(len(holder.kept) for holder in self._holders())

    def answers(self) -> list[dict]:
        rows = []
        for row in self.rows:
            answer = {"item_id": row.item.pk, "result": row.result, "note": row.note, "photos": row.photos}
            if row.result == AnswerResult.NONCOMPLIANT:
                answer["hazard"] = row.hazard.for_service()
            rows.append(answer)
        return rows

    def compliant_at_once_ids(self) -> list[int]:
        """The items answered together by "其余项目均符合" that are still answered 符合 in this post."""
        compliant = {row.item.pk for row in self.rows if row.result == AnswerResult.COMPLIANT}
        return [pk for pk in self.compliant_at_once if pk in compliant]

    @property
    def compliant_at_once_value(self) -> str:
        return ",".join(str(pk) for pk in self.compliant_at_once)

    @property
    def unanswered(self) -> int:
        return sum(1 for row in self.rows if not row.result)

    def used_extras(self) -> list[ExtraBlock]:
        return [block for block in self.extras if block.used]

    def extra_hazards(self) -> list[dict]:
        return [{**block.hazard.for_service(), "photos": block.photos} for block in self.used_extras()]

    def apply_errors(self, error) -> None:
        """Put the service's errors next to the item or block they concern, the rest on top."""
        used = self.used_extras()
        by_key = {row.key: row for row in self.rows}
        if hasattr(error, "error_dict"):
            for key, messages in error.message_dict.items():
                if key in by_key:
                    by_key[key].errors.extend(messages)
                elif key.startswith("extra-") and key[6:].isdigit() and 0 < int(key[6:]) <= len(used):
                    # The service numbers only the blocks that were sent.
                    used[int(key[6:]) - 1].errors.extend(messages)
                else:
                    self.top_errors.extend(messages)
        else:
            self.top_errors.extend(error.messages)

    @property
    def has_item_errors(self) -> bool:
        return any(row.errors for row in self.rows) or any(block.errors for block in self.extras)

    @property
    def had_files(self) -> bool:
        return any(row.photos for row in self.rows) or any(block.photos for block in self.extras)


def _decimal(value, limit: int) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (ArithmeticError, ValueError, TypeError):
        return None
    if not number.is_finite() or abs(number) > limit:
        return None
    return number.quantize(Decimal("0.000001"))


def _int(value) -> int | None:
    try:
        number = int(str(value).strip().split(".")[0])
    except (ValueError, TypeError):
        return None
    return number if 0 <= number <= 100000 else None


# --- campaigns -------------------------------------------------------------------------------------


class CampaignForm(StyledFormMixin, forms.ModelForm):
    """A campaign's scope and period. The safety office may choose any sector and street of its
    district; a department only the sectors of its mandate (the service checks again)."""

    class Meta:
        model = Campaign
        fields = [
            "name",
            "kind",
            "starts_on",
            "ends_on",
            "deadline",
            "sectors",
            "territories",
            "checklist",
            "description",
        ]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "deadline": DATE_INPUT,
            "sectors": forms.CheckboxSelectMultiple,
            "territories": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "sectors": _("None ticked: every sector."),
            "territories": _("None ticked: every street and park of the district."),
            "deadline": _("The date by which the hazards found must be rectified (e.g. the end of the month)."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = CampaignKind.SPECIAL
        scope = scope_of(user)
        unit = user.org_unit
        district_id = unit.pk if unit is not None and unit.kind == OrgUnitKind.DISTRICT else scope.district_id
        if self.instance.pk:
            district_id = self.instance.district_id
        sectors = Sector.objects.order_by("order", "code")
        if unit is not None and unit.kind == OrgUnitKind.DEPARTMENT:
            sectors = sectors.filter(code__in=scope.sector_codes)
            self.fields["sectors"].required = True
            self.fields["sectors"].help_text = _("Only the sectors your department supervises.")
        self.fields["sectors"].queryset = sectors
        self.fields["territories"].queryset = OrgUnit.objects.filter(
            district_id=district_id, kind__in=TERRITORIAL_KINDS, is_active=True
        ).order_by("order", "id")
        self.fields["checklist"].queryset = ChecklistTemplate.objects.current()
        self.fields["checklist"].required = False

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["sectors"] = list(data.get("sectors") or [])
        data["territories"] = list(data.get("territories") or [])
        return data


# --- checklists ----------------------------------------------------------------------------------


class ChecklistHeadForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ChecklistItemForm(StyledFormMixin, forms.Form):
    """One row of the revision table; a row left empty is dropped, a ticked "remove" removes it."""

    section = forms.CharField(label=_("Section"), max_length=60, required=False)
    text = forms.CharField(label=_("Check"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    photo_required = forms.BooleanField(label=_("Evidence photo even when compliant"), required=False)
    nature = forms.ChoiceField(label=_("Nature"), choices=[("", "—"), *HazardNature.choices], required=False)
    criteria_document = forms.CharField(label=_("Major hazard criteria"), max_length=200, required=False)
    criteria_edition = forms.CharField(label=_("Edition"), max_length=60, required=False)
    criteria_number = forms.CharField(label=_("Item number"), max_length=30, required=False)
    criterion_text = forms.CharField(label=_("Wording of the criterion"), max_length=300, required=False)


class BaseChecklistItemFormSet(forms.BaseFormSet):
    def items(self) -> list[dict]:
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.initial:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = form.cleaned_data
            if not data or not (data.get("text") or "").strip():
                continue
            rows.append({k: v for k, v in data.items() if k != "DELETE"})
        return rows


def checklist_item_formset(extra: int = 3):
    """The revision table: the current items plus ``extra`` empty rows to add new ones."""
    return forms.formset_factory(
        ChecklistItemForm, formset=BaseChecklistItemFormSet, extra=extra, can_delete=True, max_num=300, absolute_max=400
    )


def item_initial(item: ChecklistItem) -> dict:
    return {
        "section": item.section,
        "text": item.text,
        "legal_basis": item.legal_basis,
        "photo_required": item.photo_required,
        "nature": item.nature,
        "criteria_document": item.criteria_document,
        "criteria_edition": item.criteria_edition,
        "criteria_number": item.criteria_number,
        "criterion_text": item.criterion_text,
    }


# --- the inspection list's filters ----------------------------------------------------------------


class InspectionFilterSet(StyledFilterSet):
    """Filters of the inspection list: kind, campaign, street, dates, self-inspections."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InspectionKind.choices, empty_label=_("All"))
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.none(), empty_label=_("All")
    )
    territory = django_filters.ModelChoiceFilter(
        label=_("Street or park"),
        queryset=OrgUnit.objects.none(),
        field_name="site__territory",
        empty_label=_("All"),
    )
    started_after = django_filters.DateFilter(
        label=_("From"), field_name="started_at__date", lookup_expr="gte", widget=DATE_INPUT
    )
    started_before = django_filters.DateFilter(
        label=_("Until"), field_name="started_at__date", lookup_expr="lte", widget=DATE_INPUT
    )
    self_inspection = django_filters.ChoiceFilter(
        label=_("Self-inspection"),
        choices=(("true", _("Yes")), ("false", _("No"))),
        method="by_self",
        empty_label=_("All"),
    )
    site = django_filters.NumberFilter(label=_("Place"), field_name="site_id", widget=forms.HiddenInput)

    class Meta:
        model = Inspection
        fields = []

    def __init__(self, data=None, queryset=None, *, user, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["campaign"].queryset = Campaign.objects.visible_to(user)
        self.filters["territory"].queryset = (
            OrgUnit.objects.visible_to(user).filter(kind__in=TERRITORIAL_KINDS).order_by("order", "id")
        )

    def by_self(self, queryset, name, value):
        if value == "true":
            return queryset.filter(kind=InspectionKind.SELF)
        return queryset.exclude(kind=InspectionKind.SELF)
