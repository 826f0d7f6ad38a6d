"""Field-work pages: tasks, starting and recording an inspection on a phone, the inspection record,
campaigns with their progress, checklists and their versions.

Thin views: parse, call a service or selector, render. Anything outside the user's scope is a 404;
a refusal of a service on something in scope is shown as its message.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from anjian.core import paging
from anjian.core.forms import apply_validation_error
from anjian.core.permissions import business_users_only, is_enterprise, launches_campaigns, page_guard
from anjian.core.permissions_policy import allow_features
from anjian.core.scoping import REFERENCE_DATA_REFUSAL, edits_city_reference_data
from anjian.inspections import predicates, selectors, services
from anjian.inspections.choices import AnswerResult, HazardGrade, HazardNature, InspectionStatus
from anjian.inspections.filtersets import TaskFilterSet
from anjian.inspections.forms_field import (
    CampaignForm,
    ChecklistHeadForm,
    FieldRecord,
    InspectionFilterSet,
    InspectionStartForm,
    TaskAssignForm,
    checklist_item_formset,
    item_initial,
)

PAGE_SIZE = 50


# --- helpers --------------------------------------------------------------------------------------


def _paging(request: HttpRequest, queryset) -> dict:
    querystring = paging.querystring(request)
    return {
        "page_obj": Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring": querystring,
        "querystring_without_page": (querystring + "&") if querystring else "",
    }


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _messages_of(error) -> str:
    return " ".join(str(m) for m in getattr(error, "messages", [str(error)]))


# --- tasks ----------------------------------------------------------------------------------------


@login_required
@business_users_only
def task_list(request: HttpRequest) -> HttpResponse:
    """ "My tasks" by default; "all" switches to every task in scope, with filters."""
    user = request.user
    showing_all = request.GET.get("view") == "all"
    form = None
    if showing_all:
        filterset = TaskFilterSet(request.GET or None, queryset=selectors.tasks_in_scope(user), user=user)
        queryset = filterset.qs
        form = filterset.form
    else:
        queryset = selectors.my_tasks(user)
    context = _paging(request, queryset)
    tasks = list(context["page_obj"])
    selectors.annotate_task_offers(user, tasks)
    context.update({"form": form, "showing_all": showing_all, "tasks": tasks})
    return render(request, "inspections/task_list.html", context)


@login_required
@require_POST
@business_users_only
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a task to an inspector of its unit, optionally with a new due date."""
    user = request.user
    task = selectors.visible_task(user, pk)
    form = TaskAssignForm(request.POST, unit_id=task.assignee_unit_id)
    if form.is_valid():
        try:
            task = services.assign_task(
                actor=user, task=task, assignee=form.cleaned_data["assignee"], due_on=form.cleaned_data["due_on"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _messages_of(error))
        else:
            if task.assignee_id:
                text = _("The inspection of %(site)s was assigned to %(name)s.")
                messages.success(request, text % {"site": task.site, "name": task.assignee})
            else:
                text = _("The inspection of %(site)s was given back to the unit.")
                messages.success(request, text % {"site": task.site})
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    return redirect(_next_url(request, reverse("inspections:task_list")))


# --- starting an inspection -----------------------------------------------------------------------


@login_required
@allow_features("geolocation")  # the position of the start of the visit
@business_users_only
def inspection_start(request: HttpRequest) -> HttpResponse:
    """Choose kind, checklist and co-inspectors; the browser's position rides along in hidden fields."""
    user = request.user
    task, site = selectors.start_target(
        user,
        task_id=request.GET.get("task") or request.POST.get("task"),
        site_id=request.GET.get("site") or request.POST.get("site"),
    )
    if site is None:
        messages.info(request, _("Choose a task or a place to inspect."))
        return redirect("inspections:task_list")
    if task is not None:
        existing = selectors.inspection_of_task(task)
        if existing is not None:
            if predicates.may_record(user, existing):
                return redirect("inspections:inspection_record", pk=existing.pk)
            messages.info(request, _("An inspection has already been started for this task."))
            return redirect("inspections:inspection_detail", pk=existing.pk)
    initial_checklist = services.checklist_for_inspection(site, task)
    allowed = predicates.may_inspect(user, site)
    form = InspectionStartForm(request.POST or None, user=user, initial_checklist=initial_checklist)
    if request.method == "POST" and allowed and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.start_inspection(
                actor=user,
                site=site,
                kind=form.kind_value,
                checklist=data.get("checklist"),
                # The form offers the default already; an empty choice means "no checklist".
                default_checklist=False,
                task=task,
                inspectors=list(data.get("co_inspectors") or []),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                accuracy=data.get("accuracy"),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, texts in error.message_dict.items():
                    target = {"inspectors": "co_inspectors"}.get(key, key)
                    form.add_error(target if target in form.fields else None, texts)
            else:
                apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("inspections:inspection_record", pk=inspection.pk)
    return render(
        request,
        "inspections/inspection_start.html",
        {
            "form": form,
            "task": task,
            "site": site,
            "allowed": allowed,
            "self_inspection": form.self_inspection,
            "warn_metres": settings.INSPECTION_DISTANCE_WARNING_METRES,
        },
    )


# --- the field record -----------------------------------------------------------------------------


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "403.html", {"exception": message}, status=403)


@login_required
@allow_features("geolocation", "camera")  # the position of the end of the visit; photos of the findings
@business_users_only
def inspection_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The field form (mobile first): every item answered, photos, hazards, submitted at once."""
    user = request.user
    inspection = selectors.inspection_to_record(user, pk)
    if inspection.status != InspectionStatus.IN_PROGRESS:
        messages.info(request, _("This inspection is completed and can no longer change."))
        return redirect("inspections:inspection_detail", pk=inspection.pk)
    if not predicates.is_inspector_of(user, inspection):
        return _forbidden(request, _("Only the inspectors of this inspection can record it."))
    items = selectors.checklist_items(inspection)
    if request.method == "POST":
        record = FieldRecord(inspection, items, request.POST, request.FILES)
        kept = services.claim_kept_uploads(actor=user, tokens=record.kept_tokens())
        record.attach_kept(kept)
        if kept.missing:
            messages.warning(request, services.expired_kept_message(kept.missing))
        try:
            done = services.complete_inspection_form(
                actor=user,
                inspection=inspection,
                answers=record.answers(),
                extra_hazards=record.extra_hazards(),
                note=record.note,
                latitude=record.latitude,
                longitude=record.longitude,
                accuracy=record.accuracy,
                compliant_at_once=record.compliant_at_once_ids(),
            )
        except ValidationError as error:
            record.apply_errors(error)
        except PermissionDenied as error:
            record.top_errors.append(str(error))
        else:
            services.discard_kept_uploads(kept)
            numbers = selectors.hazard_numbers(done)
            if numbers:
                messages.success(
                    request,
                    ngettext(
                        "The inspection was recorded; %(count)s hazard was opened: %(numbers)s.",
                        "The inspection was recorded; %(count)s hazards were opened: %(numbers)s.",
                        len(numbers),
                    )
                    % {"count": len(numbers), "numbers": "、".join(numbers)},
                )
            else:
                messages.success(request, _("The inspection was recorded; no hazard was found."))
            return redirect("inspections:inspection_detail", pk=done.pk)
        finally:
            kept.close()
        # Refused: the photos chosen this time are kept for the next attempt, with those kept before.
        record.keep_new_photos(lambda uploads: services.keep_refused_uploads(actor=user, uploads=uploads))
    else:
        record = FieldRecord(inspection, items)
    return render(
        request,
        "inspections/inspection_record.html",
        {
            "inspection": inspection,
            "record": record,
            "results": AnswerResult.choices,
            "grades": HazardGrade.choices,
            "natures": HazardNature.choices,
            "is_enterprise": is_enterprise(user),
            "warn_metres": settings.INSPECTION_DISTANCE_WARNING_METRES,
        },
    )


# --- the inspection record (read) ------------------------------------------------------------------


@login_required
@business_users_only
def inspection_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset = InspectionFilterSet(
        request.GET or None,
        queryset=selectors.inspection_list(user),
        user=user,
    )
    context = _paging(request, filterset.qs)
    context["form"] = filterset.form
    return render(request, "inspections/inspection_list.html", context)


@login_required
@require_POST
@business_users_only
def inspection_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an inspection started by mistake (only its inspectors, only before anything is recorded)."""
    user = request.user
    inspection = selectors.visible_inspection(user, pk)
    try:
        services.cancel_inspection(actor=user, inspection=inspection, reason=request.POST.get("reason", ""))
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The inspection was cancelled."))
    return redirect("inspections:inspection_detail", pk=inspection.pk)


@login_required
@business_users_only
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = selectors.inspection_detail(user, pk)
    hazard_by_answer = {h.answer_id: h for h in inspection.hazards.all() if h.answer_id}
    answers = list(inspection.answers.all())
    for answer in answers:
        answer.opened_hazard = hazard_by_answer.get(answer.pk)
    extra_hazards = [h for h in inspection.hazards.all() if not h.answer_id]
    site = inspection.site
    position = None
    if inspection.latitude is not None and inspection.longitude is not None:
        boundary = site.territory.boundary if site.territory_id and site.territory else None
        position = {
            "inspection": [float(inspection.latitude), float(inspection.longitude)],
            "accuracy": inspection.position_accuracy,
            "site": [float(site.latitude), float(site.longitude)]
            if site.latitude is not None and site.longitude is not None
            else None,
            "site_name": site.name,
            "boundary": boundary,
        }
    can_record = predicates.may_record(user, inspection)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "answers": answers,
            "extra_hazards": extra_hazards,
            "position": position,
            "can_record": can_record,
            "warn_metres": settings.INSPECTION_DISTANCE_WARNING_METRES,
            "counts": {result: sum(1 for a in answers if a.result == result) for result in AnswerResult.values},
        },
    )


