"""Writing checked rows in bulk: INSERT … RETURNING id and multi-row UPDATE without building model instances, and
ids in chunks for IN (…) queries. Use it in an import's write pass once every row is checked and typed; for a few
hundred rows ``bulk_create`` is as good."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection

BATCH = 1000
IN_CHUNK = 500  # ids per IN (…) query: well under SQLite's variable limit


def chunks(items: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _adapters(model, names: list[str]):
    """Per column, the conversion Django would apply for this backend (dates, datetimes, decimals)."""
    ops = connection.ops
    adapters = []
    for name in names:
        field_obj = model._meta.get_field(name)
        kind = field_obj.get_internal_type()
        if kind == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(ops.adapt_datefield_value)
        elif kind == "DecimalField":
            adapters.append(lambda v, f=field_obj: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places))
        else:
            adapters.append(None)
    return adapters


def _convert(rows, adapters):
    for values in rows:
        yield tuple(v if a is None or v is None else a(v) for v, a in zip(values, adapters, strict=True))


def insert_rows(model, names: list[str], rows: list[tuple]) -> list[int]:
    """INSERT … RETURNING id — what bulk_create does, without building model instances.

    At 100,000 places Django's per-instance and per-value work in bulk_create costs several times
    the database's own time; the values here are already validated and typed. PostgreSQL gets
    one array parameter per column (INSERT … SELECT FROM unnest(…), as Django 5.2 does), since
    binding tens of thousands of scalar parameters costs more than the insert.
    """
    if not rows:
        return []
    if not connection.features.can_return_rows_from_bulk_insert:  # pragma: no cover - PostgreSQL, SQLite >= 3.35
        raise RuntimeError("the database cannot return ids from a bulk insert")
    opts = model._meta
    fields = [opts.get_field(n) for n in names]
    quote = connection.ops.quote_name
    adapters = _adapters(model, names)
    # Table and column names come from the model's metadata; every value is a query parameter.
    head = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    tail = f" RETURNING {quote(opts.pk.column)}"
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
            sql = f"{head}SELECT * FROM unnest({arrays}){tail}"  # noqa: S608
            for start in range(0, len(rows), BATCH * 5):
                part = list(_convert(rows[start : start + BATCH * 5], adapters))
                cursor.execute(sql, [list(column) for column in zip(*part, strict=True)])
                ids.extend(r[0] for r in cursor.fetchall())
            return ids
        limit = connection.features.max_query_params  # SQLite: 999 parameters a statement
        batch = max(1, min(BATCH, limit // len(fields))) if limit else BATCH
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(rows), batch):
            part = list(_convert(rows[start : start + batch], adapters))
            cursor.execute(head + "VALUES " + ", ".join([one] * len(part)) + tail, [v for r in part for v in r])
            ids.extend(r[0] for r in cursor.fetchall())
    return ids


def update_rows(model, names: list[str], rows: list[tuple]) -> None:
    """Set the columns of many rows, each given as (values…, id), without bulk_update's CASE per field."""
    if not rows:
        return
    opts = model._meta
    fields = [opts.get_field(n) for n in names]
    quote = connection.ops.quote_name
    adapters = [*_adapters(model, names), None]
    table, pk = quote(opts.db_table), quote(opts.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            aliases = [f"c{i}" for i in range(len(fields))]
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in [*fields, opts.pk])
            assignments = ", ".join(f"{quote(f.column)} = v.{a}" for f, a in zip(fields, aliases, strict=True))
            sql = (
                f"UPDATE {table} SET {assignments} FROM unnest({arrays}) "  # noqa: S608
                f"AS v({', '.join(aliases)}, id) WHERE {table}.{pk} = v.id"
            )
            for start in range(0, len(rows), BATCH * 5):
                part = list(_convert(rows[start : start + BATCH * 5], adapters))
                cursor.execute(sql, [list(column) for column in zip(*part, strict=True)])
            return
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, list(_convert(rows[start : start + BATCH], adapters)))
