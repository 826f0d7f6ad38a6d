"""The audit log pages (read by the audit administrator only) and the health check."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.forms import StyledFormMixin
from anjian.core.models import AuditEntry


class AuditFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Actor, object or request id"), required=False)
    action = forms.CharField(label=_("Action"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


def _filtered_entries(user, data: dict):
    entries = AuditEntry.objects.visible_to(user)
    if data.get("q"):
        q = data["q"]
        entries = entries.filter(
            Q(actor_name__icontains=q) | Q(object_repr__icontains=q) | Q(request_id=q) | Q(object_id=q)
        )
    if data.get("action"):
        entries = entries.filter(action__icontains=data["action"])
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        entries = entries.filter(created_at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
    if data.get("date_to"):
        entries = entries.filter(created_at__lte=datetime.combine(data["date_to"], time.max, tzinfo=tz))
    return entries.order_by("-seq")


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "can_read_audit", False):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        entries = AuditEntry.objects.none()  # a contradictory filter matches nothing, never everything
    else:
        entries = _filtered_entries(request.user, form.cleaned_data if form.is_bound else {})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    report = None
    if request.GET.get("verify") == "1":
        report = audit.verify_chain()
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page_obj": page,
            "report": report,
            "querystring_without_page": (query.urlencode() + "&") if query else "",
        },
    )


@login_required
def audit_detail(request: HttpRequest, seq: int) -> HttpResponse:
    if not getattr(request.user, "can_read_audit", False):
        raise Http404
    entry = AuditEntry.objects.visible_to(request.user).filter(seq=seq).first()
    if entry is None:
        raise Http404
    return render(
        request,
        "core/audit_detail.html",
        {"entry": entry, "hash_ok": audit.compute_hash(entry) == entry.hash},
    )


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
