"""The checklists the platform ships (:mod:`anjian.inspections.standards`) brought into the database.

One function serves the demo seeder (through ``services.ensure_checklists``) and the data migrations that carry a
new edition of the shipped wording to existing installs, so it takes the model classes as arguments: a migration
passes its historical models. A shipped checklist missing from the database is created; one whose current version
was written by the platform (no author) and differs from the shipped edition gets a new version with it, so the
inspections made with the old version keep theirs. A checklist an administrator has revised is left alone: the
city's own wording wins over the platform's.
"""

from __future__ import annotations

from anjian.inspections import standards

ITEM_FIELDS = (
    "section",
    "text",
    "legal_basis",
    "photo_required",
    "nature",
    "criteria_document",
    "criteria_edition",
    "criteria_number",
    "criterion_text",
)


def shipped_items(spec: standards.TemplateSpec) -> list[dict]:
    """The item rows of a shipped template, in order, with their section headings."""
    sections: list[str] = []
    for heading, count in spec.sections:
        sections += [heading] * count
    return [
        {
            "section": sections[index] if index < len(sections) else "",
            "text": item.text,
            "legal_basis": item.legal_basis,
            "photo_required": item.photo_required,
            "nature": item.nature,
            "criteria_document": item.criteria_document,
            "criteria_edition": item.criteria_edition,
            "criteria_number": item.criteria_number,
            "criterion_text": item.criterion_text,
        }
        for index, item in enumerate(spec.items)
    ]


def _differs(template, item_model, spec: standards.TemplateSpec, items: list[dict]) -> bool:
    if (template.name, template.sector_id, template.description) != (spec.name, spec.sector, spec.description):
        return True
    stored = list(item_model.objects.filter(template=template).order_by("order", "id").values(*ITEM_FIELDS))
    return stored != items


def _write(template_model, item_model, spec, items, *, version: int):
    template = template_model.objects.create(
        code=spec.code,
        version=version,
        is_current=True,
        name=spec.name,
        sector_id=spec.sector,
        description=spec.description,
    )
    item_model.objects.bulk_create(
        [item_model(template=template, order=order, **row) for order, row in enumerate(items, start=1)]
    )
    return template


def sync_shipped_checklists(template_model, item_model, *, only_where_loaded: bool = False) -> tuple[list, list]:
    """Create the missing shipped checklists and bring the platform-written ones to the shipped edition.

    Returns (created, revised) templates. With ``only_where_loaded`` nothing happens in a database that holds none of
    the shipped checklists: a migration updates the installs that loaded them and leaves the loading to the seeder.
    Runs inside the caller's transaction."""
    codes = [spec.code for spec in standards.CHECKLIST_TEMPLATES]
    rows = list(template_model.objects.filter(code__in=codes))
    if only_where_loaded and not rows:
        return [], []
    current = {row.code: row for row in rows if row.is_current}
    versions: dict[str, int] = {}
    for row in rows:
        versions[row.code] = max(versions.get(row.code, 0), row.version)
    created, revised = [], []
    for spec in standards.CHECKLIST_TEMPLATES:
        items = shipped_items(spec)
        if spec.code not in versions:
            created.append(_write(template_model, item_model, spec, items, version=1))
            continue
        old = current.get(spec.code)
        if old is None or old.created_by_id is not None or not _differs(old, item_model, spec, items):
            continue
        template_model.objects.filter(pk=old.pk).update(is_current=False)
        revised.append(_write(template_model, item_model, spec, items, version=versions[spec.code] + 1))
    return created, revised
