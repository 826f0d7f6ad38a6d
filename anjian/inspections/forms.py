"""Forms of the hazard pages: one small form per action of the workflow (STANDARDS §5).

The forms only shape the input; the services decide. Field names are the ones the services name in their
ValidationErrors (``deadline``, ``photos``, ``reason``…), so a refusal lands on the field the user typed into.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import StyledFormMixin
from anjian.inspections.evidence import MAX_PHOTOS_AT_ONCE as MAX_PHOTOS


class MultiplePhotoInput(forms.FileInput):
    """A file input that takes several photos at once and opens the rear camera on a phone."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", "multiple": True, **(attrs or {})})


class PhotosField(forms.FileField):
    """Several uploaded photos as a list. Their content is checked by the service (anjian.inspections.evidence)."""

    widget = MultiplePhotoInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(PhotosField, self).clean(item, initial) for item in files if item]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Choose at most %(count)s photos at a time.") % {"count": MAX_PHOTOS}, code="too_many"
            )
        return files


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


# The name under which a multipart action form posts the tokens of its kept photos.
KEPT_PHOTOS = "kept_photos"


class HazardActionForm(StyledFormMixin, forms.Form):
    """Base of the action forms: ``action`` names the workflow action the form posts (its row of
    :data:`anjian.inspections.workflow.HAZARD_ACTIONS`). Every form is given the hazard, for its initial values."""

    action = ""
    title = ""
    submit_label = ""
    multipart = False
    geo = False

    def __init__(self, *args, hazard=None, **kwargs):
        # Several action forms share one page: ids carry the action so labels point at the right field,
        # while the posted names stay the ones the services use.
        kwargs.setdefault("auto_id", f"id_{self.action}_%s")
        super().__init__(*args, **kwargs)
        self.hazard = hazard
        # Photos kept from a refused attempt (services.uploads), posted again as KEPT_PHOTOS while ticked.
        self.kept_uploads: list = []

    def service_kwargs(self) -> dict:
        """The keyword arguments of the service, from the cleaned data."""
        return dict(self.cleaned_data)


class FixOnSpotForm(HazardActionForm):
    action = "fix_on_spot"
    title = _("Fixed on the spot")
    submit_label = _("Record the fix")
    multipart = True

    description = forms.CharField(
        label=_("What was done"), widget=_text(), error_messages={"required": _("Describe what was done.")}
    )
    photos = PhotosField(label=_("Photos after the fix"), help_text=_("At least one photo after the fix."))


