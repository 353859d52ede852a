"""Applying an attribute map to request data: unknown and read-only attributes, defaults,
conversion and validation. Every problem is a 400 with a message naming the attribute."""

from netmgr.api import validators
from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr import exceptions


def _bad(msg):
    return exceptions.InvalidInput(error_message=msg)


def _check_known(attributes, data):
    unknown = sorted(set(data) - set(attributes))
    if unknown:
        raise _bad("Unrecognized attribute(s) '%s'" % ', '.join(unknown))


def convert_and_validate(attributes, data):
    for name, value in list(data.items()):
        spec = attributes[name]
        if value is ATTR_NOT_SPECIFIED:
            continue
        converter = spec.get('convert_to')
        if converter is not None:
            try:
                value = converter(value)
            except exceptions.InvalidInput as exc:
                raise _bad('Invalid input for %s. Reason: %s' % (
                    name, exc.kwargs['error_message']))
            data[name] = value
        for rule, arg in (spec.get('validate') or {}).items():
            msg = validators.VALIDATORS[rule](value, arg)
            if msg:
                raise _bad('Invalid input for %s. Reason: %s' % (name, msg))
    return data


def prepare_create(attributes, item):
    """A create body with defaults filled in, converted and validated."""
    if not isinstance(item, dict):
        raise exceptions.MalformedRequestBody(reason='resource body must be an object')
    _check_known(attributes, item)
    result = {}
    for name, spec in attributes.items():
        if name in item:
            if not spec.get('allow_post'):
                raise _bad("Attribute '%s' not allowed in POST" % name)
            result[name] = item[name]
        elif spec.get('allow_post'):
            if 'default' not in spec and name not in ('tenant_id', 'project_id'):
                raise _bad("Failed to parse request. Required attribute '%s' not specified"
                           % name)
            if 'default' in spec:
                default = spec['default']
                result[name] = list(default) if isinstance(default, list) else default
    return convert_and_validate(attributes, result)


def prepare_update(attributes, item):
    if not isinstance(item, dict):
        raise exceptions.MalformedRequestBody(reason='resource body must be an object')
    _check_known(attributes, item)
    for name in item:
        if not attributes[name].get('allow_put'):
            raise _bad("Cannot update read-only attribute %s" % name)
    return convert_and_validate(attributes, dict(item))


def parse_filters(attributes, raw):
    """{name: [str, ...]} from a query string -> {name: [converted values]}."""
    filters = {}
    for name, values in raw.items():
        spec = attributes.get(name)
        if spec is None or not spec.get('is_filter'):
            raise exceptions.InvalidFilter(filter=name)
        list_converter = spec.get('convert_list_to')
        if list_converter is not None:
            try:
                filters[name] = list_converter(values)
            except exceptions.InvalidInput as exc:
                raise _bad('Invalid input for %s. Reason: %s' % (
                    name, exc.kwargs['error_message']))
            continue
        converter = spec.get('convert_to')
        converted = []
        for value in values:
            if converter is not None:
                try:
                    value = converter(value)
                except exceptions.InvalidInput as exc:
                    raise _bad('Invalid input for %s. Reason: %s' % (
                        name, exc.kwargs['error_message']))
            # Enumerations are checked (ip_version=99 is an error, not an empty list);
            # free-form values such as names or ids simply match nothing.
            choices = (spec.get('validate') or {}).get('type:values')
            if choices is not None and value not in choices:
                raise _bad('Invalid input for %s. Reason: %s' % (
                    name, validators.validate_values(value, choices)))
            converted.append(value)
        filters[name] = converted
    return filters


def visible_fields(attributes, fields=None):
    names = [n for n, spec in attributes.items() if spec.get('is_visible')]
    if fields:
        names = [n for n in names if n in fields]
    return names
