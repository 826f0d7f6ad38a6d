"""Login, own account, and account administration pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from anjian.accounts import selectors, services
from anjian.accounts.filtersets import UserFilterSet
from anjian.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    RoleForm,
    UserCreateForm,
    UserProfileForm,
)
from anjian.accounts.models import User
from anjian.core import paging
from anjian.core.forms import apply_validation_error
from anjian.core.permissions import account_may, page_guard
from anjian.core.scoping import get_visible_or_404
from anjian.organizations.models import OrgUnit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _manageable_units(user):
    unit_ids = user.administered_unit_ids()
    units = (
        OrgUnit.objects.select_related("district")
        .filter(is_active=True)
        .order_by("city_id", "district_id", "kind", "order", "id")
    )
    return units if unit_ids is None else units.filter(pk__in=unit_ids)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = ""
            return redirect(target or "dashboards:home")
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache  # it may show a newly issued API token once: no browser or proxy may keep a copy
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    token = selectors.api_token_of(request.user)
    new_key = request.session.pop("new_api_token", None)
    return render(request, "accounts/profile.html", {"token": token, "new_key": new_key})


@login_required
@require_POST
def token_issue(request: HttpRequest) -> HttpResponse:
    token = services.issue_api_token(user=request.user)
    # Shown once, on the next page, then only its prefix.
    request.session["new_api_token"] = token.key
    messages.success(request, _("A new API token was issued; the previous one no longer works."))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    services.revoke_api_token(user=request.user)
    messages.success(request, _("Your API token was revoked."))
    return redirect("accounts:profile")


@login_required
@page_guard(account_may("sees_users"))
def user_list(request: HttpRequest) -> HttpResponse:
    filterset = UserFilterSet(request.GET or None, queryset=selectors.users_for(request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    locked = selectors.locked_usernames([u.username for u in page.object_list])
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": filterset.form,
            "page_obj": page,
            "locked": locked,
            "querystring_without_page": paging.pager_prefix(request),
        },
    )


@login_required
@page_guard(account_may("sees_users"))
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_visible_or_404(User.objects.select_related("org_unit", "org_unit__district"), request.user, pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "can_manage": User.objects.manageable_by(request.user).filter(pk=target.pk).exists()
            and target.pk != request.user.pk,
            "can_assign_role": User.objects.roles_assignable_by(request.user).filter(pk=target.pk).exists(),
            "is_locked": bool(selectors.locked_usernames([target.username])),
            "role_form": RoleForm(initial={"role": target.role}),
        },
    )


@login_required
@page_guard(account_may("can_manage_accounts"))
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, units=_manageable_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.create_user(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return _show_once(request, user, password, reset=False)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


def _show_once(request, user: User, password: str, *, reset: bool) -> HttpResponse:
    """Post/redirect/get: the one-time password is kept in the session for exactly one display."""
    request.session["one_time_password"] = {"user": user.pk, "password": password, "reset": reset}
    return redirect("accounts:one_time_password")


@login_required
@never_cache
def one_time_password(request: HttpRequest) -> HttpResponse:
    shown = request.session.pop("one_time_password", None)
    if not shown:
        return redirect("accounts:user_list")
    target = User.objects.manageable_by(request.user).filter(pk=shown["user"]).first()
    if target is None:
        raise Http404
    return render(
        request,
        "accounts/user_created.html",
        {"target": target, "password": shown["password"], "reset": shown["reset"]},
    )


def _managed_or_404(request, pk: int) -> User:
    target = User.objects.manageable_by(request.user).filter(pk=pk).first()
    if target is None:
        raise Http404
    return target


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _managed_or_404(request, pk)
    form = UserProfileForm(request.POST or None, instance=target, units=_manageable_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                actor=request.user,
                user=target,
                **{f: form.cleaned_data[f] for f in UserProfileForm.Meta.fields},
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The account was saved."))
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_form.html", {"form": form, "target": target, "creating": False})


@login_required
@require_POST
def user_assign_role(request: HttpRequest, pk: int) -> HttpResponse:
    target = User.objects.roles_assignable_by(request.user).filter(pk=pk).first()
    if target is None:
        raise Http404
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.assign_role(actor=request.user, user=target, role=form.cleaned_data["role"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The role was saved."))
    else:
        messages.error(request, _("Choose a valid role."))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = _managed_or_404(request, pk)
    try:
        password = services.reset_password(actor=request.user, user=target)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("accounts:user_detail", pk=target.pk)
    return _show_once(request, target, password, reset=True)


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    target = _managed_or_404(request, pk)
    services.unlock(actor=request.user, user=target)
    messages.success(request, _("The account was unlocked."))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = _managed_or_404(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(actor=request.user, user=target, active=active)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The account was enabled.") if active else _("The account was disabled."))
    return redirect("accounts:user_detail", pk=target.pk)
