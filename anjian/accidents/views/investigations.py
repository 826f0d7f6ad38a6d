"""Pages of the investigations under 四不放过: open one from the accident, extend it once, record the cause,
the accountability actions, the corrective measures (linked to the hazard loop) and the education, mark each
closure done, close it; and the list of open investigations, oldest first, with their deadlines.

Every step is posted from the accident's page and re-shows it on refusal with the form as typed; the
services check scope, role and state.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.accidents import forms, services
from anjian.accidents.models import Investigation, InvestigationStatus
from anjian.accidents.views.records import (
    PAGE_SIZE,
    _visible_accident,
    detail_context,
)
from anjian.core.forms import apply_validation_error
from anjian.core.permissions import business_users_only, require_business

SUCCESS_MESSAGES = {
    "extend": gettext_lazy("The deadline was extended."),
    "cause": gettext_lazy("The cause was recorded."),
    "persons": gettext_lazy("The accountability action was recorded."),
    "measures": gettext_lazy("The corrective measure was recorded."),
    "education": gettext_lazy("The education record was added."),
}


def _accident_page(pk: int) -> str:
    return reverse("accidents:accident_detail", args=[pk]) + "#investigation"


def _refuse(error: PermissionDenied):
    return PermissionDenied(str(error) or _("You cannot change this investigation."))


@login_required
@business_users_only
def investigation_list(request: HttpRequest) -> HttpResponse:
    """Open investigations, oldest accident first, with their age, deadline and days left or overdue."""
    rows = (
        Investigation.objects.visible_to(request.user)
        .filter(status=InvestigationStatus.OPEN)
        .select_related("accident", "accident__territory", "accident__site", "lead_unit")
        .order_by("accident__occurred_at", "id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accidents/investigation_list.html", {"page_obj": page, "querystring_without_page": ""})


@login_required
@require_POST
def investigation_open(request: HttpRequest, pk: int) -> HttpResponse:
    accident = _visible_accident(request, pk)
    form = forms.OpenInvestigationForm(request.POST, accident=accident)
    if form.is_valid():
        try:
            services.open_investigation(actor=request.user, accident=accident, **form.cleaned_data)
        except PermissionDenied as error:
            raise _refuse(error) from error
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The investigation was opened."))
            return redirect(_accident_page(accident.pk))
    return render(request, "accidents/accident_detail.html", detail_context(request, accident, open_form=form))


def _visible_investigation(request: HttpRequest, pk: int) -> Investigation:
    require_business(request.user)
    investigation = Investigation.objects.visible_to(request.user).filter(pk=pk).only("pk", "accident_id").first()
    if investigation is None:
        raise Http404
    return investigation


@login_required
@require_POST
def investigation_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the investigation posted from the accident's page."""
    form_class = forms.STEP_FORMS.get(action)
    if form_class is None:
        raise Http404
    investigation = _visible_investigation(request, pk)
    accident = _visible_accident(request, investigation.accident_id)
    investigation = Investigation.objects.select_related("accident").get(pk=investigation.pk)
    form = form_class(request.POST, investigation=investigation, user=request.user)
    if form.is_valid():
        data = form.service_kwargs()
        try:
            if action == "extend":
                services.extend_investigation(actor=request.user, investigation=investigation, **data)
            elif action == "cause":
                services.record_cause(actor=request.user, investigation=investigation, **data)
            else:
                services.add_evidence(actor=request.user, investigation=investigation, kind=action, **data)
        except PermissionDenied as error:
            raise _refuse(error) from error
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, SUCCESS_MESSAGES[action])
            return redirect(_accident_page(accident.pk))
    return render(request, "accidents/accident_detail.html", detail_context(request, accident, step_form=form))


def _decide(request: HttpRequest, pk: int, run) -> HttpResponse:
    investigation = _visible_investigation(request, pk)
    try:
        message = run(investigation)
    except PermissionDenied as error:
        raise _refuse(error) from error
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(_accident_page(investigation.accident_id))


@login_required
@require_POST
def investigation_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one closure done (its evidence must already show it)."""
    closure = request.POST.get("closure", "")

    def run(investigation):
        services.mark_closure_done(actor=request.user, investigation=investigation, closure=closure)
        return _("Marked done: %(closure)s.") % {"closure": services.CLOSURE_TITLES[closure]}

    return _decide(request, pk, run)


@login_required
@require_POST
def investigation_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the investigation: refused, naming what is open, while any of the four closures is open."""

    def run(investigation):
        services.close_investigation(actor=request.user, investigation=investigation)
        return _("The investigation was closed: all four closures are done.")

    return _decide(request, pk, run)
