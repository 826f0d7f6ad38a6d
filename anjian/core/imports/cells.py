"""Parsing one cell of an imported row as users write it: numbers with thousands separators and units, dates and
times in the usual Chinese forms, labels chosen from a list. Use these in an import's cell parser; each raises
:class:`CellError` with the reason in the user's language."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.imports.columns import Column
from anjian.core.xlsx import FORMULA_PREFIXES


class CellError(Exception):
    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def clean(raw: Any) -> Any:
    """None for blank cells; strings stripped (also of full-width spaces and the export's escape)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        value = raw.strip().strip("\u3000\ufeff").strip()
        if not value:
            return None
        if value[0] == "'" and len(value) > 1 and value[1] in FORMULA_PREFIXES:
            value = value[1:]  # undo the formula-injection escape of our own export
        return value
    return raw


def plain(text: str) -> str:
    """A name without quotes and spaces, as names are compared ("“九小”场所" is "九小场所")."""
    return re.sub(r"[“”\"'\s]", "", text or "")


def as_text(value: Any) -> str:
    if value.__class__ is str:
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def as_limited_text(value: Any, column: Column) -> str:
    """The cell as text, at most ``column.max_length`` characters."""
    text = as_text(value)
    if len(text) > column.max_length:
        raise CellError(
            _("At most %(n)s characters (this has %(m)s).") % {"n": column.max_length, "m": len(text)},
            "too_long",
        )
    return text


def unknown_choice(column: Column) -> CellError:
    """The error of a label that is none of the column's choices, naming the labels it accepts."""
    allowed = "、".join(label for _c, label in column.choices)
    return CellError(_("Unknown value; use one of: %(allowed)s.") % {"allowed": allowed}, "choice")


def unknown_street(district) -> CellError:
    """The error of a street or park name that is none of the district's."""
    return CellError(
        _("No street or park of %(district)s has this name.") % {"district": district.name}, "unknown_street"
    )


def as_int(value: Any, column: Column) -> int:
    if isinstance(value, bool):
        raise CellError(_("Enter a whole number."), "integer")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Enter a whole number."), "integer")
        number = int(value)
    else:
        text = str(value).replace(",", "").replace("，", "").strip()
        text = re.sub(r"(人|层|年|个)$", "", text)
        try:
            parsed = Decimal(text)
        except InvalidOperation:
            raise CellError(_("Enter a whole number."), "integer") from None
        if parsed != parsed.to_integral_value():
            raise CellError(_("Enter a whole number."), "integer")
        number = int(parsed)
    check_range(number, column)
    return number


def check_range(number, column: Column) -> None:
    if column.minimum is not None and number < column.minimum:
        raise CellError(_("The value must be at least %(min)s.") % {"min": column.minimum}, "range")
    if column.maximum is not None and number > column.maximum:
        raise CellError(_("The value must be at most %(max)s.") % {"max": column.maximum}, "range")


def as_decimal(value: Any, column: Column) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("Enter a number."), "number")
    try:
        if isinstance(value, int | float):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        else:
            number = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise CellError(_("Enter a number."), "number") from None
    if not number.is_finite():
        raise CellError(_("Enter a number."), "number")
    number = number.quantize(Decimal(1).scaleb(-column.places), rounding=ROUND_HALF_UP)
    check_range(number, column)
    if column.digits and abs(number) >= Decimal(10) ** (column.digits - column.places):
        raise CellError(_("The number is too large."), "range")
    return number


DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value).strip()
    text = re.sub(r"[ T]00:00(:00)?$", "", text)
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise CellError(_("Enter a date such as 2026-01-31."), "date")


DATETIME_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2}))?(?:\.\d+)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(\d{1,2})[时點点:：](?:(\d{1,2})分?)?(?:(\d{1,2})秒)?$"),
)


def as_datetime(value: Any) -> dt.datetime:
    """A time of day is required; Excel's date-time cells are taken as they are, in the local time zone."""
    if isinstance(value, dt.datetime):
        moment = value.replace(microsecond=0)
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        text = as_text(value).strip()
        moment = None
        for pattern in DATETIME_PATTERNS:
            match = pattern.match(text)
            if match:
                parts = [int(g) if g else 0 for g in match.groups()]
                try:
                    moment = dt.datetime(*parts)
                except ValueError:
                    break
                break
        if moment is None:
            raise CellError(_("Enter a date and time such as 2025-03-04 14:30."), "datetime")
    if timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, timezone.get_default_timezone())


# The kinds of cell every import parses the same way; an import's cell parser handles its own kinds (labels,
# streets, sectors …) and hands these here.
PLAIN_PARSERS: dict[str, Callable[[Any, Column], Any]] = {
    "text": as_limited_text,
    "int": as_int,
    "decimal": as_decimal,
    "date": lambda value, _column: as_date(value),
    "datetime": lambda value, _column: as_datetime(value),
}
