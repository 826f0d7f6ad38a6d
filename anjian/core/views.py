"""The audit log pages (read by the audit administrator only), the user's notifications, the health check and the
browser's Content-Security-Policy reports."""

from __future__ import annotations

import json
import logging
from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from anjian.core import audit, notifications, paging
from anjian.core.forms import StyledFormMixin
from anjian.core.models import AuditEntry, Notification
from anjian.core.permissions import account_may, page_guard


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
@page_guard(account_may("can_read_audit"))
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        entries = AuditEntry.objects.none()  # a contradictory filter matches nothing, never everything
    else:
        entries = _filtered_entries(request.user, form.cleaned_data if form.is_bound else {})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
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
            "querystring_without_page": paging.pager_prefix(request),
        },
    )


@login_required
@page_guard(account_may("can_read_audit"))
def audit_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = AuditEntry.objects.visible_to(request.user).filter(seq=seq).first()
    if entry is None:
        raise Http404
    return render(
        request,
        "core/audit_detail.html",
        {"entry": entry, "hash_ok": audit.signature_ok(entry)},
    )


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications, newest first, unread ones highlighted; ``?unread=true`` keeps the unread."""
    filterset = notifications.NotificationFilterSet(
        request.GET or None, queryset=notifications.notifications_for(request.user)
    )
    page = Paginator(filterset.qs, 30).get_page(request.GET.get("page"))
    unread_only = filterset.is_bound and filterset.form.cleaned_data.get("unread") is True
    return render(
        request,
        "core/notification_list.html",
        {
            "page_obj": page,
            "unread_only": unread_only,
            "querystring_without_page": paging.pager_prefix(request),
        },
    )


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    """Mark one notification read and follow its link; another user's notification is a plain 404."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    notifications.mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    # Only a path inside the platform is followed: a stored "https://evil.example/" must not become an open redirect.
    hosts = {request.get_host()}
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure())
    if target and notifications.is_internal_path(target) and safe:
        return HttpResponseRedirect(target)
    return redirect("core:notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponseRedirect:
    """Mark every unread notification of the user read (POST: it changes state)."""
    if notifications.mark_read(user=request.user):
        messages.success(request, _("All notifications are marked read."))
    return redirect("core:notification_list")


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


csp_logger = logging.getLogger("anjian.security.csp")
CSP_REPORT_MAX_BYTES = 16 * 1024
CSP_REPORT_FIELDS = ("document-uri", "violated-directive", "effective-directive", "blocked-uri", "source-file")


@csrf_exempt  # browsers send reports without the page's CSRF token
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """A browser reports a resource the Content-Security-Policy refused: an injected script, or a page of the
    platform that breaks its own policy. Logged (a few named fields, each cut short, never stored), so an
    operator sees attempts and mistakes; any visitor may post, so nothing else is done with it."""
    body = request.body
    if len(body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        report = json.loads(body or b"{}").get("csp-report", {})
    except (ValueError, AttributeError, RecursionError):  # not JSON, not an object, or nested to exhaust the stack
        return HttpResponse(status=400)
    if not isinstance(report, dict):
        return HttpResponse(status=400)
    fields = {name: str(report.get(name, ""))[:200] for name in CSP_REPORT_FIELDS}
    csp_logger.warning("content security policy violation %s", json.dumps(fields, ensure_ascii=False))
    return HttpResponse(status=204)
