"""The platform's users: real name, mobile, org unit, one role (三员分立: one role per account)."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.accounts.choices import ROLE_UNIT_KINDS, SEPARATED_ADMIN_ROLES, Role
from anjian.core.permissions import (
    is_administrator,
    is_audit_admin,
    is_city_admin,
    is_district_leader,
    is_district_office,
    is_enterprise,
    is_security_admin,
    is_system_admin,
)
from anjian.core.scoping import NO_SCOPE, Scope, ScopeLevel, scope_of
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit, SectorMandate

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number."))


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Colleagues in the same scope; the system and security administrators see the accounts they manage."""
        scope = scope_of(user)
        if scope.sees_nothing and not getattr(user, "administers_accounts", False):
            if getattr(user, "is_authenticated", False):
                return self.filter(pk=user.pk)
            return self.none()
        q = Q(pk=user.pk)
        level = scope.level
        if level is ScopeLevel.CITY:
            q |= Q(org_unit__city_id=scope.city_id) | Q(org_unit_id=scope.city_id)
        elif level is ScopeLevel.DISTRICT:
            q |= Q(org_unit__district_id=scope.district_id) | Q(org_unit_id=scope.district_id)
        elif level is ScopeLevel.DEPARTMENT:
            q |= Q(org_unit_id=scope.org_unit_id)
        elif level is ScopeLevel.TERRITORY:
            q |= Q(org_unit_id__in=scope.territory_ids)
        if getattr(user, "administers_accounts", False):
            unit_ids = user.administered_unit_ids()
            q |= Q() if unit_ids is None else Q(org_unit_id__in=unit_ids)
        return self.filter(q)

    def manageable_by(self, user):
        """Accounts the system administrator creates, edits, resets and (de)activates."""
        if not getattr(user, "is_authenticated", False) or not is_system_admin(user):
            return self.none()
        unit_ids = user.administered_unit_ids()
        qs = self.all() if unit_ids is None else self.filter(org_unit_id__in=unit_ids)
        # 三员分立: the system administrator cannot reset, disable or edit any of the three administrators.
        return qs.exclude(role__in=list(SEPARATED_ADMIN_ROLES)).exclude(pk=user.pk)

    def roles_assignable_by(self, user):
        """Accounts whose role the security administrator sets — never their own."""
        if not getattr(user, "is_authenticated", False) or not is_security_admin(user):
            return self.none()
        unit_ids = user.administered_unit_ids()
        qs = self.all() if unit_ids is None else self.filter(org_unit_id__in=unit_ids)
        return qs.exclude(pk=user.pk)


class AnjianUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person using the platform. The role decides what they do, the org unit where."""

    real_name = models.CharField(_("real name"), max_length=50)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, validators=[mobile_validator])
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    title = models.CharField(_("position"), max_length=50, blank=True)
    must_change_password = models.BooleanField(_("must change password at next login"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # 行政执法证: an enforcement inspection needs two officers holding a valid one.
    enforcement_certificate = models.CharField(_("law-enforcement certificate number"), max_length=40, blank=True)
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True, blank=True)

    objects = AnjianUserManager()

    class Meta:
        ordering = ["org_unit_id", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return f"{self.real_name}（{self.username}）" if self.real_name else self.username

    def clean(self) -> None:
        super().clean()
        if self.role and self.org_unit_id:
            allowed = ROLE_UNIT_KINDS.get(self.role, ())
            if self.org_unit.kind not in allowed:
                raise ValidationError(
                    {
                        "org_unit": _("A %(role)s must belong to a unit of kind: %(kinds)s.")
                        % {
                            "role": self.get_role_display(),
                            "kinds": "、".join(str(OrgUnitKind(k).label) for k in allowed),
                        }
                    }
                )
        if self.role and not self.org_unit_id and not is_administrator(self):
            raise ValidationError({"org_unit": _("An account with a role must belong to an org unit.")})

    # --- scope ---------------------------------------------------------------------
    @cached_property
    def scope(self) -> Scope:
        """The business data this user may see (DESIGN.md); cached for the request."""
        return self._compute_scope()

    @classmethod
    def prime_scopes(cls, users) -> None:
        """Compute the scope of many users at once (a batch of notifications checks who may see what): the
        mandates of all their departments in one query instead of one query per department user. Each user's
        scope is the one ``scope`` would compute; users whose scope is already cached are left alone."""
        users = [user for user in users if "scope" not in user.__dict__]
        departments = {
            user.org_unit_id for user in users if user.org_unit_id and user.org_unit.kind == OrgUnitKind.DEPARTMENT
        }
        mandates: dict[int, set[str]] = {pk: set() for pk in departments}
        for department_id, sector_id in SectorMandate.objects.filter(department_id__in=departments).values_list(
            "department_id", "sector_id"
        ):
            mandates[department_id].add(sector_id)
        for user in users:
            codes = mandates.get(user.org_unit_id)
            user.__dict__["scope"] = user._compute_scope(None if codes is None else frozenset(codes))

    def _compute_scope(self, sector_codes: frozenset[str] | None = None) -> Scope:
        """``sector_codes``: the mandates of the user's department when already known (else read here)."""
        unit = self.org_unit
        if not self.is_active or unit is None or not self.role or is_administrator(self):
            return NO_SCOPE
        common = {"user_id": self.pk, "org_unit_id": unit.pk, "city_id": unit.city_id or unit.pk}
        district_id = unit.pk if unit.kind == OrgUnitKind.DISTRICT else unit.district_id
        if is_city_admin(self):
            return Scope(level=ScopeLevel.CITY, **common)
        if is_district_office(self) or is_district_leader(self):
            return Scope(
                level=ScopeLevel.DISTRICT,
                district_id=district_id,
                read_only=is_district_leader(self),
                **common,
            )
        if is_enterprise(self):
            return Scope(level=ScopeLevel.ENTERPRISE, district_id=district_id, **common)
        # Department officers and street officers; inspectors take the scope of their unit.
        if unit.kind == OrgUnitKind.DEPARTMENT:
            codes = sector_codes
            if codes is None:
                mandates = SectorMandate.objects.filter(department_id=unit.pk)
                codes = frozenset(mandates.values_list("sector_id", flat=True))
            return Scope(level=ScopeLevel.DEPARTMENT, district_id=district_id, sector_codes=codes, **common)
        if unit.kind in (OrgUnitKind.STREET, OrgUnitKind.PARK):
            return Scope(
                level=ScopeLevel.TERRITORY,
                district_id=district_id,
                territory_ids=frozenset({unit.pk}),
                **common,
            )
        if unit.kind == OrgUnitKind.SAFETY_OFFICE:
            return Scope(level=ScopeLevel.DISTRICT, district_id=district_id, **common)
        return NO_SCOPE

    # --- administration (三员分立) -------------------------------------------------
    @property
    def administers_units(self) -> bool:
        return self.is_active and is_administrator(self)

    @property
    def administers_accounts(self) -> bool:
        """The system and security administrators see the accounts and units they administer."""
        return self.is_active and (is_system_admin(self) or is_security_admin(self))

    def administered_unit_ids(self) -> set[int] | None:
        """The units under this administrator (None: the whole platform, for one without a unit)."""
        if not self.administers_units and not is_city_admin(self):
            return set()
        unit = self.org_unit
        if unit is None:
            return None
        if unit.kind == OrgUnitKind.CITY:
            return set(OrgUnit.objects.filter(Q(city_id=unit.pk) | Q(pk=unit.pk)).values_list("pk", flat=True))
        if unit.kind == OrgUnitKind.DISTRICT:
            return set(OrgUnit.objects.filter(Q(district_id=unit.pk) | Q(pk=unit.pk)).values_list("pk", flat=True))
        return {unit.pk}

    @property
    def audits_unattributed_entries(self) -> bool:
        """The audit administrator of a city (or of the platform) also reads entries that name no unit."""
        return self.can_read_audit and (self.org_unit is None or self.org_unit.kind == OrgUnitKind.CITY)

    def holds_enforcement_certificate(self, on_date) -> bool:
        """A law-enforcement certificate number, not expired on the given date."""
        return bool(self.enforcement_certificate) and (
            self.certificate_valid_until is None or self.certificate_valid_until >= on_date
        )

    @property
    def can_manage_accounts(self) -> bool:
        return self.is_active and is_system_admin(self)

    @property
    def can_assign_roles(self) -> bool:
        return self.is_active and is_security_admin(self)

    @property
    def can_read_audit(self) -> bool:
        return self.is_active and is_audit_admin(self)

    @property
    def can_manage_org_units(self) -> bool:
        return self.is_active and (is_system_admin(self) or is_city_admin(self))

    @property
    def can_edit_mandates(self) -> bool:
        return self.is_active and (is_district_office(self) or is_city_admin(self))

    @property
    def sees_org_units(self) -> bool:
        return self.is_active and bool(self.role) and not (is_enterprise(self) or is_audit_admin(self))

    @property
    def sees_mandates(self) -> bool:
        return self.is_active and (is_city_admin(self) or is_district_office(self) or is_district_leader(self))

    @property
    def sees_supervision_gaps(self) -> bool:
        """The supervision gap report and the disputes (监管盲区、推诿扯皮) are the safety office's desk."""
        return self.is_active and (is_city_admin(self) or is_district_office(self) or is_district_leader(self))

    @property
    def can_decide_responsibility(self) -> bool:
        return self.is_active and (is_district_office(self) or is_city_admin(self))

    @property
    def sees_users(self) -> bool:
        return self.is_active and (
            is_system_admin(self)
            or is_security_admin(self)
            or is_city_admin(self)
            or is_district_office(self)
            or is_district_leader(self)
        )


class PasswordHistoryEntry(models.Model):
    """A password the account had before, as its hash (never the password itself).

    等保2.0 password management: the current password and the ``PASSWORD_HISTORY_COUNT``
    before it cannot be chosen again (``validators.PasswordHistoryValidator``). Written
    only by ``services.set_password``, which keeps the newest entries and deletes older ones.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("password hash"), max_length=128)
    replaced_at = models.DateTimeField(_("replaced at"))

    class Meta:
        ordering = ["user_id", "-replaced_at", "-id"]
        indexes = [models.Index(fields=["user", "-replaced_at", "-id"], name="accounts_pwhist_user_recent")]
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.replaced_at:%Y-%m-%d %H:%M}"
