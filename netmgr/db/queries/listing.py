"""Generic list queries: equality filters (repeated values = OR), keyset pagination, sorting."""

import dataclasses

import sqlalchemy as sa

from netmgr import exceptions


@dataclasses.dataclass
class ListQuery:
    filters: dict = dataclasses.field(default_factory=dict)
    fields: list = dataclasses.field(default_factory=list)
    sorts: list = dataclasses.field(default_factory=list)   # [(key, ascending)]
    limit: int | None = None
    marker: str | None = None
    page_reverse: bool = False


def apply_filters(stmt, table, filters, skip=()):
    for name, values in filters.items():
        if name in skip:
            continue
        column = table.c[name]
        values = [v for v in values]
        if not values:
            continue
        stmt = stmt.where(column == values[0] if len(values) == 1 else column.in_(values))
    return stmt


def _sort_expr(column):
    """What rows are ordered by: NULL sorts as the empty string, so it has a place in the
    order that a marker can be compared with on every backend."""
    if column.nullable:
        return sa.func.coalesce(column, sa.literal('', column.type))
    return column


def _ordering(table, sorts, page_reverse):
    keys = list(sorts) or [('id', True)]
    if 'id' not in [k for k, _ in keys]:
        keys.append(('id', True))
    if page_reverse:
        keys = [(k, not asc) for k, asc in keys]
    return [(table.c[k], asc) for k, asc in keys]


def _after(ordering, marker_values):
    """Rows strictly after the marker in this ordering (keyset pagination)."""
    def value(column):
        raw = marker_values[column.name]
        return sa.literal('' if raw is None else raw, column.type)

    clauses = []
    for i, (column, asc) in enumerate(ordering):
        equal_before = [_sort_expr(c) == value(c) for c, _ in ordering[:i]]
        expr = _sort_expr(column)
        step = expr > value(column) if asc else expr < value(column)
        clauses.append(sa.and_(*equal_before, step))
    return sa.or_(*clauses)


def apply_paging(session, stmt, table, query, marker_stmt):
    """Order, then restrict to rows after the marker and to the limit.

    marker_stmt selects the marker row within the caller's visibility scope."""
    ordering = _ordering(table, query.sorts, query.page_reverse)
    if query.marker is not None:
        marker = session.execute(marker_stmt).mappings().first()
        if marker is None:
            raise exceptions.MarkerNotFound(marker=query.marker)
        stmt = stmt.where(_after(ordering, marker))
    stmt = stmt.order_by(*[_sort_expr(c).asc() if asc else _sort_expr(c).desc()
                           for c, asc in ordering])
    if query.limit is not None:
        stmt = stmt.limit(query.limit)
    return stmt


def check_sort_keys(attributes, sorts):
    for key, _asc in sorts:
        spec = attributes.get(key)
        if spec is None or not spec.get('is_sort_key'):
            raise exceptions.InvalidSortKey(key=key)
