"""HTTP query strings and bodies -> plain values for the operations pipeline."""

import json

from netmgr.api import converters
from netmgr import constants as const
from netmgr import exceptions

RESERVED = ('fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse')
# Larger limits mean "everything"; SQL engines overflow on absurd ones (limit + 1 is asked).
MAX_LIMIT = 2 ** 31 - 2


def _bad_text(value):
    """Why a string cannot go further (None if it can): NUL characters (PostgreSQL refuses
    them in any string) and lone surrogates (not encodable in UTF-8)."""
    if '\x00' in value:
        return 'NUL characters are not allowed'
    try:
        value.encode('utf-8')
    except UnicodeEncodeError:
        return 'invalid unicode (lone surrogate)'
    return None


def check_url(request):
    """The path and query string must be UTF-8 without NUL characters: 400, never 500."""
    try:
        texts = [request.path_info]
        for key, value in request.GET.items():
            texts += [key, value]
    except UnicodeDecodeError:
        raise exceptions.InvalidInput(error_message='the URL is not valid UTF-8')
    for text in texts:
        reason = _bad_text(text)
        if reason:
            raise exceptions.InvalidInput(error_message='bad URL: %s' % reason)


def _check_strings(data):
    """Walk the decoded body (iteratively: any depth json accepted) checking every string."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            reason = _bad_text(item)
            if reason:
                raise exceptions.MalformedRequestBody(reason=reason)


def _read_body(request, max_size):
    if request.content_length is None and \
            'chunked' in request.headers.get('Transfer-Encoding', '').lower():
        # webob reads no body without a length unless told the input ends by itself
        # (eventlet decodes chunked input and stops at the last chunk).
        raw = request.body_file_raw.read(max_size + 1)
        if len(raw) > max_size:
            raise exceptions.MalformedRequestBody(reason='request body is too large')
        return raw
    if request.content_length and request.content_length > max_size:
        raise exceptions.MalformedRequestBody(reason='request body is too large')
    return request.body


def parse_body(request, max_size):
    raw = _read_body(request, max_size)
    if not raw:
        raise exceptions.MalformedRequestBody(reason='a request body is required')
    try:
        data = json.loads(raw.decode('utf-8'))
    except (ValueError, UnicodeDecodeError) as exc:
        raise exceptions.MalformedRequestBody(reason='cannot understand JSON: %s' % exc)
    except RecursionError:
        raise exceptions.MalformedRequestBody(reason='JSON nested too deeply')
    _check_strings(data)
    return data


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
        limit = min(limit, MAX_LIMIT) or None
    page_reverse = converters.convert_to_boolean(params.get('page_reverse', False))
    return (filters, parse_fields(params), sorts, limit, params.get('marker'), page_reverse)
