"""Small helpers the resource services share: ids, timestamps, attribute aliases."""

import datetime
import uuid

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


def with_project(data):
    data['project_id'] = data['tenant_id']
    return data
