"""Field-work pages: tasks, starting and recording an inspection on a phone, the inspection record,
campaigns with their progress, checklists and their versions.

Thin views: parse, call a service or selector, render. Anything outside the user's scope is a 404;
a refusal of a service on something in scope is shown as its message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from anjian.accounts.choices import Role
from anjian.accounts.models import User
from anjian.core.forms import apply_validation_error
from anjian.core.permissions_policy import allow_features
from anjian.core.scoping import REFERENCE_DATA_REFUSAL, edits_city_reference_data, get_visible_or_404, scope_of
from anjian.inspections import selectors, services
from anjian.inspections.choices import (
    AnswerResult,
    HazardGrade,
    HazardNature,
    InspectionStatus,
    PhotoStage,
    TaskStatus,
)
from anjian.inspections.filtersets import TaskFilterSet
from anjian.inspections.forms_field import (
    CampaignForm,
    ChecklistHeadForm,
    FieldRecord,
    InspectionFilterSet,
    InspectionStartForm,
    TaskAssignForm,
    checklist_item_formset,
    is_government,
    item_initial,
)
from anjian.inspections.models import (
    Campaign,
    ChecklistTemplate,
    Hazard,
    Inspection,
    InspectionAnswer,
    InspectionTask,
    Photo,
)
from anjian.registry.models import Site

PAGE_SIZE = 50
NOT_STAFF_ROLES = [Role.ENTERPRISE, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]


# --- helpers --------------------------------------------------------------------------------------


def _require_business_user(user) -> None:
    """The three administrators (三员分立) see no business data: every page answers 404."""
    if scope_of(user).sees_nothing:
        raise Http404


def _require_government(user) -> None:
    if not is_government(user):
        raise Http404


def _querystring(request: HttpRequest, *, drop=("page",)) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def _paging(request: HttpRequest, queryset) -> dict:
    querystring = _querystring(request)
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


def _can_edit_campaigns(user) -> bool:
    return getattr(user, "role", "") in (Role.SAFETY_OFFICE, Role.DEPARTMENT_OFFICER) and user.org_unit_id is not None


# --- tasks ----------------------------------------------------------------------------------------


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """ "My tasks" by default; "all" switches to every task in scope, with filters."""
    user = request.user
    _require_business_user(user)
    showing_all = request.GET.get("view") == "all"
    form = None
    if showing_all:
        filterset = TaskFilterSet(request.GET or None, queryset=selectors.tasks_for(user), user=user)
        queryset = filterset.qs
        form = filterset.form
    else:
        queryset = selectors.my_tasks(user)
    context = _paging(request, queryset)
    tasks = list(context["page_obj"])
    _annotate_tasks(user, tasks)
    context.update({"form": form, "showing_all": showing_all, "tasks": tasks})
    return render(request, "inspections/task_list.html", context)


def _annotate_tasks(user, tasks: list[InspectionTask]) -> None:
    """What each task on the page offers this user, in a fixed number of queries."""
    ids = [t.pk for t in tasks]
    site_ids = {t.site_id for t in tasks}
    enterprise = getattr(user, "role", "") == Role.ENTERPRISE
    government = is_government(user) and not scope_of(user).read_only
    assignable = set()
    startable_sites = set()
    if ids and government:
        assignable = set(InspectionTask.objects.editable_by(user).filter(pk__in=ids).values_list("pk", flat=True))
        startable_sites = set(Site.objects.editable_by(user).filter(pk__in=site_ids).values_list("pk", flat=True))
    elif ids and enterprise:
        startable_sites = set(Site.objects.visible_to(user).filter(pk__in=site_ids).values_list("pk", flat=True))
    started = {
        task_id: (pk, status)
        for task_id, pk, status in Inspection.objects.filter(task_id__in=ids).values_list("task_id", "pk", "status")
    }
    people: dict[int, list[User]] = {}
    units = {t.assignee_unit_id for t in tasks if t.pk in assignable}
    if units:
        for person in (
            User.objects.filter(org_unit_id__in=units, is_active=True)
            .exclude(role__in=NOT_STAFF_ROLES)
            .order_by("username")
        ):
            people.setdefault(person.org_unit_id, []).append(person)
    for task in tasks:
        task.started = started.get(task.pk)
        is_open = task.status == TaskStatus.OPEN
        task.can_assign = is_open and task.pk in assignable
        task.can_start = is_open and task.site_id in startable_sites and task.started is None
        task.assign_choices = people.get(task.assignee_unit_id, [])


@login_required
@require_POST
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a task to an inspector of its unit, optionally with a new due date."""
    user = request.user
    _require_business_user(user)
    task = get_visible_or_404(InspectionTask.objects.select_related("site"), user, pk=pk)
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


