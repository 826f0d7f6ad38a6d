"""Who answers for a place: the supervision gap report (监管盲区), closing gaps, disputes (推诿扯皮)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.core import paging
from anjian.core.forms import apply_validation_error
from anjian.core.permissions import account_may, page_guard
from anjian.core.scoping import get_editable_or_404, get_visible_or_404
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.selectors import districts_visible_to
from anjian.registry import selectors, services
from anjian.registry.choices import DisputeStatus
from anjian.registry.forms_responsibility import (
    AssignDepartmentForm,
    AssignTerritoryForm,
    DecideDisputeForm,
    DisputeForm,
    district_units,
)
from anjian.registry.models import ResponsibilityDispute, Site

GAP_PAGE_SIZE = 50
DISPUTE_PAGE_SIZE = 50
# Units whose officers may dispute a place: the ones the mandates and territories name.
DISPUTING_KINDS = (OrgUnitKind.DEPARTMENT, *TERRITORIAL_KINDS)


def _can_decide(user) -> bool:
    return getattr(user, "can_decide_responsibility", False) and not user.scope.read_only


def _can_dispute(user) -> bool:
    unit = user.org_unit
    return unit is not None and unit.kind in DISPUTING_KINDS and not user.scope.sees_nothing


def _sees_disputes(user) -> bool:
    return getattr(user, "sees_supervision_gaps", False) or _can_dispute(user)


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _form_errors_text(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.extend(f"{label}：{error}" if label else str(error) for error in errors)
    return " ".join(parts)


def _back(request: HttpRequest, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _page(request: HttpRequest, queryset, param: str, size: int):
    return Paginator(queryset, size).get_page(request.GET.get(param))


@login_required
@page_guard(account_may("sees_supervision_gaps"))
def gap_report(request: HttpRequest) -> HttpResponse:
    """监管盲区: place-sectors nobody supervises, places without a street or park, unmandated sectors."""
    districts = list(districts_visible_to(request.user))
    if not districts:
        raise Http404
    chosen = request.GET.get("district", "")
    district = next((d for d in districts if str(d.pk) == chosen), districts[0])
    gaps = selectors.supervision_gaps(request.user, district=district)
    can_decide = _can_decide(request.user)
    units = list(district_units(district.pk)) if can_decide else []
    open_disputes = (
        selectors.disputes_for(request.user).filter(site__district=district, status=DisputeStatus.OPEN).count()
    )
    sector_page = _page(request, gaps["sector_gaps"], "gaps_page", GAP_PAGE_SIZE)
    territory_page = _page(
        request, gaps["without_territory"].select_related("district"), "territory_page", GAP_PAGE_SIZE
    )

    def querystring_without(param: str) -> str:
        query = request.GET.copy()
        query.pop(param, None)
        return (query.urlencode() + "&") if query else ""

    return render(
        request,
        "registry/gap_report.html",
        {
            "districts": districts,
            "district": district,
            "sector_page": sector_page,
            "territory_page": territory_page,
            "unsupervised_sectors": gaps["unsupervised_sectors"],
            "open_disputes": open_disputes,
            "can_decide": can_decide,
            "departments": [u for u in units if u.kind == OrgUnitKind.DEPARTMENT],
            "territories": [u for u in units if u.kind in TERRITORIAL_KINDS],
            "sector_querystring": querystring_without("gaps_page"),
            "territory_querystring": querystring_without("territory_page"),
            "here": request.get_full_path(),
        },
    )


def _assign(request: HttpRequest, pk: int, form_class, apply) -> HttpResponse:
    """Shared by both assignments: safety office only, the place within its write scope."""
    if not _can_decide(request.user):
        raise Http404
    site = get_editable_or_404(Site.objects.select_related("district"), request.user, pk=pk)
    default = f"{reverse('registry:gap_report')}?district={site.district_id}"
    form = form_class(request.POST, site=site)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _form_errors_text(form)})
        return _back(request, default)
    try:
        apply(site, form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _error_text(error)})
    else:
        messages.success(request, _("The gap at “%(site)s” was closed.") % {"site": site.name})
    return _back(request, default)


@login_required
@require_POST
def assign_department(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(site, data):
        services.assign_department(
            actor=request.user,
            site=site,
            sector_code=data["sector"],
            department=data["department"],
            reason=data["reason"],
        )

    return _assign(request, pk, AssignDepartmentForm, apply)


@login_required
@require_POST
def assign_territory(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(site, data):
        services.assign_territory(actor=request.user, site=site, territory=data["territory"], reason=data["reason"])

    return _assign(request, pk, AssignTerritoryForm, apply)


@login_required
def dispute_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A department, street or park says the place is not its responsibility."""
    if not _can_dispute(request.user):
        raise Http404
    site = get_visible_or_404(Site.objects.select_related("district", "territory"), request.user, pk=pk)
    form = DisputeForm(request.POST or None, site=site, own_unit_id=request.user.org_unit_id)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = services.raise_dispute(
                actor=request.user,
                site=site,
                reason=form.cleaned_data["reason"],
                sector_code=form.cleaned_data["sector"] or None,
                proposed_unit=form.cleaned_data["proposed_unit"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The dispute was sent to the safety office."))
            return redirect("registry:dispute_detail", pk=dispute.pk)
    return render(request, "registry/dispute_form.html", {"form": form, "site": site})


@login_required
@page_guard(_sees_disputes)
def dispute_list(request: HttpRequest) -> HttpResponse:
    """Open disputes first, oldest first with their age in days (推诿扯皮 made visible), then decided ones."""
    disputes = selectors.disputes_for(request.user).select_related("site__district", "decided_by")
    now = timezone.now()
    open_rows = [(d, (now - d.created_at).days) for d in disputes.filter(status=DisputeStatus.OPEN)]
    closed_page = _page(
        request, disputes.exclude(status=DisputeStatus.OPEN).order_by("-decided_at", "-id"), "page", DISPUTE_PAGE_SIZE
    )
    return render(
        request,
        "registry/dispute_list.html",
        {
            "open_rows": open_rows,
            "page_obj": closed_page,
            "querystring_without_page": paging.pager_prefix(request),
            "can_decide": _can_decide(request.user),
        },
    )


def _visible_dispute(user, pk: int) -> ResponsibilityDispute:
    if not _sees_disputes(user):
        raise Http404
    dispute = (
        selectors.disputes_for(user).select_related("site__district", "site__territory", "decided_by").filter(pk=pk)
    )
    found = dispute.first()
    if found is None:
        raise Http404
    return found


def _render_detail(request: HttpRequest, dispute: ResponsibilityDispute, form=None, status: int = 200):
    site = dispute.site
    can_decide = (
        dispute.status == DisputeStatus.OPEN
        and _can_decide(request.user)
        and Site.objects.editable_by(request.user).filter(pk=site.pk).exists()
    )
    if can_decide and form is None:
        form = DecideDisputeForm(site=site, initial={"responsible_unit": dispute.proposed_unit_id})
    sectors = site.site_sectors.select_related("sector")
    supervisors = selectors.supervisors_of(site)
    return render(
        request,
        "registry/dispute_detail.html",
        {
            "dispute": dispute,
            "site": site,
            "age": ((dispute.decided_at or timezone.now()) - dispute.created_at).days,
            "supervision": [(row.sector, supervisors.get(row.sector_id, [])) for row in sectors],
            "form": form if can_decide else None,
        },
        status=status,
    )


@login_required
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible_dispute(request.user, pk))


@login_required
@require_POST
def dispute_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The safety office names the responsible unit; the mandates get a recorded exception."""
    if not _can_decide(request.user):
        raise Http404
    dispute = _visible_dispute(request.user, pk)
    if not Site.objects.editable_by(request.user).filter(pk=dispute.site_id).exists():
        raise Http404
    if dispute.status != DisputeStatus.OPEN:
        messages.error(request, _("This dispute is already “%(status)s”.") % {"status": dispute.get_status_display()})
        return redirect("registry:dispute_detail", pk=dispute.pk)
    form = DecideDisputeForm(request.POST, site=dispute.site)
    if form.is_valid():
        try:
            services.decide_dispute(
                actor=request.user,
                dispute=dispute,
                responsible_unit=form.cleaned_data["responsible_unit"],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The dispute was decided."))
            return redirect("registry:dispute_detail", pk=dispute.pk)
    return _render_detail(request, dispute, form=form)
