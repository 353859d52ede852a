"""Converters named by ``convert_to`` / ``convert_list_to`` in the attribute maps."""

from netmgr import exceptions


def convert_to_boolean(data):
    if isinstance(data, bool):
        return data
    if isinstance(data, str):
        lowered = data.strip().lower()
        if lowered in ('true', '1', 'yes', 'on'):
            return True
        if lowered in ('false', '0', 'no', 'off'):
            return False
    if isinstance(data, int) and data in (0, 1):
        return bool(data)
    raise exceptions.InvalidInput(error_message="'%s' cannot be converted to boolean" % data)


def convert_to_boolean_if_not_none(data):
    return None if data is None else convert_to_boolean(data)


def convert_external_gateway_info(data):
    """enable_snat may arrive as a string ("False") from CLI-built bodies."""
    if isinstance(data, dict) and 'enable_snat' in data:
        return dict(data, enable_snat=convert_to_boolean(data['enable_snat']))
    return data


def convert_to_int(data):
    if isinstance(data, bool):
        raise exceptions.InvalidInput(error_message="'%s' is not an integer" % data)
    try:
        return int(data)
    except (ValueError, TypeError):
        raise exceptions.InvalidInput(error_message="'%s' is not an integer" % data)


def convert_none_to_empty_list(data):
    return [] if data is None else data


def convert_kvp_list_to_dict(kvp_list):
    """['ip_address=10.0.0.3', 'subnet_id=X'] -> {'ip_address': ['10.0.0.3'], ...}
    (the form of ``fixed_ips=ip_address=...`` list filters)."""
    result = {}
    for item in kvp_list:
        if isinstance(item, dict):
            for k, v in item.items():
                result.setdefault(k, []).append(v)
            continue
        name, sep, value = str(item).partition('=')
        if not sep or not name:
            raise exceptions.InvalidInput(
                error_message="'%s' is not of the form <key>=[value]" % item)
        result.setdefault(name, []).append(value)
    return result
