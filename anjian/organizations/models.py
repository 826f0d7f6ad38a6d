"""The jurisdiction tree: city → district → safety office, departments, streets, parks, leadership."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from anjian.core.models import TimeStampedModel
from anjian.core.scoping import Scope, ScopedQuerySet, ScopeLevel, scope_of
from anjian.organizations.choices import DISTRICT_UNIT_KINDS, TERRITORIAL_KINDS, DepartmentType, OrgUnitKind
from anjian.organizations.geo import validate_boundary


class Sector(models.Model):
    """A sector (行业领域) of STANDARDS §1; loaded by a data migration."""

    code = models.CharField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Who orders a hazard of the sector rectified (责令限期整改): the rectification notice names this department of
    # the hazard's district (STANDARDS §1 gives the defaults; the city administrator edits them).
    enforcing_department_type = models.CharField(
        _("enforcing department"), max_length=30, choices=DepartmentType.choices, blank=True
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name


class OrgUnitQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope) -> Q:
        """City and district staff see their whole tree; everyone else their own unit."""
        if scope.level is ScopeLevel.CITY:
            return Q(city_id=scope.city_id) | Q(pk=scope.city_id)
        if scope.level is ScopeLevel.DISTRICT:
            return Q(district_id=scope.district_id) | Q(pk=scope.district_id)
        if scope.level is ScopeLevel.DEPARTMENT:
            return Q(pk=scope.org_unit_id)
        if scope.level is ScopeLevel.TERRITORY:
            return Q(pk__in=scope.territory_ids)
        return Q(pk__in=[])

    def visible_to(self, user):
        """Business scope, plus the units whose accounts an administrator manages (三员分立)."""
        scope = scope_of(user)
        q = Q(pk__in=[]) if scope.sees_nothing else self.scope_q(scope)
        if getattr(user, "is_authenticated", False) and getattr(user, "administers_accounts", False):
            q |= self.administered_q(user)
        return self.filter(q)

    def administered_q(self, user) -> Q:
        unit_ids = user.administered_unit_ids()
        return Q() if unit_ids is None else Q(pk__in=unit_ids)

    def manageable_by(self, user):
        """Units whose structure, boundary and population this user may change."""
        if not getattr(user, "is_authenticated", False) or not getattr(user, "can_manage_org_units", False):
            return self.none()
        return self.filter(self.administered_q(user))

    def mandates_editable_by(self, user):
        """Departments whose sector mandates this user may change (the district's safety office)."""
        if not getattr(user, "is_authenticated", False) or not getattr(user, "can_edit_mandates", False):
            return self.none()
        return self.editable_by(user).filter(kind=OrgUnitKind.DEPARTMENT)

    def territorial(self):
        return self.filter(kind__in=TERRITORIAL_KINDS)

    def departments(self):
        return self.filter(kind=OrgUnitKind.DEPARTMENT)


class OrgUnit(TimeStampedModel):
    """A unit of the jurisdiction tree.

    ``city`` and ``district`` are the unit's ancestors at those levels, kept on every row
    so that scoping is one indexed comparison rather than a walk up the tree.
    """

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    code = models.CharField(_("code"), max_length=32, blank=True, help_text=_("Administrative division code."))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    city = models.ForeignKey(
        "self", verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "self", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department_type = models.CharField(_("department type"), max_length=30, choices=DepartmentType.choices, blank=True)
    population = models.PositiveIntegerField(_("resident population"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True, validators=[validate_boundary])
    phone = models.CharField(_("duty phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    sectors = models.ManyToManyField(
        Sector,
        through="SectorMandate",
        verbose_name=_("supervised sectors"),
        related_name="departments",
        blank=True,
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="org_unit_unique_name_in_parent",
                violation_error_message=_("A unit with this name already exists under the same parent."),
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True) | Q(kind__in=[k.value for k in TERRITORIAL_KINDS]),
                name="org_unit_population_only_territorial",
                violation_error_message=_("Only streets and parks have a boundary and a resident population."),
            ),
        ]
        indexes = [models.Index(fields=["district", "kind"], name="org_unit_district_kind_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_territorial(self) -> bool:
        return self.kind in TERRITORIAL_KINDS

    @property
    def is_department(self) -> bool:
        return self.kind == OrgUnitKind.DEPARTMENT

    def clean(self) -> None:
        """The shape of the tree: a city is a root, a district sits in a city, the rest in a district."""
        parent = self.parent
        if self.kind == OrgUnitKind.CITY:
            if parent is not None:
                raise ValidationError({"parent": _("A city has no parent unit.")})
        elif self.kind == OrgUnitKind.DISTRICT:
            if parent is None or parent.kind != OrgUnitKind.CITY:
                raise ValidationError({"parent": _("A district must belong to a city.")})
        elif self.kind in DISTRICT_UNIT_KINDS and (parent is None or parent.kind != OrgUnitKind.DISTRICT):
            raise ValidationError({"parent": _("This kind of unit must belong to a district.")})
        if self.kind != OrgUnitKind.DEPARTMENT and self.department_type:
            raise ValidationError({"department_type": _("Only an industry department has a department type.")})
        if self.kind == OrgUnitKind.DEPARTMENT and not self.department_type:
            raise ValidationError({"department_type": _("Choose the type of the department.")})
        if not self.is_territorial and self.boundary:  # the population is held by a constraint
            raise ValidationError(_("Only streets and parks have a boundary and a resident population."))
        if self.pk and parent is not None and (parent.pk == self.pk or self.pk in parent.ancestor_ids()):
            raise ValidationError({"parent": _("A unit cannot be placed under itself.")})

    def ancestor_ids(self) -> list[int]:
        ids = []
        node = self.parent
        while node is not None:
            ids.append(node.pk)
            node = node.parent
        return ids

    def derive_ancestors(self) -> None:
        """Set ``city`` and ``district`` from the parent (called by the services before saving)."""
        parent = self.parent
        if parent is None:
            self.city = None
            self.district = None
        elif parent.kind == OrgUnitKind.CITY:
            self.city, self.district = parent, None
        elif parent.kind == OrgUnitKind.DISTRICT:
            self.city, self.district = parent.city, parent
        else:
            self.city, self.district = parent.city, parent.district


class SectorMandate(TimeStampedModel):
    """A department's mandate to supervise a sector (管行业必须管安全)."""

    department = models.ForeignKey(
        OrgUnit,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="mandates",
        limit_choices_to={"kind": OrgUnitKind.DEPARTMENT},
    )
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="mandates")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sector mandate")
        verbose_name_plural = _("sector mandates")
        constraints = [
            models.UniqueConstraint(fields=["department", "sector"], name="sector_mandate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.department} → {self.sector}"
