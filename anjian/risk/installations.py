"""Identification and grading of major hazard installations (GB 18218-2018, STANDARDS §3).

Three parts, in this order:

* pure computation — ``Catalogue.match`` finds a line's catalogue entry (by CAS number first, then by name or
  alias), ``evaluate_unit`` computes S = Σ q/Q, α, R = α·Σ β·q/Q and the level of one unit, exactly (fractions;
  no rounding before the comparisons with 1 and with the level bands);
* services — ``identify_sites`` (re)writes the ``MajorHazardSource`` rows of given places (or of all of them,
  nightly), ``update_substance`` corrects a catalogue entry with its audit record;
* selectors — the scoped register, a unit's identification, a place's units, the map's points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core import audit, xlsx
from anjian.core.filters import BooleanFilter, StyledFilterSet
from anjian.core.scoping import REFERENCE_DATA_REFUSAL, edits_city_reference_data
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.models import OrgUnit
from anjian.registry.models import ChemicalInventory, ChemicalUnit, Enterprise, Site
from anjian.risk import substances
from anjian.risk.models import HazardousSubstance, MajorHazardLevel, MajorHazardSource

FOUR_PLACES = Decimal("0.0001")


def to_decimal(value: Fraction, places: Decimal = FOUR_PLACES) -> Decimal:
    """An exact fraction rounded half-up for storage and display (comparisons use the fraction itself)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP)


# --- pure computation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A catalogue entry as the computation needs it (no database access)."""

    pk: int | None
    name: str
    q: Decimal
    cas: str = ""
    aliases: tuple[str, ...] = ()
    category: str = ""
    beta: Decimal | None = None
    in_table1: bool = True


class Catalogue:
    """The catalogue indexed by CAS number and by normalised name and alias."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries = list(entries)
        self.by_cas: dict[str, list[Entry]] = {}
        self.by_name: dict[str, Entry] = {}
        for entry in self.entries:
            if entry.cas:
                self.by_cas.setdefault(entry.cas.strip(), []).append(entry)
            for name in (entry.name, *entry.aliases):
                # The entry's own name wins over another entry's alias of the same spelling.
                key = substances.normalise_name(name)
                if key and (key not in self.by_name or name == entry.name):
                    self.by_name[key] = entry

    @classmethod
    def load(cls) -> Catalogue:
        """The catalogue as stored (one query)."""
        return cls(entry_of(row) for row in HazardousSubstance.objects.all())

    @classmethod
    def from_standard(cls) -> Catalogue:
        """The catalogue as the standard gives it (``substances.TABLE1``), without the database."""
        return cls(
            Entry(None, e.name, e.q, e.cas, tuple(substances.split_aliases(e.aliases)), "", e.beta, True)
            for e in substances.TABLE1
        )

    def match(self, substance: str, cas_number: str = "") -> tuple[Entry | None, str]:
        """The entry of a line and how it was found ("cas", "cas_ambiguous", "name" or "")."""
        key = substances.normalise_name(substance)
        candidates = self.by_cas.get((cas_number or "").strip(), [])
        if len(candidates) == 1:
            return candidates[0], "cas"
        if candidates:
            named = [c for c in candidates if self.by_name.get(key) is c]
            if named:
                return named[0], "cas"
            # Two grades share one CAS number (硝酸铵): without the grade, the smaller Q is the safe reading.
            return min(candidates, key=lambda c: (c.q, c.name)), "cas_ambiguous"
        entry = self.by_name.get(key)
        return (entry, "name") if entry else (None, "")


def entry_of(row: HazardousSubstance) -> Entry:
    return Entry(
        pk=row.pk,
        name=row.name,
        q=row.critical_quantity_t,
        cas=row.cas_number,
        aliases=tuple(substances.split_aliases(row.aliases)),
        category=row.hazard_category,
        beta=row.beta,
        in_table1=row.in_table1,
    )


@dataclass(frozen=True)
class Line:
    """One inventory line as input: substance, CAS number, GB 18218 category, maximum quantity q in tonnes."""

    substance: str
    q: Decimal
    cas_number: str = ""
    hazard_category: str = ""


class Basis:
    """How a line's Q was found (shown on the identification page and in the API)."""

    TABLE1 = "table1"
    CATALOGUE = "catalogue"
    CATEGORY = "category"
    NONE = "none"


