"""HTTP query strings and bodies -> plain values for the operations pipeline."""

import json

from netmgr.api import converters
from netmgr import constants as const
from netmgr import exceptions

RESERVED = ('fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse')


def parse_body(request, max_size):
    if request.content_length and request.content_length > max_size:
        raise exceptions.MalformedRequestBody(reason='request body is too large')
    raw = request.body
    if not raw:
        raise exceptions.MalformedRequestBody(reason='a request body is required')
    try:
        return json.loads(raw.decode('utf-8'))
    except (ValueError, UnicodeDecodeError) as exc:
        raise exceptions.MalformedRequestBody(reason='cannot understand JSON: %s' % exc)


def parse_fields(params):
    return [f for f in params.getall('fields') if f]


def parse_list_params(params):
    """Returns (filters, fields, sorts, limit, marker, page_reverse)."""
    filters = {}
    for key, value in params.items():
        if key not in RESERVED:
            filters.setdefault(key, []).append(value)
    keys, dirs = params.getall('sort_key'), params.getall('sort_dir')
    if len(keys) != len(dirs) and dirs:
        raise exceptions.InvalidInput(
            error_message='The number of sort_keys and sort_dirs must be same')
    for direction in dirs:
        if direction not in (const.SORT_ASC, const.SORT_DESC):
            raise exceptions.InvalidInput(
                error_message="%s is invalid value for sort_dir, valid values are '%s' and "
                              "'%s'" % (direction, const.SORT_ASC, const.SORT_DESC))
    sorts = [(k, (dirs[i] if dirs else const.SORT_ASC) == const.SORT_ASC)
             for i, k in enumerate(keys)]
    limit = params.get('limit')
    if limit is not None:
        try:
            limit = int(limit)
        except ValueError:
            limit = -1
        if limit < 0:
            raise exceptions.InvalidInput(
                error_message="Limit must be an integer 0 or greater and not '%s'"
                              % params.get('limit'))
        limit = limit or None
    page_reverse = converters.convert_to_boolean(params.get('page_reverse', False))
    return (filters, parse_fields(params), sorts, limit, params.get('marker'), page_reverse)
