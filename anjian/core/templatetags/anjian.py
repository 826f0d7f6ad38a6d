import json

from django import template

from anjian.core.audit_labels import label_for

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