class IssueNoticeForm(HazardActionForm):
    action = "issue_notice"
    title = _("Issue a rectification notice")
    submit_label = _("Issue the notice")

    deadline = forms.DateField(label=_("Rectify by"), widget=_date_input())
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        error_messages={"required": _("Cite the legal basis of the notice.")},
    )
    requirements = forms.CharField(label=_("Requirements"), widget=_text(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.hazard is not None and not self.is_bound:
            self.initial.setdefault("legal_basis", self.hazard.legal_basis)
            # The hazard has one deadline: the notice starts from it (set by escalated supervision, for instance).
            self.initial.setdefault("deadline", self.hazard.deadline)


class CommitForm(HazardActionForm):
    action = "commit"
    title = _("Commit to rectify by a deadline")
    submit_label = _("Commit")

    deadline = forms.DateField(label=_("Rectify by"), widget=_date_input())
    note = forms.CharField(label=_("Note"), widget=_text(2), required=False)


class AcknowledgeForm(HazardActionForm):
    action = "acknowledge"
    title = _("Acknowledge the notice")
    submit_label = _("Acknowledge")

    note = forms.CharField(label=_("Note"), widget=_text(2), required=False)


class PlanForm(HazardActionForm):
    """The six elements of a major hazard's rectification plan and its funds (STANDARDS §5)."""

    action = "plan"
    title = _("File the rectification plan")
    submit_label = _("File the plan")

    objectives = forms.CharField(label=_("Objectives and tasks"), widget=_text(2))
    methods = forms.CharField(label=_("Methods and measures"), widget=_text(2))
    funds_and_materials = forms.CharField(label=_("Funds and materials"), widget=_text(2))
    organisation = forms.CharField(label=_("Organisation and people"), widget=_text(2))
    timeline = forms.CharField(label=_("Time limits and requirements"), widget=_text(2))
    safety_measures = forms.CharField(label=_("Safety measures and emergency plan"), widget=_text(2))
    funds = forms.DecimalField(label=_("Funds (CNY)"), min_value=0, max_digits=14, decimal_places=2)


class SubmitForm(HazardActionForm):
    action = "submit"
    title = _("Submit the rectification for verification")
    submit_label = _("Submit for verification")
    multipart = True

    description = forms.CharField(
        label=_("What was done"), widget=_text(), error_messages={"required": _("Describe what was done.")}
    )
    cost = forms.DecimalField(label=_("Cost (CNY)"), min_value=0, max_digits=14, decimal_places=2, required=False)
    photos = PhotosField(
        label=_("Photos after the rectification"), help_text=_("At least one photo after the rectification.")
    )


class VerifyForm(HazardActionForm):
    action = "verify"
    title = _("Verify and close")
    submit_label = _("Verify and close")

    note = forms.CharField(label=_("Verification note"), widget=_text(2), required=False)


class VerifyOnSiteForm(HazardActionForm):
    """现场复查验收 of a hazard under escalated supervision: photos taken there and the phone's position, both required
    for a major hazard (the service decides); the safety office's 摘牌 closes it after."""

    action = "verify_on_site"
    title = _("Verify on site")
    submit_label = _("Record the on-site verification")
    multipart = True
    geo = True  # the page fills the position in from the phone (inspection-form.js)

    note = forms.CharField(label=_("Verification note"), widget=_text(2), required=False)
    photos = PhotosField(
        label=_("Photos at the verification"), help_text=_("Required for a major hazard: what you see at the place.")
    )
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    accuracy = forms.IntegerField(required=False, min_value=0, max_value=100000, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            cleaned["latitude"] = cleaned["longitude"] = cleaned["accuracy"] = None
        return cleaned


class LiftSupervisionForm(HazardActionForm):
    action = "lift_supervision"
    title = _("Lift the escalated supervision")
    submit_label = _("Lift the supervision and close")

    note = forms.CharField(label=_("Note"), widget=_text(2), required=False)


class RejectForm(HazardActionForm):
    action = "reject"
    title = _("Reject the rectification")
    submit_label = _("Reject")

    reason = forms.CharField(label=_("Reason"), widget=_text(2), error_messages={"required": _("Give the reason.")})
    deadline = forms.DateField(
        label=_("New deadline"),
        widget=_date_input(),
        required=False,
        help_text=_("Leave empty to keep the current deadline."),
    )


class EscalateForm(HazardActionForm):
    action = "escalate"
    title = _("Escalated supervision")
    submit_label = _("Escalate")

    official = forms.CharField(
        label=_("Named responsible official"),
        max_length=100,
        error_messages={"required": _("Name the responsible official.")},
    )
    new_deadline = forms.DateField(
        label=_("Rectify by"),
        widget=_date_input(),
        help_text=_("The hazard's deadline from now on; keep it to leave the deadline as it is."),
    )
    note = forms.CharField(label=_("Note"), widget=_text(2), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.hazard is not None and not self.is_bound:
            self.initial.setdefault("new_deadline", self.hazard.deadline)


class SuspendForm(HazardActionForm):
    action = "suspend"
    title = _("Order to suspend operations for rectification")
    submit_label = _("Order the suspension")

    reason = forms.CharField(label=_("Reason"), widget=_text(2), error_messages={"required": _("Give the reason.")})


class ClosureRequestForm(HazardActionForm):
    action = "request_closure"
    title = _("Request to close the place")
    submit_label = _("Request closure")

    reason = forms.CharField(label=_("Reason"), widget=_text(2), error_messages={"required": _("Give the reason.")})


class ClosureDecisionForm(StyledFormMixin, forms.Form):
    """The safety office's decision on a closure request, on behalf of the district government."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(("approve", _("Approve the closure")), ("reject", _("Reject the request"))),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to approve or to reject the closure.")},
    )
    note = forms.CharField(
        label=_("Grounds of the decision"),
        widget=_text(2),
        error_messages={"required": _("Give the grounds of the decision.")},
    )
