"""GB 18218-2018 computed: ``Catalogue.match`` finds a line's catalogue entry (by CAS number first, then by name
or alias), ``evaluate_unit`` computes S = Σ q/Q, α, R = α·Σ β·q/Q and the level of one unit, exactly (fractions;
no rounding before the comparisons with 1 and with the level bands). Only ``Catalogue.load`` reads the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.registry.models import ChemicalUnit
from anjian.risk import substances
from anjian.risk.models import HazardousSubstance, MajorHazardLevel

FOUR_PLACES = Decimal("0.0001")


def to_decimal(value: Fraction, places: Decimal = FOUR_PLACES) -> Decimal:
    """An exact fraction rounded half-up for storage and display (comparisons use the fraction itself)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP)


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
            Entry(None, e.name, e.q, e.cas, tuple(substances.split_aliases(e.aliases)), e.category, e.beta, True)
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
    """β: the named toxic gas's β of Table 3, else the category's β of Table 4, else 1 assumed (shown so).

    A catalogue entry's β that is only its category's Table 4 β gives way to a category the line records (the
    line knows the condition held: 苯 kept above its boiling point is W5.1, β 1.5, not W5.3)."""
    line_beta = substances.category_beta(category) if category else None
    if entry is not None and entry.beta is not None:
        by_category = bool(entry.category) and entry.beta == substances.category_beta(entry.category)
        if line_beta is not None and by_category:
            return line_beta, False
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
