"""Supervised places (监管对象台账): enterprises, their places, sectors, typed facts, responsibility."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import mobile_validator
from anjian.core.models import TimeStampedModel
from anjian.core.scoping import Scope, ScopedQuerySet, ScopeLevel, ScopePaths, scope_of
from anjian.organizations import geo
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry import standards
from anjian.registry.choices import ChemicalUnitKind, DisputeStatus, OverrideEffect, RiskLevel, SiteStatus
from anjian.registry.validators import validate_cas_number, validate_credit_code


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An enterprise is seen by whoever sees one of its places, and by its own accounts.

        Its record names people (legal representative, principal and mobile), so it is no more public than
        its places: a district does not read the enterprises supervised only by another district, a street
        those only of other streets. One rule for the pages, the API, the imports and linking a place to an
        enterprise by its credit code (:func:`anjian.registry.services.upsert_enterprise`).
        """
        scope = scope_of(user)
        if scope.sees_nothing:
            return self.none()
        places = Site.objects.for_scope(scope).filter(enterprise_id=OuterRef("pk"))
        q = Q(Exists(places))
        if scope.level is ScopeLevel.ENTERPRISE:
            own = Enterprise.accounts.through.objects.filter(enterprise_id=OuterRef("pk"), user_id=scope.user_id)
            q |= Q(Exists(own))
        return self.filter(q)


