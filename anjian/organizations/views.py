"""Pages of the jurisdiction tree and the sector mandates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from anjian.core import paging
from anjian.core.forms import apply_validation_error
from anjian.core.permissions import account_may, is_city_admin, page_guard
from anjian.core.scoping import get_visible_or_404
from anjian.organizations import selectors, services
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.filtersets import OrgUnitFilterSet
from anjian.organizations.forms import EnforcingDepartmentForm, MandateForm, OrgUnitForm
from anjian.organizations.geo import centroid
from anjian.organizations.models import OrgUnit, Sector


@login_required
@page_guard(account_may("sees_org_units"))
def unit_list(request: HttpRequest) -> HttpResponse:
    filterset = OrgUnitFilterSet(request.GET or None, queryset=selectors.org_units_for(request.user))
    page = Paginator(filterset.qs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/orgunit_list.html",
        {
            "form": filterset.form,
            "page_obj": page,
            "querystring_without_page": paging.pager_prefix(request),
        },
    )


@login_required
@page_guard(account_may("sees_org_units"))
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(OrgUnit.objects.select_related("parent", "district", "city"), request.user, pk=pk)
    members = unit.members.filter(is_active=True).order_by("username") if request.user.sees_users else None
    children = OrgUnit.objects.visible_to(request.user).filter(parent=unit).order_by("kind", "order", "id")
    return render(
        request,
        "organizations/orgunit_detail.html",
        {
            "unit": unit,
            "children": children,
            "members": members,
            "sectors": unit.sectors.all() if unit.is_department else None,
            "centroid": centroid(unit.boundary) if unit.boundary else None,
            "can_edit": OrgUnit.objects.manageable_by(request.user).filter(pk=unit.pk).exists(),
            "can_edit_mandates": OrgUnit.objects.mandates_editable_by(request.user).filter(pk=unit.pk).exists(),
        },
    )


@login_required
@page_guard(account_may("can_manage_org_units"))
def unit_create(request: HttpRequest) -> HttpResponse:
    parents = OrgUnit.objects.manageable_by(request.user)
    initial = {}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        initial["parent"] = parent_id
    form = OrgUnitForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_org_unit(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("parent", str(error))
        else:
            messages.success(request, _("The unit was created."))
            return redirect("organizations:unit_detail", pk=unit.pk)
    return render(request, "organizations/orgunit_form.html", {"form": form, "creating": True})


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = OrgUnit.objects.manageable_by(request.user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    form = OrgUnitForm(request.POST or None, instance=unit, parents=OrgUnit.objects.manageable_by(request.user))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name != "kind"}
        unit.refresh_from_db()  # the ModelForm wrote onto the instance; the service starts from the stored row
        try:
            services.update_org_unit(actor=request.user, unit=unit, **fields)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The unit was saved."))
            return redirect("organizations:unit_detail", pk=unit.pk)
    return render(request, "organizations/orgunit_form.html", {"form": form, "unit": unit, "creating": False})


@login_required
def mandates_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = OrgUnit.objects.mandates_editable_by(request.user).filter(pk=pk).first()
    if department is None:
        raise Http404
    form = MandateForm(request.POST or None, initial={"sectors": list(department.sectors.all())})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_mandates(
                actor=request.user,
                department=department,
                sector_codes=[sector.code for sector in form.cleaned_data["sectors"]],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("The mandates were saved."))
            return redirect("organizations:unit_detail", pk=department.pk)
    return render(request, "organizations/mandates_form.html", {"form": form, "department": department})


@login_required
@page_guard(account_may("sees_mandates"))
def mandate_matrix(request: HttpRequest) -> HttpResponse:
    """Sector by sector, who supervises it in the district; sectors nobody supervises stand out."""
    districts = list(selectors.districts_visible_to(request.user))
    if not districts:
        raise Http404
    chosen = request.GET.get("district", "")
    district = next((d for d in districts if str(d.pk) == chosen), districts[0])
    rows = selectors.mandate_matrix(district=district)
    enforcing = selectors.enforcing_departments(district_id=district.pk, sector_codes=[row.sector.code for row in rows])
    return render(
        request,
        "organizations/mandate_matrix.html",
        {
            "districts": districts,
            "district": district,
            "rows": [(row, enforcing.get(row.sector.code)) for row in rows],
            "can_edit_sectors": is_city_admin(request.user) and request.user.is_active,
            "gap_count": sum(1 for row in rows if row.is_gap),
            "can_edit": request.user.can_edit_mandates and not request.user.scope.read_only,
            "departments": OrgUnit.objects.mandates_editable_by(request.user)
            .filter(district=district, is_active=True)
            .order_by("order", "id"),
            "kinds": OrgUnitKind,
        },
    )


@login_required
@page_guard(is_city_admin)
def sector_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The city administrator names the enforcing department of a sector (reference data every district shares)."""
    sector = Sector.objects.filter(code=code).first()
    if sector is None:
        raise Http404
    form = EnforcingDepartmentForm(
        request.POST or None, initial={"enforcing_department_type": sector.enforcing_department_type}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_enforcing_department(
                actor=request.user, sector=sector, department_type=form.cleaned_data["enforcing_department_type"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The enforcing department of %(sector)s was saved.") % {"sector": sector})
            return redirect("organizations:mandate_matrix")
    return render(request, "organizations/sector_form.html", {"form": form, "sector": sector})