BASIS_LABELS = {
    Basis.TABLE1: gettext_lazy("Table 1 (named substance)"),
    Basis.CATALOGUE: gettext_lazy("Catalogue entry"),
    Basis.CATEGORY: gettext_lazy("Table 2 (hazard category)"),
    Basis.NONE: gettext_lazy("Not identifiable"),
}


@dataclass
class LineResult:
    line: Line
    basis: str
    entry: Entry | None = None
    category: str = ""
    critical_q: Decimal | None = None
    ratio: Fraction = Fraction(0)
    beta: Decimal | None = None
    beta_assumed: bool = False
    weighted: Fraction = Fraction(0)
    notes: list[str] = field(default_factory=list)

    @property
    def identifiable(self) -> bool:
        return self.basis != Basis.NONE

    @property
    def basis_label(self) -> str:
        return str(BASIS_LABELS[self.basis])

    @property
    def ratio_decimal(self) -> Decimal:
        return to_decimal(self.ratio)

    @property
    def weighted_decimal(self) -> Decimal:
        return to_decimal(self.weighted)


@dataclass
class UnitResult:
    """S, α, R and level of one unit, with every line's working."""

    lines: list[LineResult]
    s_exact: Fraction
    alpha: Decimal
    alpha_assumed: bool
    people: int | None
    r_exact: Fraction

    @property
    def is_major(self) -> bool:
        """GB 18218-2018 §4.1: S ≥ 1 makes the unit a major hazard installation."""
        return self.s_exact >= 1

    @property
    def s_value(self) -> Decimal:
        return to_decimal(self.s_exact)

    @property
    def r_value(self) -> Decimal:
        return to_decimal(self.r_exact)

    @property
    def level(self) -> str:
        """一级…四级 from R, for a major installation only ("" otherwise)."""
        return substances.level_for(self.r_exact) if self.is_major else ""

    @property
    def level_label(self) -> str:
        return str(MajorHazardLevel(self.level).label) if self.level else ""

    @property
    def unidentifiable(self) -> list[LineResult]:
        return [line for line in self.lines if not line.identifiable]


def _beta_for(entry: Entry | None, category: str) -> tuple[Decimal, bool]:
    """β: the named toxic gas's β of Table 3, else the category's β of Table 4, else 1 assumed (shown so)."""
    if entry is not None and entry.beta is not None:
        return entry.beta, False
    for code in (category, entry.category if entry else ""):
        beta = substances.category_beta(code) if code else None
        if beta is not None:
            return beta, False
    return Decimal("1"), True


def evaluate_line(line: Line, catalogue: Catalogue) -> LineResult:
    entry, how = catalogue.match(line.substance, line.cas_number)
    category = (line.hazard_category or "").strip()
    notes: list[str] = []
    if how == "cas_ambiguous":
        notes.append(
            _("The CAS number fits several entries; the smallest critical quantity (%(name)s) was used.")
            % {"name": entry.name}
        )
    if entry is not None and entry.in_table1:
        # STANDARDS §3: a substance named in Table 1 always uses its Table 1 Q, never its category's.
        basis, critical_q = Basis.TABLE1, entry.q
    elif entry is not None:
        basis, critical_q = Basis.CATALOGUE, entry.q
        category = category or entry.category
    elif category and category in substances.TABLE2_Q:
        basis, critical_q = Basis.CATEGORY, substances.TABLE2_Q[category]
    else:
        if category:
            notes.append(_("“%(code)s” is not a GB 18218 hazard category.") % {"code": category})
        notes.append(_("Not in the catalogue and no hazard category: record the category or correct the name."))
        return LineResult(line=line, basis=Basis.NONE, category=category, notes=notes)
    beta, assumed = _beta_for(entry, category)
    if assumed:
        notes.append(_("No β for this substance: record its hazard category; β = 1 was assumed."))
    ratio = Fraction(line.q) / Fraction(critical_q)
    return LineResult(
        line=line,
        basis=basis,
        entry=entry,
        category=category,
        critical_q=critical_q,
        ratio=ratio,
        beta=beta,
        beta_assumed=assumed,
        weighted=Fraction(beta) * ratio,
        notes=notes,
    )