def _start_target(request: HttpRequest):
    """The task and place of a new inspection, from ?task= or ?site= (outside scope: 404)."""
    user = request.user
    task_id = request.GET.get("task") or request.POST.get("task")
    site_id = request.GET.get("site") or request.POST.get("site")
    if task_id:
        task = get_visible_or_404(
            selectors.tasks_for(user).select_related("campaign__checklist", "site__enterprise"), user, pk=task_id
        )
        return task, task.site
    if site_id:
        site = get_visible_or_404(Site.objects.select_related("territory", "enterprise"), user, pk=site_id)
        return None, site
    return None, None


def _may_inspect(user, site: Site) -> bool:
    if getattr(user, "role", "") == Role.ENTERPRISE:
        return True
    if scope_of(user).read_only:
        return False
    return Site.objects.editable_by(user).filter(pk=site.pk).exists()


@login_required
@allow_features("geolocation")  # the position of the start of the visit
def inspection_start(request: HttpRequest) -> HttpResponse:
    """Choose kind, checklist and co-inspectors; the browser's position rides along in hidden fields."""
    user = request.user
    _require_business_user(user)
    task, site = _start_target(request)
    if site is None:
        messages.info(request, _("Choose a task or a place to inspect."))
        return redirect("inspections:task_list")
    if task is not None:
        existing = Inspection.objects.filter(task=task).first()
        if existing is not None:
            if existing.status == InspectionStatus.IN_PROGRESS and existing.inspectors.filter(pk=user.pk).exists():
                return redirect("inspections:inspection_record", pk=existing.pk)
            messages.info(request, _("An inspection has already been started for this task."))
            return redirect("inspections:inspection_detail", pk=existing.pk)
    initial_checklist = None
    if task is not None:
        initial_checklist = task.checklist or (task.campaign.checklist if task.campaign_id else None)
    initial_checklist = initial_checklist or services.checklist_for_site(site)
    if initial_checklist is not None and not initial_checklist.is_current:
        initial_checklist = ChecklistTemplate.objects.current().filter(code=initial_checklist.code).first()
    allowed = _may_inspect(user, site)
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
        {"form": form, "task": task, "site": site, "allowed": allowed, "self_inspection": form.self_inspection},
    )


# --- the field record -----------------------------------------------------------------------------


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "403.html", {"exception": message}, status=403)


@login_required
@allow_features("geolocation", "camera")  # the position of the end of the visit; photos of the findings
def inspection_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The field form (mobile first): every item answered, photos, hazards, submitted at once."""
    user = request.user
    _require_business_user(user)
    inspection = get_visible_or_404(
        Inspection.objects.select_related("site", "site__territory", "checklist", "campaign", "task"), user, pk=pk
    )
    if inspection.status != InspectionStatus.IN_PROGRESS:
        messages.info(request, _("This inspection is completed and can no longer change."))
        return redirect("inspections:inspection_detail", pk=inspection.pk)
    if not inspection.inspectors.filter(pk=user.pk).exists():
        return _forbidden(request, _("Only the inspectors of this inspection can record it."))
    items = list(inspection.checklist.items.all()) if inspection.checklist_id else []
    if request.method == "POST":
        record = FieldRecord(inspection, items, request.POST, request.FILES)
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
            )
        except ValidationError as error:
            record.apply_errors(error)
        except PermissionDenied as error:
            record.top_errors.append(str(error))
        else:
            numbers = [n for n in done.hazards.order_by("pk").values_list("number", flat=True) if n]
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
            "is_enterprise": getattr(user, "role", "") == Role.ENTERPRISE,
        },
    )


# --- the inspection record (read) ------------------------------------------------------------------


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_business_user(user)
    filterset = InspectionFilterSet(
        request.GET or None,
        # Explicit order: the hazard count's GROUP BY would drop the model's default ordering.
        queryset=selectors.inspections_for(user).prefetch_related("inspectors").order_by("-started_at", "-id"),
        user=user,
    )
    context = _paging(request, filterset.qs)
    context["form"] = filterset.form
    return render(request, "inspections/inspection_list.html", context)


@login_required
@require_POST
def inspection_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an inspection started by mistake (only its inspectors, only before anything is recorded)."""
    user = request.user
    _require_business_user(user)
    inspection = get_visible_or_404(Inspection.objects.all(), user, pk=pk)
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
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _require_business_user(user)
    inspection = get_visible_or_404(
        selectors.inspections_for(user)
        .select_related("task", "site__enterprise")
        .prefetch_related(
            "inspectors",
            Prefetch(
                "answers",
                queryset=InspectionAnswer.objects.select_related("item").prefetch_related(
                    Prefetch("photos", queryset=Photo.objects.order_by("uploaded_at", "id"))
                ),
            ),
            Prefetch(
                "hazards",
                queryset=Hazard.objects.order_by("pk").prefetch_related(
                    Prefetch("photos", queryset=Photo.objects.filter(stage=PhotoStage.FINDING).order_by("id"))
                ),
            ),
        ),
        user,
        pk=pk,
    )
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
    can_record = inspection.status == InspectionStatus.IN_PROGRESS and inspection.inspectors.filter(pk=user.pk).exists()
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "answers": answers,
            "extra_hazards": extra_hazards,
            "position": position,
            "can_record": can_record,
            "counts": {result: sum(1 for a in answers if a.result == result) for result in AnswerResult.values},
        },
    )


