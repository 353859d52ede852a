"""Small helpers the resource services share: ids, timestamps, attribute aliases."""

import datetime
import uuid

import sqlalchemy as sa

ALIASES = {'project_id': 'tenant_id'}


def new_id():
    return str(uuid.uuid4())


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def iso(ts):
    return ts.isoformat(timespec='seconds') + 'Z' if ts else None


def normalize_query(query):
    """Turn API aliases (project_id) into column names in filters and sort keys."""
    filters = {}
    for name, values in query.filters.items():
        if isinstance(values, dict):  # structured filters such as fixed_ips
            filters[name] = values
        else:
            filters.setdefault(ALIASES.get(name, name), []).extend(values)
    query.filters = filters
    query.sorts = [(ALIASES.get(k, k), asc) for k, asc in query.sorts]
    return query


def to_api(row, columns):
    """A row as the API shows it: listed columns, ISO timestamps, project_id beside tenant_id."""
    data = {c: row[c] for c in columns}
    data['created_at'] = iso(data['created_at'])
    data['updated_at'] = iso(data['updated_at'])
    data['project_id'] = data['tenant_id']
    return data


def fetch_visible(session, table, resource_id, scope, not_found):
    """The row with this id if the scope lets the caller see it, else ``not_found`` raised."""
    row = session.execute(sa.select(table).where(table.c.id == resource_id, scope)
                          ).mappings().first()
    if row is None:
        raise not_found
    return row
