"""Pages of the hazards: the list and its export, the detail with its timeline and the action forms, the
rectification notice (整改通知书) as a Word document, the evidence photos, and enforcement.

Views stay thin: selectors read in scope, services write. A hazard outside the user's scope answers 404
whatever is asked of it; a hazard in scope that the user may not change answers 403 with the service's reason.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.core import paging, xlsx
from anjian.core.forms import apply_validation_error
from anjian.core.permissions import business_users_only, is_enterprise
from anjian.core.permissions_policy import allow_features
from anjian.inspections import documents, exports, forms, selectors, services, workflow
from anjian.inspections.choices import ClosureDecision, EnforcementKind, HazardGrade, HazardSource, PhotoStage
from anjian.inspections.filtersets import HazardFilterSet
from anjian.inspections.models import EnforcementAction, Escalation, Hazard, Photo, RectificationNotice

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# What each timeline entry says happened (HazardEvent.action).
EVENT_LABELS = {
    "reported": gettext_lazy("Hazard found and reported"),
    "fix_on_spot": gettext_lazy("Fixed on the spot"),
    "issue_notice": gettext_lazy("Rectification notice issued"),
    "commit": gettext_lazy("Committed to rectify by a deadline"),
    "acknowledge": gettext_lazy("Notice acknowledged"),
    "plan_filed": gettext_lazy("Rectification plan filed"),
    "submit": gettext_lazy("Rectification submitted for verification"),
    "verify": gettext_lazy("Verified and closed"),
    "verify_on_site": gettext_lazy("Verified on site"),
    "lift_supervision": gettext_lazy("Escalated supervision lifted: closed"),
    "reject": gettext_lazy("Rectification rejected"),
    "escalated": gettext_lazy("Placed under escalated supervision"),
    "overdue": gettext_lazy("Deadline passed: overdue"),
    "suspension_ordered": gettext_lazy("Suspension of operations ordered"),
    "closure_requested": gettext_lazy("Closure of the place requested"),
    "closure_decided": gettext_lazy("Closure request decided"),
    "close_with_site": gettext_lazy("Closed with the place"),
}

# --- helpers ---------------------------------------------------------------------------------


def _pending_rectification(hazard: Hazard):
    pending = [r for r in hazard.rectifications.all() if r.result == "pending"]
    return max(pending, key=lambda r: (r.submitted_at, r.pk)) if pending else None


@dataclass
class TimelineEntry:
    event: object
    label: str
    details: list[tuple[str, object]] = field(default_factory=list)


def _as_date(value):
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


def _choice_label(choices, value) -> str:
    return str(dict(choices).get(value, value))


def timeline(hazard: Hazard) -> list[TimelineEntry]:
    """Every HazardEvent as a readable line with its details (deadline, notice number, official…)."""
    entries = []
    for event in hazard.events.all():
        data = event.data or {}
        details: list[tuple[str, object]] = []
        if data.get("grade"):
            details.append((_("Grade"), _choice_label(HazardGrade.choices, data["grade"])))
        if data.get("source"):
            details.append((_("Source"), _choice_label(HazardSource.choices, data["source"])))
        if data.get("notice"):
            details.append((_("Notice number"), data["notice"]))
        if data.get("number"):
            details.append((_("Document number"), data["number"]))
        if data.get("reason"):
            details.append((_("Reason"), _choice_label(Escalation.Reason.choices, data["reason"])))
        if data.get("official"):
            details.append((_("Responsible official"), data["official"]))
        if data.get("unit"):
            details.append((_("Supervising unit"), data["unit"]))
        if data.get("deadline"):
            details.append((_("Deadline"), _as_date(data["deadline"])))
        if data.get("funds") not in (None, ""):
            details.append((_("Funds (CNY)"), data["funds"]))
        if data.get("distance") is not None:
            details.append((_("Distance to the place (m)"), data["distance"]))
        if data.get("failures"):
            details.append((_("Failed verifications"), data["failures"]))
        if data.get("decision"):
            details.append((_("Decision"), _choice_label(ClosureDecision.choices, data["decision"])))
        label = EVENT_LABELS.get(event.action, event.action)
        entries.append(TimelineEntry(event=event, label=str(label), details=details))
    return entries


def _detail_context(request: HttpRequest, hazard: Hazard, bound: forms.HazardActionForm | None = None) -> dict:
    user = request.user
    can_edit = Hazard.objects.editable_by(user).filter(pk=hazard.pk).exists()
    site_actions: list[tuple[str, str]] = []
    if can_edit and not is_enterprise(user) and hazard.is_open:
        site_actions = list(EnforcementAction.objects.filter(site_id=hazard.site_id).values_list("kind", "decision"))
    pending = _pending_rectification(hazard)
    actions = (
        workflow.available_actions(
            user, hazard, pending_submitter_id=pending.submitted_by_id if pending else None, site_actions=site_actions
        )
        if can_edit
        else []
    )
    action_forms = []
    for name in actions:
        if bound is not None and bound.action == name:
            action_forms.append(bound)
            continue
        action_forms.append(workflow.HAZARD_ACTIONS[name].form_class(hazard=hazard))
    if bound is not None and bound.action not in actions:
        # The user's typed text is never lost, even when the action is no longer on offer (someone else moved first).
        action_forms.insert(0, bound)

    photos = list(hazard.photos.all())
    escalations = list(hazard.escalations.all())
    notice = (
        RectificationNotice.objects.filter(hazard=hazard)
        .select_related("issuing_unit", "enforcing_unit", "supervising_unit", "issued_by")
        .first()
    )
    plans = list(hazard.plans.all())
    enforcement = list(hazard.enforcement_actions.all())
    return {
        "hazard": hazard,
        "site": hazard.site,
        "notice": notice,
        "finding_photos": [p for p in photos if p.stage == PhotoStage.FINDING],
        "after_photos": [p for p in photos if p.stage == PhotoStage.AFTER],
        "verification_photos": [p for p in photos if p.stage == PhotoStage.VERIFICATION],
        "deadline_changes": list(hazard.deadline_changes.all()),
        "supervising_unit": next((e.supervising_unit for e in escalations if e.lifted_at is None), None)
        if hazard.is_escalated
        else None,
        "rectifications": hazard.rectifications.all(),
        "plans": plans,
        "escalations": escalations,
        "enforcement_actions": enforcement,
        "timeline": timeline(hazard),
        "action_forms": action_forms,
        "bound_action": bound.action if bound is not None else "",
        "own_submission": pending is not None and pending.submitted_by_id == user.pk and hazard.is_open,
        "suspension_grounds": workflow.suspension_grounds(hazard),
    }


# --- hazards ---------------------------------------------------------------------------------

# The hazard list's filters officials use every day (the place, where the hazard stands, its grade, overdue);
# the others fold under "More filters".
COMMON_HAZARD_FILTERS = ("q", "state", "status", "grade", "overdue")


@login_required
@business_users_only
def hazard_list(request: HttpRequest) -> HttpResponse:
    filterset = HazardFilterSet(request.GET or None, queryset=selectors.hazards_for(request.user), user=request.user)
    # An invalid filter shows its error and no rows, as the export does: never "everything" by mistake.
    rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = paging.querystring(request)
    form = filterset.form
    for name in ("reported_after", "reported_before"):
        form.fields[name].widget.input_type = "date"  # the phone's date picker
    shown = [form[name] for name in form.fields if name != "site"]
    return render(
        request,
        "inspections/hazard_list.html",
        {
            "form": form,
            "common_filters": [field for field in shown if field.name in COMMON_HAZARD_FILTERS],
            "more_filters": [field for field in shown if field.name not in COMMON_HAZARD_FILTERS],
            # The folded filters open by themselves when one of them is set (a link from the home page, a reload).
            "more_filters_set": sum(
                1 for field in shown if field.name not in COMMON_HAZARD_FILTERS and request.GET.get(field.name)
            ),
            "page_obj": page,
            "querystring": querystring,
            "querystring_without_page": (querystring + "&") if querystring else "",
        },
    )


@login_required
@business_users_only
def hazard_export(request: HttpRequest) -> HttpResponse:
    """Exactly what the list shows: the user's scope, narrowed by the same filters (HazardFilterSet)."""
    filterset = HazardFilterSet(request.GET, queryset=selectors.hazards_for(request.user), user=request.user)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    filters = {key: request.GET.getlist(key) for key in request.GET if key in filterset.filters}
    handle, _count = exports.export_hazards(actor=request.user, queryset=queryset, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(handle, as_attachment=True, filename=f"隐患清单-{stamp}.xlsx", content_type=xlsx.CONTENT_TYPE)


@login_required
@allow_features("camera", "geolocation")  # photos of a rectification; the position of an on-site verification
@business_users_only
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = selectors.hazard_detail(request.user, pk)
    return render(request, "inspections/hazard_detail.html", _detail_context(request, hazard))


@login_required
@allow_features("camera", "geolocation")  # answers the hazard page again when the form has errors
@business_users_only
def hazard_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the workflow, posted from the detail page. A refusal re-shows the page with the form as typed."""
    step = workflow.HAZARD_ACTIONS.get(action)
    if step is None:
        raise Http404
    hazard = selectors.hazard_detail(request.user, pk)
    if request.method != "POST":
        return redirect("inspections:hazard_detail", pk=hazard.pk)
    form = step.form_class(request.POST, request.FILES, hazard=hazard)
    # Photos kept from an earlier refused attempt go with the ones chosen now (services.uploads).
    tokens = request.POST.getlist(forms.KEPT_PHOTOS) if form.multipart else []
    kept = services.claim_kept_uploads(actor=request.user, tokens=tokens)
    try:
        if form.is_valid():
            data = form.service_kwargs()
            if form.multipart:
                data["photos"] = [*(kept.file(row) for row in kept.rows), *(data.get("photos") or [])]
            try:
                # The service checks scope, role and state.
                step.run(actor=request.user, hazard=hazard, data=data)
            except PermissionDenied as error:
                raise PermissionDenied(str(error) or _("You cannot change this hazard.")) from error
            except ValidationError as error:
                # TransitionError is a ValidationError: a forbidden move or a conflict reads the same on the page.
                apply_validation_error(form, error)
            else:
                services.discard_kept_uploads(kept)
                messages.success(request, step.done)
                return redirect("inspections:hazard_detail", pk=hazard.pk)
    finally:
        kept.close()
    if form.multipart:
        fresh = services.keep_refused_uploads(actor=request.user, uploads=request.FILES.getlist("photos"))
        form.kept_uploads = [*kept.rows, *fresh]
        if kept.missing:
            messages.warning(request, services.expired_kept_message(kept.missing))
    hazard = selectors.hazard_detail(request.user, pk)
    return render(request, "inspections/hazard_detail.html", _detail_context(request, hazard, bound=form))


@login_required
@business_users_only
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """整改通知书 of the hazard as a Word document; 404 when the hazard is out of scope or has no notice."""
    hazard = selectors.hazards_for(request.user).filter(pk=pk).select_related("inspection").first()
    if hazard is None:
        raise Http404
    notice = (
        RectificationNotice.objects.filter(hazard=hazard)
        .select_related("issuing_unit", "enforcing_unit", "supervising_unit", "issued_by")
        .first()
    )
    if notice is None:
        raise Http404
    notice.hazard = hazard
    content = documents.notice_document(notice)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, documents.notice_filename(notice))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- evidence photos -----------------------------------------------------------------------------


def _photo_response(request: HttpRequest, pk: int, *, thumbnail: bool) -> HttpResponse:
    photo = Photo.objects.visible_to(request.user).filter(pk=pk).first()
    if photo is None:
        raise Http404
    if not photo.is_ready:
        return _photo_placeholder(request, photo)
    stored = photo.thumbnail if thumbnail else photo.file
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    # Thumbnails are always written as JPEG (services.photos); the photo keeps its own type.
    content_type = "image/jpeg" if thumbnail else photo.content_type
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


def _photo_placeholder(request: HttpRequest, photo: Photo) -> HttpResponse:
    """What an image tag or an API client shows for a photo still processing or found damaged: an image saying
    so (fixed text only, never the file's name), not cached, so the photo itself appears once it is ready."""
    response = render(
        request, "inspections/photo_placeholder.svg", {"photo": photo}, content_type="image/svg+xml; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def photo_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _photo_response(request, pk, thumbnail=False)


@login_required
def photo_thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    return _photo_response(request, pk, thumbnail=True)


# --- enforcement -----------------------------------------------------------------------------------


def _enforcement_page(request: HttpRequest, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    kind = request.GET.get("kind") or EnforcementKind.CLOSURE
    if kind not in EnforcementKind.values:
        kind = EnforcementKind.CLOSURE
    actions = (
        EnforcementAction.objects.visible_to(user)
        .filter(kind=kind)
        .select_related("site", "site__territory", "hazard", "issued_by", "issuing_unit", "decided_by")
        .annotate(
            pending_first=Case(
                When(decision=ClosureDecision.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("pending_first", "-issued_at", "-id")
    )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    can_decide = getattr(user, "can_decide_responsibility", False)
    decidable = set()
    if can_decide and kind == EnforcementKind.CLOSURE:
        ids = [a.pk for a in page if a.decision == ClosureDecision.PENDING]
        decidable = set(EnforcementAction.objects.editable_by(user).filter(pk__in=ids).values_list("pk", flat=True))
    rows = []
    for action in page:
        form = None
        if action.pk in decidable:
            form = (
                bound["form"]
                if bound and bound["pk"] == action.pk
                else forms.ClosureDecisionForm(auto_id=f"id_decide_{action.pk}_%s")
            )
        rows.append({"action": action, "form": form})
    querystring = paging.querystring(request)
    return render(
        request,
        "inspections/enforcement_list.html",
        {
            "kind": kind,
            "kinds": EnforcementKind.choices,
            "rows": rows,
            "page_obj": page,
            "querystring_without_page": (querystring + "&") if querystring else "",
            "bound_pk": bound["pk"] if bound else None,
        },
        status=status,
    )


@login_required
@business_users_only
def enforcement_list(request: HttpRequest) -> HttpResponse:
    return _enforcement_page(request)


@login_required
@require_POST
@business_users_only
def closure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The safety office decides a closure request on behalf of the district government (services.decide_closure)."""
    action = EnforcementAction.objects.visible_to(request.user).filter(pk=pk, kind=EnforcementKind.CLOSURE).first()
    if action is None:
        raise Http404
    form = forms.ClosureDecisionForm(request.POST, auto_id=f"id_decide_{action.pk}_%s")
    if form.is_valid():
        try:
            services.decide_closure(
                actor=request.user,
                action=action,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The closure was approved: the place is closed.")
                if form.cleaned_data["decision"] == "approve"
                else _("The closure request was rejected."),
            )
            return redirect(f"{reverse('inspections:enforcement_list')}?kind={EnforcementKind.CLOSURE}")
    if not getattr(request.user, "can_decide_responsibility", False):
        raise PermissionDenied(_("The safety office decides closure requests on behalf of the district government."))
    request.GET = request.GET.copy()
    request.GET["kind"] = EnforcementKind.CLOSURE
    # The form with the user's text is shown whatever page the request sits on.
    return _enforcement_page(request, bound={"pk": action.pk, "form": form, "action": action})