# --- campaigns ------------------------------------------------------------------------------------


@login_required
@business_users_only
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = _paging(request, selectors.campaigns_with_task_counts(user))
    return render(request, "inspections/campaign_list.html", context)


def _campaign_form_page(request, form, campaign=None) -> HttpResponse:
    return render(request, "inspections/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@business_users_only
@page_guard(launches_campaigns)
def campaign_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CampaignForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(actor=user, **form.service_fields())
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The campaign was launched."))
            return redirect("inspections:campaign_detail", pk=campaign.pk)
    return _campaign_form_page(request, form)


@login_required
@business_users_only
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = selectors.editable_campaign(user, pk) if launches_campaigns(user) else None
    if campaign is None:
        raise Http404
    form = CampaignForm(request.POST or None, instance=campaign, user=user)
    if request.method == "POST" and form.is_valid():
        stored = selectors.stored_campaign(campaign.pk)  # the ModelForm wrote onto `campaign`
        try:
            services.update_campaign(actor=user, campaign=stored, **form.service_fields())
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("inspections:campaign_detail", pk=campaign.pk)
    return _campaign_form_page(request, form, campaign)


@login_required
@business_users_only
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = selectors.campaign_detail(user, pk)
    progress = selectors.campaign_progress(campaign)
    can_edit = predicates.may_edit_campaign(user, campaign)
    tasks = selectors.campaign_task_counts(campaign)
    total_rate = round(100 * progress["inspected"] / progress["in_scope"], 1) if progress["in_scope"] else 0.0
    closed_rate = round(100 * progress["closed"] / progress["hazards"], 1) if progress["hazards"] else 0.0
    chart = {
        "names": [row.unit.name for row in progress["streets"]],
        "rates": [row.rate for row in progress["streets"]],
        "laggards": [row.laggard for row in progress["streets"]],
        "expected": progress["expected_rate"],
        "label": _("Inspection rate"),
    }
    return render(
        request,
        "inspections/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": progress,
            "can_edit": can_edit,
            "tasks": tasks,
            "total_rate": total_rate,
            "closed_rate": closed_rate,
            "chart": chart,
        },
    )


