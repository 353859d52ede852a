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


def fetch_page(session, table, scope, query, conditions=(), skip=()):
    """Rows of ``table`` within ``scope``, filtered, sorted and paged as ``query`` says.

    ``conditions`` are extra SQL conditions (filters the caller handles itself, named in
    ``skip``). Returns (rows, statement); the statement serves ``page_ids``."""
    stmt = apply_filters(sa.select(table).where(scope, *conditions), table, query.filters,
                         skip=skip)
    stmt = apply_paging(session, stmt, table, query,
                        sa.select(table).where(table.c.id == query.marker, scope))
    return session.execute(stmt).mappings().all(), stmt


# Above this many rows, child rows are fetched with a subquery rather than an IN list.
IN_LIST_MAX = 500


def page_ids(table, found, stmt):
    """What ``column.in_()`` takes to select the children of a fetched page: the ids, or for a
    big page the page's own query, as a derived table (MariaDB refuses a LIMIT directly in IN)
    that keeps ORDER BY and LIMIT, so it selects that page and no more."""
    if len(found) <= IN_LIST_MAX:
        return [row['id'] for row in found]
    return stmt.with_only_columns(table.c.id).subquery().select()


def check_sort_keys(attributes, sorts):
    for key, _asc in sorts:
        spec = attributes.get(key)
        if spec is None or not spec.get('is_sort_key'):
            raise exceptions.InvalidSortKey(key=key)
