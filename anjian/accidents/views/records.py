"""Pages of the accident records: the list and its export, the record form (with the search among the
registry's places), the detail with its correction history and the correction form.

Views stay thin: forms parse, services write. An accident outside the user's scope answers 404 whatever is
asked of it; the three administrators have no accident pages; enterprise accounts and leaders read but do
not record (403 with the service's reason).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.accidents import exports, forms, services
from anjian.accidents.filtersets import AccidentFilterSet, territories_for
from anjian.accidents.models import (
    Accident,
    CasualtyCorrection,
    CorrectiveMeasure,
    Investigation,
)
from anjian.core import paging, xlsx
from anjian.core.forms import apply_validation_error
from anjian.core.permissions import business_users_only, page_guard, require_business
from anjian.core.scoping import scope_of
from anjian.registry.models import Site

PAGE_SIZE = 50
PLACE_RESULTS = 15


# Recording an accident: a business user who may not is told why (403); the record form's links ask the same.
records_accidents = page_guard(
    services.can_record, refusal=gettext_lazy("Only a supervising officer records accidents.")
)


def _filtered(request: HttpRequest, *, bound_always: bool = False):
    data = request.GET if (request.GET or bound_always) else None
    filterset = AccidentFilterSet(data, queryset=Accident.objects.visible_to(request.user), user=request.user)
    # An invalid filter shows its error and no rows, as the export does: never "everything" by mistake.
    rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
    return filterset, rows


@login_required
@business_users_only
def accident_list(request: HttpRequest) -> HttpResponse:
    filterset, rows = _filtered(request)
    page = Paginator(rows.with_list_columns(), PAGE_SIZE).get_page(request.GET.get("page"))
    form = filterset.form
    for name in ("occurred_after", "occurred_before"):
        form.fields[name].widget.input_type = "date"
    querystring = paging.querystring(request)
    return render(
        request,
        "accidents/accident_list.html",
        {
            "form": form,
            "page_obj": page,
            "querystring": querystring,
            "querystring_without_page": (querystring + "&") if querystring else "",
        },
    )


@login_required
@business_users_only
def accident_export(request: HttpRequest) -> HttpResponse:
    """Exactly what the list shows: the user's scope, narrowed by the same filters (AccidentFilterSet)."""
    filterset, rows = _filtered(request, bound_always=True)
    filters = {key: request.GET.getlist(key) for key in request.GET if key in filterset.filters}
    handle, _count = exports.export_accidents(actor=request.user, queryset=rows, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(handle, as_attachment=True, filename=f"事故清单-{stamp}.xlsx", content_type=xlsx.CONTENT_TYPE)


@login_required
@business_users_only
@records_accidents
def place_search(request: HttpRequest) -> HttpResponse:
    """HTMX: the places of the registry the user sees whose name, address or credit code match (a few, never
    thousands), as radio buttons of the record form."""
    text = (request.GET.get("place_q") or "").strip()[:100]
    places: list[Site] = []
    if len(text) >= 2:
        places = list(
            Site.objects.visible_to(request.user)
            .filter(Q(name__icontains=text) | Q(address__icontains=text) | Q(enterprise__credit_code=text.upper()))
            .select_related("territory")
            .order_by("name", "id")[:PLACE_RESULTS]
        )
    return render(
        request,
        "accidents/_accident_place_results.html",
        {"places": places, "text": text, "limit": PLACE_RESULTS},
    )


@login_required
@business_users_only
@records_accidents
def accident_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = forms.AccidentForm(request.POST, user=user)
        if form.is_valid():
            try:
                accident = services.record_accident(actor=user, **form.service_kwargs())
            except PermissionDenied as error:
                # In the officer's scope or not depends on what was typed: say so on the form, save nothing.
                form.add_error(None, str(error))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("The accident was recorded: %(grade)s.") % {"grade": accident.get_grade_display()},
                )
                return redirect("accidents:accident_detail", pk=accident.pk)
    else:
        initial = {}
        if request.GET.get("site"):
            initial["site"] = request.GET["site"]
        territories = territories_for(user)
        if scope_of(user).territory_ids and len(scope_of(user).territory_ids) == 1:
            initial["territory"] = territories.first()
        form = forms.AccidentForm(initial=initial, user=user)
    return render(request, "accidents/accident_form.html", {"form": form, "chosen_site": form.chosen_site})