@login_required
@require_POST
@business_users_only
def campaign_generate_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = selectors.visible_campaign(user, pk)
    try:
        count = services.generate_campaign_tasks(actor=user, campaign=campaign)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _messages_of(error))
    else:
        if count:
            messages.success(request, _("%(count)s inspection tasks were generated.") % {"count": count})
        else:
            messages.info(request, _("No new task: every place in the campaign's scope has one already."))
    return redirect("inspections:campaign_detail", pk=campaign.pk)


# --- checklists -----------------------------------------------------------------------------------


@login_required
@business_users_only
def checklist_list(request: HttpRequest) -> HttpResponse:
    """The current version of each checklist, by sector, with its item and major-criterion counts."""
    user = request.user
    return render(
        request,
        "inspections/checklist_list.html",
        {"templates": selectors.current_checklists(user), "can_edit": edits_city_reference_data(user)},
    )


@login_required
@business_users_only
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    template = selectors.visible_checklist(user, pk, with_authors=True)
    if template is None:
        raise Http404
    versions = selectors.checklist_versions(template)
    return render(
        request,
        "inspections/checklist_detail.html",
        {
            "template": template,
            "items": template.items.all(),
            "versions": versions,
            "can_edit": edits_city_reference_data(user) and template.is_current,
        },
    )


@login_required
@business_users_only
def checklist_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Editing makes version N+1 (services.revise_checklist); inspections keep the version they used. The
    checklists are city-wide reference data: a district user reads them and is refused here (403)."""
    user = request.user
    template = selectors.visible_checklist(user, pk)
    if template is None:
        raise Http404
    if not edits_city_reference_data(user):
        raise PermissionDenied(REFERENCE_DATA_REFUSAL)
    if not template.is_current:
        current = selectors.current_checklist(template.code)
        messages.info(request, _("Only the current version of a checklist can be revised."))
        if current is None:
            return redirect("inspections:checklist_list")
        return redirect("inspections:checklist_revise", pk=current.pk)
    extra = 3
    if request.GET.get("more", "").isdigit():
        extra = min(int(request.GET["more"]), 50)
    initial = [item_initial(item) for item in template.items.all()]
    head = ChecklistHeadForm(request.POST or None, initial={"name": template.name, "description": template.description})
    formset = checklist_item_formset(extra)(request.POST or None, initial=initial, prefix="items")
    if request.method == "POST":
        head_ok = head.is_valid()
        if formset.is_valid() and head_ok:
            try:
                new = services.revise_checklist(
                    actor=user,
                    template=template,
                    name=head.cleaned_data["name"],
                    description=head.cleaned_data["description"],
                    items=formset.items(),
                )
            except ValidationError as error:
                apply_validation_error(head, error)
            except PermissionDenied as error:
                head.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Version %(version)s of the checklist was saved.") % {"version": new.version}
                )
                return redirect("inspections:checklist_detail", pk=new.pk)
    return render(
        request,
        "inspections/checklist_revise.html",
        {"template": template, "head": head, "formset": formset, "more": extra + 5},
    )
