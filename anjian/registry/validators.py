"""Validation of identifiers that the registry stores, using python-stdnum's implementations."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import casrn
from stdnum.cn import uscc


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015): 18 characters ending with the check character."""
    if not uscc.is_valid(value or ""):
        raise ValidationError(
            _("“%(value)s” is not a valid unified social credit code (18 characters with a valid check character).")
            % {"value": value},
            code="credit_code",
        )


def validate_cas_number(value: str) -> None:
    """CAS Registry Number with its check digit (e.g. 7664-41-7 for ammonia)."""
    if value and not casrn.is_valid(value):
        raise ValidationError(_("“%(value)s” is not a valid CAS number.") % {"value": value}, code="cas")


def normalise_credit_code(value: str) -> str:
    return uscc.compact(value or "") if value else ""