# --- campaigns ------------------------------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_business_user(user)
    queryset = (
        selectors.campaigns_for(user)
        .annotate(
            task_count=Count("tasks", distinct=True),
            done_count=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE), distinct=True),
        )
        .order_by("-starts_on", "-id")
    )
    context = _paging(request, queryset)
    context["can_create"] = _can_edit_campaigns(user)
    return render(request, "inspections/campaign_list.html", context)


def _campaign_form_page(request, form, campaign=None) -> HttpResponse:
    return render(request, "inspections/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_business_user(user)
    if not _can_edit_campaigns(user):
        raise Http404
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
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _require_business_user(user)
    campaign = Campaign.objects.editable_by(user).filter(pk=pk).first() if _can_edit_campaigns(user) else None
    if campaign is None:
        raise Http404
    form = CampaignForm(request.POST or None, instance=campaign, user=user)
    if request.method == "POST" and form.is_valid():
        stored = Campaign.objects.get(pk=campaign.pk)  # the ModelForm wrote onto `campaign`; the service starts afresh
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
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _require_business_user(user)
    campaign = get_visible_or_404(selectors.campaigns_for(user).prefetch_related("sectors", "territories"), user, pk=pk)
    progress = selectors.campaign_progress(campaign)
    can_edit = _can_edit_campaigns(user) and Campaign.objects.editable_by(user).filter(pk=campaign.pk).exists()
    tasks = campaign.tasks.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=TaskStatus.OPEN)),
        done=Count("pk", filter=Q(status=TaskStatus.DONE)),
    )
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
def campaign_generate_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _require_business_user(user)
    campaign = get_visible_or_404(Campaign.objects.all(), user, pk=pk)
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
def checklist_list(request: HttpRequest) -> HttpResponse:
    """The current version of each checklist, by sector, with its item and major-criterion counts."""
    user = request.user
    _require_business_user(user)
    templates = (
        ChecklistTemplate.objects.visible_to(user)
        .current()
        .select_related("sector")
        .annotate(
            item_count=Count("items"),
            major_count=Count("items", filter=~Q(items__criteria_document="")),
        )
        .order_by("sector__order", "code")
    )
    return render(
        request,
        "inspections/checklist_list.html",
        {"templates": templates, "can_edit": edits_city_reference_data(user)},
    )


@login_required
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _require_business_user(user)
    template = ChecklistTemplate.objects.visible_to(user).select_related("sector", "created_by").filter(pk=pk).first()
    if template is None:
        raise Http404
    versions = (
        ChecklistTemplate.objects.filter(code=template.code)
        .select_related("created_by")
        .annotate(item_count=Count("items"), inspection_count=Count("inspections", distinct=True))
        .order_by("-version")
    )
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
def checklist_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Editing makes version N+1 (services.revise_checklist); inspections keep the version they used. The
    checklists are city-wide reference data: a district user reads them and is refused here (403)."""
    user = request.user
    _require_business_user(user)
    template = ChecklistTemplate.objects.visible_to(user).filter(pk=pk).first()
    if template is None:
        raise Http404
    if not edits_city_reference_data(user):
        raise PermissionDenied(REFERENCE_DATA_REFUSAL)
    if not template.is_current:
        current = ChecklistTemplate.objects.current().filter(code=template.code).first()
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
