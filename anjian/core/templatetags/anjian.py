import json

from django import template

from anjian.core.audit_labels import label_for
from anjian.core.coordinates import format_coordinates, format_distance

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """The readable name of an audit action."""
    return label_for(action)


@register.filter
def pretty_json(value) -> str:
    """JSON as people read it: indented, Chinese left as is."""
    if value is None:
        return "—"
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


@register.filter
def coordinates(obj) -> str:
    """The position of anything with ``latitude`` and ``longitude``, latitude first and labelled (core/coordinates)."""
    return format_coordinates(getattr(obj, "latitude", None), getattr(obj, "longitude", None))


@register.filter
def distance(metres) -> str:
    """Metres as people say them: "850 米", "12.3 公里"."""
    return format_distance(metres)