class Enterprise(TimeStampedModel):
    """The business that bears primary responsibility (主体责任), identified by its credit code.

    The credit code is national, so an enterprise with places in several districts is one row; who reads it
    follows its places (:meth:`EnterpriseQuerySet.visible_to`).
    """

    name = models.CharField(_("legal name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    principal = models.CharField(_("principal responsible person"), max_length=50, blank=True)
    principal_mobile = models.CharField(
        _("principal's mobile"), max_length=11, blank=True, validators=[mobile_validator]
    )
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("enterprise accounts"), related_name="enterprises", blank=True
    )

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class SiteQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(
        city="district__city_id",
        district="district_id",
        territory="territory_id",
        enterprise_user="enterprise__accounts",
        multivalued=True,
    )

    def scope_q(self, scope: Scope) -> Q:
        if scope.level is ScopeLevel.DEPARTMENT:
            return Q(district_id=scope.district_id) & supervised_by_q(scope.org_unit_id, scope.sector_codes)
        return super().scope_q(scope)

    def supervised_by(self, department: OrgUnit, sector_codes=None):
        """Places a department answers for: its mandated sectors, less exclusions, plus assignments."""
        if sector_codes is None:
            sector_codes = list(department.mandates.values_list("sector_id", flat=True))
        return self.filter(Q(district_id=department.district_id) & supervised_by_q(department.pk, sector_codes))


def supervised_by_q(department_id: int, sector_codes) -> Q:
    """管行业必须管安全: a mandated sector of the place not excluded for this department, or an assignment."""
    excluded = SupervisionOverride.objects.filter(
        site_id=OuterRef("site_id"),
        sector_id=OuterRef("sector_id"),
        department_id=department_id,
        effect=OverrideEffect.EXCLUDE,
    )
    mandated = (
        SiteSector.objects.filter(site_id=OuterRef("pk"), sector_id__in=list(sector_codes))
        .annotate(excluded=Exists(excluded))
        .filter(excluded=False)
    )
    assigned = SupervisionOverride.objects.filter(
        site_id=OuterRef("pk"), department_id=department_id, effect=OverrideEffect.ASSIGN
    )
    return Q(Exists(mandated)) | Q(Exists(assigned))


# The same words from the form, the API and the import; they name nothing of the other place.
EXTERNAL_ID_TAKEN = _("Another place of the district's ledger already has this external id.")


class Site(TimeStampedModel):
    """A supervised place: premises, a building, a road section, a large event (监管对象)."""

    name = models.CharField(_("name"), max_length=200)
    # The number of the place in the district's ledger: unique within its district only, so that no district
    # learns from a refusal which numbers another district uses.
    external_id = models.CharField(_("external id"), max_length=64, null=True, blank=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), null=True, blank=True, on_delete=models.PROTECT, related_name="sites"
    )
    district = models.ForeignKey(
        OrgUnit, verbose_name=_("district"), on_delete=models.PROTECT, related_name="district_sites"
    )
    territory = models.ForeignKey(
        OrgUnit,
        verbose_name=_("street or park"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="territory_sites",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    sectors = models.ManyToManyField(Sector, through="SiteSector", verbose_name=_("sectors"), related_name="sites")
    status = models.CharField(_("status"), max_length=20, choices=SiteStatus.choices, default=SiteStatus.OPERATING)
    # Written by the risk module (DESIGN.md): the current colour and its one-line reason.
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, blank=True)
    risk_reason = models.CharField(_("risk explanation"), max_length=300, blank=True)

    # Building facts (crowded places, high-rise, three-in-one, self-built houses…).
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    floors = models.PositiveSmallIntegerField(
        _("floors above ground"), null=True, blank=True, validators=[MaxValueValidator(200)]
    )
    building_height = models.DecimalField(
        _("building height (m)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    design_occupancy = models.PositiveIntegerField(_("design occupancy (persons)"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    year_built = models.PositiveSmallIntegerField(
        _("year built"), null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    structure_type = models.CharField(_("structure type"), max_length=20, choices=standards.STRUCTURE_TYPES, blank=True)
    business_use = models.CharField(
        _("business use of the house"), max_length=20, choices=standards.BUSINESS_USES, blank=True
    )
    # Construction projects.
    construction_permit = models.CharField(_("construction permit number"), max_length=60, blank=True)
    construction_area = models.DecimalField(
        _("construction area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    high_risk_workers = models.PositiveIntegerField(_("workers in high-risk operations"), null=True, blank=True)
    # Temporary fireworks retail points.
    fireworks_permit = models.CharField(_("fireworks retail permit number"), max_length=60, blank=True)
    permit_valid_from = models.DateField(_("permit valid from"), null=True, blank=True)
    permit_valid_to = models.DateField(_("permit valid to"), null=True, blank=True)
    # Large events.
    event_date = models.DateField(_("event date"), null=True, blank=True)
    event_venue = models.CharField(_("event venue"), max_length=200, blank=True)
    expected_attendance = models.PositiveIntegerField(_("expected attendance"), null=True, blank=True)
    # Road sections.
    road_name = models.CharField(_("road name"), max_length=100, blank=True)
    km_from = models.DecimalField(_("from km"), max_digits=8, decimal_places=3, null=True, blank=True)
    km_to = models.DecimalField(_("to km"), max_digits=8, decimal_places=3, null=True, blank=True)
    danger_type = models.CharField(_("danger type"), max_length=20, choices=standards.ROAD_DANGER_TYPES, blank=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("supervised place")
        verbose_name_plural = _("supervised places")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "external_id"],
                name="site_external_id_unique_in_district",
                violation_error_message=EXTERNAL_ID_TAKEN,
            )
        ]
        indexes = [
            models.Index(fields=["district", "status"], name="site_district_status_idx"),
            models.Index(fields=["territory"], name="site_territory_idx"),
            models.Index(fields=["name"], name="site_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.territory_id and self.territory.district_id != self.district_id:
            errors["territory"] = _("The street or park must belong to the place's district.")
        if (self.longitude is None) != (self.latitude is None):
            errors["latitude"] = _("Give both longitude and latitude, or neither.")
        elif (
            self.longitude is not None
            and self.territory_id
            and self.territory.boundary
            # The same point test as the imports apply to every row.
            and not geo.contains(self.territory.boundary, self.longitude, self.latitude)
        ):
            errors["longitude"] = _("The point lies outside the boundary of %(unit)s.") % {"unit": self.territory.name}
        if self.km_from is not None and self.km_to is not None and self.km_to < self.km_from:
            errors["km_to"] = _("The end kilometre must not be before the start.")
        if self.permit_valid_from and self.permit_valid_to and self.permit_valid_to < self.permit_valid_from:
            errors["permit_valid_to"] = _("The permit cannot expire before it starts.")
        if errors:
            raise ValidationError(errors)


class SiteSector(models.Model):
    """A sector of a place, with its subtype where the sector has them."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="site_sectors")
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="site_sectors")
    subtype = models.CharField(_("subtype"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("sector of a place")
        constraints = [models.UniqueConstraint(fields=["site", "sector"], name="site_sector_unique")]
        indexes = [models.Index(fields=["sector", "site"], name="site_sector_sector_idx")]

    def __str__(self) -> str:
        return f"{self.sector_id}/{self.subtype}" if self.subtype else self.sector_id

    @property
    def subtype_label(self) -> str:
        return standards.subtype_label(self.sector_id, self.subtype)

    def clean(self) -> None:
        allowed = [code for code, _label in standards.SUBTYPES.get(self.sector_id, [])]
        if self.subtype and self.subtype not in allowed:
            raise ValidationError({"subtype": _("This sector has no subtype “%(s)s”.") % {"s": self.subtype}})


class SiteStatusChange(models.Model):
    """The history of a place's status (operating → suspended → closed…)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=SiteStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=SiteStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status change")

    def __str__(self) -> str:
        return f"{self.site_id}: {self.from_status} → {self.to_status}"


class ChemicalUnit(models.Model):
    """A production or storage unit of a hazardous-chemicals place (GB 18218 identifies per unit)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="chemical_units")
    name = models.CharField(_("unit name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ChemicalUnitKind.choices)
    # GB 18218-2018 §4.2.2: α of the installation's level depends on the people normally present within 500 m
    # of its boundary; unknown until recorded.
    people_within_500m = models.PositiveIntegerField(_("people within 500 m"), null=True, blank=True)

    class Meta:
        verbose_name = _("chemical unit")
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="chemical_unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class ChemicalInventory(models.Model):
    """One substance held in a unit, with its maximum quantity in tonnes."""

    unit = models.ForeignKey(ChemicalUnit, on_delete=models.CASCADE, related_name="inventory")
    substance = models.CharField(_("substance"), max_length=100)
    cas_number = models.CharField(_("CAS number"), max_length=12, blank=True, validators=[validate_cas_number])
    max_quantity_t = models.DecimalField(
        _("maximum quantity (t)"), max_digits=12, decimal_places=3, validators=[MinValueValidator(0)]
    )
    # GB 18218-2018 Table 2 hazard category (J1…J5, W1.1…W11) for a substance not named in Table 1.
    hazard_category = models.CharField(_("hazard category (GB 18218)"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("chemical inventory")

    def __str__(self) -> str:
        return f"{self.substance} {self.max_quantity_t} t"


class SupervisionOverride(models.Model):
    """A recorded exception to the mandates (a gap closed by the safety office, a decided dispute)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="overrides")
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("department"), on_delete=models.PROTECT, related_name="supervision_overrides"
    )
    effect = models.CharField(_("effect"), max_length=10, choices=OverrideEffect.choices)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision override")
        constraints = [
            models.UniqueConstraint(fields=["site", "sector", "department"], name="supervision_override_unique")
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.sector_id} {self.department_id} {self.effect}"


class ResponsibilityDispute(TimeStampedModel):
    """A unit says a place is not its responsibility (推诿扯皮 made visible); the safety office decides."""

    site = models.ForeignKey(Site, verbose_name=_("place"), on_delete=models.CASCADE, related_name="disputes")
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_by_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("raised by unit"), on_delete=models.PROTECT, related_name="raised_disputes"
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"))
    proposed_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit it should be"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposed_disputes",
    )
    status = models.CharField(_("status"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    responsible_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("decided responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_disputes",
    )
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("responsibility dispute")
        verbose_name_plural = _("responsibility disputes")

    def __str__(self) -> str:
        return f"{self.site} ({self.raised_by_unit})"