def _visible_accident(request: HttpRequest, pk: int) -> Accident:
    require_business(request.user)
    accident = (
        Accident.objects.visible_to(request.user)
        .select_related("district", "territory", "site", "site__enterprise", "sector", "created_by")
        .prefetch_related(Prefetch("corrections", CasualtyCorrection.objects.select_related("corrected_by")))
        .filter(pk=pk)
        .first()
    )
    if accident is None:
        raise Http404
    return accident


def detail_context(
    request: HttpRequest, accident: Accident, *, correction_form=None, open_form=None, step_form=None
) -> dict:
    """Everything the accident's page shows, with the forms the user may use now (a bound one as typed)."""
    user = request.user
    can_edit = services.can_record(user) and Accident.objects.editable_by(user).filter(pk=accident.pk).exists()
    investigation = (
        Investigation.objects.filter(accident=accident)
        .select_related("lead_unit", "opened_by")
        .prefetch_related(
            "accountabilities",
            "education",
            Prefetch("measures", CorrectiveMeasure.objects.select_related("hazard", "task", "task__site")),
        )
        .first()
    )
    closures = []
    step_forms = []
    if investigation is not None:
        investigation.accident = accident
        missing = services.open_closures(investigation)
        for name in services.CLOSURES:
            done_at = getattr(investigation, services.CLOSURE_FIELDS[name])
            closures.append(
                {
                    "name": name,
                    "label": services.CLOSURE_TITLES[name],
                    "done_at": done_at,
                    "evidence_ready": name not in missing,
                    "can_mark": can_edit and investigation.is_open and not done_at and name not in missing,
                }
            )
        if can_edit and investigation.is_open:
            for action, form_class in forms.STEP_FORMS.items():
                if action == "extend" and investigation.extended_by_days:
                    continue
                if step_form is not None and step_form.action == action:
                    step_forms.append(step_form)
                else:
                    step_forms.append(form_class(investigation=investigation, user=user))
        investigation.open_closures = missing
    correction_open = accident.correction_open
    if correction_form is None and can_edit and correction_open:
        correction_form = forms.CorrectionForm(accident=accident)
    if open_form is None and can_edit and investigation is None:
        open_form = forms.OpenInvestigationForm(accident=accident)
    return {
        "accident": accident,
        "corrections": list(accident.corrections.all()),
        "can_edit": can_edit,
        "correction_open": correction_open,
        "correction_form": correction_form if can_edit else None,
        "investigation": investigation,
        "closures": closures,
        "open_form": open_form if can_edit else None,
        "step_forms": step_forms,
        "bound_action": step_form.action if step_form is not None else "",
    }


@login_required
def accident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    accident = _visible_accident(request, pk)
    return render(request, "accidents/accident_detail.html", detail_context(request, accident))


@login_required
@require_POST
def accident_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A casualty correction posted from the detail page; a refusal re-shows the page with the form as typed."""
    accident = _visible_accident(request, pk)
    form = forms.CorrectionForm(request.POST)
    if form.is_valid():
        # A field left empty keeps its number: only what was typed is a change.
        changes = {name: form.cleaned_data[name] for name in services.MEASURES if form.cleaned_data[name] is not None}
        try:
            correction = services.correct_casualties(
                actor=request.user, accident=accident, reason=form.cleaned_data["reason"], **changes
            )
        except PermissionDenied as error:
            raise PermissionDenied(str(error) or _("You cannot change this accident.")) from error
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The correction was recorded; the accident is now graded %(grade)s.")
                % {"grade": correction.get_grade_after_display()},
            )
            return redirect("accidents:accident_detail", pk=accident.pk)
    accident = _visible_accident(request, pk)
    return render(request, "accidents/accident_detail.html", detail_context(request, accident, correction_form=form))