def evaluate_unit(lines: Iterable[Line], people: int | None, catalogue: Catalogue) -> UnitResult:
    """GB 18218-2018 §4.1 and §4.2 for one production or storage unit."""
    results = [evaluate_line(line, catalogue) for line in lines]
    alpha, assumed = substances.alpha_for(people)
    s_exact = sum((r.ratio for r in results), Fraction(0))
    r_exact = Fraction(alpha) * sum((r.weighted for r in results), Fraction(0))
    return UnitResult(
        lines=results, s_exact=s_exact, alpha=alpha, alpha_assumed=assumed, people=people, r_exact=r_exact
    )


def lines_of(unit: ChemicalUnit) -> list[Line]:
    """The unit's inventory as input lines (uses the prefetched ``inventory``)."""
    return [
        Line(substance=i.substance, q=i.max_quantity_t, cas_number=i.cas_number, hazard_category=i.hazard_category)
        for i in unit.inventory.all()
    ]


# --- services ----------------------------------------------------------------------------------------------

CHUNK = 2000


@dataclass
class IdentificationSummary:
    units: int = 0
    major: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    unidentifiable_lines: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def identify_sites(*, site_ids: Iterable[int] | None = None, catalogue: Catalogue | None = None) -> dict[str, int]:
    """GB 18218-2018: identify every chemical unit of the given places (all places when ``site_ids`` is None)
    and rewrite their ``MajorHazardSource`` rows: create or update the units with S ≥ 1, delete the rest.

    Set-based: the catalogue is read once; units come in chunks with their inventory and place prefetched; the
    rows are written with bulk_create / bulk_update / one delete per chunk; row ids of units that stay major
    are kept (their pages and API addresses stay valid), with their first identification time.
    """
    catalogue = catalogue or Catalogue.load()
    summary = IdentificationSummary()
    units = ChemicalUnit.objects.select_related("site").prefetch_related("inventory").order_by("pk")
    if site_ids is not None:
        site_ids = sorted(set(site_ids))
        units = units.filter(site_id__in=site_ids)
    last = 0
    while True:
        chunk = list(units.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            break
        last = chunk[-1].pk
        _identify_chunk(chunk, catalogue, summary)
    # Rows whose unit moved away from the given places cannot exist (the unit is OneToOne); rows of units that
    # were deleted go with them (CASCADE). Nothing else to sweep.
    return summary.as_dict()


@transaction.atomic
def _identify_chunk(chunk: list[ChemicalUnit], catalogue: Catalogue, summary: IdentificationSummary) -> None:
    existing = {row.unit_id: row for row in MajorHazardSource.objects.filter(unit__in=chunk).select_for_update()}
    now = timezone.now()
    create, update, keep = [], [], set()
    for unit in chunk:
        result = evaluate_unit(lines_of(unit), unit.people_within_500m, catalogue)
        summary.units += 1
        summary.unidentifiable_lines += len(result.unidentifiable)
        if not result.is_major:
            continue
        summary.major += 1
        values = {
            "site_id": unit.site_id,
            "district_id": unit.site.district_id,
            "s_value": result.s_value,
            "r_value": result.r_value,
            "alpha": result.alpha,
            "people_within_500m": unit.people_within_500m,
            "level": result.level,
        }
        row = existing.get(unit.pk)
        if row is None:
            create.append(MajorHazardSource(unit_id=unit.pk, identified_at=now, **values))
        else:
            keep.add(row.pk)
            if any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                update.append(row)
    stale = [row.pk for row in existing.values() if row.pk not in keep]
    if stale:
        MajorHazardSource.objects.filter(pk__in=stale).delete()
    MajorHazardSource.objects.bulk_create(create)
    MajorHazardSource.objects.bulk_update(
        update, ["site_id", "district_id", "s_value", "r_value", "alpha", "people_within_500m", "level"]
    )
    summary.created += len(create)
    summary.updated += len(update)
    summary.removed += len(stale)


def on_chemical_inventory_changed(sender, site_ids=(), **kwargs) -> None:
    """Receiver of ``core.signals.chemical_inventory_changed``: identify the changed places' units again.
    One place's units are a handful of queries, cheap enough to run after the commit of the edit."""
    if site_ids:
        identify_sites(site_ids=site_ids)


SUBSTANCE_FIELDS = ("aliases", "cas_number", "critical_quantity_t", "hazard_category", "beta", "source")


def update_substance(*, actor, substance: HazardousSubstance, data: dict[str, Any]) -> HazardousSubstance:
    """Correct one catalogue entry (GB 18218-2018 Table 1 values marked "check"), audited with before and after,
    then identify again the places holding it (by CAS number or name). The catalogue is the same for every
    district, so only the city administrator corrects it (``edits_city_reference_data``)."""
    if not edits_city_reference_data(actor):
        raise PermissionDenied(REFERENCE_DATA_REFUSAL)
    errors: dict[str, str] = {}
    with transaction.atomic():
        locked = HazardousSubstance.objects.select_for_update().get(pk=substance.pk)
        before = audit.snapshot(locked, list(SUBSTANCE_FIELDS))
        old_names = [locked.name, *locked.alias_list]
        old_cas = locked.cas_number
        for name in SUBSTANCE_FIELDS:
            if name in data:
                value = data[name]
                if isinstance(value, str):
                    value = value.strip()
                if name == "beta" and value == "":
                    value = None  # blank: the category's β of Table 4 applies
                setattr(locked, name, "" if value is None and name != "beta" else value)
        try:
            locked.full_clean(validate_constraints=False)
        except ValidationError as error:
            errors.update({name: " ".join(messages) for name, messages in error.message_dict.items()})
        if "hazard_category" not in errors and locked.hazard_category not in ("", *substances.TABLE2_Q):
            errors["hazard_category"] = _("“%(code)s” is not a GB 18218 hazard category.") % {
                "code": locked.hazard_category
            }
        if "critical_quantity_t" not in errors and locked.critical_quantity_t <= 0:
            errors["critical_quantity_t"] = _("The critical quantity must be more than 0 t.")
        if "beta" not in errors and locked.beta is not None and locked.beta <= 0:
            errors["beta"] = _("β must be more than 0, or left blank for the category's β.")
        if errors:
            raise ValidationError(errors)
        locked.edited_by = actor
        locked.edited_at = timezone.now()
        locked.save()
        locked.refresh_from_db()  # the stored precision (10 → 10.000) is what the audit row compares
        audit.record(
            actor=actor,
            action="risk.substance.update",
            obj=locked,
            before=before,
            after=audit.snapshot(locked, list(SUBSTANCE_FIELDS)),
        )
        names = {*old_names, locked.name, *locked.alias_list}
        cas = {c for c in (old_cas, locked.cas_number) if c}
        transaction.on_commit(lambda: identify_sites(site_ids=_sites_holding(names, cas)))
    return locked


def _sites_holding(names: set[str], cas_numbers: set[str]) -> list[int]:
    """Places with a line naming the substance (by CAS number or by name or alias)."""
    query = Q(cas_number__in=cas_numbers) if cas_numbers else Q(pk__in=[])
    for name in names:
        query |= Q(substance__iexact=name)
    return list(ChemicalInventory.objects.filter(query).values_list("unit__site_id", flat=True).distinct().order_by())


# --- selectors ---------------------------------------------------------------------------------------------


def installations_for(user) -> QuerySet[MajorHazardSource]:
    """The register of major hazard installations the user may see, with what a row shows joined."""
    return MajorHazardSource.objects.visible_to(user).select_related(
        "site", "site__territory", "site__enterprise", "unit", "district"
    )


def visible_units(user) -> QuerySet[ChemicalUnit]:
    """Chemical units of the places the user may see (a unit is seen with its place)."""
    return ChemicalUnit.objects.filter(site__in=Site.objects.visible_to(user).values("pk"))


def unit_identification(unit: ChemicalUnit, catalogue: Catalogue | None = None) -> UnitResult:
    return evaluate_unit(lines_of(unit), unit.people_within_500m, catalogue or Catalogue.load())


def site_units(site: Site) -> list[tuple[ChemicalUnit, UnitResult, MajorHazardSource | None]]:
    """Every unit of a place with its identification and its register row (non-major units too)."""
    catalogue = Catalogue.load()
    units = (
        site.chemical_units.prefetch_related(Prefetch("inventory", queryset=ChemicalInventory.objects.order_by("pk")))
        .select_related("major_hazard_source")
        .order_by("kind", "name")
    )
    rows = []
    for unit in units:
        try:
            source = unit.major_hazard_source
        except MajorHazardSource.DoesNotExist:
            source = None
        rows.append((unit, evaluate_unit(lines_of(unit), unit.people_within_500m, catalogue), source))
    return rows


def map_points(user) -> list[list]:
    """The map layer's points: [lat, lon, title, detail url, colour key] for each located installation."""
    points = []
    rows = installations_for(user).exclude(site__latitude__isnull=True).order_by("level", "-r_value", "pk")
    for row in rows:
        title = f"{row.site.name} · {row.unit.name} · {row.get_level_display()}"
        points.append(
            [
                float(row.site.latitude),
                float(row.site.longitude),
                title,
                reverse("risk:installation_detail", args=[row.unit_id]),
                substances.LEVEL_COLOURS[row.level],
            ]
        )
    return points


# --- filters (one class serves the register page, its export and the API) ----------------------------------


class InstallationFilterSet(StyledFilterSet):
    """Filters of the register of major hazard installations: level, street or park, enterprise, free text."""

    q = django_filters.CharFilter(label=gettext_lazy("Place or unit"), method="search")
    level = django_filters.ChoiceFilter(
        label=gettext_lazy("Level"), choices=MajorHazardLevel.choices, empty_label=gettext_lazy("All")
    )
    territory = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Street or park"),
        queryset=OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS),
        field_name="site__territory",
        empty_label=gettext_lazy("All"),
    )
    enterprise = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Enterprise"),
        queryset=Enterprise.objects.all(),
        field_name="site__enterprise",
        empty_label=gettext_lazy("All"),
    )
    site = django_filters.NumberFilter(label=gettext_lazy("Place"), field_name="site_id")

    class Meta:
        model = MajorHazardSource
        fields = ["q", "level", "territory", "enterprise", "site"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            # Only the streets and enterprises of the user's own places are offered.
            sites = Site.objects.visible_to(user).values("pk")
            self.filters["territory"].queryset = OrgUnit.objects.filter(
                kind__in=TERRITORIAL_KINDS, territory_sites__in=sites
            ).distinct()
            self.filters["enterprise"].queryset = Enterprise.objects.visible_to(user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(site__name__icontains=value) | Q(unit__name__icontains=value))


class SubstanceFilterSet(StyledFilterSet):
    """Search of the catalogue by name, alias or CAS number, and by hazard category."""

    q = django_filters.CharFilter(label=gettext_lazy("Name, alias or CAS number"), method="search")
    in_table1 = BooleanFilter(label=gettext_lazy("Named in Table 1"))

    class Meta:
        model = HazardousSubstance
        fields = ["q", "in_table1"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(aliases__icontains=value) | Q(cas_number__icontains=value))


# --- export ------------------------------------------------------------------------------------------------

EXPORT_SHEET = "重大危险源"
EXPORT_HEADERS = (
    "场所",
    "企业",
    "街道（园区）",
    "单元",
    "单元类型",
    "级别",
    "S（Σq/Q）",
    "R（α·Σβq/Q）",
    "α",
    "500米范围内人数",
    "辨识时间",
)


def installation_row(row) -> list[Any]:
    site = row.site
    return [
        site.name,
        site.enterprise.name if site.enterprise_id else "",
        site.territory.name if site.territory_id else "",
        row.unit.name,
        str(row.unit.get_kind_display()),
        str(row.get_level_display()),
        row.s_value,
        row.r_value,
        row.alpha,
        row.people_within_500m if row.people_within_500m is not None else "未填报（α按2.0）",
        xlsx.moment(row.identified_at),
    ]


def export_installations(*, actor, queryset, filters: dict[str, Any]):
    """The register as .xlsx (what the user's scope and filters select, headers in Chinese, text escaped against
    formula injection), audited with the row count and the filters; (file, count)."""
    handle, count = xlsx.write_list_xlsx(
        sheet_title=EXPORT_SHEET, headers=EXPORT_HEADERS, rows=queryset.iterator(chunk_size=CHUNK), row=installation_row
    )
    xlsx.record_export(
        actor=actor,
        action="risk.installation.export",
        object_type="risk.majorhazardsource",
        what="major hazard installations",
        count=count,
        filters=filters,
    )
    return handle, count
